"""Fixed sentences of follow-up drafts and talk tracks, one per language (numbers-free on purpose)."""

from __future__ import annotations

from assistant.answer.language import in_script

_ZH = {
    "greeting": "{contact}，您好！",
    "greeting_anonymous": "您好！",
    "thanks": "感谢您抽出时间与我们交流。",
    "recap": "我了解到您比较关注{topics}。",
    "proof_intro": "以下几点供您参考：",
    "next_step_promised": "接下来，{step}，由我来跟进落实。",
    "next_step_default": "下一步，我想约您做一次线上交流，结合贵司的情况把这些内容细化，您看本周哪天方便？",
    "sign_off": "祝好！",
    "subject": "{customer}：关于{topics}的跟进",
    "subject_plain": "{customer}：会谈跟进",
    "and": "和",
    "list_sep": "、",
    "other_party": "草稿中出现了“{name}”，不是本次的收件人（{customer}）；请勿把其他客户或联系人的信息发给客户。",
    "private_number": "草稿中的“{claim}”只出现在你的内部笔记里，而且不是你写下的承诺；请删除。",
    "notes_copied": "草稿原样照搬了你的笔记“{sentence}”；笔记是内部材料，请改写或删除。",
    "no_track": "没有找到与这个场景匹配的话术。",
    "closest_general": "最接近的通用话术（不是针对这个场景的）：",
    "script_language": "这条话术是{script_language}写的。",
    "when": "适用场景：{situation}",
    "context": "适用于{parts}。",
    "stage": "{stage}阶段",
    "persona": "面向{persona}",
    "industry": "{industry}行业",
    "competitor": "应对竞品{competitor}",
}
_EN = {
    "greeting": "Dear {contact},",
    "greeting_anonymous": "Hello,",
    "thanks": "Thank you for taking the time to talk with us.",
    "recap": "I understand that {topics} matter most to you.",
    "proof_intro": "A few points that may help:",
    "next_step_promised": "Next step: {step}; I will follow up on this personally.",
    "next_step_default": "Next step: could we set up a short call this week to go through this for your team? "
    "Let me know which day suits you.",
    "sign_off": "Best regards,",
    "subject": "Follow-up for {customer}: {topics}",
    "subject_plain": "Follow-up for {customer}",
    "and": " and ",
    "list_sep": ", ",
    "other_party": 'The draft names "{name}", who is not the addressee ({customer}); never send another '
    "customer's or contact's details to a customer.",
    "private_number": 'The draft says "{claim}", which only your private notes hold and which is not '
    "a commitment you wrote; remove it.",
    "notes_copied": 'The draft copies your private note "{sentence}" word for word; rephrase or remove it.',
    "no_track": "No matching talk track for this situation.",
    "closest_general": "Closest general talk track (not specific to this situation):",
    "script_language": "This script is written in {script_language}.",
    "when": "When: {situation}",
    "context": "Use it {parts}.",
    "stage": "in the {stage} stage",
    "persona": "for {persona}",
    "industry": "in {industry}",
    "competitor": "against {competitor}",
}
# Sales-stage and industry values as documents write them -> how a sentence says them.
STAGE_NAMES = {
    "prospecting": ("初次接触", "prospecting"),
    "discovery": ("需求挖掘", "discovery"),
    "demo": ("产品演示", "demo"),
    "proposal": ("方案", "proposal"),
    "negotiation": ("商务谈判", "negotiation"),
    "closing": ("签约", "closing"),
    "renewal": ("续约", "renewal"),
}
INDUSTRY_NAMES = {
    "retail": ("零售", "retail"),
    "finance": ("金融", "finance"),
    "manufacturing": ("制造", "manufacturing"),
}
LANGUAGE_NAMES = {
    "zh-Hans": ("简体中文", "Chinese"),
    "zh-Hant": ("繁体中文", "Chinese (Traditional)"),
    "en": ("英文", "English"),
}


def phrase(key: str, language: str, **values: object) -> str:
    """The sentence `key` in the draft's language and script, with `values` filled in."""
    if language == "en":
        return _EN[key].format(**values)
    return in_script(_ZH[key], language).format(**values)


def named(table: dict[str, tuple[str, str]], value: str, language: str) -> str:
    """A stage/industry/language value in words for `language`; unknown values as written."""
    pair = table.get(value.strip().lower()) or table.get(value.strip())
    if pair is None:
        return value
    return pair[1] if language == "en" else in_script(pair[0], language)


def join_list(items: list[str], language: str) -> str:
    """`a、b和c` / `a, b, and c` (English: the serial comma, so "security and deployment, and
    data migration" reads as two topics, not three)."""
    if len(items) <= 1:
        return "".join(items)
    if language == "en" and (len(items) > 2 or any(" and " in item for item in items)):
        return ", ".join(items[:-1]) + ", and " + items[-1]
    return phrase("list_sep", language).join(items[:-1]) + phrase("and", language) + items[-1]
