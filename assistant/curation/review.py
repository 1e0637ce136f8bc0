"""The review queue: bad answers come in by themselves, grouped by meaning, for curators to fix."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.access import CURATE, AccessPolicy, Principal
from assistant.curation.curated import access_payload, require_curator
from assistant.curation.meaning import Meaning
from assistant.db.curated import APPROVED, CuratedAnswer, CuratedStore, ReviewConflict
from assistant.db.feedback import Feedback, FeedbackStore
from assistant.db.models import utcnow
from assistant.db.review import (
    ACTIVE_STATES,
    ASSIGNED,
    DISMISSED,
    RESOLVED,
    ReviewItem,
    ReviewStore,
    Signal,
)
from assistant.db.users import UserDirectory
from assistant.index import VectorIndex

# A question asked this many times without a grounded answer is also flagged `repeated`.
REPEAT_AFTER = 3
EXAMPLES = 5
ACTIONS = ("assign", "resolve", "dismiss")
HIDDEN_ANSWER = "(hidden: this answer cites documents you may not read)"


class ReviewQueue:
    """Intake (answers, votes) and the curator's view and actions; every channel calls this one."""

    def __init__(
        self,
        store: ReviewStore,
        meaning: Meaning,
        policy: AccessPolicy,
        index: VectorIndex,
        users: UserDirectory,
        feedback: FeedbackStore,
        curated: CuratedStore,
    ) -> None:
        self.store, self.meaning, self.policy, self.index = store, meaning, policy, index
        self.users, self.feedback, self.curated = users, feedback, curated
        # Active items' question vectors, by id, as arrays: compared with one matrix product per
        # not-found answer (from Python lists, building the matrix cost 4.7 ms at 1,000 items; 0.2 now).
        self._vectors: dict[int, npt.NDArray[np.float64]] = {}

    # Intake
    def observe_answer(
        self, principal: Principal, channel: str, question: str, answer: dict[str, Any]
    ) -> None:
        """A not-found answer, or one citing an expired source, becomes (part of) an item."""
        kinds = [
            k
            for k, hit in (("not_found", not answer["grounded"]), ("expired_source", answer["expired"]))
            if hit
        ]
        for kind in kinds:
            signal = Signal(
                kind=kind,
                question=question,
                user=principal.user,
                roles=tuple(sorted(principal.roles)),
                channel=channel,
                answer_id=answer["answer_id"],
                answer=answer["answer"],
                grounded=answer["grounded"],
                doc_ids=tuple(answer["doc_ids"]),
            )
            self._intake(signal, sorted(principal.groups))

    def record_vote(
        self, answer_id: str, user: str, rating: str, comment: str | None, channel: str
    ) -> Feedback:
        """Store a vote (one per person per answer); a 👎 goes to the queue with its comment."""
        vote = self.feedback.add(answer_id, user, rating, comment, channel)
        if rating == "down":
            asker = self.users.get(user)
            signal = Signal(
                kind="feedback_down",
                question=vote.question,
                user=user,
                roles=asker.roles if asker else (),
                channel=channel,
                answer_id=answer_id,
                answer=vote.answer,
                grounded=bool(vote.doc_ids),
                doc_ids=vote.doc_ids,
                comment=comment,
            )
            self._intake(signal, sorted(asker.groups) if asker else [])
        return vote

    def _intake(self, signal: Signal, groups: list[str]) -> None:
        vector = self.meaning.vector(signal.question)
        same_askers = self._vectors_of(
            [item_id for item_id, item_groups in self.store.active() if list(item_groups) == groups]
        )
        ids = list(same_askers)
        best = self.meaning.closest(vector, list(same_askers.values()))
        joins = best is not None and best[1] >= self.meaning.threshold
        item = self.store.add_signal(signal, ids[best[0]] if joins and best else None, vector, groups)
        if "repeated" not in item.kinds and self.store.unanswered(item.id) >= REPEAT_AFTER:
            self.store.add_kind(item.id, "repeated")

    def _vectors_of(self, item_ids: list[int]) -> dict[int, npt.NDArray[np.float64]]:
        """Item vectors by id, read from the database once per item: a queue of thousands is not
        re-read (and re-decoded) for every not-found answer."""
        missing = [i for i in item_ids if i not in self._vectors]
        known = {i: self._vectors[i] for i in item_ids if i in self._vectors}
        read = self.store.vectors(missing) if missing else {}
        known.update((i, np.asarray(vector, dtype=np.float64)) for i, vector in read.items())
        self._vectors = known  # closed items drop out; another replica's new items come in
        return {i: known[i] for i in item_ids if i in known}

    # The curator's side
    def list(
        self,
        principal: Principal,
        state: str | None = None,
        kind: str | None = None,
        touched_since: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Items the curator may see; `touched_since` keeps those updated since then (read in the query)."""
        require_curator(self.policy, principal)
        items = [i for i in self.store.items(state, since=touched_since) if self._sees(principal, i)]
        return [self.view(principal, i) for i in items if kind is None or kind in i.kinds]

    def get(self, principal: Principal, item_id: int) -> dict[str, Any]:
        require_curator(self.policy, principal)
        return self.view(principal, self._visible(principal, item_id))

    def act(
        self,
        principal: Principal,
        item_id: int,
        action: str,
        assignee: str | None = None,
        note: str | None = None,
        **resolution: Any,
    ) -> dict[str, Any]:
        """assign | resolve (curated_answer_id, document or resolution="content_gap") | dismiss."""
        require_curator(self.policy, principal)
        item = self._visible(principal, item_id)
        if item.state not in ACTIVE_STATES:
            raise ReviewConflict(f"review item {item_id} is already {item.state}")
        entry = {"by": principal.user, "at": utcnow().isoformat(), "action": action, "text": note or ""}
        if action == "assign":
            who = assignee or principal.user
            self._check_curator(who)
            updated = self.store.update(item_id, entry, state=ASSIGNED, assignee=who)
        elif action == "resolve":
            how, ref = self._resolution(principal, **resolution)
            updated = self.store.update(item_id, entry, state=RESOLVED, resolution=how, resolution_ref=ref)
        elif action == "dismiss":
            updated = self.store.update(item_id, entry, state=DISMISSED)
        else:
            raise ValueError(f"unknown action {action!r}; expected one of: {', '.join(ACTIONS)}")
        return self.view(principal, updated)

    def on_curated_approved(self, curated: CuratedAnswer) -> None:
        """An approved curated answer written from an item closes that item."""
        item = self.store.get(curated.item_id) if curated.item_id is not None else None
        if item is not None and item.state in ACTIVE_STATES:
            note = {
                "by": curated.reviewer or "",
                "at": utcnow().isoformat(),
                "action": "resolve",
                "text": f"curated answer {curated.root_id} approved",
            }
            self.store.update(
                item.id,
                note,
                state=RESOLVED,
                resolution="curated_answer",
                resolution_ref=str(curated.root_id),
            )

    def view(self, principal: Principal, item: ReviewItem) -> dict[str, Any]:
        """The JSON shape of GET /v1/review/items; answers citing what the viewer may not read are hidden."""
        readable: dict[str, bool] = {}

        def shown(signal: Signal) -> str:
            for doc_id in signal.doc_ids:
                if doc_id not in readable:
                    readable[doc_id] = bool(self.index.chunks_of(principal, doc_id))
            return signal.answer if all(readable[d] for d in signal.doc_ids) else HIDDEN_ANSWER

        answers = {s.answer_id: s for s in item.signals if s.answer_id}
        return {
            "id": item.id,
            "kind": item.kinds[0] if item.kinds else None,
            "kinds": list(item.kinds),
            "state": item.state,
            "question": item.question,
            "examples": list(dict.fromkeys(s.question for s in item.signals))[:EXAMPLES],
            "count": item.count,
            "askers": list({(s.user, s.channel): _asker(s) for s in item.signals}.values()),
            "comments": [s.comment for s in item.signals if s.comment],
            "answers": [
                {"answer_id": a, "answer": shown(s), "grounded": s.grounded, "citations": list(s.doc_ids)}
                for a, s in answers.items()
            ],
            "assignee": item.assignee,
            "notes": list(item.notes),
            "resolution": item.resolution,
            "resolution_ref": item.resolution_ref,
            "groups": list(item.groups),
            "created_at": item.created_at.isoformat(),
        }

    def _sees(self, principal: Principal, item: ReviewItem) -> bool:
        if self.policy.sees_all_groups(principal) or not item.groups:
            return True
        return bool(set(item.groups) & principal.groups)

    def _visible(self, principal: Principal, item_id: int) -> ReviewItem:
        item = self.store.get(item_id)
        if item is None or not self._sees(principal, item):
            raise LookupError(f"no review item {item_id}")
        return item

    def _check_curator(self, name: str) -> None:
        user = self.users.get(name)
        if user is None or user.disabled or not self.policy.has_privilege(user.principal(), CURATE):
            raise ValueError(f"{name!r} is not a curator who can take this item")

    def _resolution(
        self,
        principal: Principal,
        curated_answer_id: int | None = None,
        document: str | None = None,
        resolution: str | None = None,
    ) -> tuple[str, str | None]:
        if curated_answer_id is not None:
            curated = self.curated.get(curated_answer_id)
            if curated is None or not self.policy.can_read(
                principal, access_payload(curated.access_level, curated.groups)
            ):
                raise ValueError(f"no curated answer {curated_answer_id}")
            if curated.state != APPROVED:
                raise ValueError(
                    f"curated answer {curated_answer_id} is {curated.state}: an approved one resolves an item "
                    "(written from the item, its approval resolves it by itself)"
                )
            return "curated_answer", str(curated.root_id)
        if document:
            return "document_fix", document
        if resolution == "content_gap":
            return "content_gap", None
        raise ValueError('resolve needs curated_answer_id, document (a link), or resolution: "content_gap"')


def _asker(signal: Signal) -> dict[str, Any]:
    return {"user": signal.user, "roles": list(signal.roles), "channel": signal.channel}
