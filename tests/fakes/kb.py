"""A tiny Chinese + English knowledge base in a real embedded index, written like the ingest pipeline does.

`build_kb(tmp_path, policy)` returns a SearchService over it. Facts tests can look for are in FACTS.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.access import ALL_GROUPS, PENDING, AccessPolicy
from assistant.embedding import Embedder
from assistant.embedding.hashing import HashEmbedder
from assistant.index import IndexPoint
from assistant.index.edge import EdgeIndex
from assistant.index.sparse import Bm25Encoder
from assistant.retrieval.search import SearchService
from assistant.text.normalize import normalize_for_matching
from ingest.chunking import ChunkDraft

TODAY = dt.date(2026, 3, 15)


@dataclass
class Doc:
    doc_id: str
    title: str
    texts: list[str]  # one chunk each
    doc_type: str = "product"
    access_level: str = "internal"
    groups: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # effective, expires, language, talk-track fields
    rows: list[dict[str, str]] = field(default_factory=list)  # table rows: one chunk per row, with fields


DOCS = [
    Doc(
        "crm-price",
        "云帆CRM 产品介绍",
        [
            "云帆CRM 是面向零售和制造企业的客户管理系统。云帆CRM 标准版每用户每年 1200 元。支持企业微信原生集成。",
        ],
        meta={"language": "zh-Hans", "effective": "2026-01-01"},
    ),
    Doc(
        "floor-price",
        "内部底价说明",
        ["云帆CRM 的最低折扣为 7 折，低于 8 折需要销售总监审批。"],
        doc_type="policy",
        access_level="confidential",
    ),
    Doc(
        "huitong-case",
        "汇通银行客户案例",
        [
            "汇通银行上线云帆CRM 后，客户经理的跟进效率提升 35%。项目在 8 周内完成上线。",
            "客户联系人：张经理，手机 13812345678，邮箱 zhang.san@huitong.com，对公账户卡号 4111 1111 1111 1111。",
        ],
        doc_type="case_study",
        meta={"industry": "金融"},
    ),
    Doc(
        "bi-en",
        "Yunfan BI overview",
        [
            "Yunfan BI connects to MySQL, PostgreSQL and Excel files. Dashboards refresh every 15 minutes.",
        ],
        access_level="public",
        meta={"language": "en"},
    ),
    Doc(
        "hk-service",
        "雲帆客服港台版",
        ["雲帆客服港台版支援粵語語音識別。香港資料中心位於將軍澳。"],
        meta={"language": "zh-Hant"},
    ),
    Doc(
        "promo-2024",
        "2024 双十一促销政策",
        ["2024 年双十一期间新签客户享受 85 折优惠，赠送两个月服务期。"],
        doc_type="policy",
        meta={"effective": "2024-11-01", "expires": "2024-12-31"},
    ),
    Doc("east-target", "华东区 Q2 目标", ["华东区第二季度新签合同目标为 3000 万元。"], groups=["east"]),
    Doc(
        "tt-price",
        "话术：客户嫌价格太贵",
        [
            "客户说价格太贵时，先确认对比对象，再用投资回报说明价值。",
        ],
        doc_type="talk_track",
        meta={
            "situation": "客户说价格太贵，要求降价",
            "stage": "negotiation",
            "persona": "采购经理",
            "competitor": "星云CRM",
            "industry": "零售",
            "script": "理解您的预算压力。我们算一笔账：汇通银行上线后跟进效率提升 35%，三个月就收回了投入。",
            "proof_points": ["汇通银行跟进效率提升 35%", "8 周内完成上线"],
        },
    ),
    Doc(
        "tt-library",
        "话术库",
        [],
        doc_type="talk_track",
        rows=[
            {
                "场景": "客户担心数据安全",
                "阶段": "discovery",
                "角色": "IT 负责人",
                "行业": "金融",
                "竞品": "无",
                "话术": "我们通过了等保三级测评，数据可以私有化部署在您的机房。",
                "证明点": "等保三级；ISO 27001",
            },
            {
                "Objection": "Price is too high compared to Xingyun",
                "Stage": "negotiation",
                "Persona": "CFO",
                "Industry": "retail",
                "Competitor": "Xingyun CRM",
                "Script": "Let's compare total cost over three years, including implementation.",
                "Proof points": "Huitong Bank: 35% faster follow-up; live in 8 weeks",
            },
        ],
    ),
]

FACTS = {
    "price": "1200 元",
    "confidential": "7 折",
    "phone": "13812345678",
    "east": "3000 万元",
}


def _drafts(doc: Doc) -> list[ChunkDraft]:
    drafts = [ChunkDraft(n, t, normalize_for_matching(t), [doc.title]) for n, t in enumerate(doc.texts)]
    for row in doc.rows:
        text = "\n".join(f"{k}: {v}" for k, v in row.items())
        drafts.append(ChunkDraft(len(drafts), text, normalize_for_matching(text), [doc.title], fields=row))
    return drafts


def _payload(doc: Doc, draft: ChunkDraft) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "version": "v1",
        "state": PENDING,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "access_level": doc.access_level,
        "groups": doc.groups or [ALL_GROUPS],
        "source": f"kb/{doc.doc_id}.md",
        "n": draft.n,
        "text": draft.text,
        "text_norm": draft.text_norm,
        "title_path": draft.title_path,
        "page": None,
        **doc.meta,
    }
    if draft.fields:
        payload["fields"] = draft.fields
    return payload


def build_kb(
    tmp_path: Path, policy: AccessPolicy, docs: list[Doc] | None = None, embedder: Embedder | None = None
) -> SearchService:
    """Write the docs (pending, then published) into an embedded index under tmp_path."""
    embedder, encoder = embedder or HashEmbedder(), Bm25Encoder()
    index = EdgeIndex(tmp_path / "shard", policy)
    index.ensure_model(embedder.model_id, embedder.dim)
    for doc in docs or DOCS:
        drafts = _drafts(doc)
        texts = [" > ".join(d.title_path) + "\n" + d.text_norm for d in drafts]
        points = [
            IndexPoint(
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"{doc.doc_id}/v1/{d.n}")),
                vec,
                encoder.document(text),
                _payload(doc, d),
            )
            for d, vec, text in zip(drafts, embedder.embed_passages(texts), texts, strict=True)
        ]
        index.upsert(points)
        index.publish(doc.doc_id, "v1")
    return SearchService(index, embedder, encoder, today=lambda: TODAY)


__all__ = ["DOCS", "FACTS", "TODAY", "Doc", "build_kb"]
