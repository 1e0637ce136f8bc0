"""The README names every setting: a setting added without a line there is one nobody can find."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`ASSISTANT_{name.upper()}`" not in text]
    assert missing == [], f"settings missing from README.md: {missing}"
