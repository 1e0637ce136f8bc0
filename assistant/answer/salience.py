"""What a question is about, and whether a piece of evidence covers it.

The focus of a question (jieba words of its Simplified, lower-cased form):

- `names`: companies, people, places, products, acronyms: jieba's proper-noun tags (nr ns nt nz),
  words jieba's dictionary does not know (鲜达, 华锐), upper-case latin acronyms (SAP, ERP, HR), and
  capitalised words inside an English question (Japanese, Aurora). Every name must be in the evidence.
- `quantities`: years, percentages, amounts of money, days (see ranges.py). Each must be stated by the
  evidence, literally or as a range that contains it.
- `terms`: the other content words, weighted by how rare they are in general Chinese/English (jieba's
  dictionary frequencies: 底价, 提成 weigh far more than 客户, 决定). The evidence must hold
  `MIN_TERM_COVERAGE` of their weight (calibration: eval/README.md).
- `wants`: what kind of fact answers it (price, phone, person, date, duration, result): the answer
  sentence must carry one (a price question is not answered by a sentence without an amount).

Evidence in another language than the question cannot share its words. English evidence for a Chinese
question must still hold every name and content word through a glossary spelling (a word with none
counts as missing: 华为 is not in an English price list); for an English question over Chinese
evidence only acronyms and quantities are checked, the embedder ranks its sentences and the
chunk-level confidence decides (extractive.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import jieba.posseg

from assistant.answer import ranges
from assistant.answer.counted import asked_units
from assistant.answer.fact_kinds import CONTENT_CUES, LISTING, WANTS, wanted_kinds
from assistant.answer.numbered_names import numbered_names
from assistant.text.advice import asks_for_advice
from assistant.text.glossary import EDITION, holds
from assistant.text.normalize import normalize_for_matching

MIN_TERM_COVERAGE = 0.4
_NAME_TAGS = {"nr", "ns", "nt", "nz"}
_PLACE_TAGS = {"ns", "nt", "nz"}  # places (reliable) and organisations (only when rare: 普通 is nz)
RARE_NAME_FREQ = 400
# A noun right before a product acronym is a brand unless it is a common word in jieba's counts
# (星云 583, 极光 112 are brands; 上线 657 in 能上线CRM, 客户 in 客户BI are not).
BRAND_FREQ = 600
# A character counted this often (of ~60M words in jieba's dictionary) is a common word by itself.
COMMON_CHAR_FREQ = 3_000
_CONTENT_TAGS = ("n", "v", "a", "i", "l", "j", "eng")
_SKIP_TAGS = {"vd", "ad", "an", "vg", "ng", "ag"}
_EN_STOP = frozenset(
    re.findall(
        r"\w+",
        """a an the is are was were be been do does did what which who whom how when where why can could
        should would will of for to in on at by with and or our your my we you i it its this that these
        those there any about tell me please much many per get have has need give say said their they
        them his her from into than more most long use used before after yuan also still""",
    )
)
_ZH_STOP = frozenset(
    re.findall(
        r"\S+",
        "什么 多少 怎么 如何 是否 可以 哪些 哪里 怎样 一下 需要 知道 有没有 能不能 是不是 现在 我们 他们 时候 一般",
    )
)
# Quantities are matched as ranges; out of the text jieba segments, they no longer glue to the next
# word ("75 天账期" -> "账期").
_QUANTITY_TEXT = re.compile(r"\d[\d,.]*\s*(?:%|万元|万|元|天|日|个工作日|days?)?", re.IGNORECASE)
# Content words in English weigh like a typical Chinese content word (jieba has no English counts).
LATIN_WEIGHT = 8.0
# Below this total weight (one ordinary word, 客户) the words are too few to judge coverage by.
MIN_TERM_WEIGHT = 10.0
# Words written in capitals that name nothing ("Is 1,500 yuan OK?"): not acronyms the evidence must hold.
_CAPITAL_WORDS = frozenset({"ok", "am", "pm", "asap", "fyi", "vs"})
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.-]*")
_ALL_EDITIONS = re.compile(r"所有版本|各版本|全部版本|各个版本|every edition|all editions")
_BRANDED = re.compile(r"([\u4e00-\u9fff]+)[A-Z]{2,}(?![A-Za-z])")
# The unit a count asks for ("how many days"): the wanted fact's unit, not what the question is about,
# as 天 in "多少天" is no content word (single characters never are).
_COUNTED_UNIT = re.compile(r"\bhow (?:many|much) ([a-z]+)")
_RATIO_OF = re.compile(r"([\u4e00-\u9fff]{2,})的?(?:比例|占比|百分比)")


@dataclass
class Focus:
    question: str
    names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    quantities: list[ranges.Quantity] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)  # word -> weight
    wants: set[str] = field(default_factory=set)
    english: bool = False
    advice: bool = False  # "怎么回应/what should I say": the recommended words, not the situation
    counted: tuple[str, ...] = ()  # the units a count asks for: 天 in "要几天", user in "how many users"
    listing: bool = False  # "有哪些办法": the answer is a list, all its items
    ratio_of: str = ""  # "提成比例": what the asked percentage is a share of


def load_dictionary() -> None:
    """Load jieba's dictionary now (~0.7 s with the GIL held), not during the first question."""
    _dictionary()


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], int]:
    jieba.setLogLevel(60)  # jieba logs its dictionary load at INFO
    jieba.initialize()
    return jieba.dt.FREQ, jieba.dt.total


