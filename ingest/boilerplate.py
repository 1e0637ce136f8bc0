"""Site boilerplate: lines repeated across many pages or documents of one ingest batch."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import overload

from assistant.text.normalize import normalize_for_matching
from ingest.loaders import Block, ParsedDocument
from ingest.outline import outline_level

_LIST_ITEM = re.compile(r"^(?:[-•*·]\s|\d{1,2}[.、)]\s)")

Unit = ParsedDocument | Sequence[str]


def _key(line: str) -> str:
    return normalize_for_matching(line).strip(" -•*·")


def _units(item: Unit) -> list[list[str]]:
    """A document counts once per page (headers repeat per page), or once if it has no pages."""
    if not isinstance(item, ParsedDocument):
        return [list(item)]
    pages: dict[int | None, list[str]] = {}
    for block in item.blocks:
        if _countable(block):
            pages.setdefault(block.page, []).append(block.text)
    return list(pages.values())


def _countable(block: Block) -> bool:
    # Table rows are data, and numbered headings (`1. 引言`) are structure many documents share.
    return block.kind != "table_row" and not (block.kind == "title" and outline_level(block.text))


class BoilerplateFilter:
    """Learn once per batch, then clean each document (or list of lines) of that batch.

    A line is boilerplate when it occurs in at least `min_units` units and `min_share` of all
    units (a unit is a page, or a whole document without pages). A list directly under a dropped
    line (a "related documents" list under a repeated header) is dropped too.
    """

    def __init__(self, min_units: int = 2, min_share: float = 0.3) -> None:
        self.min_units = min_units
        self.min_share = min_share
        self.repeated: set[str] = set()
        self._seen: Counter[str] = Counter()
        self._units = 0

    def learn(self, items: Iterable[Unit]) -> BoilerplateFilter:
        self._seen, self._units = Counter(), 0
        for item in items:
            self.count(item)
        return self.settle()

    def count(self, item: Unit) -> None:
        """Add one document (or list of lines) to what the next `settle` decides from."""
        for lines in _units(item):
            self._units += 1
            self._seen.update({key for key in map(_key, lines) if key})

    def settle(self, units_to_come: int = 0) -> BoilerplateFilter:
        """Decide from the units counted so far. With `units_to_come` (the batch is still being read),
        a line must already be frequent enough for the whole batch: a provisional answer."""
        total = self._units + units_to_come
        needed = max(self.min_units, math.ceil(self.min_share * total))
        self.repeated = {key for key, n in self._seen.items() if n >= needed} if total >= 2 else set()
        return self

    def is_boilerplate(self, line: str) -> bool:
        return _key(line) in self.repeated

    @overload
    def clean(self, item: ParsedDocument) -> ParsedDocument: ...
    @overload
    def clean(self, item: Sequence[str]) -> list[str]: ...
    def clean(self, item: Unit) -> ParsedDocument | list[str]:
        """The same document (or lines) without boilerplate; blank lines are kept as separators."""
        if isinstance(item, ParsedDocument):
            keep = self._keep(
                [(b.text, b.kind == "list") for b in item.blocks], [_countable(b) for b in item.blocks]
            )
            return replace(item, blocks=[b for b, k in zip(item.blocks, keep, strict=True) if k])
        lines = list(item)
        keep = self._keep([(ln, bool(_LIST_ITEM.match(ln.strip()))) for ln in lines], [True] * len(lines))
        return [ln for ln, k in zip(lines, keep, strict=True) if k]

    def _keep(self, lines: list[tuple[str, bool]], countable: list[bool]) -> list[bool]:
        keep: list[bool] = []
        under_dropped = False
        for (text, is_list), can_drop in zip(lines, countable, strict=True):
            if can_drop and self.is_boilerplate(text):
                under_dropped = True
                keep.append(False)
            elif under_dropped and (is_list or not text.strip()):
                keep.append(False)
            else:
                under_dropped = False
                keep.append(True)
        return keep
