"""A local fake of the Qdrant REST API, as far as creating a collection goes: records what the client sent.

qdrant-client's local mode accepts shard_number / replication_factor / write_consistency_factor and drops
them, so only the HTTP request shows whether a cluster would get them. No Qdrant server runs here.

with FakeQdrantApi() as qdrant:
    client = QdrantClient(url=qdrant.root_url)
    ...
    qdrant.created["sales_kb"]  # the JSON body of PUT /collections/sales_kb
"""

from __future__ import annotations

import threading
from importlib.metadata import version
from typing import Any

from tests.fakes.local_http import LocalHttpFake, Reply

# The server version the client expects (it warns on a minor version more than one apart).
VERSION = version("qdrant-client")


def _ok(result: Any) -> Reply:
    return Reply({"result": result, "status": "ok", "time": 0.0})


class FakeQdrantApi(LocalHttpFake):
    def __init__(self) -> None:
        super().__init__()
        self.created: dict[str, dict[str, Any]] = {}
        self.payload_indexes: dict[str, list[str]] = {}
        self.version_checks = 0
        self.clients = 1  # how many clients a test makes: each asks the version once
        self.checked = threading.Condition(self.lock)
        self.refuse_create = ""  # an error to answer every create-collection request with

    def __exit__(self, *exc: object) -> None:
        # qdrant-client asks the server version from a thread of its own: answer it before closing.
        with self.checked:
            self.checked.wait_for(lambda: self.version_checks >= self.clients, timeout=5)
        super().__exit__(*exc)

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        parts = path.strip("/").split("/")
        with self.lock:
            if verb == "GET" and parts == [""]:
                self.version_checks += 1
                self.checked.notify_all()
                return Reply({"title": "qdrant - vector search engine", "version": VERSION})
            if verb == "GET" and len(parts) == 3 and parts[2] == "exists":
                return _ok({"exists": parts[1] in self.created})
            if verb == "PUT" and len(parts) == 2 and parts[0] == "collections":
                if parts[1] in self.created:
                    error = f"Collection `{parts[1]}` already exists!"
                    return Reply({"status": {"error": error}, "time": 0.0}, status=409)
                if self.refuse_create:
                    return Reply({"status": {"error": self.refuse_create}, "time": 0.0}, status=400)
                self.created[parts[1]] = body
                return _ok(True)
            if verb == "PUT" and len(parts) == 3 and parts[2] == "index":
                self.payload_indexes.setdefault(parts[1], []).append(str(body.get("field_name")))
                return _ok({"operation_id": 0, "status": "completed"})
        return Reply({"status": {"error": f"not in this fake: {verb} {path}"}}, status=404)
