"""Web sign-in as one service: start at a provider, come back, become a directory user with a session.

Every sign-in, refusal and change of roles is written to the audit log here, whichever provider.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from assistant.access import AccessDenied
from assistant.api.signin.mapping import Access, DirectoryMapping, claim_values
from assistant.api.signin.oidc import OidcClient, SignInError
from assistant.api.signin.wecom import WeComSignIn
from assistant.channels.wecom.client import wecom_client
from assistant.db.accounts import DirectoryAccounts, ExternalAccount, Provisioned
from assistant.db.audit import AuditLog
from assistant.db.sessions import SessionStore, WebSession
from assistant.db.sign_in_requests import PendingSignIn, SignInRequests
from assistant.db.users import User
from assistant.services import Services

Provider = Literal["oidc", "wecom"]
PROVIDERS: tuple[Provider, ...] = ("oidc", "wecom")
UNKNOWN_USER = "-"


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str  # the session cookie's value
    session: WebSession
    return_to: str


def safe_return_to(path: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path[:500]


class SignInService:
    def __init__(
        self,
        accounts: DirectoryAccounts,
        sessions: SessionStore,
        requests: SignInRequests,
        audit: AuditLog,
        mapping: DirectoryMapping,
        public_url: str,
        oidc: OidcClient | None = None,
        wecom: WeComSignIn | None = None,
    ) -> None:
        self.accounts = accounts
        self.sessions = sessions
        self.requests = requests
        self.audit = audit
        self.mapping = mapping
        self.public_url = public_url.rstrip("/")
        self.oidc = oidc
        self.wecom = wecom

    def enabled(self, provider: str) -> bool:
        return (provider == "oidc" and self.oidc is not None) or (
            provider == "wecom" and self.wecom is not None
        )

    def callback_url(self, provider: Provider) -> str:
        """The redirect URI to register at the provider."""
        return f"{self.public_url}/auth/{provider}/callback"

    def begin(self, provider: Provider, return_to: str | None, user_agent: str) -> tuple[str, str]:
        """(the provider URL to send the browser to, the state to bind to this browser)."""
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        verifier += secrets.token_urlsafe(32)  # PKCE wants 43..128 characters
        self.requests.save(state, PendingSignIn(provider, nonce, verifier, safe_return_to(return_to)))
        if provider == "oidc" and self.oidc is not None:
            return self.oidc.authorization_url(self.callback_url("oidc"), state, nonce, verifier), state
        if provider == "wecom" and self.wecom is not None:
            return self.wecom.link(self.callback_url("wecom"), state, user_agent), state
        raise SignInError(f"sign-in with {provider} is not configured")

    def complete(
        self, provider: Provider, state: str, browser_state: str, code: str, user_agent: str, error: str = ""
    ) -> SignedIn:
        """Check the callback against the sign-in this browser started; raises SignInError."""
        try:
            if error:
                raise SignInError(f"the provider reported: {error}")
            if not (state and browser_state and hmac.compare_digest(state.encode(), browser_state.encode())):
                raise SignInError("the sign-in state does not match this browser; start again")
            pending = self.requests.take(state)
            if pending is None or pending.provider != provider:
                raise SignInError("unknown, used or expired sign-in state; start again")
            if not code:
                raise SignInError("the provider sent no code")
            account, access = self._identify(provider, code, pending)
            return self._sign_in(provider, account, access, pending.return_to, user_agent)
        except SignInError as exc:
            self._record(UNKNOWN_USER, "sign_in_failed", provider=provider, reason=str(exc))
            raise

    def sign_out(self, session: WebSession) -> None:
        self.sessions.end(session.user, session.public_id)
        self._record(session.user, "sign_out", provider=session.provider, session=session.public_id)

    def end_session(self, user: str, public_id: str, by: str) -> bool:
        ended = self.sessions.end(user, public_id)
        if ended:
            self._record(user, "session_end", session=public_id, by=by)
        return ended

    def end_all(self, user: str, by: str) -> int:
        return end_all_sessions(self.sessions, self.audit, user, by, "web")

    def _identify(
        self, provider: Provider, code: str, pending: PendingSignIn
    ) -> tuple[ExternalAccount, Access | None]:
        if provider == "oidc" and self.oidc is not None:
            claims = self.oidc.exchange(code, self.callback_url("oidc"), pending.code_verifier, pending.nonce)
            return _oidc_account(claims), self.mapping.access_for(
                claim_values(claims, self.mapping.claim), []
            )
        if provider == "wecom" and self.wecom is not None:
            user_id, departments = self.wecom.member(code)
            return ExternalAccount("wecom", user_id, user_id), self.mapping.access_for([], departments)
        raise SignInError(f"sign-in with {provider} is not configured")

    def _sign_in(
        self,
        provider: Provider,
        account: ExternalAccount,
        access: Access | None,
        return_to: str,
        user_agent: str,
    ) -> SignedIn:
        try:
            done = self.accounts.provision(
                account, access.roles if access else None, access.groups if access else None
            )
        except AccessDenied as exc:
            raise SignInError(str(exc)) from exc
        self._record_role_change(provider, done)
        token, session = self.sessions.start(done.user.name, provider, user_agent)
        self._record(
            done.user.name,
            "sign_in",
            provider=provider,
            created=done.before is None,
            roles=list(done.user.roles),
            groups=list(done.user.groups),
            session=session.public_id,
        )
        return SignedIn(done.user, token, session, return_to)

    def _record_role_change(self, provider: Provider, done: Provisioned) -> None:
        if done.before is None or not done.access_changed:
            return
        self._record(
            done.user.name,
            "role_change",
            provider=provider,
            before={"roles": list(done.before.roles), "groups": list(done.before.groups)},
            after={"roles": list(done.user.roles), "groups": list(done.user.groups)},
        )

    def _record(self, user: str, action: str, channel: str = "web", **extra: Any) -> None:
        self.audit.record(user, channel, action, "", [], extra=extra)


def end_all_sessions(sessions: SessionStore, audit: AuditLog, user: str, by: str, channel: str) -> int:
    """Sign a user out of every browser (their own "sign out everywhere", an admin, the CLI); audited."""
    ended = sessions.end_all(user)
    audit.record(user, channel, "session_end", "", [], extra={"sessions": ended, "by": by})
    return ended


def _oidc_account(claims: dict[str, Any]) -> ExternalAccount:
    hint = claims.get("preferred_username") or claims.get("email") or claims.get("name") or claims["sub"]
    return ExternalAccount(
        kind="oidc",
        subject=f"{claims['iss']} {claims['sub']}",
        name_hint=str(hint),
        email=str(claims["email"]) if claims.get("email") else None,
        email_verified=claims.get("email_verified") is True,
    )


def build_sign_in(services: Services) -> SignInService:
    """The service for these settings; the mapping file is read (and checked) here, once."""
    settings = services.settings
    oidc = None
    if settings.oidc_issuer and settings.oidc_client_id:
        secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
        oidc = OidcClient(settings.oidc_issuer, settings.oidc_client_id, secret, settings.oidc_scopes)
    wecom = None
    client = wecom_client(settings) if settings.wecom_signin_enabled else None
    if client is not None:
        wecom = WeComSignIn(client, settings.wecom_oauth_url, settings.wecom_qr_login_url)
    return SignInService(
        DirectoryAccounts(services.db, services.policy),
        services.sessions,
        SignInRequests(services.db),
        services.audit,
        DirectoryMapping.load(settings.signin_mapping_file, services.policy),
        settings.resolved_public_url,
        oidc=oidc,
        wecom=wecom,
    )
