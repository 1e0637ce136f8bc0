"""The web chat's pages: they carry no knowledge-base content; their JS fetches it with the token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assistant.api.web import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "chat.html", {})


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "document.html", {"doc": None, "doc_id": doc_id})


@router.get("/curate", response_class=HTMLResponse)
def curate_page(request: Request) -> HTMLResponse:
    """The curators' console: queue, approvals, analytics (data fetched from /v1 with the token)."""
    return templates.TemplateResponse(request, "curate.html", {})
