"""GET/POST /wecom/callback for a self-built WeCom app in callback mode."""

from __future__ import annotations

import logging

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from assistant.channels.base import RetryPolicy
from assistant.channels.wecom.channel import WeComChannel
from assistant.channels.wecom.client import wecom_client
from assistant.channels.wecom.crypto import BadSignature, StaleRequest, WeComCrypto, WeComCryptoError
from assistant.channels.wecom.messages import BadPayload, envelope_ciphertext, read_xml, to_incoming
from assistant.config import Settings
from assistant.services import Services

log = logging.getLogger(__name__)


def wecom_configured(settings: Settings) -> bool:
    return bool(
        settings.wecom_corp_id
        and settings.wecom_agent_id is not None
        and settings.wecom_secret
        and settings.wecom_token
        and settings.wecom_aes_key
    )


def build_wecom_crypto(settings: Settings) -> WeComCrypto:
    token, aes_key, corp_id = settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id
    if not (token and aes_key and corp_id):
        raise ValueError(
            "WeCom needs ASSISTANT_WECOM_TOKEN, ASSISTANT_WECOM_AES_KEY and ASSISTANT_WECOM_CORP_ID"
        )
    return WeComCrypto(token.get_secret_value(), aes_key.get_secret_value(), corp_id)


def build_wecom_channel(
    services: Services, retry: RetryPolicy | None = None, http: httpx.Client | None = None
) -> WeComChannel:
    client = wecom_client(services.settings, http=http)
    if client is None:
        raise ValueError(
            "WeCom needs ASSISTANT_WECOM_CORP_ID, ASSISTANT_WECOM_SECRET and ASSISTANT_WECOM_AGENT_ID"
        )
    return WeComChannel(services, client, retry)


def build_wecom_router(channel: WeComChannel, crypto: WeComCrypto) -> APIRouter:
    router = APIRouter()

    @router.get("/wecom/callback", include_in_schema=False)
    def verify_url(
        msg_signature: str = "", timestamp: str = "", nonce: str = "", echostr: str = ""
    ) -> Response:
        """WeCom's URL check when the callback is saved: answer the decrypted echostr."""
        try:
            return PlainTextResponse(crypto.open(msg_signature, timestamp, nonce, echostr))
        except WeComCryptoError as exc:
            return _refused(exc)

    @router.post("/wecom/callback", include_in_schema=False)
    async def receive(
        request: Request, msg_signature: str = "", timestamp: str = "", nonce: str = ""
    ) -> Response:
        """Verify, decrypt, queue; answer 200 at once (WeCom retries after 5 s)."""
        body = (await request.body()).decode("utf-8", errors="replace")
        try:
            plain = crypto.open(msg_signature, timestamp, nonce, envelope_ciphertext(body))
            incoming = to_incoming(read_xml(plain))
        except (WeComCryptoError, BadPayload) as exc:
            return _refused(exc)
        if incoming is not None:
            await run_in_threadpool(channel.receive, incoming)
        return PlainTextResponse("")

    return router


def _refused(exc: Exception) -> Response:
    status = 401 if isinstance(exc, (BadSignature, StaleRequest)) else 400
    log.warning("wecom: refused a callback (%s): %s", status, exc)
    return PlainTextResponse("refused", status_code=status)
