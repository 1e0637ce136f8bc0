"""Server-sent events from the answer service's event iterator."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import StreamingResponse

log = logging.getLogger(__name__)


def wants_stream(request: Request, asked: bool) -> bool:
    return asked or "text/event-stream" in request.headers.get("accept", "")


def encode_event(event: str, data: Any) -> str:
    payload = json.dumps(jsonable_encoder(data), ensure_ascii=False)
    return f"event: {event}\ndata: {payload}\n\n"


def event_stream(events: Iterator[dict[str, Any]]) -> StreamingResponse:
    """Start the iterator here, so errors before the first event become normal HTTP errors."""
    first = next(events, None)

    def lines() -> Iterator[str]:
        if first is None:
            return
        yield encode_event(str(first["event"]), first.get("data"))
        try:
            for item in events:
                yield encode_event(str(item["event"]), item.get("data"))
        except Exception:  # headers are sent: all that is left is to tell the client in-band
            log.exception("answer stream failed")
            yield encode_event("error", {"code": "internal_error", "message": "the answer stream failed"})

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(lines(), media_type="text/event-stream", headers=headers)
