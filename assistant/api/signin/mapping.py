"""The sign-in mapping file: provider groups and WeCom departments -> our roles and groups.

claim: groups                 # the ID-token claim listing the person's groups
default: {roles: [], groups: []}
groups:
  sales-east: {roles: [rep], groups: [east]}
wecom_departments:
  "2": {roles: [rep], groups: [east]}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.access import AccessPolicy


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)


class MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim: str = "groups"
    default: Grant = Field(default_factory=Grant)
    groups: dict[str, Grant] = Field(default_factory=dict)
    wecom_departments: dict[str, Grant] = Field(default_factory=dict)


@dataclass(frozen=True)
class Access:
    """What the directory grants one person at this sign-in."""

    roles: list[str]
    groups: list[str]


class DirectoryMapping:
    """Without a file nothing is granted or taken away: users keep their roles, new ones read public."""

    def __init__(self, spec: MappingFile | None) -> None:
        self.spec = spec

    @property
    def claim(self) -> str:
        return self.spec.claim if self.spec else "groups"

    @classmethod
    def load(cls, path: Path | None, policy: AccessPolicy) -> DirectoryMapping:
        """Read and check the file; a typo'd role fails at start, not at someone's sign-in."""
        if path is None:
            return cls(None)
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            spec = MappingFile.model_validate(data)
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ValueError(f"sign-in mapping file {path}: {exc}") from exc
        grants = [spec.default, *spec.groups.values(), *spec.wecom_departments.values()]
        for role in sorted({r for g in grants for r in g.roles}):
            try:
                policy.check_role(role)
            except ValueError as exc:
                raise ValueError(f"sign-in mapping file {path}: {exc}") from exc
        return cls(spec)

    def access_for(self, claim_groups: list[str], departments: list[str]) -> Access | None:
        """The roles and groups these directory groups grant (default + every match); None: no file."""
        if self.spec is None:
            return None
        grants = [self.spec.default]
        grants += [self.spec.groups[g] for g in claim_groups if g in self.spec.groups]
        grants += [self.spec.wecom_departments[d] for d in departments if d in self.spec.wecom_departments]
        roles = [r for g in grants for r in g.roles]
        groups = [x for g in grants for x in g.groups]
        return Access(list(dict.fromkeys(roles)), list(dict.fromkeys(groups)))


def claim_values(claims: dict[str, Any], claim: str) -> list[str]:
    """A group claim as a list of strings (providers send a list, some a space-separated string)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value]
    return []
