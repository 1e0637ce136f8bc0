"""`assistant serve` loads what the first question would wait for before it takes requests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = """
import sys, jieba
from assistant.config import Settings
from assistant.services import build_services
settings = Settings(_env_file=None, data_dir=sys.argv[1], embedder="hash", qdrant_url=None, database_url=None)
services = build_services(settings)
before = jieba.dt.initialized
services.assistant.warm_up()
print(before, jieba.dt.initialized)
services.close()
"""


def test_warm_up_loads_the_word_dictionary_before_the_first_question(tmp_path: Path) -> None:
    # A fresh process: in this one another test may have loaded the dictionary already.
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
