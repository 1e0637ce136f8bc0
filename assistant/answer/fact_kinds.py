"""What kind of fact a question asks for, and whether a sentence gives it.

A price question wants an amount, "电话多少" a phone number, "多少/几" a number, "比例" a percentage,
"怎么计算" a rule with figures, "在哪里" a place, "底价" the floor price (not the list price), "效果" the
outcome figures; "怎么回应" wants a talk track's recommended words rather than the situation.
"""

from __future__ import annotations

import re

# Words that name what kind of answer is wanted: they are not content the evidence must repeat.
WANTS: dict[str, tuple[str, ...]] = {
    "price": (
        "多少钱",
        "报价",
        "价格",
        "收费",
        "售价",
        "单价",
        "什么价",
        "卖多少",
        "怎么卖",
        "钱",
        "price",
        "cost",
        "costs",
        "charges",
        "charge per",  # "what does Aurora BI charge per user" (not "who is in charge of")
        "charge for",
    ),
    "phone": (
        "电话是多少",
        "电话多少",
        "电话号码",
        "联系电话",
        "联系方式",
        "怎么联系",
        "手机",
        "号码",
        "phone number",
        "mobile",
    ),
    "person": ("联系人", "联络人", "对接人", "负责人", "谁", "who"),
    "date": ("哪天", "什么时候", "何时", "日期", "截止", "when", "date"),
    "duration": ("多久", "多长时间", "how long"),
    "result": ("效果", "成果", "结果", "成效", "results", "outcome", "impact"),
    # "多少/几/how many": the answer states a number, not only the topic ("销售提成" in a list of
    # incentives does not say how much the commission is).
    "number": ("多少", "几", "how many", "how much"),
    "ratio": ("比例", "占比", "百分比", "百分点", "几个点", "percentage", "percent"),
    "calculation": (
        "怎么算",
        "怎么计算",
        "如何计算",
        "怎样计算",
        "计算方法",
        "计算方式",
        "calculated",
        "calculate",
    ),
    "place": ("哪里", "在哪", "哪儿", "什么地方", "地点", "地址", "where"),
    # The lowest price a rep may go to is not the list price: only a sentence about it answers.
    "floor": ("底价", "最低价", "最低能卖", "floor price", "lowest price"),
}
# What a counted Chinese numeral is followed by ("三级审批", "一线支持"): 一 alone is in too many words.
_COUNTED = "个|級|级|线|人|天|周|月|年|次|种|类|步|层|倍|成|家|名|位|条|项|点|套|阶段|轮"
# A question whose answer is a list ("有哪些办法", "分成哪几线", "what should it include"): a list item
# that answers it brings its sibling items.
LISTING = re.compile(
    r"哪些|哪几|几种|几类|几个方面|分成|分为|包括什么|包含什么|什么(?:功能|方法|办法|措施|步骤|渠道|特点|优势)"
    r"|\binclude\b|\bwhat (?:are|were) the\b|\b(?:which|what) (?:ways|steps|types|kinds|features)\b",
    re.I,
)
# Section headings of a talk track: the recommendation, and the situation it answers (which repeats
# the rep's question word for word, so it would otherwise be quoted as the answer).
ADVICE_HEADING = re.compile(
    r"推荐|建议|应对|说法|话术要点|what to say|suggested|response|how to answer", re.I
)
SITUATION_HEADING = re.compile(r"场景|情境|什么时候用|when to use|situation|scenario", re.I)
# Kinds whose cue words still say what the question is about (比例, 地点): they stay content words.
CONTENT_CUES = frozenset({"number", "ratio", "calculation", "place", "floor"})
# "王总" is a person; "总部", "总额", "总拥有成本" are not ("是总部位于天津" is no contact).
_OFFERS: dict[str, re.Pattern[str]] = {
    "price": re.compile(
        r"[¥$￥€£]\s*\d|\d\s*(?:万|元|美元|欧元)|\d\s*(?:yuan|cny|rmb|usd|dollars?|euros?)\b|(?:cny|rmb|usd|eur)\s*\d"
        r"|元[^\d]{0,6}\d|免费(?!版)|free(?! edition)|included"  # a free edition is a name, not a price
        r"|(?:不|无需|无须)(?:另|额外)?(?:收费|付费|购买)"
        # how it is charged is a price answer too ("按 CPU 核收费" for "企业版怎么收费")
        r"|按[^，。；]{1,12}(?:收费|计费|计价)|\b(?:charged|billed|priced) (?:per|by)\b",
        re.I,
    ),
    "phone": re.compile(r"1\d{2}[\d*]{4}\d{4}|\d{3,4}-\d{3,4}-?\d{3,4}|\+\d{2,3}\s?\d"),
    "person": re.compile(
        r"[\u4e00-\u9fff]{1,3}(?:总(?!部|额|数|计|结|体|共|价|量|值|成本|拥有|收入|营收|人数)|经理|总监|总裁|主管|主任"
        r"|老师|先生|女士)|ceo|cfo|cto|审批|负责人"
        r"|\b(?:mr|ms|mrs|dr)\.?\s+[a-z]|manager|director|head of|team",
        re.I,
    ),
    "date": re.compile(
        r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*月|q[1-4]|季度|(?:week|day)\s*\d|第[一二三四五六七八九十\d]+[周天]",
        re.I,
    ),
    "duration": re.compile(
        r"\d+(?:\.\d+)?[\s-]*(?:个)?(?:工作日|小时|分钟|天|日|周|星期|月|年|hours?|days?|weeks?|months?)"
        r"|[一二两三四五六七八九十半]+\s*(?:个)?(?:工作日|小时|天|周|星期|月|年)|每(?:个)?(?:天|日|周|月|季度|年)"
        r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few)\s+(?:hours?|days?|weeks?|months?)",
        re.I,
    ),
    "result": re.compile(
        r"\d+(?:\.\d+)?\s*%|(?:提升|提高|降低|下降|缩短|减少|增长|增加|节省|达到)[^，。；]{0,12}\d"
        r"|从[^，。；]{0,12}\d[^，。；]{0,12}(?:到|至)|\b(?:up|down|cut|rose|fell|reduced|increased)\b[^.;]{0,20}\d",
        re.I,
    ),
    "number": re.compile(
        rf"\d|[一二两三四五六七八九十百千万]\s*(?:{_COUNTED})|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b",
        re.I,
    ),
    "floor": re.compile(r"底价|最低|floor|lowest", re.I),
    "ratio": re.compile(r"\d\s*%|百分之|[\d一二三四五六七八九]\s*[成折]|percent", re.I),
    "calculation": re.compile(r"\d|%|×|乘以|除以|比例|按[^，。；]{1,12}(?:计算|计|算)|per\b|\bx\b", re.I),
    "place": re.compile(
        r"酒店|宾馆|会议中心|会议室|大厦|地址|地点|举行|举办|召开|机房|数据中心|节点|境内|境外"
        r"|北京|上海|广州|深圳|杭州|香港|台北|新加坡"
        r"|data cent|hong kong|beijing|shanghai|guangzhou|shenzhen|hangzhou|singapore|mainland|hotel|office",
        re.I,
    ),
}
# English cues are whole words (date is no cue in "update"); "when" asks for a date only as the question
# word, not as a conjunction after another one ("what happens to loyalty when satisfaction rises").
_WHEN_ASKED = r"^(?:(?!\b(?:what|how|who|which|why|where)\b).)*\bwhen\b"


