"""Who may see what, and the one Qdrant filter that says it.

Ingest stamps `access_level` and `groups` on every chunk; retrieval builds its filter here and
nowhere else. There is no "no filter" value: every query carries at least the level condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from pydantic import BaseModel, Field, model_validator

# A chunk whose groups contain this marker is visible to every group.
ALL_GROUPS = "*"
# Chunks are written "pending" and flipped to "live" once their whole document is in: a crash
# mid-ingest leaves nothing half-searchable.
LIVE = "live"
PENDING = "pending"
# Kept but never searchable: earlier versions (for rollback) and versions awaiting a second
# curator. The filter below admits only LIVE, so no role can ever see these.
SUPERSEDED = "superseded"
IN_REVIEW = "pending_review"
CURATE = "curate"  # the privilege curators and admins hold (assistant/policy.yaml)
# Payload keys the filter reads; the index creates payload indexes on them.
ACCESS_KEYS = ("access_level", "groups", "state")
FILTERABLE_KEYS = ("doc_type", "product_line", "industry", "sales_stage", "doc_id", "language")


class AccessDenied(Exception):
    """Raised when a principal asks for something its roles do not allow."""


@dataclass(frozen=True)
class Principal:
    """An authenticated identity as the policy sees it. Adapters build it; nothing loosens it."""

    user: str
    roles: frozenset[str]
    groups: frozenset[str] = field(default_factory=frozenset)
    # Set when the answer goes to a shared space (a chat channel): nothing above this level,
    # and only the space's groups, whatever the person may see on their own.
    ceiling: str | None = None
    scope_groups: frozenset[str] | None = None

    @property
    def effective_groups(self) -> frozenset[str]:
        return self.groups if self.scope_groups is None else self.groups & self.scope_groups

    @classmethod
    def of(cls, user: str, roles: list[str] | tuple[str, ...] | set[str], groups: Any = ()) -> Principal:
        return cls(user=user, roles=frozenset(roles), groups=frozenset(groups))


class RolePolicy(BaseModel):
    levels: list[str]
    privileges: list[str] = Field(default_factory=list)
    all_groups: bool = False


class PolicyFile(BaseModel):
    levels: list[str]
    roles: dict[str, RolePolicy]
    anonymous_levels: list[str] = Field(default_factory=lambda: ["public"])

    @model_validator(mode="after")
    def _known_levels(self) -> PolicyFile:
        known = set(self.levels)
        for name, role in self.roles.items():
            unknown = set(role.levels) - known
            if unknown:
                raise ValueError(f"role {name!r} names unknown levels {sorted(unknown)}")
        if set(self.anonymous_levels) - known:
            raise ValueError("anonymous_levels names unknown levels")
        return self


@dataclass(frozen=True)
class SearchFilters:
    """Optional narrowing a caller may ask for; it can only ever remove results."""

    doc_type: tuple[str, ...] = ()
    product_line: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    sales_stage: tuple[str, ...] = ()
    doc_id: tuple[str, ...] = ()
    language: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> SearchFilters:
        if not data:
            return cls()
        unknown = set(data) - set(FILTERABLE_KEYS)
        if unknown:
            raise ValueError(f"unknown filter field(s): {', '.join(sorted(unknown))}")
        values = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in data.items() if v}
        return cls(**values)


class AccessPolicy:
    """Maps roles to readable levels and privileges."""

    def __init__(self, spec: PolicyFile) -> None:
        self.spec = spec
        self.levels = list(spec.levels)

    @classmethod
    def load(cls, path: Path | None = None) -> AccessPolicy:
        if path is None:
            text = resources.files("assistant").joinpath("policy.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls(PolicyFile.model_validate(yaml.safe_load(text)))

    @property
    def roles(self) -> list[str]:
        return list(self.spec.roles)

    def check_role(self, role: str) -> None:
        if role not in self.spec.roles:
            raise ValueError(f"unknown role {role!r}; known roles: {', '.join(self.spec.roles)}")

    def check_level(self, level: str) -> None:
        if level not in self.levels:
            raise ValueError(f"unknown access level {level!r}; known levels: {', '.join(self.levels)}")

    def readable_levels(self, principal: Principal) -> list[str]:
        allowed: set[str] = set()
        known = [self.spec.roles[r] for r in principal.roles if r in self.spec.roles]
        for role in known:
            allowed.update(role.levels)
        if not known:
            allowed.update(self.spec.anonymous_levels)
        levels = [lvl for lvl in self.levels if lvl in allowed]
        if principal.ceiling is not None:
            top = self.levels.index(principal.ceiling) if principal.ceiling in self.levels else -1
            levels = [lvl for lvl in levels if self.levels.index(lvl) <= top]
        return levels

    def sees_all_groups(self, principal: Principal) -> bool:
        if principal.scope_groups is not None:
            return False
        return any(self.spec.roles[r].all_groups for r in principal.roles if r in self.spec.roles)

    def has_privilege(self, principal: Principal, privilege: str) -> bool:
        return any(
            privilege in self.spec.roles[r].privileges for r in principal.roles if r in self.spec.roles
        )

    def can_read(self, principal: Principal, payload: dict[str, Any]) -> bool:
        """The same rule as the Qdrant filter, for a payload already in hand (document view)."""
        if payload.get("access_level") not in self.readable_levels(principal):
            return False
        if self.sees_all_groups(principal):
            return True
        groups = set(payload.get("groups") or [])
        return ALL_GROUPS in groups or bool(groups & principal.effective_groups)

    def restrict(self, principal: Principal, max_level: str, groups: frozenset[str]) -> Principal:
        """A narrower principal for a shared space (a chat channel): the space's level and groups."""
        self.check_level(max_level)
        if principal.ceiling is not None and self.levels.index(principal.ceiling) < self.levels.index(
            max_level
        ):
            max_level = principal.ceiling
        scope = groups if principal.scope_groups is None else principal.scope_groups & groups
        return replace(principal, ceiling=max_level, scope_groups=frozenset(scope))

    def build_filter(self, principal: Principal, filters: SearchFilters, models: ModuleType) -> Any:
        """The Qdrant filter for this principal, for `qdrant_edge` or `qdrant_client.models`.

        Both libraries share the class names and keyword arguments used here.
        """
        levels = self.readable_levels(principal)
        must: list[Any] = [
            models.FieldCondition(key="state", match=models.MatchValue(value=LIVE)),
            models.FieldCondition(key="access_level", match=models.MatchAny(any=levels or ["\x00none"])),
        ]
        if not self.sees_all_groups(principal):
            groups = sorted(principal.effective_groups | {ALL_GROUPS})
            must.append(models.FieldCondition(key="groups", match=models.MatchAny(any=groups)))
        for key in FILTERABLE_KEYS:
            values = list(getattr(filters, key))
            if values:
                must.append(models.FieldCondition(key=key, match=models.MatchAny(any=values)))
        return models.Filter(must=must)
