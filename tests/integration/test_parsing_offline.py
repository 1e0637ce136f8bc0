"""Parsing works with no network at all (a fresh network namespace: `unshare -n`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.parsing_samples import ocr_has_line, write_samples, write_scanned_pdf

REPO = Path(__file__).resolve().parents[2]

# Runs in the child: parse every file, report text per file, and prove the network was gone.
CHILD = """
import json, socket, sys
from pathlib import Path
from ingest.loaders import parse_file
from unstructured.nlp import tokenize
try:
    socket.create_connection(("1.1.1.1", 443), timeout=2).close()
    online = True
except OSError:
    online = False
out = {"online": online, "docs": {}}
for name in sys.argv[1:]:
    doc = parse_file(Path(name))
    out["docs"][name] = {"text": doc.text, "ocr": doc.ocr_used, "blocks": len(doc.blocks)}
out["spacy_loaded"] = tokenize._get_nlp.cache_info().currsize == 1
print(json.dumps(out, ensure_ascii=False))
"""


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0


needs_unshare = pytest.mark.skipif(
    not _unshare_works(), reason="needs `unshare -n` (root or user namespaces) to remove the network"
)


def _parse_offline(files: list[str]) -> dict[str, dict[str, object]]:
    """Parse `files` in a child process that has no network; returns text/ocr/blocks per file."""
    run = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", CHILD, *files],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["online"] is False
    assert result["spacy_loaded"]  # unstructured's classifier ran, from the installed model
    docs: dict[str, dict[str, object]] = result["docs"]
    assert all(int(docs[f]["blocks"]) > 0 for f in files), {f: d["blocks"] for f, d in docs.items()}
    return docs


@needs_unshare
def test_every_format_parses_without_network(tmp_path: Path) -> None:
    samples = write_samples(tmp_path)
    scan, scan_lines = write_scanned_pdf(tmp_path / "scan.pdf")
    docs = _parse_offline([str(p) for p in [*samples.values(), scan]])
    assert "报价需要区域总监审批。" in str(docs[str(samples[".pptx"])]["text"])
    assert "知识库应服务于销售团队的实际需求。" in str(docs[str(samples[".docx"])]["text"])
    assert "Discounts above 15 percent" in str(docs[str(samples[".pdf"])]["text"])
    assert docs[str(scan)]["ocr"]
    assert all(ocr_has_line(str(docs[str(scan)]["text"]), line) for line in scan_lines)


@needs_unshare
def test_seed_documents_parse_without_network(seeds_dir: Path) -> None:
    seeds = sorted(str(p) for p in seeds_dir.iterdir() if p.is_file())
    docs = _parse_offline(seeds)
    assert "客戶" in str(docs[str(seeds_dir / "crm-handbook.pdf")]["text"])  # text layer, not empty
    assert "銷售線索管理" in str(docs[str(seeds_dir / "sales-workflow.pptx")]["text"])
    assert "销售管理平台" in str(docs[str(seeds_dir / "sales-platform-ops.md")]["text"])
