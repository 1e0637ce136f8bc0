"""Who a text names: customers, people, phone numbers and e-mail addresses other than the addressee.

A follow-up draft goes to one customer; naming another customer or person (or carrying anyone's
phone number) leaks what that customer shared with us. Customers are known from the titles of the
case studies retrieved ("客户案例：鲜达超市 …", "Customer story: Pacific Pearl Insurance (…)") and
recognised by common company endings; people by a job title next to a name or a surname + 总/经理,
and by Mr/Ms titles. Anonymised references (某华东连锁超市) name no one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text.normalize import normalize_for_matching

OUR_COMPANY = ("云帆", "yunfan")
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_HAN = "\u4e00-\u9fff"
_TITLES = "总监|经理|总裁|副总|主管|负责人|联系人|董事长|药师|销售"
_COMPANIES = (
    re.compile(rf"([{_HAN}]{{2,4}}?(?:超市|银行|药局|药房|乳业|保险|集团|精密|商城))"),
    re.compile(r"\b((?:[A-Z][a-z]+\s+){1,3}(?:Bank|Insurance|Group|Pharmacy|Mart|Dairy|Ltd|Inc))\b"),
)
_PATTERNS = (
    re.compile(rf"(?:{_TITLES})[:：\s]*([{_SURNAMES}][{_HAN}]{{1,2}})(?![{_HAN}])"),
    re.compile(rf"([{_SURNAMES}](?:总|经理|总监))"),
    re.compile(r"\b((?:Mr|Ms|Mrs|Miss|Dr)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"),
    *_COMPANIES,
    re.compile(r"((?<!\d)1[3-9]\d[\d*]{8}(?!\d)|(?<!\d)09\d{2}-?\d{3}-?\d{3}(?!\d))"),
    re.compile(r"([\w.*+-]+@[\w-]+(?:\.[\w-]+)+)"),
)
# Words that make a company-shaped match generic rather than a name: 某华东连锁超市, 城市商业银行.
_GENERIC = ("某", "连锁", "城市", "区域", "一家", "这家", "商业", "的", "各", "大型", "本地")
_TITLE_PREFIX = re.compile(r"^(?:客户案例|客户故事|案例|customer story|case study)\s*[:：]\s*", re.IGNORECASE)


def case_customer(title: str) -> str | None:
    """The customer a case study is about, from its title; None when the title names no one.

    `客户案例：X …` / `Customer story: X (…)` name X; other titles only when they start with a
    company-shaped name (`鲜达超市 续约…`).
    """
    title = normalize_for_matching(title).strip()
    rest = _TITLE_PREFIX.sub("", title)
    name = re.split(r"[（(]|\s(?=[^a-z])" if not rest[:1].isascii() else r"[（(:：]", rest, maxsplit=1)[0]
    name = name.strip()
    if len(name) < 2 or any(g in name for g in _GENERIC):
        return None
    if rest == title and not any(p.fullmatch(name) for p in _COMPANIES):
        return None
    return name


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_for_matching(text).lower()).strip()


def _is_allowed(name: str, allowed: list[str]) -> bool:
    key = _norm(name)
    return any(a and (a in key or key in a) for a in allowed) or any(o in key for o in OUR_COMPANY)


def other_parties(text: str, addressees: Iterable[str], known_customers: Iterable[str] = ()) -> list[str]:
    """Names, phone numbers and e-mails in `text` that belong to no one in `addressees`, first seen first."""
    allowed = [_norm(a) for a in addressees if a and a.strip()]
    norm = normalize_for_matching(text)
    found: list[str] = []
    for name in known_customers:
        if name and _norm(name) in norm.lower():
            found.append(name)
    for pattern in _PATTERNS:
        for match in pattern.finditer(norm):
            name = match.group(1).strip()
            if not any(g in name for g in _GENERIC):
                found.append(name)
    return [n for n in dict.fromkeys(found) if not _is_allowed(n, allowed)]
