"""The web chat's pages: they carry no knowledge-base content; their JS fetches it with the token.

Opened inside WeCom by someone not signed in, a page first signs them in silently (WeCom OAuth).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.api.deps import ServicesDep, SignInDep, WebSessionDep
from assistant.api.signin.service import SignInService
from assistant.api.signin.wecom import inside_wecom
from assistant.api.web import templates
from assistant.db import User, WebSession
from assistant.services import Services

router = APIRouter(include_in_schema=False)


def _wecom_sign_in_first(
    request: Request, signin: SignInService, web: tuple[User, WebSession] | None
) -> Response | None:
    if web is not None or not signin.enabled("wecom"):
        return None
    if not inside_wecom(request.headers.get("user-agent", "")):
        return None
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")  # a cited ?version=
    return RedirectResponse("/auth/wecom/login?next=" + quote(here), status_code=303)


def _signin_options(services: Services, signin: SignInService) -> dict[str, object]:
    return {
        "oidc": signin.enabled("oidc"),
        "oidc_name": services.settings.oidc_provider_name,
        "wecom": signin.enabled("wecom"),
    }


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, services: ServicesDep, signin: SignInDep, web: WebSessionDep) -> Response:
    redirect = _wecom_sign_in_first(request, signin, web)
    if redirect is not None:
        return redirect
    return templates.TemplateResponse(request, "chat.html", {"signin": _signin_options(services, signin)})


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, signin: SignInDep, web: WebSessionDep) -> Response:
    redirect = _wecom_sign_in_first(request, signin, web)
    if redirect is not None:
        return redirect
    return templates.TemplateResponse(request, "document.html", {"doc": None, "doc_id": doc_id})


@router.get("/curate", response_class=HTMLResponse)
def curate_page(request: Request, services: ServicesDep, signin: SignInDep) -> HTMLResponse:
    """The curators' console: queue, approvals, analytics (data fetched from /v1 as the signed-in person)."""
    return templates.TemplateResponse(request, "curate.html", {"signin": _signin_options(services, signin)})
