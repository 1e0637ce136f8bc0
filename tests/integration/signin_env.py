"""A served app with web sign-in on: a local OIDC provider, the fake WeCom API, a mapping file, the KB.

Shared by the test_signin_* files. Sign-ins go through real redirects: app -> provider -> app.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.api import create_app
from assistant.db.models import UserRow, WebSessionRow, utcnow
from assistant.services import Services, build_services
from tests.fakes.oidc_provider import LocalOidcProvider
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.api_kb import ServerThread, free_port, kb_settings, write_kb

CLIENT_ID, CLIENT_SECRET = "sales-assistant", "oidc-client-secret"
CORP_ID, AGENT_ID, WECOM_SECRET = "ww-corp", 1000002, "wecom-app-secret"
MAPPING = """
claim: groups
groups:
  sales-east: {roles: [rep], groups: [east]}
  sales-south: {roles: [rep], groups: [south]}
  managers-east: {roles: [manager], groups: [east]}
  managers-south: {roles: [manager], groups: [south]}
  executives: {roles: [executive]}
  it-admins: {roles: [admin]}
wecom_departments:
  "2": {roles: [manager], groups: [east]}
  "3": {roles: [rep], groups: [south]}
"""


@dataclass
class SignInEnv:
    services: Services
    server: ServerThread
    idp: LocalOidcProvider
    wecom: FakeWeComApi

    @property
    def url(self) -> str:
        return self.server.url

    def browser_client(self, user_agent: str = "pytest-browser") -> httpx.Client:
        """A cookie-keeping client that follows redirects, like a browser without JS."""
        return httpx.Client(follow_redirects=True, timeout=30, headers={"user-agent": user_agent})

    def sign_in(self, username: str, groups: list[str]) -> httpx.Client:
        """The whole OIDC round trip for someone in these directory groups; returns the signed-in client."""
        self.idp.sign_in_as(username, groups)
        client = self.browser_client()
        response = client.get(self.url + "/auth/oidc/login")
        assert response.status_code == 200 and str(response.url) == self.url + "/", response.text
        assert client.cookies.get("assistant_session"), "no session cookie after sign-in"
        return client

    def age_sessions(self, user: str, idle: timedelta, past_expiry: bool = False) -> None:
        """Pretend the user's browsers have been idle this long (and are past their absolute expiry)."""
        with Session(self.services.db) as session:
            owner = select(UserRow.id).where(UserRow.name == user).scalar_subquery()
            aged = update(WebSessionRow).where(WebSessionRow.user_id == owner)
            values = {"last_seen_at": utcnow() - idle}
            if past_expiry:
                values["expires_at"] = utcnow() - timedelta(seconds=1)
            session.execute(aged.values(**values))
            session.commit()


def csrf_headers(client: httpx.Client) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies.get("assistant_csrf") or ""}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInEnv]:
    root = tmp_path_factory.mktemp("signin")
    mapping = root / "signin-mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    port = free_port()
    with LocalOidcProvider(CLIENT_ID, CLIENT_SECRET) as idp, FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        idp.register_redirect_uri(f"http://127.0.0.1:{port}/auth/oidc/callback")
        wecom.agent_id = AGENT_ID
        settings = kb_settings(
            root / "data",
            rate_limit_per_minute=10_000,
            public_url=f"http://127.0.0.1:{port}",
            oidc_issuer=idp.issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_scopes="openid profile email groups",
            oidc_provider_name="Keycloak",
            signin_mapping_file=mapping,
            wecom_web_signin=True,
            wecom_corp_id=CORP_ID,
            wecom_agent_id=AGENT_ID,
            wecom_secret=WECOM_SECRET,
            wecom_api_url=wecom.base_url,
            wecom_oauth_url=wecom.oauth_url,
            wecom_qr_login_url=wecom.qr_login_url,
        )
        services = build_services(settings)
        report = services.ingest.ingest([write_kb(root / "kb")])
        assert report.ok, report.as_dict()
        with ServerThread(create_app(settings, services), port) as server:
            yield SignInEnv(services, server, idp, wecom)
        services.close()
