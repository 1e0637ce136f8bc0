"""YAML front matter at the top of Markdown files (`---` ... `---`)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ingest.errors import MetadataError

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, body); `source` names the file in errors."""
    match = _FENCE.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise MetadataError(f"{source}: front matter is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise MetadataError(f"{source}: front matter must be a mapping of field: value")
    return data, text[match.end() :]
