"""Tables as rows of column -> value: spreadsheets, CSV, and tables inside documents."""

from __future__ import annotations

import csv
from pathlib import Path

from ingest.errors import IngestError


def rows_from_grid(grid: list[list[str]]) -> list[dict[str, str]]:
    """First non-empty row is the header; each later non-empty row becomes column -> value."""
    cleaned = [[cell.strip() for cell in row] for row in grid]
    cleaned = [row for row in cleaned if any(row)]
    if len(cleaned) < 2:
        return [{f"col{i + 1}": v for i, v in enumerate(row) if v} for row in cleaned]
    header = [name or f"col{i + 1}" for i, name in enumerate(cleaned[0])]
    rows = []
    for row in cleaned[1:]:
        fields = {header[i] if i < len(header) else f"col{i + 1}": v for i, v in enumerate(row) if v}
        if fields:
            rows.append(fields)
    return rows


def grid_from_html(html: str) -> list[list[str]]:
    """Cells of an HTML table (as unstructured's `text_as_html` gives it)."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    return [[cell.text_content() for cell in tr.xpath("./th|./td")] for tr in root.iter("tr")]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IngestError(f"{path}: CSV is neither UTF-8 nor GB18030 text")
    # csv.Sniffer guesses wrong on Chinese prose full of commas; the header line decides.
    header = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=header.count)
    return [list(row) for row in csv.reader(text.splitlines(), delimiter=delimiter)]


def read_xlsx(path: Path) -> dict[str, list[list[str]]]:
    """Sheet name -> grid of cell texts (computed values, not formulas)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            sheet.title: [
                ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
    finally:
        book.close()
