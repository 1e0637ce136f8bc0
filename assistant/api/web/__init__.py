"""The web chat's templates and static files (no CDN: everything is served from here)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=WEB_DIR / "templates")

# What the document view shows a reader of a document's metadata; ids, access levels, groups,
# versions and states are for developers and curators (they stay in the JSON API).
READER_FIELDS = {
    "fields": [
        ["doc_type", "类型 Type"],
        ["product_line", "产品线 Product line"],
        ["industry", "行业 Industry"],
        ["sales_stage", "销售阶段 Sales stage"],
        ["owner", "负责人 Owner"],
        ["effective", "生效日期 Effective"],
    ],
    "doc_types": {
        "product": "产品资料 Product",
        "case_study": "客户案例 Case study",
        "talk_track": "话术 Talk track",
        "competitor": "竞品分析 Competitor",
        "faq": "常见问题 FAQ",
        "policy": "制度政策 Policy",
        "playbook": "销售手册 Playbook",
    },
}
templates.env.globals["READER_FIELDS"] = READER_FIELDS
