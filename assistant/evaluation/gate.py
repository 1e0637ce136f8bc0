"""The gate: metrics against eval/thresholds.yaml; any failure fails `make test`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.evaluation.golden import EVAL_DIR

THRESHOLDS = EVAL_DIR / "thresholds.yaml"


def thresholds_for(set_name: str, path: Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    """{'min': {...}, 'max': {...}} for this set: the defaults, with the set's own values on top."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    default = data.get("default") or {}
    own = (data.get("sets") or {}).get(set_name) or {}
    merged = {}
    for bound in ("min", "max"):
        values = {**(default.get(bound) or {}), **(own.get(bound) or {})}
        merged[bound] = {k: float(v) for k, v in values.items() if v is not None}
    return merged


def gate_failures(summary: dict[str, Any], limits: dict[str, dict[str, float]]) -> list[str]:
    """One line per metric outside its bound; a metric the run did not produce counts as a failure."""
    failures = []
    for name, floor in limits.get("min", {}).items():
        value = summary.get(name)
        if value is None or value < floor:
            failures.append(f"{name} = {value} is below the threshold {floor}")
    for name, ceiling in limits.get("max", {}).items():
        value = summary.get(name)
        if value is None or value > ceiling:
            failures.append(f"{name} = {value} is above the limit {ceiling:g}")
    return failures
