"""Each golden question through the assistant as its role would ask it, scored."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.access import Principal
from assistant.answer.models import AskRequest, AskResponse, SearchRequest
from assistant.evaluation import metrics
from assistant.evaluation.documents import DocumentView
from assistant.evaluation.golden import GoldenItem
from assistant.retrieval.search import RetrievedChunk
from assistant.services import Services

# Retrieval is scored over documents; ask for enough chunks that ten distinct documents usually remain.
SEARCH_CHUNKS = 30
RANK_DEPTH = 10


@dataclass
class QuestionResult:
    item: GoldenItem
    ranked: list[str]
    answer: str
    grounded: bool
    cited_sources: list[str]
    facts_found: list[str]
    facts_missing: list[str]
    citations_valid: bool
    citation_problems: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    wrong_facts_found: list[str] = field(default_factory=list)

    @property
    def relevant(self) -> set[str]:
        return set(self.item.expected_sources)

    @property
    def scored(self) -> bool:
        """Retrieval and fact metrics count only for questions that should be answered."""
        return not self.item.should_refuse and bool(self.item.expected_sources)

    @property
    def refused(self) -> bool:
        """The assistant said "not found" (an ungrounded answer is a refusal, whatever its wording)."""
        return not self.grounded

    @property
    def refusal_correct(self) -> bool:
        return self.refused == self.item.should_refuse

    @property
    def answer_correct(self) -> bool:
        """Answered, with every key fact and none of the tempting wrong ones; for a must-refuse
        question, refused (and no wrong fact slipped into the reply)."""
        if self.wrong_facts_found:
            return False
        if self.item.should_refuse:
            return self.refused
        return not self.refused and not self.facts_missing

    def hit(self, k: int) -> float:
        return metrics.hit_at_k(self.ranked, self.relevant, k)

    @property
    def passed(self) -> bool:
        if self.item.should_refuse:
            return self.answer_correct and self.citations_valid
        return self.hit(5) == 1.0 and self.answer_correct and self.citations_valid

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("item", "contexts")}
        return {
            **self.item.model_dump(),
            **out,
            "hit_at_5": self.hit(5),
            "refused": self.refused,
            "answer_correct": self.answer_correct,
            "passed": self.passed,
        }

    def outcome(self) -> dict[str, Any]:
        """The short per-question line `assistant eval --json` prints: enough to find what to fix."""
        return {
            "id": self.item.id,
            "role": self.item.role,
            "language": self.item.language,
            "should_refuse": self.item.should_refuse,
            "refusal_kind": self.item.refusal_kind,
            "refused": self.refused,
            "answer_correct": self.answer_correct,
            "hit_at_1": self.hit(1) if self.scored else None,
            "facts_missing": self.facts_missing,
            "wrong_facts_found": self.wrong_facts_found,
        }


def principal_for(item: GoldenItem) -> Principal:
    return Principal.of(f"eval-{item.role}", [item.role], item.groups)


def citation_problems(
    services: Services, principal: Principal, answer: AskResponse, docs: dict[str, DocumentView]
) -> list[str]:
    """Markers pointing at no citation, and cited sources the asker may not read."""
    numbers = {c.n for c in answer.citations}
    problems = [f"[{n}] has no citation" for n in metrics.cited_markers(answer.answer) if n not in numbers]
    for c in answer.citations:
        view = docs.get(c.source)
        if view is None or not services.policy.can_read(principal, view.access):
            problems.append(f"cites {c.source}, which this principal may not read")
    return problems


def run_question(services: Services, item: GoldenItem, docs: dict[str, DocumentView]) -> QuestionResult:
    """Search (for the ranking), ask (for the answer), and the raw chunks (for ragas' contexts)."""
    principal = principal_for(item)
    assistant = services.assistant
    found = assistant.search(SearchRequest(query=item.question, limit=SEARCH_CHUNKS), principal, "api")
    ranked = metrics.rank_sources(c.source for c in found.results)[:RANK_DEPTH]
    answer = assistant.ask(AskRequest(question=item.question), principal, "api")
    problems = citation_problems(services, principal, answer, docs)
    hits, missing = metrics.facts_found(answer.answer, item.key_facts)
    wrong, _absent = metrics.facts_found(answer.answer, item.wrong_facts)
    chunks: list[RetrievedChunk] = services.search.search(item.question, principal, 5)
    return QuestionResult(
        item=item,
        ranked=ranked,
        answer=answer.answer,
        grounded=answer.grounded,
        cited_sources=list(dict.fromkeys(c.source for c in answer.citations)),
        facts_found=hits,
        facts_missing=missing,
        citations_valid=not problems,
        citation_problems=problems,
        contexts=[c.text for c in chunks],
        wrong_facts_found=wrong,
    )
