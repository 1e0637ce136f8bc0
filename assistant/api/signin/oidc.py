"""The OIDC relying party: discovery, authorization-code flow with PKCE, ID-token verification."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# Asymmetric algorithms only: "none" and HS* (signed with our own client secret) are never accepted.
ID_TOKEN_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
]
CLOCK_SKEW_S = 60
DISCOVERY_KEYS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
HTTP_TIMEOUT_S = 10.0


class SignInError(Exception):
    """A sign-in that must be refused; the message is safe to show and to audit."""


class OidcClient:
    """One configured provider. Discovery and keys are fetched on first use and cached."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str | None,
        scopes: str,
        http: httpx.Client | None = None,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.scopes = scopes
        self.http = http or httpx.Client(timeout=HTTP_TIMEOUT_S)
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._lock = threading.Lock()

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document; its issuer must be the configured one."""
        with self._lock:
            if self._metadata is None:
                data = self._get_json(self.issuer + "/.well-known/openid-configuration")
                if str(data.get("issuer", "")).rstrip("/") != self.issuer:
                    raise SignInError(f"the provider's discovery names issuer {data.get('issuer')!r}")
                missing = [k for k in DISCOVERY_KEYS if not isinstance(data.get(k), str)]
                if missing:
                    raise SignInError(f"the provider's discovery lacks {', '.join(missing)}")
                self._metadata = data
            return self._metadata

    def authorization_url(self, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
        endpoint = str(self.metadata()["authorization_endpoint"])
        with self._oauth(redirect_uri) as oauth:
            url, _ = oauth.create_authorization_url(
                endpoint, state=state, code_verifier=code_verifier, nonce=nonce
            )
        return str(url)

    def exchange(self, code: str, redirect_uri: str, code_verifier: str, nonce: str) -> dict[str, Any]:
        """The verified ID-token claims for this authorization code. Raises SignInError."""
        endpoint = str(self.metadata()["token_endpoint"])
        try:
            with self._oauth(redirect_uri) as oauth:
                token = oauth.fetch_token(
                    endpoint, grant_type="authorization_code", code=code, code_verifier=code_verifier
                )
        except (AuthlibBaseError, httpx.HTTPError, ValueError) as exc:
            raise SignInError(f"the provider refused the code ({type(exc).__name__}: {exc})") from exc
        id_token = token.get("id_token")
        if not id_token:
            raise SignInError("the provider returned no ID token (is 'openid' in the scopes?)")
        return self.verify_id_token(str(id_token), nonce)

    def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        """Signature (provider's JWKS), issuer, audience, expiry and nonce; else SignInError."""
        try:
            decoded = self._decode(id_token)
            registry = jwt.JWTClaimsRegistry(
                leeway=CLOCK_SKEW_S,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(decoded.claims)
        except JoseError as exc:
            raise SignInError(f"ID token rejected: {exc.error}: {exc.description or ''}".strip()) from exc
        claims: dict[str, Any] = dict(decoded.claims)
        audience = claims.get("aud")
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.client_id:
            raise SignInError("ID token rejected: issued to another party (azp)")
        return claims

    def _decode(self, id_token: str) -> Any:
        try:
            return jwt.decode(id_token, self._key_set(refresh=False), algorithms=ID_TOKEN_ALGORITHMS)
        except JoseError:
            # A provider rotating keys signs with a kid we have not fetched yet: fetch once more.
            return jwt.decode(id_token, self._key_set(refresh=True), algorithms=ID_TOKEN_ALGORITHMS)

    def _key_set(self, refresh: bool) -> KeySet:
        jwks_uri = str(self.metadata()["jwks_uri"])
        with self._lock:
            if self._keys is None or refresh:
                self._keys = KeySet.import_key_set(self._get_json(jwks_uri))  # type: ignore[arg-type]
            return self._keys

    def _oauth(self, redirect_uri: str) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self._secret,
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic" if self._secret else "none",
            timeout=HTTP_TIMEOUT_S,
        )

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = self.http.get(url)
            response.raise_for_status()
            data: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SignInError(f"could not read {url} from the provider ({type(exc).__name__})") from exc
        return data
