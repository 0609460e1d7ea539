"""Clean a model's raw text into official prose: no Markdown, no chatter, full-width punctuation."""

from __future__ import annotations

import re

from assistant.text.bullets import strip_markdown_bullets

_FENCE = re.compile(r"```[a-zA-Z]*\n?|```")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.MULTILINE)
_MD_EMPH = re.compile(r"\*\*|__|(?<!\*)\*(?!\*)")
_CHATTER = re.compile(r"^(好的|当然|以下是|下面是|根据您|根据你|希望)[^\n]*[：:。!！]\s*$", re.MULTILINE)
# Prompt words a small model echoes as labels (【正文】, 【效果】); our own 【待补充：…】 slots stay.
_ECHOED_LABEL = re.compile(r"【(?!待补充|生成中断)[^】：:\n]{1,6}】[：:]?")
_CJK = r"[\u4e00-\u9fff】）”]"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def to_full_width(text: str) -> str:
    """Half-width punctuation next to Chinese becomes full-width; digits and decimals are left alone."""
    def repl(m: re.Match[str]) -> str:
        return m.group(1) + _HALF_TO_FULL[m.group(2)]

    text = re.sub(rf"({_CJK})([,;:?!])", repl, text)
    text = re.sub(r"\(([^()\n]{0,20}[\u4e00-\u9fff][^()\n]{0,20})\)", r"（\1）", text)
    return text


def clean_model_text(text: str) -> str:
    """Strip fences, Markdown marks and polite preambles; fold blank-line runs."""
    text = _FENCE.sub("", text)
    text = _CHATTER.sub("", text)
    text = _ECHOED_LABEL.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPH.sub("", text)
    text = strip_markdown_bullets(text)
    text = to_full_width(text)
    lines = [line.strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