def _rarity(word: str) -> float:
    """Information content of `word` in general language: log(total / frequency).

    A word the dictionary does not know weighs as much as its most common character: jieba's
    guesses (能试, 得买) are mostly two common characters run together.
    """
    freq, total = _dictionary()
    if freq.get(word, 0) > 0 or len(word) == 1 or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
        return math.log(total / max(1, freq.get(word, 0)))
    return min(_rarity(ch) for ch in word)


def _acronyms(question: str) -> list[str]:
    return [
        w.lower()
        for w in _LATIN_WORD.findall(question)
        if len(w) >= 2 and w.isupper() and w.lower() not in _CAPITAL_WORDS
    ]


def _capitalised(question: str) -> list[str]:
    """Runs of capitalised words inside an English question (not its first word): "pacific pearl
    insurance". A run is supported when the evidence holds any of its words."""
    runs: list[list[str]] = [[]]
    for i, word in enumerate(_LATIN_WORD.findall(question)):
        if i and word[0].isupper() and not word.isupper() and word.lower() not in _EN_STOP:
            runs[-1].append(word.lower())
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if run]


def _latin_names(question: str) -> set[str]:
    """Capitalised latin words in a Chinese question (Facebook, Salesforce): names in any language,
    checked like acronyms (a Chinese document writes them in latin too)."""
    return {w.lower() for w in _LATIN_WORD.findall(question) if len(w) >= 2 and w[0].isupper()}


def _brands(question: str) -> set[str]:
    """The Chinese word right before a product acronym names a brand: 星云 in 星云CRM, 极光 in 极光BI.

    Another vendor's CRM is not answered by ours, though jieba knows 星云 as "nebula".
    """
    freq, _ = _dictionary()
    brands = set()
    for run in _BRANDED.findall(normalize_for_matching(question)):
        last = jieba.posseg.lcut(run)[-1]
        rare_noun = last.flag.startswith("n") and freq.get(last.word, 0) <= BRAND_FREQ
        if len(last.word) >= 2 and rare_noun:  # not 客户 in 客户BI, nor 上线 in 能上线CRM
            brands.add(last.word)
    return brands


def _is_name(word: str, tag: str, freq: dict[str, int]) -> bool:
    """A proper noun by jieba's tags, or a word its dictionary does not know (鲜达, 华锐, 云帆).

    jieba also glues two common characters into a "name" (能试, 得买, 太贵, 张口): when every
    character is itself a common word, the run is left to the weighted terms instead.
    """
    if tag == "ns" or tag in _PLACE_TAGS and freq.get(word, 0) <= RARE_NAME_FREQ:
        return True
    if tag not in _NAME_TAGS and freq.get(word, 0) > 0:
        return False
    return not all(freq.get(ch, 0) >= COMMON_CHAR_FREQ for ch in word)


@lru_cache(maxsize=4096)
def analyse(question: str, known_names: tuple[str, ...] = ()) -> Focus:
    """The focus of `question` (cached: the same question is analysed once per process).

    `known_names`: the knowledge base's own names the question uses (its glossary's Chinese words):
    each must be in the evidence whole, though jieba splits it into common words (美好生活 + 药局),
    whose weights still count in the term coverage as before.
    """
    _dictionary()
    norm = normalize_for_matching(question).lower()
    english = not re.search(r"[\u4e00-\u9fff]", norm)
    focus = Focus(question, quantities=ranges.quantities(norm), wants=wanted_kinds(norm), english=english)
    focus.advice = asks_for_advice(norm)
    focus.counted = asked_units(norm)
    focus.listing = bool(LISTING.search(norm))
    cue_words = {c for kind, cues in WANTS.items() for c in cues if kind not in CONTENT_CUES}
    focus.acronyms = sorted(set(_acronyms(question)) | (set() if english else _latin_names(question)))
    names = set(_capitalised(question)) if english else _brands(question) | set(EDITION.findall(norm))
    names |= set(known_names) | numbered_names(norm)
    freq, _ = _dictionary()
    skip = cue_words | _ZH_STOP | _EN_STOP | set(_COUNTED_UNIT.findall(norm))
    for pair in jieba.posseg.lcut(_QUANTITY_TEXT.sub("，", norm)):
        word, tag = pair.word.strip(), pair.flag
        if not word or word in skip or word.isdigit():
            continue
        han = bool(re.fullmatch(r"[\u4e00-\u9fff]+", word))
        if han and len(word) >= 2 and _is_name(word, tag, freq):
            names.add(word)
        elif tag.startswith(_CONTENT_TAGS) and tag not in _SKIP_TAGS and (len(word) >= 2 or not han):
            focus.terms[word] = _rarity(word)
    if "ratio" in focus.wants:
        focus.ratio_of = _ratio_subject(norm, focus.terms)
    # 用云帆 (jieba's word before 云帆BI) is not a second name beside 云帆
    names = {n for n in names if not any(o != n and o in n for o in names)}
    focus.names = sorted(names - set(focus.acronyms))
    for name in [*focus.names, *focus.acronyms]:
        focus.terms.pop(name, None)
    return focus


