"""One process owns an embedded shard. A second one (the CLI) hands its work to the owner."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import IO, Any


class ShardOwnership:
    """An exclusive lock file in the data dir, plus where the owning service listens."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.lock_path = self.data_dir / "index.lock"
        self.info_path = self.data_dir / "service.json"
        self._handle: IO[str] | None = None

    def try_acquire(self) -> bool:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+")  # noqa: SIM115 - held for the process lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
        self.info_path.unlink(missing_ok=True)

    def publish_service(self, url: str, token: str) -> None:
        """Tell local CLIs where to send ingest jobs; readable by this OS user only."""
        fd = os.open(self.info_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"url": url, "token": token, "pid": os.getpid()}, f)

    def service_info(self) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self.info_path.read_text()))
        except (OSError, ValueError):
            return None
