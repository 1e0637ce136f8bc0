"""A rep's private notes, read for what the customer cares about and what the rep committed to.

Notes are never quoted: a draft says the topics in fixed, neutral words and restates a commitment
in its own sentence, so budget guesses, remarks about people and discount asks stay private.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.language import in_script
from assistant.text.normalize import normalize_for_matching
from assistant.text.sentences import split_sentences


@dataclass(frozen=True)
class Topic:
    key: str
    keywords: tuple[str, ...]  # Simplified / lower-case; latin ones match whole words
    zh: str
    en: str

    def label(self, language: str) -> str:
        return self.en if language == "en" else in_script(self.zh, language)

    def found_in(self, text: str) -> bool:
        """Whether `text` (normalised, lower case) mentions this topic."""
        return any(_has(k, text) for k in self.keywords)


# Order = priority when notes touch more topics than a draft recaps. Discounts and budgets are
# deliberately absent: a customer's discount ask or the rep's budget guess is not recapped.
TOPICS = (
    Topic(
        "timeline",
        (
            # Not bare 上线/实施: nearly every outcome sentence says a product 上线 somewhere.
            "上线周期",
            "实施周期",
            "上线时间",
            "多久上线",
            "周上线",
            "周内完成上线",
            "上线用了",
            "交付",
            "go-live",
            "goes live",
            "implementation",
            "timeline",
            "rollout",
        ),
        "上线周期",
        "implementation timeline",
    ),
    Topic(
        "members",
        ("会员", "复购", "回购", "loyalty", "repeat purchase", "members"),
        "会员复购",
        "member repeat purchases",
    ),
    Topic(
        "leads", ("线索", "转化", "商机", "leads", "conversion", "pipeline"), "线索转化", "lead conversion"
    ),
    Topic(
        "security",
        (
            "数据安全",
            "安全",
            "等保",
            "私有化",
            "合规",
            "security",
            "compliance",
            "on-premise",
            "data residency",
        ),
        "数据安全与部署方式",
        "data security and deployment",
    ),
    Topic(
        "integration",
        (
            "企业微信",
            "钉钉",
            "飞书",
            "集成",
            "对接",
            "数据同步",
            "erp",
            "api",
            "integration",
            "integrate",
            "wecom",
            "sync",
        ),
        "与现有系统的集成",
        "integration with your existing systems",
    ),
    Topic("migration", ("迁移", "换系统", "导入", "migration", "migrate"), "数据迁移", "data migration"),
    Topic(
        "service",
        ("客服", "工单", "坐席", "热线", "tickets", "call center", "agents"),
        "客服效率",
        "customer service efficiency",
    ),
    Topic(
        "reporting",
        ("报表", "看板", "对账", "bi", "reports", "reporting", "dashboards"),
        "报表与数据看板",
        "reporting and dashboards",
    ),
    Topic(
        "adoption",
        ("培训", "使用率", "上手", "adoption", "training", "onboarding"),
        "团队上手与培训",
        "team adoption and training",
    ),
    Topic("followup", ("跟进效率", "跟进", "follow-up", "follow up"), "客户跟进效率", "follow-up efficiency"),
    Topic(
        "renewal",
        ("续约", "扩容", "续费", "renewal", "renew", "expansion"),
        "续约与扩容安排",
        "renewal and expansion",
    ),
    Topic("trial", ("试用", "先导", "poc", "pilot", "trial"), "试用安排", "a trial"),
    Topic(
        "pricing", ("价格", "报价", "费用", "价钱", "pricing", "price", "quote"), "整体投入", "overall cost"
    ),
)
MAX_TOPICS = 3
# "我答应…", "我们承诺…", "已约好…", "答应…" (a note's clause without a subject is the rep's own),
# "下一步：…", "I promised to …", "we agreed to …", "Next step: …". "客户答应…" is the customer's word.
_COMMITMENT = re.compile(
    r"(?:(?:我们?|已经?|并)(?:已经?)?(?:答应|承诺|约好|约定|确认会|会在|会)(?:了)?(?:客户|对方|他们|她|他)?"
    r"|^(?:答应|承诺|约好|说好)(?:了)?(?:客户|对方|他们|她|他)?"
    r"|下一步[:：]"
    r"|\b(?:I|we)\s*(?:'ll|will|promised(?: to)?|committed to|agreed to)\s"
    r"|\bnext steps?:\s*)",
    re.IGNORECASE,
)
_CUSTOMER_WORDS = (
    (re.compile(r"客户|對方|对方"), "您"),
    (re.compile(r"\b(?:the customer|them)\b", re.I), "you"),
)


def note_sentences(notes: str) -> list[str]:
    """The notes' sentences, trimmed (what a draft must never contain word for word)."""
    parts = (p.strip(" -•*·\t\n，,") for p in split_sentences(notes))
    return [p for p in parts if p]


def _has(keyword: str, text: str) -> bool:
    if keyword.isascii():
        return re.search(rf"(?<![a-z]){re.escape(keyword)}(?![a-z])", text) is not None
    return keyword in text


def topics_in(notes: str) -> list[Topic]:
    """The topics the notes touch, in TOPICS order, at most MAX_TOPICS."""
    text = normalize_for_matching(notes).lower()
    return [t for t in TOPICS if t.found_in(text)][:MAX_TOPICS]


def commitment(notes: str) -> str | None:
    """What the rep wrote they will do (the first such clause), in the customer's point of view."""
    for sentence in note_sentences(notes):
        match = _COMMITMENT.search(sentence)
        if not match:
            continue
        step = sentence[match.end() :].strip(" ：:，,。.;；!！")
        for pattern, replacement in _CUSTOMER_WORDS:
            step = pattern.sub(replacement, step)
        if len(step) >= 2:
            return step
    return None
