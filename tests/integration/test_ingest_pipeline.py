"""The ingest pipeline end to end on a real embedded Qdrant: incremental, atomic per document, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.access import AccessPolicy, Principal
from assistant.config import Settings
from assistant.embedding.hashing import HashEmbedder
from assistant.index.edge import EdgeIndex
from assistant.index.tuning import IndexTuning
from assistant.services import Services, build_services
from ingest.report import IngestOptions

REP = Principal.of("rep", ["rep"], ["east"])
MANAGER_EAST = Principal.of("mgr", ["manager"], ["east"])
ADMIN = Principal.of("admin", ["admin"])


@pytest.fixture
def services(settings: Settings) -> Services:
    svc = build_services(settings)
    yield svc
    svc.close()


def write(folder: Path, name: str, body: str, front: str = "") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((f"---\n{front}\n---\n" if front else "") + body, encoding="utf-8")
    return path


def sources(services: Services, query: str, who: Principal = REP, limit: int = 5) -> list[str]:
    return [c.source for c in services.search.search(query, who, limit)]


@pytest.fixture(scope="module")
def seeds_services(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Services:
    data = tmp_path_factory.mktemp("seeds") / "data"
    svc = build_services(Settings(_env_file=None, data_dir=data, embedder="hash"))  # type: ignore[call-arg]
    report = svc.ingest.ingest([seeds_dir])
    assert report.failed == []
    yield svc
    svc.close()


def test_seed_documents_all_land(seeds_services: Services, seeds_dir: Path) -> None:
    entries = {e.source for e in seeds_services.ingest.manifest.all()}
    assert {
        "crm-handbook.pdf",
        "sales-workflow.pptx",
        "sales-kb-plan.docx",
        "sales-online-project.docx",
        "sales-platform-ops.md",
    } <= entries


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("销售部门的工作流程是怎样的", "sales-workflow.pptx"),  # Traditional-Chinese deck
        ("企业产品销售与客户关系管理手册", "crm-handbook.pdf"),  # Traditional-Chinese PDF with pinyin noise
        ("销售业务线上化项目的风险", "sales-online-project.docx"),  # Traditional docx
        ("销售知识库的规划与设计", "sales-kb-plan.docx"),
    ],
)
def test_simplified_questions_find_traditional_documents(
    seeds_services: Services, question: str, expected: str
) -> None:
    assert expected in sources(seeds_services, question)


def test_results_carry_title_path_page_and_clean_text(seeds_services: Services) -> None:
    chunks = seeds_services.search.search("銷售流程 客戶接觸", REP, 10)
    deck = [c for c in chunks if c.source == "sales-workflow.pptx"]
    assert deck, "the deck should be found with a Traditional query too"
    assert all(c.page and c.page >= 1 for c in deck)
    assert all(c.title_path and c.title_path[0] for c in deck)
    pdf = seeds_services.index.chunks_of(
        ADMIN, seeds_services.search.search("客户关系管理手册", REP, 1)[0].doc_id
    )
    assert not any("(shòu)" in c.payload["text"] for c in pdf), (
        "pinyin annotations must not reach display text"
    )


def test_site_boilerplate_is_dropped(seeds_services: Services) -> None:
    raw = [
        c for c in seeds_services.search.search("版权声明 相关文档", ADMIN, 20) if c.source.startswith("raw/")
    ]
    for chunk in raw:
        assert "版权" not in chunk.text or "相关文档" not in chunk.text


def test_unchanged_files_cost_nothing(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    write(kb, "a.md", "# 产品手册\n\n云帆CRM 支持线索管理。")
    write(kb, "b.md", "# FAQ\n\n如何部署？支持私有化部署。")
    first = services.ingest.ingest([kb])
    assert sorted(first.added) == ["a.md", "b.md"]
    again = services.ingest.ingest([kb])
    assert again.added == again.updated == [] and sorted(again.unchanged) == ["a.md", "b.md"]
    assert again.chunks == 0


def test_changed_file_replaces_its_chunks(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    write(kb, "price.md", "# 报价说明\n\n旧版说明：标准版每用户每月 99 元。")
    services.ingest.ingest([kb])
    write(kb, "price.md", "# 报价说明\n\n新版说明：标准版每用户每月 129 元。")
    report = services.ingest.ingest([kb])
    assert report.updated == ["price.md"]
    doc_id = services.search.search("报价说明", ADMIN, 1)[0].doc_id
    texts = " ".join(c.payload["text"] for c in services.index.chunks_of(ADMIN, doc_id))
    assert "129" in texts and "99 元" not in texts


def test_metadata_change_alone_reindexes(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    write(kb, "deck.md", "# 竞品对比\n\n我们比竞品更快。")
    services.ingest.ingest([kb])
    assert "deck.md" in sources(services, "竞品对比")
    (kb / "deck.md.meta.yaml").write_text("access_level: confidential\n", encoding="utf-8")
    assert services.ingest.ingest([kb]).updated == ["deck.md"]
    assert "deck.md" not in sources(services, "竞品对比")
    assert "deck.md" in sources(services, "竞品对比", MANAGER_EAST)


def test_sync_removes_documents_whose_files_are_gone(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    write(kb, "keep.md", "# 保留\n\n保留的文档内容。")
    gone = write(kb, "old/gone.md", "# 过时\n\n过时的促销政策。")
    services.ingest.ingest([kb])
    gone.unlink()
    assert services.ingest.ingest([kb]).removed == [], "without --sync nothing is removed"
    assert "old/gone.md" in sources(services, "过时的促销政策")
    report = services.ingest.ingest([kb], IngestOptions(sync=True))
    assert report.removed == ["old/gone.md"]
    assert "old/gone.md" not in sources(services, "过时的促销政策")


def test_corrupt_and_unsupported_files_are_reported_and_the_rest_lands(
    services: Services, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    write(kb, "good.md", "# 正常文档\n\n这是正常的产品介绍。")
    (kb / "broken.docx").write_bytes(b"\x00not really a word file" * 10)
    (kb / "photo.bmp").write_bytes(b"BM...")
    report = services.ingest.ingest([kb])
    assert report.added == ["good.md"]
    failed = dict(report.failed)
    assert set(failed) == {"broken.docx", "photo.bmp"}
    assert "broken.docx" in failed["broken.docx"] and "unsupported" in failed["photo.bmp"]
    assert "good.md" in sources(services, "正常的产品介绍")


def test_invalid_metadata_names_the_file_and_field(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    write(kb, "bad.md", "# 文档\n\n内容。", front="access_level: secret")
    report = services.ingest.ingest([kb])
    ((source, error),) = report.failed
    assert source == "bad.md" and "access_level" in error and "secret" in error


def test_access_is_stamped_from_folder_metadata(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    write(kb, "cases/acme.md", "# 华东案例\n\n某零售客户线索转化率提升 32%。")
    write(kb, "cases/_meta.yaml", "", front="")
    (kb / "cases/_meta.yaml").write_text("access_level: confidential\ngroups: [east]\ndoc_type: case_study\n")
    services.ingest.ingest([kb])
    assert sources(services, "线索转化率提升", REP) == []
    assert sources(services, "线索转化率提升", MANAGER_EAST) == ["cases/acme.md"]
    south = Principal.of("s", ["manager"], ["south"])
    assert sources(services, "线索转化率提升", south) == []


class ExplodingEmbedder(HashEmbedder):
    """Dies after a few batches, like a process killed mid-ingest."""

    def __init__(self, batches: int) -> None:
        super().__init__()
        self.left = batches

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if self.left == 0:
            raise KeyboardInterrupt("killed mid-ingest")
        self.left -= 1
        return super().embed_passages(texts)


def test_crash_mid_ingest_leaves_nothing_half_searchable(settings: Settings, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    body = "\n\n".join(
        f"## 第{i}节\n\n这是长手册的第{i}节，讲述销售流程中的关键步骤{i}。" * 3 for i in range(60)
    )
    write(kb, "manual.md", "# 长手册\n\n" + body)
    crashed = build_services(settings, embedder=ExplodingEmbedder(batches=1))
    with pytest.raises(KeyboardInterrupt):
        crashed.ingest.ingest([kb])
    crashed.close()  # the shard as a crash leaves it: some chunks written, none published

    restarted = build_services(settings)
    try:
        assert restarted.index.stats(ADMIN) == 0
        assert sources(restarted, "长手册 销售流程", ADMIN) == []
        report = restarted.ingest.ingest([kb])
        assert report.added == ["manual.md"]
        assert restarted.index.stats(ADMIN) == report.chunks > 16
    finally:
        restarted.close()


def test_folder_copy_with_same_relative_names_is_one_document_each(
    services: Services, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    write(kb, "x.md", "# 唯一\n\n唯一的内容。")
    services.ingest.ingest([kb])
    copy = tmp_path / "copy"
    shutil.copytree(kb, copy)
    services.ingest.ingest([copy])
    assert sources(services, "唯一的内容", ADMIN) == ["x.md"], "same source path: replaced, not duplicated"


def test_progress_reports_the_chunk_rate(services: Services, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    for n in range(3):
        write(
            kb,
            f"doc{n}.md",
            f"# 文档 {n}\n\n" + "".join(f"产品{n}-{k}的报价与折扣审批规则。" for k in range(40)),
        )
    steps: list[str] = []
    report = services.ingest.ingest([kb], progress=lambda step, done, total: steps.append(step))
    assert report.ok and report.chunks > 3
    indexing = [s for s in steps if "indexing" in s]
    assert len(indexing) == 3 and all(s.split(" chunks/s")[0].replace(".", "").isdigit() for s in indexing)
    assert float(indexing[-1].split(" ")[0]) > 0, "after the first document the rate is measured"


def test_ingest_builds_the_embedded_search_index(settings: Settings, tmp_path: Path) -> None:
    """qdrant-edge has no background optimiser: without ingest asking, a big KB is searched by full
    scan. A tiny indexing threshold stands in for a big KB: the dense vectors get their graph."""
    policy = AccessPolicy.load(settings.policy_file)
    tuning = IndexTuning(index_from_kb=1, full_scan_kb=1)
    index = EdgeIndex(settings.edge_path / settings.qdrant_collection, policy, tuning)
    services = build_services(settings, embedder=HashEmbedder(), index=index)
    try:
        for n in range(6):
            write(tmp_path / "kb", f"doc{n}.md", f"# 文档 {n}\n\n第 {n} 份说明：试用期 {n + 10} 天。\n")
        assert services.ingest.ingest([tmp_path / "kb"]).chunks == 6
        info = index.shard.info()
        # the sparse vectors are indexed as they are written; the dense ones only by the optimiser
        assert info.indexed_vectors_count >= 2 * 6, info
        assert "doc3.md" in sources(services, "试用期 13 天")  # still searchable, through the graph
    finally:
        services.close()
