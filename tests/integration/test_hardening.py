"""Break 9: the data dir is private to this OS user; headers, probes and docs expose nothing."""

from __future__ import annotations

import stat
from pathlib import Path

from assistant.config import Settings
from assistant.services import build_services


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_and_its_files_are_private(settings: Settings) -> None:
    services = build_services(settings)
    try:
        _ = services.users.list_users()  # the database file exists from here on
        data = settings.data_dir
        assert _mode(data) == 0o700
        assert _mode(data / "assistant.db") == 0o600
        assert _mode(settings.manifest_path) == 0o600
    finally:
        services.close()


def test_an_existing_open_data_dir_is_tightened(settings: Settings) -> None:
    data = settings.data_dir
    data.mkdir(mode=0o755)
    (data / "notes.txt").write_text("x")
    (data / "notes.txt").chmod(0o644)
    (data / "sub").mkdir(mode=0o755)
    build_services(settings).close()
    assert _mode(data) == 0o700 and _mode(data / "sub") == 0o700
    assert _mode(data / "notes.txt") == 0o600
