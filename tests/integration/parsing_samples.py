"""Small files of every supported format, written into a temp folder for the parsing tests."""

from __future__ import annotations

import subprocess
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
from pptx import Presentation

ROWS = [
    ("场景", "话术", "证据"),
    ("客户嫌贵", "先谈价值再谈价格。", "ROI 6 个月"),
    ("竞品比较", "强调本地服务。", ""),
]
OCR_TEXT = ("销售知识库", "Sales Playbook 2024")


def write_samples(folder: Path) -> dict[str, Path]:
    """Suffix -> path of a small document holding known text."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        ".docx": _docx(folder / "plan.docx"),
        ".pptx": _pptx(folder / "deck.pptx"),
        ".xlsx": _xlsx(folder / "tracks.xlsx"),
        ".csv": _write(folder / "faq.csv", "问题,答案\n支持私有部署吗?,支持，提供离线安装包。\n"),
        ".md": _write(
            folder / "notes.md",
            "---\ntitle: 笔记\naccess_level: public\n---\n# 产品概览\n\n销售(shòu)平台支持离线部署。\n",
        ),
        ".html": _write(
            folder / "page.html", "<html><body><h1>报价政策</h1><p>折扣不超过百分之十五。</p></body></html>"
        ),
        ".txt": _write(folder / "memo.txt", "一、背景\n\n客户希望降低获客成本。\n"),
        ".eml": _eml(folder / "mail.eml"),
    }
    files[".pdf"] = _text_pdf(
        folder / "text.pdf", ["Pricing policy", "Discounts above 15 percent need approval."]
    )
    return files


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("销售知识库方案", level=1)
    document.add_paragraph("一、规划与设计")  # outline number without a heading style
    document.add_paragraph("知识库应服务于销售团队的实际需求。")
    table = document.add_table(rows=0, cols=3)
    for row in ROWS:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def _pptx(path: Path) -> Path:
    deck = Presentation()
    for title, body in (("线索管理", "线索来源包括展会和官网。"), ("成交管理", "报价需要区域总监审批。")):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    deck.save(str(path))
    return path


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "话术"
    for row in ROWS:
        sheet.append(list(row))
    book.save(str(path))
    return path


def _eml(path: Path) -> Path:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "rep@example.com", "team@example.com", "Follow-up"
    msg.set_content("Thanks for the demo. The pilot starts on Monday.")
    path.write_bytes(bytes(msg))
    return path


def _text_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with a real text layer (Helvetica, so latin text only)."""
    stream = "BT /F1 14 Tf 72 720 Td " + " ".join(f"({ln}) Tj 0 -24 Td" for ln in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


# The font `deploy/system-packages.sh` installs (fonts-noto-cjk); any other CJK font found by fontconfig
# will do as well.
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def cjk_font() -> str:
    """A font file that can draw Chinese; fails with the install command when there is none."""
    if NOTO_CJK.exists():
        return str(NOTO_CJK)
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
        ).stdout
    except FileNotFoundError:
        out = ""
    fonts = sorted(line.split(":")[0] for line in out.splitlines() if line.strip())
    regular = [f for f in fonts if "Regular" in f or "microhei" in f.lower()]
    if not (regular or fonts):
        raise RuntimeError(
            "no CJK font installed: the Chinese OCR sample needs one; run `make system-packages` "
            "(deploy/system-packages.sh installs fonts-noto-cjk)"
        )
    return (regular or fonts)[0]


def write_scanned_pdf(path: Path) -> tuple[Path, list[str]]:
    """An image-only PDF (no text layer) with a Chinese and an English line; returns the path and lines."""
    from PIL import Image, ImageDraw, ImageFont

    lines = list(OCR_TEXT)
    image = Image.new("RGB", (1000, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font(), 64)
    for i, line in enumerate(lines):
        draw.text((40, 40 + i * 110), line, fill="black", font=font)
    image.save(path, "PDF", resolution=300)
    return path, lines


def ocr_has_line(ocr_text: str, line: str) -> bool:
    """Whether OCR read `line`: Chinese compared without spaces (tesseract spaces out CJK characters),
    anything else with runs of whitespace folded, so like is compared with like."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in line):
        return line.replace(" ", "") in ocr_text.replace(" ", "")
    return " ".join(line.split()) in " ".join(ocr_text.split())
