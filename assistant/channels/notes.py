"""Fixed sentences the chat channels add around answers, in the asker's language."""

from __future__ import annotations

from assistant.answer.language import question_language

_EN = {
    "unlinked": "You are not linked to a user of the assistant, so only public documents are used. "
    "Ask an admin to run `assistant users add NAME --role rep {flag} {user_id}`.",
    "more_private": "This channel may only see {level} documents, so the channel got a shorter answer. "
    "This fuller answer uses documents only you may see; it was not posted in the channel.",
    "rate": "Rate this answer: reply `up {answer_id}` or `down {answer_id} <why>`.",
    "feedback_saved": "Thanks, your feedback on the answer was recorded.",
    "feedback_no_answer": "There is no answer to rate yet; ask something first.",
    "slow_down": "You are sending too many messages; please try again in {seconds} s.",
    "error": "Sorry, something went wrong while answering; it has been logged. Please try again.",
    "undelivered": "Sorry, I could not deliver my answer to this chat ({reason}); it has been logged.",
    "shared_partly": "Shared the channel-safe version: parts drawn from documents this channel "
    "may not see were left out.",
    "digest_on": "You will get the curators' daily digest here: new review items, approvals waiting "
    "for you, new content gaps. `digest off` stops it.",
    "digest_off": "The daily digest is off.",
    "digest_curators_only": "The daily digest is for curators.",
    "help": "Ask me anything about our products, pricing, cases and policies.\n"
    "• `<question>`: an answer with sources\n"
    "• `talk <situation>`: talk tracks, e.g. `talk customer says we are too expensive`\n"
    "• `followup <customer> / <contact>: <notes>`: a follow-up draft (your notes stay private)\n"
    "• `up` / `down <why>`: rate the last answer",
}
_ZH = {
    "unlinked": "你还没有关联助手用户，所以只能使用公开文档。请管理员执行 "
    "`assistant users add NAME --role rep {flag} {user_id}`。",
    "more_private": "本群/频道只能看到 {level} 级别的文档，因此群里的回答较简略。"
    "这条完整回答使用了只有你能看的文档，没有发到群里。",
    "rate": "评价这条回答：回复 `up {answer_id}` 或 `down {answer_id} 原因`。",
    "feedback_saved": "谢谢，已记录你的评价。",
    "feedback_no_answer": "还没有可评价的回答，请先提问。",
    "slow_down": "你发送的消息太多了（too many），请 {seconds} 秒后再试。",
    "error": "抱歉，回答时出错了，已记录日志，请稍后再试。",
    "undelivered": "抱歉，回答没能发送到这个会话（{reason}），已记录日志。",
    "shared_partly": "已分享适合本频道的版本：频道无权查看的文档内容已略去。",
    "digest_on": "你将在这里收到审核每日摘要：新的待处理问题、等你批准的标准答案、新的内容缺口。"
    "发送 `摘要 off` 可关闭。",
    "digest_off": "已关闭每日摘要。",
    "digest_curators_only": "每日摘要仅面向审核员。",
    "help": "可以问我产品、价格、案例和制度相关的问题。\n"
    "• 直接提问：带来源的回答\n"
    "• `话术 <场景>`（或 `talk`）：话术建议\n"
    "• `跟进 <客户> / <联系人>: <纪要>`（或 `followup`）：跟进消息草稿（笔记不会被原样发出）\n"
    "• `up` / `down 原因`：评价上一条回答",
}


def note(key: str, sample: str = "", **values: object) -> str:
    """The sentence `key` in the language of `sample` (the user's message): Chinese or English."""
    table = _EN if not sample or question_language(sample) == "en" else _ZH
    return table[key].format(**values)
