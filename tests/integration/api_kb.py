"""A tiny knowledge base, a real app over it, and a uvicorn thread: shared by the test_api_* files.

Every confidential document carries the word SECRET_MARKER, so a test can check that a rep sees
nothing of them anywhere in a response.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from assistant.services import Services, build_services
from ingest.payloads import doc_id_for

SECRET_MARKER = "Zebraquota"

DOCS = {
    "products/orion-overview.md": """---
title: Orion product overview
doc_type: product
access_level: internal
---
# Orion overview

Orion is our analytics platform for retail chains. Orion ships with dashboards, alerts and an ERP
data connector. Orion deployment takes about six weeks for a typical retail chain.
""",
    "policies/orion-discount.md": f"""---
title: Orion discount approval policy
doc_type: policy
access_level: confidential
groups: [east]
---
# Orion discount approval

Managers may approve the {SECRET_MARKER} special discount of up to 37 percent on Orion for
strategic retail accounts. The Orion discount approval needs a signed pricing form.
""",
    "talk-tracks/orion-price-objection.md": f"""---
title: Orion price objection talk track
doc_type: talk_track
access_level: confidential
groups: [east]
talk_track:
  situation: customer says Orion is too expensive
  script: Offer the {SECRET_MARKER} bundle price and show the retail payback numbers.
  proof_points: [{SECRET_MARKER} payback in nine months]
---
# Orion price objection

When the customer says Orion is too expensive, offer the {SECRET_MARKER} bundle price.
""",
    "cases/orion-retail-case.md": f"""---
title: Orion retail case study
doc_type: case_study
access_level: confidential
groups: [east]
---
# Orion at a retail chain

The retail chain cut stock-outs by 30 percent with Orion alerts in the {SECRET_MARKER} rollout.
The customer renewed Orion for three years.
""",
}
SECRET_SOURCES = [name for name in DOCS if "confidential" in DOCS[name]]
PUBLIC_SOURCE = "products/orion-overview.md"


def write_kb(folder: Path, docs: dict[str, str] | None = None) -> Path:
    for name, text in (docs or DOCS).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def doc_id(source: str) -> str:
    return doc_id_for(source)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kb_settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **{"embedder": "hash", **overrides})  # type: ignore[call-arg]


@dataclass
class Api:
    """A real app over a real embedded index, with one token per test user."""

    services: Services
    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


USERS = {"rep": (["rep"], ["east"]), "manager": (["manager"], ["east"]), "admin": (["admin"], [])}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("api")
    services = build_services(kb_settings(root / "data", rate_limit_per_minute=10_000))
    report = services.ingest.ingest([write_kb(root / "kb")])
    assert report.ok and len(report.added) == len(DOCS), report.as_dict()
    tokens = {
        name: services.users.add_user(name, roles, groups)[1] for name, (roles, groups) in USERS.items()
    }
    app = create_app(services.settings, services)
    with TestClient(app) as client:
        yield Api(services, app, client, tokens)
    services.close()


class ServerThread:
    """uvicorn serving an app on 127.0.0.1 in a thread, for clients that need a real socket."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="uvicorn-test")

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start (see the log above)")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
