"""A question that asks several things gets each of them answered, and a count question the
sentence stating the count it asks for."""

from __future__ import annotations

from assistant.answer.asks import split_asks
from tests.unit.test_answer_focus import answer, chunk

BACKUP = chunk(
    "每日全量备份，备份保留 30 天。恢复点目标（RPO）为 1 小时，恢复时间目标（RTO）为 4 小时。"
    "SaaS 服务月度可用性承诺为 99.9%。",
    "备份与恢复",
)
SPECIAL_PRICE = chunk(
    "特批申请需在 CRM 中提交“特价申请单”，写明客户三年预计收入，特批编号格式为 SP-2026-序号。"
    "特批价格有效期 30 天。",
    "特批流程",
)


def test_a_two_part_question_gets_both_parts() -> None:
    said = answer("我们的备份留多久？RPO和RTO分别是多少？", [BACKUP])
    assert "30 天" in said and "1 小时" in said and "4 小时" in said
    assert "99.9%" not in said  # a sentence no ask wants is not added


def test_one_sentence_answers_one_ask_so_the_other_ask_gets_its_own() -> None:
    said = answer("特价申请批下来以后多久有效？编号什么格式？", [SPECIAL_PRICE])
    assert "SP-2026" in said and "有效期 30 天" in said


def test_the_scene_before_a_question_belongs_to_the_ask_after_it() -> None:
    assert split_asks("客户要 75 天账期，可以吗？最长能给多少？") == ["客户要 75 天账期 可以吗", "最长能给多少"]
    assert split_asks("RPO和RTO分别是多少？") == ["RPO和RTO分别是多少"]
    assert split_asks("Can they get a free trial, and for how long?") == [
        "Can they get a free trial",
        "for how long",
    ]


def test_a_count_question_quotes_the_sentence_with_that_count() -> None:
    case = chunk(
        "北辰乳业是总部位于呼和浩特的乳制品企业，年营收约 38 亿元，在华北有 260 家经销商。"
        "经销商月度对账时间缩短到 1 天。",
        "客户案例：北辰乳业",
    )
    first = answer("北辰乳業經銷商對帳現在要幾天？", [case]).split("。")[0]
    assert "1 天" in first
