"""Shared fixtures. Plugins in tests/plugins_*.py add the heavier ones (PostgreSQL, fakes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.access import AccessPolicy
from assistant.config import Settings

# Everything runs offline: no model hub, no telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("SCARF_NO_ANALYTICS", "true")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT.parent / "shared" / "corpus" / "seeds"
SAMPLE_KB = REPO_ROOT / "deploy" / "sample-kb"

pytest_plugins: list[str] = ["tests.plugins_postgres"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings isolated in a temporary data dir, with the fast hash embedder."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", embedder="hash")  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def policy() -> AccessPolicy:
    return AccessPolicy.load()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.exists():
        # Said loudly in the summary (-ra): the seed corpus lives beside the checkout, not in it.
        pytest.skip(
            f"seed corpus missing at {SEEDS} (clone the project with its shared/ folder beside it); "
            "only the seed-document checks are skipped, the generated samples are still tested"
        )
    return SEEDS
