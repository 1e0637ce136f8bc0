"""Source text as a reader should see it in an answer: table rows as sentences, no layout debris.

A table row is stored as `column: value` lines (and its `fields`). Quoted as it is, a rep would read
`question: 支持私有化部署吗？；answer: 支持…`. Rendered:

- an FAQ row (question/answer, 问题/答案): `支持私有化部署吗？——支持，企业版及以上…`
- a talk-track row (situation + script): `客户拿蓝鲸客服的低价来压价：承认对方坐席单价更低…（某华南…）`;
  stage/persona/industry/competitor are filing labels, not content, and are left out
- any other row: its leading name columns as the subject, then `column value` pairs:
  `云帆CRM 企业版：标准价（元/年）1980，说明 含会员营销…。`
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.answer.fact_kinds import OUTLINE_NUMBER
from assistant.answer.track_fields import column_key, track_fields
from assistant.retrieval.search import RetrievedChunk
from assistant.text.sentences import split_sentences

_QUESTION = {"question", "q", "问题", "问", "常见问题", "提问"}
_ANSWER = {"answer", "a", "答案", "回答", "答复", "解答"}
# A value this short reads as a label's value ("计费单位 每用户每年"); longer ones stand alone.
SHORT_VALUE = 16
# Table-of-contents entries: dot leaders, or a heading followed by a page number.
_TOC = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|_{4,})\s*\d*\s*$|^\s*(?:目录|目錄|contents)\s*$", re.IGNORECASE)
_CLOSING = "。！？!?.；;…”」）)"
_PUNCTUATION = re.compile(r"[，。！？；：、,.!?;:]")
_YEAR = re.compile(r"(?<!\d)20\d\d(?!\d)")
FOOTER_CHARS = 20
# A contents page run together into one line ("目录01销售线索管理02客户接触流程03…"): this many
# outline numbers glued to headings in one sentence.
CONTENTS_NUMBERS = 3
# A list item's own number ("3.合同金额…", "2、") means nothing once the item stands alone.
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[-•·*])\s*(?=\D)")
# A list item: a list mark, or a short label and a colon ("内容营销：定期发布…", as parsers drop bullets).
_ITEM_START = re.compile(
    r"^\s*(?:(?:\d{1,2}[.、)）]|[-•·*▪●]|[（(]\d{1,2}[)）]|[①-⑩])\s*(?=\D)|[\u4e00-\u9fff]{2,8}[:：]\s*\S)"
)
_LIST_INTRO = re.compile(r"[:：]\s*(?:[-•·*▪●]|\d{1,2}[.、)）])")


def _end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in _CLOSING else text + "。"


def _faq(fields: Mapping[str, str]) -> str | None:
    by_key = {column_key(k): str(v).strip() for k, v in fields.items()}
    question = next((v for k, v in by_key.items() if k in _QUESTION and v), None)
    answer = next((v for k, v in by_key.items() if k in _ANSWER and v), None)
    if question and answer:
        return f"{question.rstrip()}——{_end(answer)}"
    return None


def _talk_track(chunk: RetrievedChunk) -> str | None:
    fields = track_fields(chunk)
    situation, script = fields.get("situation"), fields.get("script")
    if not (situation and script and chunk.metadata.get("fields")):
        return None
    proof = "；".join(fields.get("proof_points") or [])
    text = f"{str(situation).rstrip('。')}：{_end(str(script))}"
    return f"{text[:-1]}（{proof}）{text[-1]}" if proof else text


def _generic(fields: Mapping[str, str]) -> str:
    items = [(str(k).strip(), str(v).strip()) for k, v in fields.items() if str(v).strip()]
    subject: list[str] = []
    while (
        items and len(subject) < 2 and not re.search(r"\d", items[0][1]) and len(items[0][1]) <= SHORT_VALUE
    ):
        subject.append(items.pop(0)[1])
    parts = [f"{k} {v}" if len(v) <= SHORT_VALUE else v for k, v in items]
    body = "，".join(p.rstrip("。") for p in parts)
    return _end(f"{' '.join(subject)}：{body}" if subject and body else " ".join(subject) or body)


def row_sentence(chunk: RetrievedChunk) -> str:
    """A table-row chunk as one readable sentence."""
    fields: Mapping[str, str] = chunk.metadata.get("fields") or {}
    return _faq(fields) or _talk_track(chunk) or _generic(fields)


def is_debris(sentence: str) -> bool:
    """Layout left-overs no answer should quote: contents entries, bare numbers, lone short labels."""
    text = sentence.strip()
    if _TOC.search(text) or not re.search(r"[\w\u4e00-\u9fff]", text):
        return True
    if len(OUTLINE_NUMBER.findall(text)) >= CONTENTS_NUMBERS:
        return True
    if len(text) < 8 and text[-1] not in _CLOSING:
        return True
    # A footer or running header: short, no punctuation, no figure but a year ("云帆科技有限公司 2026").
    bare = not _PUNCTUATION.search(text) and not re.search(r"\d", _YEAR.sub("", text))
    return bare and len(text) <= FOOTER_CHARS


def list_runs(chunk: RetrievedChunk) -> list[list[str]]:
    """The chunk's lists, each as its items in order (as answer_units quotes them): consecutive
    sentences opening with a list mark ("-二线支持：…", "2、…"), the first one possibly after its
    introduction ("…包括：-一线支持：…"). Table rows are no lists."""
    if chunk.metadata.get("fields"):
        return []
    runs: list[list[str]] = [[]]
    for sentence in split_sentences(chunk.text):
        item = _ITEM_START.match(sentence) or (not runs[-1] and _LIST_INTRO.search(sentence))
        if item and not is_debris(sentence):
            runs[-1].append(_LIST_MARK.sub("", sentence))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= 2]


def answer_units(chunk: RetrievedChunk) -> list[str]:
    """What the composer may quote from a chunk: one sentence per table row, else its sentences."""
    if chunk.metadata.get("fields"):
        return [row_sentence(chunk)]
    return [_LIST_MARK.sub("", s) for s in split_sentences(chunk.text) if not is_debris(s)]
