"""Build the binary files of the sample knowledge base from the text specs in deploy/sample-kb-src.

Each spec `deploy/sample-kb-src/<path>.yaml` produces `deploy/sample-kb/<path>` (.docx .pdf .pptx
.xlsx .eml). The outputs are committed; run this again only after editing a spec:

    .venv/bin/python deploy/build_sample_kb.py

PDFs are rendered by LibreOffice (`soffice`) from a temporary .docx, with the Noto CJK fonts
(Debian: fonts-noto-cjk, libreoffice-writer-nogui), so they carry a real Chinese text layer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook
from pptx import Presentation
from pptx.util import Pt

DEPLOY = Path(__file__).resolve().parent
SRC = DEPLOY / "sample-kb-src"
KB = DEPLOY / "sample-kb"
CJK_FONT = "Noto Sans CJK SC"
# Fixed document dates keep rebuilt files from differing only by timestamp.
FIXED_DATE = datetime(2026, 1, 1)


def _use_cjk_font(document: Any) -> None:
    """Name a CJK font for East Asian text so LibreOffice renders (and embeds) real glyphs."""
    for style_name in ("Normal", "Heading 1", "Heading 2", "Title", "List Bullet"):
        style = document.styles[style_name]
        style.font.name = CJK_FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), CJK_FONT)


def build_docx(spec: dict[str, Any], target: Path) -> None:
    """Write headings, paragraphs, bullet lists and tables to a Word file."""
    document = Document()
    _use_cjk_font(document)
    document.core_properties.title = spec["title"]
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    for block in spec["blocks"]:
        (kind, value), *_ = block.items()
        if kind in ("h1", "h2"):
            document.add_heading(value, level=int(kind[1]))
        elif kind == "p":
            document.add_paragraph(value)
        elif kind == "bullets":
            for item in value:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, value, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = str(text)
        else:
            raise ValueError(f"unknown block {kind!r} in {target.name}")
    document.save(str(target))


def build_pdf(spec: dict[str, Any], target: Path) -> None:
    """Render the spec to .docx, then let LibreOffice turn it into a text-layer PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / (target.stem + ".docx")
        build_docx(spec, source)
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        rendered = Path(tmp) / (target.stem + ".pdf")
        if not rendered.exists():  # soffice exits 0 even when Writer is not installed
            raise SystemExit(f"soffice could not convert {source.name}: {done.stdout!r} {done.stderr!r}")
        shutil.copyfile(rendered, target)


def build_pptx(spec: dict[str, Any], target: Path) -> None:
    """One slide per entry: a title and a bulleted body."""
    deck = Presentation()
    deck.core_properties.title = spec["title"]
    deck.core_properties.created = FIXED_DATE
    deck.core_properties.modified = FIXED_DATE
    layout = deck.slide_layouts[1]  # "Title and Content"
    for entry in spec["slides"]:
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = entry["title"]
        body = slide.placeholders[1].text_frame
        for index, bullet in enumerate(entry["bullets"]):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            paragraph.text = bullet
            paragraph.font.size = Pt(20)
    deck.save(str(target))


def build_xlsx(spec: dict[str, Any], target: Path) -> None:
    """One worksheet per sheet spec; the first row is the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    for sheet in spec["sheets"]:
        worksheet = workbook.create_sheet(sheet["name"])
        for row in sheet["rows"]:
            if len(row) != len(sheet["rows"][0]):  # an unquoted "1,980" in YAML splits a cell
                raise ValueError(f"{target.name}: row {row!r} does not match the header")
            worksheet.append([str(cell) for cell in row])
        for column in "ABCDEFG":
            worksheet.column_dimensions[column].width = 40
    workbook.save(str(target))


def build_eml(spec: dict[str, Any], target: Path) -> None:
    """A plain-text UTF-8 e-mail with the spec's headers."""
    message = EmailMessage()
    for name, value in spec["headers"].items():
        message[name] = value
    message.set_content(spec["body"], cte="8bit")  # readable in the repo; parsers decode it either way
    target.write_bytes(bytes(message))


BUILDERS = {
    ".docx": build_docx,
    ".pdf": build_pdf,
    ".pptx": build_pptx,
    ".xlsx": build_xlsx,
    ".eml": build_eml,
}


def main() -> int:
    """Build every spec; print each output with its size."""
    for spec_path in sorted(SRC.rglob("*.yaml")):
        relative = spec_path.relative_to(SRC).with_suffix("")  # drop ".yaml"
        target = KB / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        BUILDERS[target.suffix](spec, target)
        print(f"{relative}  {target.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
