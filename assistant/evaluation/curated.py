"""Approved curated answers as golden items: asked as someone in their audience, they must come back.

Every approved answer is a regression test nobody writes by hand: `assistant eval --gate` (and
`assistant eval curated --gate`) fails when a later change stops answering its question from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.access import AccessPolicy, Principal
from assistant.answer.models import AskRequest
from assistant.answer.service import KnowledgeAssistant
from assistant.curation.curated import CURATED_TYPE, curated_doc_id
from assistant.db.curated import CuratedAnswer
from assistant.evaluation.golden import GOLDEN_DIR, GoldenItem
from assistant.services import Services

CURATED_SET = GOLDEN_DIR / "curated.jsonl"


@dataclass(frozen=True)
class CuratedCheck:
    item: GoldenItem
    passed: bool
    problem: str = ""


def asker_for(policy: AccessPolicy, level: str, groups: tuple[str, ...]) -> tuple[str, list[str]]:
    """The least privileged role (policy order) that reads `level`, in the answer's first group."""
    readers = [name for name, role in policy.spec.roles.items() if level in role.levels]
    scoped = [name for name in readers if not policy.spec.roles[name].all_groups]
    role = (scoped or readers or ["admin"])[0]
    return role, list(groups[:1]) if role in scoped else []


def golden_item(policy: AccessPolicy, curated: CuratedAnswer) -> GoldenItem:
    role, groups = asker_for(policy, curated.access_level, curated.groups)
    return GoldenItem(
        id=f"curated-{curated.root_id}-v{curated.version}",
        question=curated.question,
        role=role,
        groups=groups,
        expected_sources=[f"{CURATED_TYPE}/{curated_doc_id(curated.root_id)}"],
        tags={
            "doc_type": CURATED_TYPE,
            "curated_id": curated.root_id,
            "citations": list(curated.citations),
            "approved_by": curated.reviewer,
        },
    )


def curated_items(services: Services) -> list[GoldenItem]:
    return [golden_item(services.policy, c) for c in services.curated.approved()]


def write_curated_set(items: list[GoldenItem], path: Path = CURATED_SET) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(i.model_dump(), ensure_ascii=False) + "\n" for i in items)
    path.write_text(lines, encoding="utf-8")
    return path


def check_items(services: Services, items: list[GoldenItem]) -> list[CuratedCheck]:
    """Ask each question through the real ask path (nothing recorded) as a principal of its audience."""
    facade = KnowledgeAssistant(services.search, services.policy, services.settings, curated=services.curated)
    checks = []
    for item in items:
        principal = Principal.of(f"golden:{item.id}", [item.role], item.groups)
        response = facade.ask(AskRequest(question=item.question), principal, channel="cli")
        cited = {c.doc_id for c in response.citations}
        missing = [d for d in item.tags.get("citations", []) if d not in cited]
        if not response.curated or response.curated_id != item.tags["curated_id"]:
            checks.append(CuratedCheck(item, False, "not answered from its curated answer"))
        elif missing:
            checks.append(CuratedCheck(item, False, f"citations missing: {missing}"))
        else:
            checks.append(CuratedCheck(item, True))
    return checks


def gate_lines(checks: list[CuratedCheck]) -> list[str]:
    return [f"curated: {c.item.id} ({c.item.question[:40]}): {c.problem}" for c in checks if not c.passed]
