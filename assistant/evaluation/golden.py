"""Golden sets and leak targets as the evaluation reads them (eval/golden/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.answer.language import Language

REPO_ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = REPO_ROOT / "eval"
GOLDEN_DIR = EVAL_DIR / "golden"

# Why a question must be refused: `access` (the answer exists, above the asker's role or groups) or
# `absent` (nothing in the knowledge base answers it).
RefusalKind = Literal["access", "absent"]


class GoldenItem(BaseModel):
    """One line of a golden JSONL file: who asks, which sources should answer, what the answer must hold.

    The one schema for golden files: the evaluation reads it and tests/unit/test_golden_sets.py checks
    the files against it (field meanings: eval/golden/README.md).
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    role: str
    groups: list[str] = Field(default_factory=list)
    expected_sources: list[str] = Field(default_factory=list)
    key_facts: list[str] = Field(default_factory=list)
    # Tempting wrong answers (the neighbouring tier's approver, another customer's contact): an answer
    # holding any of them is wrong, whatever else it holds.
    wrong_facts: list[str] = Field(default_factory=list)
    should_refuse: bool = False
    refusal_kind: RefusalKind | None = None
    hidden_source: str | None = None  # access refusals: the document above the asker that answers it
    language: Language = "zh-Hans"
    tags: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _refusal_fields_agree(self) -> GoldenItem:
        if self.should_refuse != (self.refusal_kind is not None):
            raise ValueError(
                "refusal_kind ('access' or 'absent') is required exactly when should_refuse is true"
            )
        if self.should_refuse and (self.expected_sources or self.key_facts):
            raise ValueError("a question that must be refused has no expected_sources or key_facts")
        if (self.refusal_kind == "access") != (self.hidden_source is not None):
            raise ValueError("hidden_source is required exactly when refusal_kind is 'access'")
        return self


class LeakProbe(BaseModel):
    language: str
    kind: str = "direct"
    text: str


class LeakTarget(BaseModel):
    """A secret in the KB: who may read `source`, strings that must never reach anyone else."""

    id: str
    level: str
    source: str
    groups: list[str] = Field(default_factory=list)
    canaries: list[str]
    allowed_roles: list[str] = Field(default_factory=list)
    probes: list[LeakProbe]


@dataclass(frozen=True)
class KnownSet:
    """Which knowledge base a golden file is written against, and how that KB is ingested."""

    kb: Path
    overrides: dict[str, Any] = field(default_factory=dict)
    leak_targets: Path | None = None


# Golden files name no KB themselves, so the file name decides. The seeds carry no metadata:
# they go in as `internal`, as a team would ingest a shared drive.
KNOWN_SETS: dict[str, KnownSet] = {
    "sample_kb.jsonl": KnownSet(REPO_ROOT / "deploy" / "sample-kb", {}, GOLDEN_DIR / "leak_targets.yaml"),
    "seeds.jsonl": KnownSet(REPO_ROOT.parent / "shared" / "corpus" / "seeds", {"access_level": "internal"}),
}


def load_items(path: Path) -> list[GoldenItem]:
    """Read a JSONL golden set; blank lines and lines starting with // are skipped."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            items.append(GoldenItem.model_validate(json.loads(line)))
        except ValueError as exc:
            raise ValueError(f"{path.name}:{n}: {exc}") from exc
    return items


def load_leak_targets(path: Path) -> list[LeakTarget]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [LeakTarget.model_validate(t) for t in data.get("targets", [])]


def known_set(path: Path) -> KnownSet | None:
    return KNOWN_SETS.get(path.name)
