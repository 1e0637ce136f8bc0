"""An answer never quotes the same sentence twice: one kept copy of a sentence extracted twice
(spacing, punctuation, a few damaged characters), and different sentences both kept."""

from __future__ import annotations

import random
import re
from difflib import SequenceMatcher
from pathlib import Path

from assistant.answer.extractive import SAME_SENTENCE, _is_repeat
from assistant.text.normalize import normalize_for_matching

SAMPLE_KB = Path(__file__).resolve().parents[2] / "deploy" / "sample-kb"
_BARE = re.compile(r"[\W_]+")


def _difflib_repeat(key: str, seen: list[str]) -> bool:
    """The rule as first written: containment, else difflib's ratio over the bare text."""
    bare = _BARE.sub("", key)
    for other in (_BARE.sub("", s) for s in seen):
        if bare in other or other in bare:
            return True
        if SequenceMatcher(None, bare, other, autojunk=False).ratio() >= SAME_SENTENCE:
            return True
    return False


def _sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLE_KB.rglob("*.md")))
    parts = (normalize_for_matching(s).lower() for s in re.split(r"[。！？\n.!?]", text))
    return [s for s in parts if len(s) >= 8]


def _damaged(sentence: str, rng: random.Random, edits: int) -> str:
    chars = list(sentence)
    for _ in range(edits):
        at = rng.randrange(len(chars))
        chars[at : at + 1] = rng.choice([[], [" "], [chars[at], chars[at]], ["x"]])
    return "".join(chars)


def test_a_sentence_extracted_twice_is_one_sentence() -> None:
    first = "2023 年 合同金额 50 万元（含）至 200 万元：销售副总裁审批，并经法务部审核。"
    again = "2023年合同金额50万元(含)至200万元:销售副总裁审批,并经法务部审核"
    damaged = "2023年合同金额50万元(含)至200万元:销售副总栽审批,并经法务部审査"
    assert _is_repeat(again.lower(), [first.lower()])
    assert _is_repeat(damaged.lower(), [first.lower()])
    assert not _is_repeat("合同金额 200 万元（含）以上：由 ceo 最终审批。", [first.lower()])


def test_the_same_sentences_count_as_repeats_as_with_difflib_alone() -> None:
    rng = random.Random(11)
    sentences = _sentences()
    assert len(sentences) > 200
    pairs = []
    for _ in range(1500):
        a = rng.choice(sentences)
        b = rng.choice([rng.choice(sentences), _damaged(a, rng, rng.randint(1, max(1, len(a) // 6)))])
        pairs.append((a, b))
    decided = [_is_repeat(a, [b]) for a, b in pairs]
    assert decided == [_difflib_repeat(a, [b]) for a, b in pairs]
    assert 100 < sum(decided) < len(pairs) - 100  # both outcomes, many near the line
