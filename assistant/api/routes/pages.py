"""The web chat's pages: they carry no knowledge-base content; their JS fetches it with the token.

Opened inside WeCom by someone not signed in, a page first signs them in silently (WeCom OAuth).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.api.deps import ServicesDep, WebSessionDep
from assistant.api.web import templates
from assistant.signin.wecom import inside_wecom

router = APIRouter(include_in_schema=False)


def _wecom_sign_in_first(request: Request, services: ServicesDep, web: WebSessionDep) -> Response | None:
    if web is not None or not services.signin.enabled("wecom"):
        return None
    if not inside_wecom(request.headers.get("user-agent", "")):
        return None
    return RedirectResponse("/auth/wecom/login?next=" + quote(request.url.path), status_code=303)


def _signin_options(services: ServicesDep) -> dict[str, object]:
    return {
        "oidc": services.signin.enabled("oidc"),
        "oidc_name": services.settings.oidc_provider_name,
        "wecom": services.signin.enabled("wecom"),
    }


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, services: ServicesDep, web: WebSessionDep) -> Response:
    redirect = _wecom_sign_in_first(request, services, web)
    if redirect is not None:
        return redirect
    return templates.TemplateResponse(request, "chat.html", {"signin": _signin_options(services)})


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, services: ServicesDep, web: WebSessionDep) -> Response:
    redirect = _wecom_sign_in_first(request, services, web)
    if redirect is not None:
        return redirect
    return templates.TemplateResponse(request, "document.html", {"doc": None, "doc_id": doc_id})
