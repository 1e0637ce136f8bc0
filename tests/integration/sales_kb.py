"""Talk tracks for several competitors and case studies naming real contacts, behind a real app.

Shared by test_talk_tracks.py and test_follow_ups.py: ingested by the real pipeline (hash embedder).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.services import build_services
from assistant.text.glossary import GLOSSARY_FILE
from tests.integration.api_kb import Api, kb_settings, write_kb

HIDDEN = "Quokkaplan"  # only in a confidential case study a rep may not read


def _track(name: str, situation: str, competitor: str, stage: str, persona: str, script: str) -> str:
    return f"""---
title: 话术：{name}
doc_type: talk_track
access_level: internal
language: zh-Hans
talk_track:
  situation: {situation}
  stage: {stage}
  persona: {persona}
  competitor: {competitor}
  script: {script}
  proof_points: [标准实施 6 周上线]
---
# {name}

{script}
"""


SALES_DOCS = {
    "talk-tracks/xingyun.md": _track(
        "星云CRM 客户嫌贵",
        "客户在用星云CRM，觉得我们价格太贵",
        "星云CRM",
        "negotiation",
        "采购经理",
        "先算三年总成本：星云CRM 的企业微信插件每年另外收费，我们原生集成不另收费。",
    ),
    "talk-tracks/bluewhale.md": _track(
        "BlueWhale 压价",
        "客户说价格太贵，拿 BlueWhale 的报价压价",
        "BlueWhale",
        "proposal",
        "客服总监",
        "承认 BlueWhale 坐席单价更低，再算工单和 CRM 打通的二次开发成本。",
    ),
    "talk-tracks/aurora.md": _track(
        "极光BI 更便宜",
        "客户说价格太贵，极光BI 有免费版",
        "极光BI",
        "proposal",
        "IT 负责人",
        "极光BI 免费版不支持私有化部署；企业版按 CPU 核收费，总价往往更高。",
    ),
    "talk-tracks/price-negotiation.md": _track(
        "价格太贵（谈判）",
        "客户说价格太贵，要求降价",
        "无",
        "negotiation",
        "采购经理",
        "先别急着谈折扣，把价格换算成每人每天的成本，再用客户自己的数字算回报。",
    ),
    "talk-tracks/price-discovery.md": _track(
        "价格太贵（需求挖掘）",
        "客户说价格太贵，还在比较方案",
        "无",
        "discovery",
        "IT 负责人",
        "先问清楚客户拿什么在比较，列出对方方案缺少的能力，再谈价格。",
    ),
    "talk-tracks/data-residency-en.md": """---
title: 'Talk track: where is the data stored?'
doc_type: talk_track
access_level: internal
language: en
talk_track:
  situation: 外资客户问数据存放在哪里
  stage: demo
  persona: IT director
  competitor: none
  script: Your data stays in the region you choose; backups are encrypted and kept in the same region.
---
# Where is the data stored?

Your data stays in the region you choose; backups are encrypted and kept in the same region.
""",
    "cases/xianda.md": """---
title: 客户案例：鲜达超市 会员数字化
doc_type: case_study
access_level: internal
---
# 客户案例：鲜达超市

鲜达超市上线云帆CRM 6 个月后，会员复购率提升 18%。
项目从签约到全部门店上线用了 7 周。
客户联系人：数字化总监 李明辉，手机 13812345678，邮箱 liminghui@xianda-mart.cn。
""",
    "cases/public-references.md": """---
title: 可对外引用的客户成果（匿名版）
doc_type: case_study
access_level: public
---
# 可对外引用的客户成果

| 客户（匿名） | 行业 | 可引用成果 |
| --- | --- | --- |
| 某华东连锁超市 | 零售 | 会员复购率提升 18%，线索转化率提升 32% |
| 某华北城市商业银行 | 金融 | 监管报表出具时间从 3 天缩短到 2 小时 |
""",
    "cases/secret-bank.md": f"""---
title: 客户案例：汇丰源银行
doc_type: case_study
access_level: confidential
---
# 汇丰源银行

{HIDDEN} 项目让汇丰源银行的会员复购率提升 40%，上线周期 5 周。
""",
    "products/crm.md": """---
title: 云帆CRM 产品说明
doc_type: product
access_level: public
---
# 云帆CRM

标准实施周期为 6 周上线，企业微信原生集成不另收费。
云帆CRM 标准版每用户每年 ¥1,680。
""",
    "products/crm-en.md": """---
title: YunFan CRM overview
doc_type: product
access_level: public
language: en
---
# YunFan CRM

A typical YunFan CRM implementation goes live in 6 weeks.
Retail customers improved member repeat purchases by 18% within six months.
""",
}
# The knowledge base's own spellings of its names, so an English situation names the 星云CRM tracks.
SALES_GLOSSARY = "- [星云CRM, Xingyun CRM, Xingyun]\n"
USERS = {"rep": (["rep"], ["east"]), "manager": (["manager"], ["east"])}


@pytest.fixture(scope="module")
def sales_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("sales")
    services = build_services(kb_settings(root / "data", rate_limit_per_minute=10_000))
    kb = write_kb(root / "kb", SALES_DOCS)
    (kb / GLOSSARY_FILE).write_text(SALES_GLOSSARY, encoding="utf-8")
    report = services.ingest.ingest([kb])
    assert report.ok and len(report.added) == len(SALES_DOCS), report.as_dict()
    tokens = {n: services.users.add_user(n, roles, groups)[1] for n, (roles, groups) in USERS.items()}
    app = create_app(services.settings, services)
    with TestClient(app) as client:
        yield Api(services, app, client, tokens)
    services.close()
