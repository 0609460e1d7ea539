"""What kind of unit a summary is for: "县人民医院工会" → (医院, 工会).

Retrieval prefers examples of the user's kind of unit (a school's summary learns from schools' summaries),
so the unit name typed in the facts and each example's header map onto one small vocabulary:

    学校 · 医院 · 机关 · 街道社区 · 企业 · 交通 · 工会

A unit can carry several tags: a sector tag or two (县交通运输局 is 机关 and 交通) and 工会 when the unit is
a trade union of such a unit (县第二中学工会 is 学校 and 工会). An example's header names its tags in
`org_type`, separated by 、 ("医院、工会"); an example without a header (an upload) is typed from its `unit`
or its title. Unknown words give no tag, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ORG_TYPES: tuple[str, ...] = ("学校", "医院", "机关", "街道社区", "企业", "交通", "工会")

# Sector cues: a tag fires when any pattern matches the unit name. Order does not matter (ORG_TYPES orders).
_CUES: dict[str, re.Pattern[str]] = {
    "学校": re.compile(r"学校|小学|中学|大学|学院|幼儿园|职校|技校|职业技术|实验学|附中|附小|教育|"
                     r"[一二三四五六七八九十\d]+中(?:学|工会|$)|中专|教工|教职工"),
    "医院": re.compile(r"医院|卫生院|(?<!环境)(?<!环)卫生(?!间)|卫健|疾控|疾病预防|妇幼|保健院|医疗|诊所|急救|"
                     r"血站|中医|医科|医学|医共体|健康服务"),
    "机关": re.compile(r"(?<![书药邮])局|(?<!餐)厅|政府|人大|政协|法院|检察院|机关|税务|海关|公安|派出所|司法所|"
                     r"财政|审计|统计|市场监管|监督管理|办公室|管委会|(?:发改|卫健|教|经信|住建|工信|民|侨|编)委(?!员)|"
                     r"(?<!工会)(?<!居民)(?<!村民)委员会"),
    "街道社区": re.compile(r"街道|社区(?!卫生)|居委会|居民委员会|村委会|村民委员会|(?<!城)(?<!下)乡(?!村振兴)(?=$|[^\u4e00-\u9fff]|"
                       r"工会|人民政府|政府|党委)|(?<=[\u4e00-\u9fff])镇(?=$|工会|人民政府|政府|党委|总工会)"),
    "企业": re.compile(r"公司|集团|有限|股份|企业|工厂|[^\s]厂(?!区)|车间|银行|酒店|商场|矿业|煤矿|电厂|供电|电力|"
                     r"合作社"),
    "交通": re.compile(r"交通|公路|道路|运输|公交|地铁|轨道|铁路|港口|港务|航运|航道|海事|路政|养护|道班|工区|客运|"
                     r"货运|高速|机场|航空|收费站|车站|站段|机务段|工务段|桥梁|隧道"),
}
_UNION = re.compile(r"工会|工会委员会|职工之家|总工会|工会联合会|教工之家")


def unit_type_of(unit: str | None) -> tuple[str, ...]:
    """The tags of a unit name, in ORG_TYPES order; () when the name says nothing we know.

    "县人民医院工会" → ("医院", "工会"); "和平街道办事处" → ("街道社区",);
    "星河软件科技有限公司工会" → ("企业", "工会"); "县交通运输局" → ("机关", "交通").
    """
    name = re.sub(r"\s+", "", unit or "")
    if not name:
        return ()
    found = {tag for tag, pattern in _CUES.items() if pattern.search(name)}
    # A street office or town government is run like a bureau but writes as a community: one tag, not two.
    if "街道社区" in found and re.search(r"办事处|政府|党工委", name) and not re.search(r"局|办公室", name):
        found.discard("机关")
    # A health bureau (卫健委, 卫生健康局) or an education bureau is a bureau of its sector: both tags stay.
    if _UNION.search(name):
        found.add("工会")
    return tuple(t for t in ORG_TYPES if t in found)



def parse_org_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The known tags in a header's `org_type` ("医院、工会", "医院,工会", a list); unknown words are dropped."""
    if value is None:
        return ()
    parts = re.split(r"[、,，;；/\s]+", value) if isinstance(value, str) else [str(v) for v in value]
    found = {p.strip() for p in parts if p.strip() in ORG_TYPES}
    return tuple(t for t in ORG_TYPES if t in found)


def document_org_types(org_type: str | None, unit: str | None = None, title: str | None = None) -> tuple[str, ...]:
    """An example's tags: its header's `org_type` together with what its unit name (or title) says.

    The seed's examples say only "工会" in the header; their unit ("区交通局工会") adds the sector.
    """
    found = set(parse_org_types(org_type)) | set(unit_type_of(unit or title or ""))
    return tuple(t for t in ORG_TYPES if t in found)


def join_org_types(tags: Iterable[str]) -> str:
    """Tags as one metadata string ("医院、工会"), the form the index and the panel keep."""
    return "、".join(t for t in ORG_TYPES if t in set(tags))
