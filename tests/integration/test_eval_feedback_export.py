"""`assistant eval export-feedback`: 👎 answers in a real SQLite database become draft golden items."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.access import AccessPolicy
from assistant.cli.main import app
from assistant.db import AnswerStore, FeedbackStore, UserDirectory, build_engine
from assistant.evaluation.golden import GoldenItem
from ingest.manifest import Manifest, ManifestEntry
from ingest.pipeline import doc_id_for


def _seed(data_dir: Path) -> None:
    engine = build_engine(f"sqlite:///{data_dir / 'assistant.db'}")
    users = UserDirectory(engine, AccessPolicy.load())
    users.add_user("wang", ["manager"], ["east"])
    answers, feedback = AnswerStore(engine), FeedbackStore(engine)
    price, case = doc_id_for("policies/pricing-policy.docx"), doc_id_for("cases/xianda-retail.md")
    answers.save("a-bad", "wang", "鲜达续约能给几折？", "抱歉，没有找到。", [price, case])
    answers.save("a-good", "wang", "试用多久？", "30 天 [1]", [price])
    answers.save("a-anon", "ghost", "What is the SLA?", "No idea.", [])
    feedback.add("a-bad", "wang", "down", "漏了续约折扣")
    feedback.add("a-good", "wang", "up")
    feedback.add("a-anon", "ghost", "down")
    engine.dispose()
    manifest = Manifest(data_dir / "manifest.db")
    for source, doc_id in (("policies/pricing-policy.docx", price), ("cases/xianda-retail.md", case)):
        manifest.put(ManifestEntry(doc_id, source, f"/kb/{source}", "h", "v1", source, 3))
    manifest.close()


def test_export_turns_each_thumbs_down_answer_into_a_golden_item(tmp_path: Path) -> None:
    _seed(tmp_path)
    out = tmp_path / "drafts.jsonl"
    result = CliRunner().invoke(
        app, ["eval", "export-feedback", "--out", str(out)], env={"ASSISTANT_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    items = {i["tags"]["from_feedback"]: i for i in map(json.loads, out.read_text("utf-8").splitlines())}
    assert set(items) == {"a-bad", "a-anon"}  # the 👍 answer is not a draft test
    bad = items["a-bad"]
    assert bad["question"] == "鲜达续约能给几折？"
    assert (bad["role"], bad["groups"]) == ("manager", ["east"])
    assert bad["expected_sources"] == ["policies/pricing-policy.docx", "cases/xianda-retail.md"]
    assert bad["key_facts"] == [] and bad["language"] == "zh-Hans"
    assert bad["tags"]["comment"] == "漏了续约折扣"
    anon = items["a-anon"]
    assert (anon["role"], anon["expected_sources"], anon["language"]) == ("rep", [], "en")
    for item in items.values():  # drafts load as golden items once a curator appends them
        GoldenItem.model_validate(item)
