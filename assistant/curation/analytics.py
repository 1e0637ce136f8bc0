"""What a curator opens every morning: traffic, answer quality, votes, and content gaps by meaning."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from assistant.access import AccessPolicy, Principal
from assistant.curation.curated import require_curator
from assistant.curation.meaning import Meaning
from assistant.db.audit import AuditEntry, AuditLog
from assistant.db.feedback import Feedback, FeedbackStore
from assistant.db.models import utcnow
from assistant.db.users import UserDirectory

TOP = 10
EXAMPLES = 5
LABEL_CANDIDATES = 50  # the label is the most central of a cluster's most asked questions
MAX_ENTRIES = 200_000
# A gap is "rising" when the later half of the window has this many times the earlier half's questions.
TREND_RATIO = 1.5


@dataclass(frozen=True)
class Asked:
    """One question that went badly: not found, or voted 👎."""

    question: str
    kind: str
    at: datetime


class Analytics:
    """Read-only views over the audit log and votes, scoped like the review queue (the viewer's groups)."""

    def __init__(
        self,
        audit: AuditLog,
        feedback: FeedbackStore,
        users: UserDirectory,
        meaning: Meaning,
        policy: AccessPolicy,
    ) -> None:
        self.audit, self.feedback, self.users = audit, feedback, users
        self.meaning, self.policy = meaning, policy

    def overview(self, principal: Principal, days: int) -> dict[str, Any]:
        require_curator(self.policy, principal)
        since = _since(days)
        entries = self._entries(principal, since)
        asks = [e for e in entries if e.action == "ask"]
        votes = self._votes(principal, since)
        down = [v for v in votes if v.rating == "down"]
        per_day = Counter((e.at.date().isoformat(), e.channel) for e in asks)
        return {
            "days": days,
            "since": since.isoformat(),
            "questions": len(asks),
            "answered": sum(1 for e in asks if e.extra.get("grounded")),
            "not_found": sum(1 for e in asks if not e.extra.get("grounded")),
            "curated_answers_given": sum(1 for e in asks if e.extra.get("curated_id") is not None),
            "votes": {"up": len(votes) - len(down), "down": len(down)},
            "per_day": [{"date": d, "channel": c, "questions": n} for (d, c), n in sorted(per_day.items())],
            "top_questions": _top(e.question.strip() for e in asks),
            "most_cited": _top_docs(e.doc_ids for e in asks),
            "most_cited_in_down_votes": _top_docs(v.doc_ids for v in down),
            "talk_tracks_used": _top_docs(e.doc_ids for e in entries if e.action == "talk_tracks"),
        }

    def gaps(self, principal: Principal, days: int) -> list[dict[str, Any]]:
        """Not-found and 👎 questions clustered by meaning, biggest first."""
        require_curator(self.policy, principal)
        since = _since(days)
        entries = self._entries(principal, since)
        unanswered = [e for e in entries if _unanswered(e)]
        asked = [Asked(e.question.strip(), "not_found", e.at) for e in unanswered]
        counted = {e.answer_id for e in unanswered}  # a 👎 on a not-found answer is the same question once
        votes = [
            v for v in self._votes(principal, since) if v.rating == "down" and v.answer_id not in counted
        ]
        asked += [Asked(v.question.strip(), "feedback_down", v.at) for v in votes]
        middle = since + (utcnow() - since) / 2
        vectors = {q: self.meaning.vector(q) for q in {a.question for a in asked}}
        clusters = self._clusters(asked, vectors)
        return [_cluster_view(members, middle, vectors, self.meaning) for members in clusters]

    def _clusters(self, asked: list[Asked], vectors: dict[str, list[float]]) -> list[list[Asked]]:
        """Leader clustering: each distinct question (most asked first) joins the closest leader."""
        by_text: dict[str, list[Asked]] = {}
        for a in asked:
            by_text.setdefault(a.question, []).append(a)
        leaders: list[tuple[list[float], list[Asked]]] = []
        for text in sorted(by_text, key=lambda t: (-len(by_text[t]), t)):
            vector = vectors[text]
            best = self.meaning.closest(vector, [lv for lv, _ in leaders])
            if best is not None and best[1] >= self.meaning.threshold:
                leaders[best[0]][1].extend(by_text[text])
            else:
                leaders.append((vector, list(by_text[text])))
        return sorted((m for _, m in leaders), key=lambda m: -len(m))

    def _entries(self, principal: Principal, since: datetime) -> list[AuditEntry]:
        seen = self._audience(principal)
        return [e for e in self.audit.list(limit=MAX_ENTRIES, since=since) if seen(e.user)]

    def _votes(self, principal: Principal, since: datetime) -> list[Feedback]:
        seen = self._audience(principal)
        return [v for v in self.feedback.list(since=since) if seen(v.user)]

    def _audience(self, principal: Principal) -> Any:
        """Whose questions this viewer may see: everyone's for admins, else people sharing a group."""
        if self.policy.sees_all_groups(principal):
            return lambda _user: True
        groups = {u.name: set(u.groups) for u in self.users.list_users()}
        return lambda user: not groups.get(user) or bool(groups[user] & principal.groups)


def _since(days: int) -> datetime:
    if not 1 <= days <= 366:
        raise ValueError("days must be between 1 and 366")
    return utcnow() - timedelta(days=days)


def _unanswered(entry: AuditEntry) -> bool:
    return entry.action == "ask" and not entry.extra.get("grounded")


def _top(values: Iterable[str]) -> list[dict[str, Any]]:
    return [{"question": q, "count": n} for q, n in Counter(values).most_common(TOP)]


def _top_docs(doc_lists: Iterable[Iterable[str]]) -> list[dict[str, Any]]:
    counts = Counter(d for docs in doc_lists for d in dict.fromkeys(docs))
    return [{"doc_id": d, "count": n} for d, n in counts.most_common(TOP)]


def _cluster_view(
    members: list[Asked], middle: datetime, vectors: dict[str, list[float]], meaning: Meaning
) -> dict[str, Any]:
    counts = Counter(a.question for a in members)
    common = dict(counts.most_common(LABEL_CANDIDATES))

    def centrality(q: str) -> float:
        return sum(meaning.score(vectors[q], vectors[o]) * n for o, n in common.items())

    label = max(common, key=centrality)
    earlier = sum(1 for a in members if a.at < middle)
    later = len(members) - earlier
    return {
        "label": label,
        "size": len(members),
        "trend": {"direction": _direction(earlier, later), "earlier": earlier, "later": later},
        "kinds": dict(Counter(a.kind for a in members)),
        "examples": [q for q, _ in counts.most_common(EXAMPLES)],
        "last_asked": max(a.at for a in members).isoformat(),
    }


def _direction(earlier: int, later: int) -> str:
    if later >= max(1, earlier) * TREND_RATIO:
        return "rising"
    if earlier >= max(1, later) * TREND_RATIO:
        return "falling"
    return "steady"


def gaps_csv(gaps: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["label", "size", "trend", "earlier", "later", "not_found", "feedback_down", "examples"])
    for g in gaps:
        t, k = g["trend"], g["kinds"]
        writer.writerow(
            [
                g["label"],
                g["size"],
                t["direction"],
                t["earlier"],
                t["later"],
                k.get("not_found", 0),
                k.get("feedback_down", 0),
                " | ".join(g["examples"]),
            ]
        )
    return out.getvalue()


def overview_csv(overview: dict[str, Any]) -> str:
    """One row per number: section, key, value (per-day rows use date/channel as the key)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value"])
    for key in ("questions", "answered", "not_found", "curated_answers_given"):
        writer.writerow(["totals", key, overview[key]])
    for key, value in overview["votes"].items():
        writer.writerow(["votes", key, value])
    for row in overview["per_day"]:
        writer.writerow(["per_day", f"{row['date']}/{row['channel']}", row["questions"]])
    writer.writerows(["top_questions", r["question"], r["count"]] for r in overview["top_questions"])
    for section in ("most_cited", "most_cited_in_down_votes", "talk_tracks_used"):
        writer.writerows([section, r["doc_id"], r["count"]] for r in overview[section])
    return out.getvalue()
