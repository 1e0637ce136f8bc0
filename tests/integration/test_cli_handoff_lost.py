"""Break 9: when the service dies during an ingest hand-off, the CLI says so in one line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from assistant.index.ownership import ShardOwnership
from tests.integration.api_kb import write_kb


class _DiesAfterQueueing(BaseHTTPRequestHandler):
    """Accepts the ingest job, then the 'service' goes away before the CLI polls it."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps({"job_id": "j1", "status": "queued"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        threading.Thread(target=self.server.shutdown, daemon=True).start()

    def log_message(self, *args: object) -> None:
        pass


def test_service_dying_mid_handoff_is_one_clear_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DiesAfterQueueing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    owner = ShardOwnership(data_dir)
    assert owner.try_acquire()
    owner.publish_service(f"http://127.0.0.1:{server.server_address[1]}", "local_test")
    try:
        env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_EMBEDDER": "hash"}
        env.pop("ASSISTANT_QDRANT_URL", None)
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "ingest", str(write_kb(tmp_path / "kb"))],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        owner.release()
        thread.join(timeout=10)
        server.server_close()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "stopped answering" in result.stderr and "run the same command again" in result.stderr
