"""Document metadata: merged from front matter, sidecar, folder `_meta.yaml`, CLI and defaults."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.access import AccessPolicy
from assistant.text.glossary import GLOSSARY_FILE
from assistant.text.language import detect_language
from assistant.text.normalize import strip_pinyin
from ingest.errors import MetadataError
from ingest.front_matter import split_front_matter

# `curated_answer` is written by curators in the database (assistant/curation), not found in files.
DOC_TYPES = (
    "product",
    "case_study",
    "talk_track",
    "competitor",
    "faq",
    "policy",
    "playbook",
    "curated_answer",
)
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
FOLDER_META = "_meta.yaml"
SIDECAR_SUFFIX = ".meta.yaml"
# Path words that name a document type, checked in this order; first hit wins.
_TYPE_HINTS = (
    ("talk_track", ("talk-track", "talk_track", "talktrack", "话术", "話術")),
    ("case_study", ("case-stud", "case_stud", "casestud", "案例")),
    ("competitor", ("competitor", "竞品", "競品", "竞争", "競爭")),
    ("faq", ("faq", "常见问题", "常見問題", "问答", "問答")),
    ("policy", ("policy", "policies", "制度", "政策", "规范", "規範")),
    ("playbook", ("playbook", "手册", "手冊", "指南", "workflow", "流程")),
)


class TalkTrack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    situation: str | None = None
    persona: str | None = None
    competitor: str | None = None
    script: str | None = None
    proof_points: list[str] = Field(default_factory=list)
    stage: str | None = None


class DocumentMeta(BaseModel):
    """Everything stamped on a document's chunks besides the text. `groups == []` means everyone."""

    model_config = ConfigDict(extra="forbid")
    title: str
    doc_type: str = "product"
    access_level: str = "internal"
    groups: list[str] = Field(default_factory=list)
    product_line: str | None = None
    industry: str | None = None
    sales_stage: str | None = None
    owner: str | None = None
    effective: datetime.date | None = None
    expires: datetime.date | None = None
    language: str | None = None
    talk_track: TalkTrack | None = None
    # "required": a new version waits for a second curator before it goes live.
    review: Literal["required", "none"] | None = None
    # Days between the owner's verifications; default per doc_type (ASSISTANT_VERIFY_EVERY).
    verify_every: int | None = Field(default=None, ge=1, le=3650)

    @model_validator(mode="before")
    @classmethod
    def _talk_track_fields_may_be_top_level(cls, data: Any) -> Any:
        """Front matter often says `situation:` / `script:` directly; they belong to `talk_track`."""
        if not isinstance(data, dict):
            return data
        lifted = {k: data[k] for k in TalkTrack.model_fields if k in data}
        if not lifted:
            return data
        rest = {k: v for k, v in data.items() if k not in lifted}
        nested = dict(rest.get("talk_track") or {})
        rest["talk_track"] = {**lifted, **nested}
        return rest

    @field_validator("groups", mode="before")
    @classmethod
    def _one_group_is_a_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("doc_type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in DOC_TYPES:
            raise ValueError(f"{v!r} is not one of {', '.join(DOC_TYPES)}")
        return v

    @field_validator("language")
    @classmethod
    def _known_language(cls, v: str | None) -> str | None:
        if v is not None and v not in LANGUAGES:
            raise ValueError(f"{v!r} is not one of {', '.join(LANGUAGES)}")
        return v

    @model_validator(mode="after")
    def _dates_in_order(self) -> DocumentMeta:
        if self.effective and self.expires and self.expires < self.effective:
            raise ValueError("expires is before effective")
        return self


def is_metadata_file(path: Path) -> bool:
    """Sidecars, folder `_meta.yaml` and `_glossary.yaml` describe documents; they are not documents."""
    return path.name in (FOLDER_META, GLOSSARY_FILE) or path.name.endswith(SIDECAR_SUFFIX)


def infer_doc_type(path: Path) -> str:
    words = "/".join(path.parts).lower()
    return next((t for t, hints in _TYPE_HINTS if any(h in words for h in hints)), "product")


def _load_yaml(path: Path, root: Path) -> dict[str, Any]:
    name = _display(path, root)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MetadataError(f"{name}: cannot read metadata ({exc})") from exc
    if not isinstance(data, dict):
        raise MetadataError(f"{name}: must be a mapping of field: value")
    return data


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _folder_files(path: Path, root: Path) -> list[Path]:
    """`_meta.yaml` files from root down to the document's folder (farthest first)."""
    folder, found = path.parent.resolve(), []
    top = root.resolve()
    while True:
        if (folder / FOLDER_META).is_file():
            found.append(folder / FOLDER_META)
        if folder == top or folder.parent == folder or top not in folder.parents:
            break
        folder = folder.parent
    return found[::-1]


def metadata_files(path: Path, root: Path) -> list[Path]:
    """Every metadata file that describes this document, weakest first (folders, then the sidecar)."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    return _folder_files(path, root) + ([sidecar] if sidecar.is_file() else [])


def resolve_metadata(
    path: Path,
    root: Path,
    overrides: dict[str, Any] | None,
    policy: AccessPolicy,
    front_matter: dict[str, Any] | None = None,
    parsed: Any = None,
) -> DocumentMeta:
    """Merge the sources (front matter > sidecar > nearest `_meta.yaml` > CLI > defaults) and validate.

    `parsed` (a ParsedDocument) supplies the default title and the text for language detection.
    Raises MetadataError naming the file that set the bad field.
    """
    path, name = Path(path), _display(Path(path), root)
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}

    def apply(data: dict[str, Any], source: str) -> None:
        for key, value in data.items():
            if value is not None:
                merged[key], origin[key] = value, source

    apply(_defaults(path, parsed), f"{name} (defaults)")
    apply({k: v for k, v in (overrides or {}).items() if v not in (None, [], ())}, f"{name} (command line)")
    for meta_file in metadata_files(path, root):
        apply(_load_yaml(meta_file, root), _display(meta_file, root))
    if front_matter is None and path.suffix.lower() == ".md" and path.is_file():
        front_matter, _ = split_front_matter(path.read_text(encoding="utf-8", errors="replace"), name)
    apply(front_matter or {}, f"{name} (front matter)")
    return _validate(merged, origin, policy, name)


def _defaults(path: Path, parsed: Any) -> dict[str, Any]:
    text = parsed.text if parsed is not None else ""
    return {
        "title": _default_title(path, parsed),
        "doc_type": infer_doc_type(path),
        "access_level": "internal",
        "language": detect_language(text) if text else None,
    }


# Copyright notices and upload disclaimers open many scraped documents: never a title.
_NOTICE = re.compile(
    r"版权|版權|copyright|©|免责|免責|侵权|侵權|all rights reserved|disclaimer", re.IGNORECASE
)
# "企業產品銷售與客戶關係管理手冊1.第一章…": a title run into its table of contents.
_NAME_BEFORE_CONTENTS = re.compile(
    r"^([\u4e00-\u9fff（）()《》A-Za-z ]{6,40}?)\s*(?:1[.、]|第一章|目录|目錄)"
)
TITLE_LINES = 5
MIN_TITLE_CHARS = 5  # "文档简介" and other four-character site labels are not titles


def _default_title(path: Path, parsed: Any) -> str:
    """First heading; else the first short line that is not a notice or a site label (a PDF's cover
    title); else the name a run-on contents line opens with; else the file name."""
    if parsed is not None:
        if parsed.first_heading:
            return str(parsed.first_heading)
        lines = [strip_pinyin(b.text).strip() for b in parsed.blocks[:TITLE_LINES] if b.kind != "table_row"]
        lines = [ln for ln in lines if ln and "\n" not in ln and not _NOTICE.search(ln)]
        short = next((ln for ln in lines if MIN_TITLE_CHARS <= len(ln) <= 60), None)
        if short:
            return short
        opening = next((m.group(1) for ln in lines if (m := _NAME_BEFORE_CONTENTS.match(ln))), None)
        if opening:
            return opening
    return path.stem


def _validate(
    merged: dict[str, Any], origin: dict[str, str], policy: AccessPolicy, name: str
) -> DocumentMeta:
    if "group" in merged:  # the CLI flag is --group; files may use either spelling
        merged["groups"], origin["groups"] = merged.pop("group"), origin.pop("group")
    try:
        meta = DocumentMeta.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        where = origin.get(field, name)
        detail = (
            "unknown field" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
        )
        shown = f"field '{'.'.join(map(str, err['loc']))}'" if field else "metadata"
        raise MetadataError(f"{where}: {shown}: {detail}") from exc
    if meta.access_level not in policy.levels:
        where = origin.get("access_level", name)
        raise MetadataError(
            f"{where}: field 'access_level': {meta.access_level!r} is not one of {', '.join(policy.levels)}"
        )
    return meta
