"""The serving process: it owns the embedded shard, and tells local CLIs where to reach it."""

from __future__ import annotations

import gc
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from assistant.config import Settings
from assistant.index.ownership import ShardOwnership
from assistant.services import Services, build_services

LOCAL_TOKEN_PREFIX = "local_"


class ShardBusy(RuntimeError):
    """Another process holds the embedded index."""


@dataclass
class ServiceHost:
    """What a running service holds besides its services: the local admin token for CLI hand-off."""

    services: Services
    local_admin_token: str | None


def local_url(settings: Settings) -> str:
    """Where a CLI on this machine reaches the service (a wildcard bind is reached via loopback)."""
    host = settings.host
    if host in ("0.0.0.0", "", "::"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def freeze_startup_heap() -> None:
    """Leave what start-up built (models, tables, index handles: hundreds of thousands of objects that
    live as long as the process) out of the cyclic garbage collector's scans. Its full collections
    otherwise walk all of them, holding the GIL for a few hundred ms while every answer waits."""
    gc.collect()
    gc.freeze()


@contextmanager
def open_service_host(settings: Settings) -> Iterator[ServiceHost]:
    """Build services for serving. With the embedded index: hold the shard and publish a local token.

    Raises ShardBusy when another process (a running service, a long ingest) holds the shard.
    """
    if settings.qdrant_url:
        services = build_services(settings)
        try:
            yield ServiceHost(services, None)
        finally:
            services.close()
        return
    ownership = ShardOwnership(settings.data_dir)
    if not ownership.try_acquire():
        info = ownership.service_info()
        where = f" (a service at {info['url']}, pid {info.get('pid')})" if info else ""
        raise ShardBusy(f"the index in {settings.data_dir} is held by another process{where}; stop it first")
    try:
        services = build_services(settings)
        try:
            token = LOCAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
            ownership.publish_service(local_url(settings), token)
            yield ServiceHost(services, token)
        finally:
            services.close()
    finally:
        ownership.release()
