"""Prompt files in `assistant/prompts/`, loaded by name: `<name>.<zh|en>.md` with `### system` and `### user` parts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

# Shipped inside the package (package data), so an installed wheel finds them as a checkout does.
PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with `${name}` placeholders filled; inserted values are never re-parsed."""
        return Template(self.system).safe_substitute(values), Template(self.user).safe_substitute(values)


@lru_cache(maxsize=32)
def load_prompt(name: str, language: str, folder: Path = PROMPTS_DIR) -> Prompt:
    """The prompt `name` for language `zh` or `en`. Raises FileNotFoundError naming the file."""
    path = folder / f"{name}.{language}.md"
    text = path.read_text(encoding="utf-8")
    if "### user" not in text:
        raise ValueError(f"{path}: needs a '### user' section")
    system, user = text.split("### user", 1)
    return Prompt(system.replace("### system", "", 1).strip(), user.strip())
