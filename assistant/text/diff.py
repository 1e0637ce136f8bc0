"""A side-by-side diff of two texts by sentence, with the changed words marked inside changed rows.

Sentences (split on Chinese and latin sentence ends and newlines) are the rows, so a long Chinese
paragraph with one changed clause shows one changed sentence, not a whole changed line. Inside a
changed row, Chinese compares character by character and latin text word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from assistant.text.sentences import split_sentences

# A latin word or number, a run of spaces, or any other single character (one Han character).
_TOKEN = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.S)

Parts = list[tuple[str, bool]]  # (text, changed) pieces of one side of a row


@dataclass(frozen=True)
class DiffRow:
    """One aligned row: `same`, `changed`, `added` (right only) or `removed` (left only)."""

    kind: str
    left: int | None  # sentence number in the older text, from 1
    right: int | None
    left_parts: Parts
    right_parts: Parts

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "left": self.left,
            "right": self.right,
            "left_parts": [list(p) for p in self.left_parts],
            "right_parts": [list(p) for p in self.right_parts],
        }


def _merged(pieces: list[tuple[str, bool]]) -> Parts:
    out: Parts = []
    for text, changed in pieces:
        if not text:
            continue
        if out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + text, changed)
        else:
            out.append((text, changed))
    return out


def inline_parts(before: str, after: str) -> tuple[Parts, Parts]:
    """Both sentences cut into unchanged and changed pieces."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left.append(("".join(a[i1:i2]), op != "equal"))
        right.append(("".join(b[j1:j2]), op != "equal"))
    return _merged(left), _merged(right)


def _replaced(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[DiffRow]:
    """A changed block: its sentences paired in order, the longer side's extra ones added/removed."""
    rows = []
    for k in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + k, j1 + k
        if i < i2 and j < j2:
            left, right = inline_parts(a[i], b[j])
            rows.append(DiffRow("changed", i + 1, j + 1, left, right))
        elif i < i2:
            rows.append(DiffRow("removed", i + 1, None, [(a[i], True)], []))
        else:
            rows.append(DiffRow("added", None, j + 1, [], [(b[j], True)]))
    return rows


def side_by_side(before: str, after: str) -> list[DiffRow]:
    """Every sentence of both texts, aligned: unchanged ones side by side, changes marked."""
    a, b = split_sentences(before), split_sentences(after)
    rows: list[DiffRow] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [
                DiffRow("same", i + 1, j + 1, [(a[i], False)], [(b[j], False)])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        else:
            rows += _replaced(a, b, i1, i2, j1, j2)
    return rows


def diff_counts(rows: list[DiffRow]) -> dict[str, int]:
    """How many sentences were added, removed, changed and kept."""
    counts = {"added": 0, "removed": 0, "changed": 0, "same": 0}
    for row in rows:
        counts[row.kind] += 1
    return counts
