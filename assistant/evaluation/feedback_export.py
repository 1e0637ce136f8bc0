"""Thumbs-down answers as draft golden items, so every fixed bad answer becomes a regression test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.answer.language import question_language

# A curator fills these in; an empty key_facts list still tests retrieval and refusal.
UNKNOWN_ROLE = "rep"


def draft_items(
    feedback: Any, answers: Any, users: Any, source_of: Callable[[str], str | None]
) -> list[dict[str, Any]]:
    """One golden-set line per 👎 answer (newest first), with every voter's comment.

    `feedback`, `answers` and `users` are the assistant/db stores; `source_of` maps a doc_id to
    its source path (the ingest manifest), so expected_sources match what search returns.
    """
    votes: dict[str, list[Any]] = {}
    for vote in feedback.list(rating="down"):
        votes.setdefault(vote.answer_id, []).append(vote)
    items: list[dict[str, Any]] = []
    for answer_id, on_answer in votes.items():
        vote = on_answer[0]
        comments = [v.comment for v in on_answer if v.comment]
        stored = answers.get(vote.answer_id)
        question = stored.question if stored else vote.question
        doc_ids = stored.doc_ids if stored else vote.doc_ids
        asker = users.get(stored.user if stored else vote.user)
        sources = [s for s in (source_of(d) for d in doc_ids) if s]
        items.append(
            {
                "id": f"fb-{vote.answer_id[:12]}",
                "question": question,
                "role": asker.roles[0] if asker and asker.roles else UNKNOWN_ROLE,
                "groups": list(asker.groups) if asker else [],
                "expected_sources": sources,
                "key_facts": [],
                "should_refuse": False,
                "language": question_language(question),
                "tags": {
                    "doc_type": "feedback",
                    "from_feedback": answer_id,
                    "comment": " | ".join(comments),
                    "bad_answer": stored.answer if stored else vote.answer,
                },
            }
        )
    return items
