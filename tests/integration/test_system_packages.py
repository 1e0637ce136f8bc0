"""Everything the suite needs from Debian is named in the project's own install step (nothing by hand)."""

from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "system-packages.sh"

# What the tests use from the system, by the file they use; each must belong to a listed package.
USED_FILES = {
    "OCR engine": lambda: shutil.which("tesseract"),
    "Chinese OCR model": lambda: _first("/usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata"),
    "PDF to image": lambda: shutil.which("pdftoppm"),
    "font lookup": lambda: shutil.which("fc-list"),
    "CJK font for the OCR sample": lambda: _first("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "PostgreSQL server": lambda: _first("/usr/lib/postgresql/*/bin/initdb"),
    "browser": lambda: shutil.which("chromium"),
    "browser driver": lambda: shutil.which("chromedriver"),
    "file type detection": lambda: _first("/usr/lib/*-linux-gnu/libmagic.so.1"),
    "C compiler (tokenizer reference)": lambda: shutil.which("gcc"),
}


def _first(pattern: str) -> str | None:
    found = sorted(glob.glob(pattern))
    return found[0] if found else None


def _listed_packages() -> set[str]:
    out = subprocess.run(["bash", str(SCRIPT), "--list"], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def _provided_by_listed() -> set[str]:
    """The listed packages and what they pull in directly (`postgresql` -> `postgresql-15`)."""
    listed = _listed_packages()
    provided = set(listed)
    for pkg in listed:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Depends}", pkg], capture_output=True, text=True, check=False
        )
        for alternative in done.stdout.split(","):
            provided.update(name.split()[0].split(":")[0] for name in alternative.split("|") if name.strip())
    return provided


def _owner(path: str) -> str:
    real = str(Path(path).resolve())
    for candidate in (path, real):
        done = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return done.stdout.split(":")[0].strip()
    return ""


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian system: dpkg is missing")
@pytest.mark.parametrize("what", sorted(USED_FILES))
def test_system_file_comes_from_a_listed_package(what: str) -> None:
    path = USED_FILES[what]()
    assert path, f"{what}: not installed; `make system-packages` should have installed it"
    owner = _owner(path)
    assert owner in _provided_by_listed(), (
        f"{what} ({path}) comes from Debian package {owner!r}, which deploy/system-packages.sh does not install"
    )


def test_make_test_runs_the_install_step() -> None:
    makefile = (REPO / "Makefile").read_text()
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "system-packages" in test_rule
    assert (REPO / ".ci" / "run").read_text().strip().endswith("make test")
