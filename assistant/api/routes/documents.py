"""GET a document a user may read; an invisible document is 404, so existence does not leak."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from assistant.api.deps import ChannelDep, PrincipalDep, ServicesDep
from assistant.api.documents import DocumentView, build_document_view
from assistant.api.errors import ApiError
from assistant.api.web import templates

router = APIRouter(prefix="/v1", tags=["documents"])

DocId = Annotated[str, Path(min_length=1, max_length=200)]


def _prefers_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


@router.get(
    "/documents/{doc_id}",
    response_model=DocumentView,
    responses={200: {"content": {"text/html": {}}, "description": "JSON, or a page for Accept: text/html"}},
)
def get_document(
    doc_id: DocId, request: Request, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep
) -> Any:
    """Title, source, metadata and the text of every chunk in order, if this user may read it."""
    hits = services.index.chunks_of(principal, doc_id)
    if not hits:
        raise ApiError(404, f"no document {doc_id!r} that you may read")
    view = build_document_view(doc_id, hits, not services.policy.has_privilege(principal, "pii"))
    services.audit.record(principal.user, channel, "document", view.title, [doc_id])
    if _prefers_html(request):
        page = templates.TemplateResponse(request, "document.html", {"doc": view, "doc_id": doc_id})
        return HTMLResponse(page.body, headers={"Cache-Control": "no-store"})
    return view
