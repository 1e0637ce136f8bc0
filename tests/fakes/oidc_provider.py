"""A real OpenID Connect provider on 127.0.0.1, built on Authlib's provider side.

Discovery, an authorization endpoint (code flow, PKCE S256 required, nonce), a token endpoint that
issues an RS256-signed ID token, and JWKS. The person "signed in at the provider" is set by the test:

with LocalOidcProvider(client_id="assistant", client_secret="s3cret") as idp:
    idp.register_redirect_uri(app_url + "/auth/oidc/callback")
    idp.sign_in_as("li.wei", groups=["sales-east"], email="li.wei@example.com")
    idp.tamper = "nonce"   # ID tokens carry a forged nonce ("signature": signed with another key;
                           # "audience": issued to another app; "expired": exp in the past;
                           # "state": the redirect back carries another state)
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from joserfc.jwk import KeySet, RSAKey

from tests.fakes.local_http import LocalHttpFake, Reply

KEY_ID = "test-key-1"


@dataclass
class ProviderUser:
    sub: str
    username: str
    email: str
    groups: list[str] = field(default_factory=list)


@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in ("openid", "profile", "email", "groups"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic" if endpoint == "token" else True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class _Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


class _Request(OAuth2Request):
    def __init__(
        self, method: str, uri: str, query: dict[str, str], form: dict[str, str], headers: dict[str, str]
    ):
        super().__init__(method, uri, headers=httpx.Headers(headers))
        self._args, self._form = query, form
        self.payload = BasicOAuth2Payload({**query, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class LocalOidcProvider(LocalHttpFake):
    def __init__(self, client_id: str, client_secret: str) -> None:
        super().__init__()
        self.client = _Client(client_id, client_secret, [])
        self.key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        self.user: ProviderUser | None = None
        self.tamper: str | None = None  # "nonce", "signature" or "state": see the module docstring
        self.codes: dict[str, _Code] = {}
        self.token_requests: list[dict[str, str]] = []
        self.server = self._build_server()

    @property
    def issuer(self) -> str:
        return self.root_url

    def register_redirect_uri(self, uri: str) -> None:
        self.client.redirect_uris.append(uri)

    def sign_in_as(self, username: str, groups: list[str], email: str | None = None) -> ProviderUser:
        """Who is signed in at the provider; the directory's groups go into the `groups` claim."""
        self.user = ProviderUser(
            f"sub-{username}", username, email or f"{username}@example.com", list(groups)
        )
        return self.user

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        if path == "/.well-known/openid-configuration":
            return Reply(self._discovery())
        if path == "/jwks":
            return Reply(KeySet([self.key]).as_dict(private=False))
        request = _Request(
            verb,
            self.root_url + path + ("?" + urlencode(query) if query else ""),
            query,
            {k: str(v) for k, v in body.items()},
            headers,
        )
        with self.lock:
            if path == "/authorize":
                if self.user is None:
                    return Reply({"error": "login_required"}, 400)
                try:
                    grant = self.server.get_consent_grant(request, end_user=self.user)
                except OAuth2Error as exc:  # a bad client or redirect URI: never redirect anywhere
                    return Reply({"error": exc.error, "error_description": exc.description}, 400)
                reply = self._reply(
                    self.server.create_authorization_response(request, grant_user=self.user, grant=grant)
                )
                if self.tamper == "state":  # an attacker swaps the state on the way back
                    reply.headers["Location"] = reply.headers["Location"].replace("state=", "state=forged", 1)
                return reply
            if path == "/token":
                self.token_requests.append(dict(request.form))
                return self._reply(self.server.create_token_response(request))
        return Reply({"error": "not_found"}, 404)

    def _discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.root_url + "/authorize",
            "token_endpoint": self.root_url + "/token",
            "jwks_uri": self.root_url + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email", "groups"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    @staticmethod
    def _reply(response: Any) -> Reply:
        status, body, headers = response
        return Reply(body if body else "", status, dict(headers))

    def _build_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> _Client | None:
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token: dict[str, Any], request: Any) -> None:
                pass

            def create_oauth2_request(self, request: Any) -> Any:
                return request

            def create_json_request(self, request: Any) -> Any:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
                return status, body, headers

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

            def save_authorization_code(self, code: str, request: Any) -> None:
                data = request.payload.data
                provider.codes[code] = _Code(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=data.get("redirect_uri", ""),
                    scope=request.scope or data.get("scope", ""),
                    user=request.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: _Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: _Code) -> ProviderUser:
                return authorization_code.user

        class OpenID(OpenIDCode):
            def exists_nonce(self, nonce: str, request: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Any) -> Any:
                return provider.other_key if provider.tamper == "signature" else provider.key

            def get_client_algorithm(self, client: Any) -> str:
                return "RS256"

            def get_encode_header(self, client: Any) -> dict[str, str]:
                return {"alg": "RS256", "kid": KEY_ID}

            def get_client_claims(self, client: Any) -> dict[str, Any]:
                audience = "another-app" if provider.tamper == "audience" else client.get_client_id()
                lifetime = -600 if provider.tamper == "expired" else 300
                return {"iss": provider.issuer, "aud": [audience], "exp": int(time.time()) + lifetime}

            def get_authorization_code_claims(self, authorization_code: Any) -> dict[str, Any]:
                claims: dict[str, Any] = super().get_authorization_code_claims(authorization_code)
                if provider.tamper == "nonce":
                    claims["nonce"] = "forged-" + secrets.token_urlsafe(8)
                return claims

            def generate_user_info(self, user: ProviderUser, scope: str) -> UserInfo:
                return UserInfo(
                    sub=user.sub,
                    preferred_username=user.username,
                    email=user.email,
                    email_verified=True,
                    groups=list(user.groups),
                )

        server = Server()
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda **_: secrets.token_urlsafe(32))
        )
        server.register_grant(CodeGrant, [CodeChallenge(required=True), OpenID(require_nonce=True)])
        return server
