"""Which part of the summary a chat request is about, and whether it asks for a change at all.

Office workers name parts the way the full text numbers them: "第二部分" or "二、……" is the part under the
second level-1 heading of the 全文 box (the 成绩 part's own 一、二、三、, then 四、存在的问题, 五、下一步工作计划,
as export.assemble numbers them), or by the section's name ("开头", "问题部分", "下一步计划", "结尾"). A part is
a span of one section's text, so a change to it is applied to that section and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.facts.intake import request_spans
from assistant.schema import ROLE_TITLES, ROLES, Role
from assistant.text.headings import cn_to_int, parse_numbered

_QUALITIES = "简洁|简练|简短|精炼|精练|简单|正式|生动|具体|充实|丰富|通顺|口语化|书面|短|长|详细|有力|规范"
_EDIT = re.compile(
    r"修改|改写|改一下|改改|改成|改为|润色|精炼|精练|精简|压缩|缩短|简化|啰嗦|删去|删掉|去掉|删除|删减|重写|调整"
    r"|扩写|扩充|展开写|加一段|加一句|加一点|加上|加入|增加|补充|添加|改短|写短|改长|写长"
    rf"|(?:更|再|写得|改得)(?:加)?(?:{_QUALITIES})|(?:{_QUALITIES})(?:一些|一点|些)"
)
_NEW_TEXT = re.compile(r"起草|草拟|撰写|写一份|写一篇|生成|提纲")
_ADD = re.compile(r"加一段|加一句|加一点|加上|加入|增加|补充|添加|扩写|扩充")
_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十\d]{1,3})\s*(?:个)?(?:大)?(?:部分|节|点|项|段|块)")
_MARKER = re.compile(r"(?:^|[^一二三四五六七八九十])([一二三四五六七八九十]{1,3})\s*[、．]")
_QUOTED = re.compile(r"[“\"‘「]([^”\"’」]{2,40})[”\"’」]")
_SECTION_WORDS: tuple[tuple[Role, tuple[str, ...]], ...] = (
    ("开头", ("开头", "开篇", "引言", "导语", "第一段话")),
    ("结尾", ("结尾", "结束语", "结语", "末尾")),
    ("问题", ("存在的问题", "存在问题", "问题部分", "不足", "问题")),
    ("计划", ("下一步", "工作计划", "计划", "打算", "明年")),
    ("成绩", ("主要工作", "工作成绩", "成绩", "工作成效", "成效")),
)


@dataclass(frozen=True)
class Part:
    """A span [start, end) of one section's text (whole lines), and how to name it to the user."""

    role: Role
    start: int
    end: int
    label: str

    def text(self, section_text: str) -> str:
        return section_text[self.start:self.end]


def request_of(message: str) -> str:
    """The request's own words in a message (what a model or the template is asked to do), "" if none."""
    return "；".join(s.strip().rstrip("。！？!?；;，, ") for s in request_spans(message) if s.strip())


def is_edit_request(request: str) -> bool:
    """True when the request asks to change text that exists ("写得更简洁", "加一段……", "删去套话")."""
    return bool(request) and bool(_EDIT.search(request)) and not _NEW_TEXT.search(request)


def is_add_request(request: str) -> bool:
    return bool(_ADD.search(request))


def numbered_parts(sections: Mapping[str, str]) -> list[tuple[int, Part]]:
    """(ordinal, part) for each level-1 heading as the full text numbers it."""
    out: list[tuple[int, Part]] = []
    last = 0
    for role in ROLES:
        text = sections.get(role) or ""
        if not text.strip():
            continue
        if role in ("问题", "计划"):
            last += 1
            out.append((last, Part(role, 0, len(text.rstrip()), f"“{ROLE_TITLES[role]}”部分")))
            continue
        if role != "成绩":
            continue
        heads = _level1_lines(text)
        for k, (start, line, ordinal) in enumerate(heads):
            end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
            out.append((ordinal, Part(role, start, start + len(text[start:end].rstrip()), f"“{line.strip()}”")))
            last = ordinal
    return out


def _level1_lines(text: str) -> list[tuple[int, str, int]]:
    """(offset, line, ordinal) of each level-1 numbered heading line of a section's text."""
    out = []
    pos = 0
    for line in text.split("\n"):
        parsed = parse_numbered(line)
        if parsed is not None and parsed.level == 1:
            out.append((pos, line, parsed.ordinal))
        pos += len(line) + 1
    return out


def whole(role: Role, text: str) -> Part:
    name = "开头" if role == "开头" else "结尾" if role == "结尾" else ROLE_TITLES[role]
    return Part(role, 0, len(text.rstrip()), f"“{name}”部分")


def find_part(request: str, sections: Mapping[str, str], default: Role = "成绩") -> tuple[Part | None, str]:
    """The part a request names, or (None, a Chinese reason). `default` is the section in view, used when the
    request names none (an "加一段……" request without a place goes to the 成绩 part)."""
    numbered = numbered_parts(sections)
    ordinal = _ordinal(request)
    if ordinal is not None:
        for n, part in numbered:
            if n == ordinal:
                return part, ""
        have = "、".join(f"{_cn(n)}" for n, _ in numbered)
        return None, (f"全文中没有第{_cn(ordinal)}部分" + (f"（现有：{have}）" if have else "（还没有编号的部分）")
                      + "，请换个说法，例如“把‘存在的问题’写得更简洁”。")
    for quoted in _QUOTED.findall(request):
        for _, part in numbered:
            if quoted.strip() in part.label:
                return part, ""
    for role, words in _SECTION_WORDS:
        if any(w in request for w in words):
            return _section_part(role, sections)
    role: Role = "成绩" if is_add_request(request) else default
    if not (sections.get(role) or "").strip():
        role = "成绩" if (sections.get("成绩") or "").strip() else role
    return _section_part(role, sections)


def _section_part(role: Role, sections: Mapping[str, str]) -> tuple[Part | None, str]:
    text = sections.get(role) or ""
    if not text.strip():
        name = ROLE_TITLES[role]
        return None, f"“{name}”还没有草稿，无法修改：请先在“起草”页起草这一部分，或在这里说“起草{name}”。"
    return whole(role, text), ""


def _ordinal(request: str) -> int | None:
    m = _ORDINAL.search(request) or _MARKER.search(request)
    if not m:
        return None
    raw = m.group(1)
    return int(raw) if raw.isdigit() else cn_to_int(raw)


def _cn(n: int) -> str:
    from assistant.text.headings import int_to_cn

    return int_to_cn(n)


def splice(section_text: str, part: Part, new_text: str) -> str:
    """The section's text with the part replaced by `new_text` (lines around it kept)."""
    return section_text[:part.start] + new_text.strip("\n") + section_text[part.end:]
