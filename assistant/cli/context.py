"""What every command needs: settings, services with the shard lock held, clear failures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from assistant.cli.database import fail
from assistant.config import Settings, get_settings
from assistant.index import IndexModelMismatch
from assistant.index.ownership import ShardOwnership
from assistant.services import Services, build_services


class ServiceRunning(Exception):
    """The embedded index is owned by a running service; talk to it instead."""

    def __init__(self, info: dict[str, Any]) -> None:
        super().__init__("the index is owned by a running service")
        self.info = info


def load_settings() -> Settings:
    try:
        return get_settings()
    except Exception as exc:  # pydantic validation: say which setting is wrong
        fail(f"invalid settings: {exc}")


@contextmanager
def open_services(
    settings: Settings, check_model: bool = True, beside_loading: Callable[[], None] = lambda: None
) -> Iterator[Services]:
    """Services for this command. Raises ServiceRunning when a service owns the embedded shard.
    `beside_loading` starts what can run while they load (once the index is ours)."""
    ownership = ShardOwnership(settings.data_dir)
    if not settings.qdrant_url and not ownership.try_acquire():
        info = ownership.service_info()
        if info:
            raise ServiceRunning(info)
        fail(f"the index in {settings.data_dir} is in use by another process; wait for it to finish")
    beside_loading()
    try:
        services = build_services(settings, check_model=check_model)
    except IndexModelMismatch as exc:
        ownership.release()
        fail(str(exc))
    try:
        yield services
    finally:
        services.close()
        ownership.release()


@contextmanager
def service_client(info: dict[str, Any]) -> Iterator[httpx.Client]:
    """An HTTP client to the local service, authenticated with its local admin token.

    A service that stops answering, or refuses, ends the command with one line instead of a traceback.
    """
    url = info["url"]
    try:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {info['token']}"}, timeout=30
        ) as client:
            yield client
    except httpx.TransportError as exc:
        fail(
            f"the service at {url} stopped answering ({type(exc).__name__}); check that it is running, "
            "then run the same command again (unchanged files are skipped)"
        )
    except httpx.HTTPStatusError as exc:
        fail(
            f"the service at {url} refused the request: HTTP {exc.response.status_code} {_message(exc.response)}"
        )


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]