def _cue_pattern(cue: str) -> str:
    if cue == "when":
        return _WHEN_ASKED
    return rf"\b{re.escape(cue)}\b" if cue.isascii() else re.escape(cue)


_WANT_CUES = {kind: re.compile("|".join(map(_cue_pattern, cues))) for kind, cues in WANTS.items()}


def wanted_kinds(norm: str) -> set[str]:
    kinds = {kind for kind, cues in _WANT_CUES.items() if cues.search(norm)}
    if len(kinds) > 1:
        kinds.discard("number")  # "电话是多少" wants a phone number, not any number
    if "floor" in kinds:
        kinds.discard("price")  # the floor price is the answer, not any price (the list price)
    return kinds


# Section numbers glued to the heading text that follows them, as damaged documents run a heading
# into its first sentence ("4.3财务预算规划与…", a contents line "01销售线索管理02客户接触…"): they
# number the outline and state no quantity. A unit or counter after the number keeps it a quantity
# (43.5万亿元, 2.5倍, 3.5天; 8.5人, not 4.2人力资源).
OUTLINE_NUMBER = re.compile(
    r"(?<![\d.a-zA-Z])(?:\d{1,2}(?:\.\d{1,2})+|0[1-9])(?=\s?[\u4e00-\u9fff])"
    r"(?!\s?(?:[万亿元倍个天周月年次日秒]|人(?![力员才事口群])|小时|分钟))"
)


def offers(want: str, sentence: str) -> bool:
    """Whether a (normalised) sentence carries the kind of fact a question wants (outline numbers
    are not facts)."""
    return bool(_OFFERS[want].search(OUTLINE_NUMBER.sub(" ", sentence)))
