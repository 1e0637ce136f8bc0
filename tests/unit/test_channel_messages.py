"""Chat command parsing and fitting replies into Slack's and WeCom's message limits."""

from __future__ import annotations

import pytest

from assistant.answer.channel_limits import SLACK_SECTION_CHARS
from assistant.answer.models import Citation
from assistant.channels.commands import CommandError, parse_command
from assistant.channels.messages import OutgoingMessage
from assistant.channels.slack.blocks import MAX_BLOCKS, render
from assistant.text.splitting import split_text, utf8_len


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("<@UBOT> what is the Nimbus price?", "ask", "what is the Nimbus price?"),
        ("talk customer says it is too expensive", "talk", "customer says it is too expensive"),
        ("话术 客户嫌贵", "talk", "客户嫌贵"),
        ("help", "help", ""),
        ("<@UBOT>", "help", ""),
        ("talkative customers?", "ask", "talkative customers?"),
    ],
)
def test_parse_command(text: str, name: str, rest: str) -> None:
    command = parse_command(text)
    assert (command.name, command.text) == (name, rest)


def test_followup_splits_customer_and_notes() -> None:
    command = parse_command("跟进 汇通银行：客户关心数据安全")
    assert (command.name, command.customer, command.text) == ("followup", "汇通银行", "客户关心数据安全")
    with pytest.raises(CommandError, match="followup <customer>"):
        parse_command("followup Acme")


def test_feedback_takes_an_optional_answer_id_and_comment() -> None:
    with_id = parse_command("down 3f2a9c01aa too vague")
    assert (with_id.name, with_id.answer_id, with_id.text) == ("down", "3f2a9c01aa", "too vague")
    plain = parse_command("up great answer")
    assert (plain.name, plain.answer_id, plain.text) == ("up", None, "great answer")


def test_split_respects_utf8_byte_limit_and_keeps_all_text() -> None:
    text = "价格说明。" * 1000 + "\n\n" + "English tail " * 300
    pieces = split_text(text, 2048, utf8_len)
    assert all(utf8_len(p) <= 2048 for p in pieces)
    squash = lambda s: s.replace(" ", "").replace("\n", "")  # noqa: E731
    assert squash("".join(pieces)) == squash(text)


def test_huge_slack_reply_stays_within_block_kit_limits() -> None:
    citations = tuple(
        Citation(n=i, doc_id=f"doc-{i}", title=f"Title {i} <b>&", source="s", snippet="x", score=1.0)
        for i in range(1, 200)
    )
    out = OutgoingMessage(text="word " * 60_000, citations=citations, notes=("note",) * 5, answer_id="a1")
    fallback, blocks = render(out, "https://kb.example.com")
    assert len(blocks) <= MAX_BLOCKS and len(fallback) <= 3000
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(s) <= SLACK_SECTION_CHARS for s in sections)
    assert "truncated" in "".join(sections)
    assert "<https://kb.example.com/documents/doc-1|[1] Title 1 &lt;b&gt;&amp;>" in "".join(sections)
    assert blocks[-1]["type"] == "actions"  # feedback buttons survive the cut


def test_a_slack_source_link_opens_the_cited_version() -> None:
    cited = Citation(n=1, doc_id="doc 1", title="Price", source="s", snippet="x", score=1.0, version=3)
    _, blocks = render(OutgoingMessage(text="99 元[1]", citations=(cited,)), "https://kb.example.com")
    sections = "".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "<https://kb.example.com/documents/doc%201?version=3|[1] Price>" in sections
