"""Admin-set reach of a shared chat space (Slack channel, WeCom group chat): top level and groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.access import AccessPolicy
from assistant.db.audit import check_choice
from assistant.db.models import ChannelPolicyRow

PLATFORMS = ("slack", "wecom")


@dataclass(frozen=True)
class ChannelPolicy:
    platform: str
    channel_id: str
    max_level: str
    groups: frozenset[str]


class ChannelPolicies:
    """A channel with no row is public with no groups: answers there use only public,
    all-groups documents, whoever asks. Pass the policy to validate levels on `set`."""

    def __init__(self, engine: Engine, policy: AccessPolicy | None = None) -> None:
        self.engine = engine
        self.policy = policy

    @property
    def default_level(self) -> str:
        return self.policy.levels[0] if self.policy else "public"

    def get(self, platform: str, channel_id: str) -> tuple[str, frozenset[str]]:
        """(max_level, groups) for `AccessPolicy.restrict`."""
        with Session(self.engine) as session:
            row = session.get(ChannelPolicyRow, (platform, channel_id))
            if row is None:
                return self.default_level, frozenset()
            return row.max_level, frozenset(row.groups)

    def set(
        self, platform: str, channel_id: str, max_level: str, groups: list[str] | None = None
    ) -> ChannelPolicy:
        check_choice("platform", platform, PLATFORMS)
        if not channel_id.strip():
            raise ValueError("channel id must not be empty")
        if self.policy is not None:
            self.policy.check_level(max_level)
        clean_groups = sorted({g.strip() for g in groups or [] if g.strip()})
        with Session(self.engine) as session:
            row = session.get(ChannelPolicyRow, (platform, channel_id))
            if row is None:
                row = ChannelPolicyRow(platform=platform, channel_id=channel_id)
                session.add(row)
            row.max_level, row.groups = max_level, clean_groups
            session.commit()
        return ChannelPolicy(platform, channel_id, max_level, frozenset(clean_groups))

    def list(self) -> list[ChannelPolicy]:
        query = select(ChannelPolicyRow).order_by(ChannelPolicyRow.platform, ChannelPolicyRow.channel_id)
        with Session(self.engine) as session:
            return [
                ChannelPolicy(row.platform, row.channel_id, row.max_level, frozenset(row.groups))
                for row in session.scalars(query)
            ]
