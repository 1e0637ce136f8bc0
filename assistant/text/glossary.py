"""The knowledge base's own glossary: spellings of one concept (专票 = 增值税专用发票, approve = 审批).

Curators keep a `_glossary.yaml` in any folder of the knowledge base: a list of entries, each a list
of the words that mean the same thing (abbreviations, full names, the English and Chinese terms):

    - [专票, 增值税专用发票, 专用发票]
    - [approve, approval, 审批]

Ingest records every glossary it finds in a `GlossaryStore`: a file beside the embedded index
(`Settings.glossary_path`), or the shared database in server mode so that every replica reads it; search expands a question's keyword query with the other spellings of the words it holds, and the
answer check counts a spelling as the word. Matching is on normalised text (Simplified, lower case,
half width), so one entry covers Traditional and Simplified questions alike.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from assistant.text.normalize import normalize_for_matching

GLOSSARY_FILE = "_glossary.yaml"
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A product edition (企业版, 旗舰版, 免费版): a row of a price list or datasheet, not what a source is about.
EDITION = re.compile(r"[\u4e00-\u9fff]{2}版(?!本)")
# General sales words in Chinese and English, applied to every knowledge base before its own glossary.
BUILTIN = Path(__file__).with_name("sales_glossary.yaml")


class GlossaryError(ValueError):
    """A `_glossary.yaml` that is not a list of lists of words."""


def _norm(word: str) -> str:
    return normalize_for_matching(word).lower().strip()


def _edition(group: list[str]) -> bool:
    return any(EDITION.fullmatch(w) for w in group)


def _words(group: Iterable[object]) -> list[str]:
    return list(dict.fromkeys(w for w in (_norm(str(g)) for g in group) if w))


@lru_cache(maxsize=4096)
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")


def present(word: str, text: str) -> bool:
    """A latin word matches whole words only ("rep" is not in "report"); a Han word anywhere."""
    if word not in text:  # most words are absent: no pattern needed to say so
        return False
    return not word.isascii() or _whole_word(word).search(text) is not None


def holds(text: str, term: str, alternatives: dict[str, list[str]]) -> bool:
    """Whether `text` (normalised, lower case) holds `term` or a glossary spelling of it."""
    return term in text or any(present(a, text) for a in alternatives.get(term, ()))


class Glossary:
    """Groups of words that mean the same; each word maps to the other spellings of its groups."""

    def __init__(self, groups: Iterable[Iterable[str]] = (), own: Iterable[Iterable[str]] = ()) -> None:
        entries = [_words(group) for group in own]
        self.groups = [words for words in [*map(_words, groups), *entries] if len(words) >= 2]
        # The knowledge base's own words in Chinese script (its products, customers, competitors):
        # names a question may ask about, longest first.
        own_words = {w for group in entries for w in group}
        self.names = sorted((w for w in own_words if _HAN_WORD.fullmatch(w)), key=len, reverse=True)
        # The knowledge base's own entries with a Chinese spelling, each with all its spellings
        # (美好生活药局, meihao pharmacy, meihao): what its sources are about. Editions aside.
        self.subjects = [g for g in entries if len(g) >= 2 and _HAN.search(" ".join(g)) and not _edition(g)]
        # Every spelling of a subject with its group, longest first (what `subjects_in` matches).
        self._subject_spellings = sorted(
            ((w, g) for g in self.subjects for w in g), key=lambda p: len(p[0]), reverse=True
        )

    def __bool__(self) -> bool:
        return bool(self.groups)

    @classmethod
    def from_yaml(cls, path: Path) -> Glossary:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list) or not all(isinstance(g, list) for g in data):
            raise GlossaryError(f"{path}: a glossary is a list of entries, each a list of words")
        return cls(data)

    @classmethod
    def of_folder(cls, folder: Path) -> Glossary:
        """Every `_glossary.yaml` under `folder`, merged (hidden folders skipped, as ingest does)."""
        files = sorted(p for p in folder.rglob(GLOSSARY_FILE) if not _hidden(p.relative_to(folder)))
        return cls(g for path in files for g in cls.from_yaml(path).groups)

    def names_in(self, question: str) -> tuple[str, ...]:
        """The knowledge base's own Chinese words that `question` uses (美好生活药局, not 美好 + 生活)."""
        norm, found = _norm(question), []
        for name in self.names:
            if name in norm:
                found.append(name)
                norm = norm.replace(name, "，")
        return tuple(found)

    def subjects_in(self, question: str) -> list[list[str]]:
        """The knowledge base's names (customers, products, competitors; not editions) that `question`
        uses in any spelling, each with all its spellings; the longest spelling is matched first, so
        "Pacific Pearl Insurance" is one name, not also "Pacific Pearl"."""
        norm, found = _norm(question), []
        for word, group in self._subject_spellings:
            if group not in found and present(word, norm):
                found.append(group)
                norm = norm.replace(word, "，")
        return found

    def matches(self, text: str) -> list[list[str]]:
        """The groups with a word in `text` (normalised, lower case)."""
        return [g for g in self.groups if any(present(w, text) for w in g)]

    def expansions(self, text: str) -> list[str]:
        """The other spellings of the glossary words `text` holds, for a keyword query."""
        norm = _norm(text)
        out = [w for group in self.matches(norm) for w in group if not present(w, norm)]
        return list(dict.fromkeys(out))

    def alternatives(self, question: str, terms: Iterable[str]) -> dict[str, list[str]]:
        """For each of `terms` (words or bigrams of `question`) that is part of a glossary word the
        question uses, the other spellings of that word: evidence holding one of them holds the term
        (专票 in "增值税专用发票", hotel for 酒店)."""
        norm = _norm(question)
        out: dict[str, list[str]] = {}
        for group in self.matches(norm):
            used = [w for w in group if present(w, norm)]
            others = [w for w in group if w not in used]
            for term in terms:
                if others and any(_part_of(term, w) for w in used):
                    out.setdefault(term, []).extend(o for o in others if o not in out.get(term, []))
        return out


