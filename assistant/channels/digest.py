"""Deliver the curators' daily digest by direct message on Slack or WeCom (`assistant review digest --send`)."""

from __future__ import annotations

import logging

from assistant.channels.direct_messages import build_dm_senders
from assistant.curation.digest import Digest
from assistant.services import Services

log = logging.getLogger(__name__)


def send_digests(services: Services) -> list[Digest]:
    """Send every due digest; returns those delivered. A failure for one person is logged, not fatal."""
    senders = build_dm_senders(services.settings)
    sent = []
    for digest in services.digests.due():
        send = senders.get(digest.platform)
        ident = digest.user.slack_id if digest.platform == "slack" else digest.user.wecom_id
        if send is None or not ident:
            log.warning(
                "digest for %s: %s is not configured or not linked", digest.user.name, digest.platform
            )
            continue
        try:
            send(ident, digest.text)
        except Exception:
            log.exception("digest for %s on %s failed", digest.user.name, digest.platform)
            continue
        services.digests.mark_sent(digest.user.name)
        sent.append(digest)
    return sent
