"""The import graph keeps the picture in STYLE.md true: stages import downwards only, and no cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OURS = ("assistant", "ingest")

# Lower numbers are lower layers. A module may import its own group and groups of a lower rank only.
RANK = {
    "assistant": 0,  # the package root (version)
    "assistant.text": 0,
    "assistant.config": 0,
    "assistant.data_dir": 0,  # private data dir and files (db, manifest, index use it)
    "assistant.rate_limits": 0,  # per-person request budget (API and channels share one)
    "assistant.access": 1,
    "assistant.embedding": 1,
    "assistant.index": 2,
    "assistant.db": 2,
    "ingest": 3,
    "assistant.retrieval": 4,
    "assistant.curation": 4,  # curated answers, review queue, analytics: over db, index and ingest
    "assistant.answer": 5,
    "assistant.services": 6,
    "assistant.evaluation": 7,
    "assistant.channels": 7,
    "assistant.api": 8,
    "assistant.bench": 9,
    "assistant.cli": 10,
    "assistant.__main__": 11,
}
# Beside the ranks: the query side reads text through assistant.text, never through the ingest stage.
FORBIDDEN = {("assistant.retrieval", "ingest"), ("assistant.answer", "ingest")}


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _group(module: str) -> str:
    parts = module.split(".")
    return "ingest" if parts[0] == "ingest" else ".".join(parts[:2])


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for top in OURS:
        for path in sorted((REPO / top).rglob("*.py")):
            yield _module(path), ast.parse(path.read_text(encoding="utf-8"))


def _imported(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolve against this module's package
        base = module.split(".")[: -node.level]
        return [".".join([*base, node.module] if node.module else base)]
    return [node.module or ""]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                lines.update(range(sub.lineno, (sub.end_lineno or sub.lineno) + 1))
    return lines


def _edges() -> list[tuple[str, str, int, bool]]:
    """(importer, imported, line, top_level) for every import of our own code outside TYPE_CHECKING."""
    edges = []
    for module, tree in _sources():
        skip = _type_checking_lines(tree)
        local = {
            sub.lineno
            for fn in ast.walk(tree)
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
            for sub in ast.walk(fn)
            if isinstance(sub, (ast.Import, ast.ImportFrom))
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno not in skip:
                for name in _imported(node, module):
                    if name.split(".")[0] in OURS:
                        edges.append((module, name, node.lineno, node.lineno not in local))
    return edges


def test_every_group_has_a_rank() -> None:
    groups = {_group(module) for module, _ in _sources()}
    assert groups <= set(RANK), f"add these to RANK: {sorted(groups - set(RANK))}"


def test_no_stage_imports_a_higher_one() -> None:
    wrong = []
    for importer, imported, line, _ in _edges():
        src, dst = _group(importer), _group(imported)
        if src == dst:
            continue
        if RANK[dst] >= RANK[src] or (src, dst) in FORBIDDEN:
            wrong.append(f"{importer}:{line} imports {imported} ({src} -> {dst})")
    assert wrong == []


def test_no_function_local_imports_of_our_own_code() -> None:
    found = [f"{importer}:{line} imports {imported}" for importer, imported, line, top in _edges() if not top]
    assert found == []


def _resolve(name: str, modules: set[str]) -> str | None:
    """`from assistant.db import AuditLog` -> the module `assistant.db`; a name inside a module -> the module."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def test_no_import_cycles() -> None:
    modules = {module for module, _ in _sources()}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for importer, imported, _, top in _edges():
        target = _resolve(imported, modules)
        if top and target and target != importer:
            graph[importer].add(target)
    cycles = _cycles(graph)
    assert cycles == [], cycles


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize(
    ("importer", "imported", "expected"),
    [("ingest.pipeline", "assistant.api.app", False), ("assistant.api.app", "ingest.jobs", True)],
)
def test_the_rank_rule_itself(importer: str, imported: str, expected: bool) -> None:
    src, dst = _group(importer), _group(imported)
    assert (RANK[dst] < RANK[src]) is expected