def _part_of(term: str, word: str) -> bool:
    if term.isascii():
        return term == word or term in word.split()
    return term in word


@lru_cache(maxsize=1)
def builtin() -> Glossary:
    return Glossary.from_yaml(BUILTIN)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _read(path: Path) -> dict[str, list[list[str]]]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


class GlossaryStore(Protocol):
    """Where ingest keeps each knowledge-base folder's glossary: a file beside the embedded index, or
    the shared database for a server collection (every replica reads it)."""

    def stamp(self) -> object:
        """Cheap: changes whenever a folder's glossary is recorded (file mtime, database revision)."""
        ...

    def folders(self) -> dict[str, list[list[str]]]: ...

    def record(self, folder: str, groups: list[list[str]]) -> None:
        """Replace `folder`'s groups (none: the folder has no glossary any more)."""
        ...


class GlossaryJson:
    """The merged glossary as a JSON file beside the embedded index."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def stamp(self) -> object:
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def folders(self) -> dict[str, list[list[str]]]:
        return _read(self.path)

    def record(self, folder: str, groups: list[list[str]]) -> None:
        data = _read(self.path)
        data[folder] = groups
        if not groups:
            del data[folder]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)


class CurrentGlossary:
    """The built-in words and the knowledge base's glossary, re-read when ingest (here or in another
    process or replica) records a change. The store's stamp is checked at most every `check_every_s`
    seconds; a change recorded through this object is seen at once."""

    def __init__(self, store: GlossaryStore | None = None, check_every_s: float = 0.0) -> None:
        self.store = store
        self.check_every_s = check_every_s
        self._lock = threading.Lock()
        self._stamp: object = _NEVER
        self._checked = -math.inf
        self._glossary = builtin()

    def current(self) -> Glossary:
        if self.store is None:
            return builtin()
        now = time.monotonic()
        with self._lock:
            if now - self._checked < self.check_every_s:
                return self._glossary
            self._checked = now
            stamp = self.store.stamp()
            if stamp != self._stamp:
                own = [g for groups in self.store.folders().values() for g in groups]
                self._glossary = Glossary(builtin().groups, own)
                self._stamp = stamp
            return self._glossary

    def record(self, folder: Path, glossary: Glossary) -> None:
        """Store `folder`'s glossary (replacing what it had there); the next `current()` reads it."""
        if self.store is None:
            return
        self.store.record(str(folder), glossary.groups)
        with self._lock:
            self._checked = -math.inf


_NEVER = object()  # never a store's stamp: the first call reads
