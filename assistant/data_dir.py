"""The data dir holds the whole knowledge base and every stored answer: readable by this OS user only."""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def secure_data_dir(path: Path) -> None:
    """Create the data dir 0700 and tighten what is already in it (dirs 0700, files 0600).

    Files created later inside it stay private however the umask reads: nobody else can enter.
    """
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    for folder, dirs, files in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(folder, name), DIR_MODE, follow_symlinks=False)
        for name in files:
            full = os.path.join(folder, name)
            if not os.path.islink(full):
                os.chmod(full, FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (SQLite then opens it as it is)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