def _ratio_subject(norm: str, terms: dict[str, float]) -> str:
    """The content word right before 比例/占比 ("提成" in 销售提成比例): a percentage of something else
    (the share of a monthly target reached) does not answer it."""
    found = _RATIO_OF.search(norm)
    if not found:
        return ""
    words = [w for w in jieba.lcut(found.group(1)) if w.strip()]
    return words[-1] if words and words[-1] in terms else ""


def _same_script(word: str, english_evidence: bool) -> bool:
    return bool(re.fullmatch(r"[a-z0-9+#. -]+", word)) == english_evidence


def _translated(focus: Focus, english_evidence: bool) -> bool:
    """English evidence for a Chinese question: a Chinese word the glossary gives no English spelling
    for cannot be shown there, so it counts as missing (华为, 日本 are not in an English price list)."""
    return english_evidence and not focus.english


def _checked(word: str, focus: Focus, english_evidence: bool, alternatives: dict[str, list[str]]) -> bool:
    """Whether the evidence is asked to hold `word`: it is in the evidence's script, or the glossary
    spells it there, or the evidence is English for a Chinese question (_translated)."""
    return (
        _same_script(word, english_evidence)
        or any(_same_script(a, english_evidence) for a in alternatives.get(word, ()))
        or _translated(focus, english_evidence)
    )


def _holds(evidence: str, word: str, alternatives: dict[str, list[str]] | None = None) -> bool:
    """Whether `evidence` holds `word`: any word of a latin name run, a latin word by its stem, or a
    glossary spelling of it."""
    if alternatives and holds(evidence, word, alternatives):
        return True
    if " " in word:
        return any(_holds(evidence, w) for w in word.split())
    if word.isascii() and len(word) > 5:
        return word[: max(5, len(word) - 3)] in evidence  # approval ~ approved, customers ~ customer
    return word in evidence


def is_edition(name: str) -> bool:
    return bool(EDITION.fullmatch(name))


def missing_names(
    focus: Focus, evidence: str, english_evidence: bool, alternatives: dict[str, list[str]] | None = None
) -> list[str]:
    """Names the evidence (normalised, lower case) lacks. Acronyms count in any language; other names
    where the evidence is in their script, or English evidence for a Chinese question (华锐 must have
    its glossary spelling there), or a name the glossary spells in the evidence's script (Chinese
    evidence for "Pacific Pearl Insurance" must say 太平洋明珠保险, not 某香港保险公司). A glossary
    spelling counts as the name (Aurora BI for 极光BI)."""
    alternatives = alternatives or {}
    checked = set(focus.acronyms) | {
        n for n in focus.names if _checked(n, focus, english_evidence, alternatives)
    }
    missing = {n for n in checked if not _holds(evidence, n, alternatives)}
    editions = {n for n in checked if is_edition(n)}
    if editions and (editions - missing or _ALL_EDITIONS.search(evidence)):
        # "旗舰版比专业版多了什么" is answered by either edition's row; "所有版本" holds every edition
        missing -= editions
    return sorted(missing)


def term_coverage(
    focus: Focus, evidence: str, english_evidence: bool, alternatives: dict[str, list[str]] | None = None
) -> float:
    """Weighted share of the question's content words in `evidence` (1 when too few to judge).

    Names are not counted here: every one of them must be in the evidence anyway (missing_names).
    A word in the other script counts when the glossary gives it a spelling in the evidence's script.
    """
    alternatives = alternatives or {}
    weights = {
        t: LATIN_WEIGHT if t.isascii() else w
        for t, w in focus.terms.items()
        if _checked(t, focus, english_evidence, alternatives)
    }
    named = {w for name in focus.names for w in name.split()}  # names are checked whole (missing_names)
    concepts: dict[frozenset[str], list[str]] = {}
    for term in weights:  # "sales reps": two spellings of one glossary word count once
        same = frozenset(alternatives.get(term, ())) if term not in named else frozenset()
        concepts.setdefault(same or frozenset([term]), []).append(term)
    weight = {key: max(weights[t] for t in terms) for key, terms in concepts.items()}
    total = sum(weight.values())
    if total < MIN_TERM_WEIGHT:
        return 1.0
    held = [key for key, terms in concepts.items() if any(_holds(evidence, t, alternatives) for t in terms)]
    return sum(weight[key] for key in held) / total


def salient_in(focus: Focus, text: str, alternatives: dict[str, list[str]] | None = None) -> set[str]:
    """The question's names and content words that `text` holds (or a glossary spelling of them)."""
    return {t for t in [*focus.names, *focus.acronyms, *focus.terms] if _holds(text, t, alternatives)}
