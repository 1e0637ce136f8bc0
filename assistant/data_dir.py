"""The data dir holds the whole knowledge base and every stored answer: readable by this OS user only."""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
DIR_MODE = 0o700
FILE_MODE = 0o600


def secure_data_dir(path: Path) -> None:
    """Create the data dir 0700 and tighten what is already in it (dirs 0700, files 0600).

    Files created later inside it stay private however the umask reads: nobody else can enter.
    What this user does not own (a mounted volume) is left as it is, with a warning.
    """
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(str(path), DIR_MODE)
    for folder, dirs, files in os.walk(path):
        for name in dirs:
            _tighten(os.path.join(folder, name), DIR_MODE)
        for name in files:
            _tighten(os.path.join(folder, name), FILE_MODE)


def _tighten(path: str, mode: int) -> None:
    if os.path.islink(path):
        return
    try:
        os.chmod(path, mode)
    except PermissionError:
        log.warning("cannot make %s private (mode %o): not owned by this user", path, mode)


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (SQLite then opens it as it is)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
