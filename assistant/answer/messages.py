"""Fixed user-facing sentences (not-found, warnings, notes), one per language."""

from __future__ import annotations

from assistant.answer.language import in_script

_ZH = {
    # The same reply whether nothing exists or the asker may not read it: existence is never revealed.
    "not_found": "知识库中没有找到相关内容。",
    "ask_colleague": "如果你认为应该有答案，可以请主管或负责该主题的同事帮忙确认。",
    "chinese_only": "",
    "expired": "来源 [{n}] 已过期 ({date})，请确认是否仍然适用。",
    "unverified": "来源 [{n}] 自 {date} 起未经负责人核实，请确认是否仍然准确。",
    "llm_fallback": "大模型暂时不可用（{reason}），以下为知识库原文摘录。",
    "llm_ungrounded": "大模型的回答没有引用任何来源，请谨慎使用。",
    "unsupported_claim": "草稿中的“{claim}”在笔记和引用来源中都找不到，请核实或删除。",
    "truncated": "（内容过长，已截断）",
}
_EN = {
    "not_found": "I couldn't find this in the knowledge base.",
    "ask_colleague": "If you think it should be there, ask your manager or the colleague who owns this topic.",
    "chinese_only": "The knowledge base has this only in Chinese: ",
    "expired": "Source [{n}] has expired ({date}); check it still applies.",
    "unverified": "Source [{n}] has not been verified by its owner since {date}; check it is still accurate.",
    "llm_fallback": "The language model is unavailable ({reason}); showing excerpts from the knowledge base.",
    "llm_ungrounded": "The model's answer cites no source; use it with care.",
    "unsupported_claim": 'The draft says "{claim}", which is in neither your notes nor a cited source; '
    "check or remove it.",
    "truncated": "(too long, truncated)",
}


def message(key: str, language: str, **values: object) -> str:
    """The sentence `key` in the question's language and script, with `values` filled in."""
    if language == "en":
        return _EN[key].format(**values)
    return in_script(_ZH[key], language).format(**values)
