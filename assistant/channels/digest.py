"""Deliver the curators' daily digest by direct message on Slack or WeCom (`assistant review digest --send`)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from assistant.channels.slack.app import slack_configured
from assistant.channels.wecom.app import wecom_configured
from assistant.channels.wecom.client import WeComClient
from assistant.curation.digest import Digest
from assistant.services import Services

log = logging.getLogger(__name__)


def send_digests(services: Services) -> list[Digest]:
    """Send every due digest; returns those delivered. A failure for one person is logged, not fatal."""
    settings = services.settings
    slack = wecom = None
    if slack_configured(settings) and settings.slack_bot_token:
        slack = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    if wecom_configured(settings) and settings.wecom_secret and settings.wecom_corp_id:
        secret = settings.wecom_secret.get_secret_value()
        wecom = WeComClient(
            settings.wecom_api_url, settings.wecom_corp_id, secret, settings.wecom_agent_id or 0
        )
    sent = []
    for digest in services.digests.due():
        try:
            if digest.platform == "slack" and slack is not None and digest.user.slack_id:
                slack.chat_postMessage(channel=digest.user.slack_id, text=digest.text)
            elif digest.platform == "wecom" and wecom is not None and digest.user.wecom_id:
                wecom.send_text(digest.user.wecom_id, digest.text)
            else:
                log.warning(
                    "digest for %s: %s is not configured or not linked", digest.user.name, digest.platform
                )
                continue
        except Exception:
            log.exception("digest for %s on %s failed", digest.user.name, digest.platform)
            continue
        services.digests.mark_sent(digest.user.name)
        sent.append(digest)
    return sent
