"""PDF text per page: the text layer via pdfminer.six, OCR (tesseract) when a page has none.

unstructured's `partition_pdf` needs the `unstructured[pdf]` extra (CUDA torch among others),
so PDFs are read here directly; page numbers are kept on every block.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import IngestError

# A page with fewer text characters than this is treated as scanned.
MIN_TEXT_CHARS = 20
OCR_DPI = 300
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])")


def join_wrapped_lines(text: str) -> str:
    """Undo line wrapping inside a paragraph: CJK lines join directly, latin lines with a space."""
    text = _CJK_BREAK.sub("", text.strip())
    return re.sub(r"\s*\n\s*", " ", text)


def pdf_text_pages(path: Path) -> list[list[str]]:
    """Paragraphs (pdfminer text boxes, wrapping undone) for each page, in order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    pages: list[list[str]] = []
    try:
        for layout in extract_pages(str(path), laparams=LAParams()):
            boxes = [el.get_text() for el in layout if isinstance(el, LTTextContainer)]
            pages.append([p for p in (join_wrapped_lines(b) for b in boxes) if p])
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise IngestError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    return pages


def ocr_page(path: Path, page_no: int, languages: str) -> list[str]:
    """OCR one page (1-based) with tesseract; paragraphs as tesseract separates them."""
    import pytesseract
    from pdf2image import convert_from_path

    try:
        images = convert_from_path(str(path), dpi=OCR_DPI, first_page=page_no, last_page=page_no)
        text = pytesseract.image_to_string(images[0], lang=languages) if images else ""
    except Exception as exc:  # poppler/tesseract missing or failing: say so, by file and page
        raise IngestError(f"{path}: page {page_no} has no text layer and OCR failed ({exc})") from exc
    paragraphs = re.split(r"\n\s*\n", text)
    return [p for p in (_join_ocr_lines(par) for par in paragraphs) if p]


def _join_ocr_lines(paragraph: str) -> str:
    # tesseract puts spaces between Han characters of chi_sim output; they are not content.
    joined = join_wrapped_lines(paragraph)
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])", "", joined)


def read_pdf(path: Path, ocr_languages: str) -> tuple[list[list[str]], bool]:
    """(paragraphs per page, whether OCR was used)."""
    pages = pdf_text_pages(path)
    ocr_used = False
    for i, paragraphs in enumerate(pages):
        if sum(len(p) for p in paragraphs) < MIN_TEXT_CHARS:
            ocr_text = ocr_page(path, i + 1, ocr_languages)
            if ocr_text:
                pages[i] = ocr_text
                ocr_used = True
    return pages, ocr_used
