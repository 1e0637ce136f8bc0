"""Platform user -> directory user -> principal. Unknown people get public-only access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.access import AccessDenied, AccessPolicy, Principal


@dataclass(frozen=True)
class Identity:
    """Who asked: the principal answers are computed for, and whether the directory knows them."""

    principal: Principal
    linked: bool
    platform: str
    platform_user: str

    @property
    def name(self) -> str:
        return self.principal.user


def build_identity(user: Any, platform: str, platform_user: str) -> Identity:
    """A directory user's identity, or a role-less one (the policy gives it public levels only)."""
    if user is not None:
        try:
            return Identity(user.principal(), True, platform, platform_user)
        except AccessDenied:
            pass  # disabled: treated as unknown, never as their old roles
    anonymous = Principal(user=f"{platform}:{platform_user}", roles=frozenset())
    return Identity(anonymous, False, platform, platform_user)


def sees_more(policy: AccessPolicy, full: Principal, narrowed: Principal) -> bool:
    """Whether the asker alone may read anything the narrowed principal may not."""
    if set(policy.readable_levels(full)) - set(policy.readable_levels(narrowed)):
        return True
    if policy.sees_all_groups(full):
        return not policy.sees_all_groups(narrowed)
    return bool(full.effective_groups - narrowed.effective_groups)
