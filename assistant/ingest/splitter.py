"""Split a cleaned document into retrievable chunks with heading paths and section roles.

Structure (docs/GENRE.md §A):

* Paragraphs are runs of non-blank lines; each paragraph is a chunk. A numbered heading line
  (一、 / （一） / 1. / （1）, via ``parse_numbered``) always starts a new section, even inside a run.
* A run-in heading ("（一）学习政治理论，提高……。一年来……") names the section with its first sentence;
  the whole line stays body text of that section's first chunk. A numbered line that is one long
  sentence ending in 。 is run-in too (its heading is that sentence) — see ``is_heading_only``.
* An un-numbered heading is a paragraph of one short line (≤ ``HEADING_MAX_CHARS``) without final
  punctuation that is followed by a body paragraph. It is level 1 (the 区总工会 style) unless the
  document already has numbered level-1 headings: then it sits one level below the last numbered
  heading ("第一，进一步稳定和加强农业" under "二、……"), except 结束语/结语, which stay level 1.
* A paragraph holding an 一是/二是 run is never split. Other paragraphs longer than
  ``MAX_CHUNK_CHARS`` are cut at sentence ends into pieces of at most that size (a sentence is never cut).
* A short lead-in ending with a colon ("一年来的主要工作是：") and a short "——经济平稳快速增长。" line
  are joined to the paragraph that follows them.
* A first line equal to the document title is neither a heading nor a chunk.

Section roles (开头, 成绩, 问题, 计划, 结尾):

1. Headings: a heading's own cues give its role (回顾 → 成绩; 存在的问题/问题和不足/差距和不足 → 问题;
   结束语 → 结尾; 下一步/明年/新的一年/工作打算/总体部署/主要任务 … → 计划; 做法/经验/成效 → 成绩);
   otherwise it inherits its parent's role. A level-1 heading without cues that follows a 计划 or a
   回顾 level-1 section is 计划 (in reports everything after "一、2006年工作回顾" and
   "二、2007年工作总体部署" is this year's tasks). Otherwise a heading is 成绩.
2. Paragraphs before the first heading are 开头 (without any heading only the first paragraph is),
   so a document's first chunk is 开头 unless it starts with a heading.
3. Every chunk's own cues override the inherited role when that role is 开头/成绩, or when the cue
   opens the chunk; cues are, by priority:
   问题 — a problem statement ("但是还存在……不足", "清醒地看到", a sentence opening with "……存在的问题"
   but not "针对……存在的问题", or three different weak cues such as 不足/不够/不平衡); so a mixed
   "成绩……但是还存在……" paragraph is 问题. A following "二是……" paragraph in the same section stays 问题.
   结尾 — one of the last two chunks opens with 总之/总而言之/综上, or the final chunk is a short
   pledge (≤ ``CLOSING_MAX_CHARS``, no enumeration) with a closing formula (而努力奋斗, 作出更大贡献 …).
   So the 卫生工会's "在新的一年里，我们决心……为全面建设小康社会而努力奋斗。" is 结尾: it names no task.
   计划 — the first sentence opens with a plan cue (下一步, 明年, 来年, 新的一年, 今后, next year's
   date …), or sentences opening with one make up a third of the chunk, or — in the final chunk —
   any sentence opens with one ("来年，局工会将倍加努力……" makes the 交通局 ending 计划).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.schema import Chunk, Document, Heading, Role
from assistant.text.cues import cue_words
from assistant.text.headings import parse_numbered
from assistant.text.sentences import split_sentences

HEADING_MAX_CHARS = 25
MAX_CHUNK_CHARS = 600
LEAD_IN_MAX_CHARS = 40
RUN_IN_TITLE_MIN_CHARS = 30
CLOSING_MAX_CHARS = 250

_LEADING_MARKS = "“‘「（(— \n"
_FINAL_PUNCT = "。！？；：，、….,;:!?—-…"
_DATE_LINE = re.compile(r"^[\dxX×一二三四五六七八九十〇零]{2,4}\s*年(\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?)?$")
_LATER_ITEM = re.compile(r"^[二三四五六七八九十]是")
_ENUM_RUN = re.compile(r"一是.*?二是", re.S)
_ENUMERATION = re.compile(r"一是|[（(][一二三四五六七八九十1-9][)）]|(^|\n)\s*1[.．、]")

# ---- cue lists (text/data/cue_words.txt, the one home of the genre's cue words) ----------------------------

PROBLEM_WORDS: tuple[str, ...] = cue_words("example_problem")
PROBLEM_WEAK_WORDS: tuple[str, ...] = cue_words("example_problem_weak")
PLAN_OPENERS: tuple[str, ...] = cue_words("example_plan_opener")
PLAN_WORDS: tuple[str, ...] = cue_words("example_plan_word")
CLOSING_OPENERS: tuple[str, ...] = cue_words("closing_opener")
CLOSING_FORMULAS: tuple[str, ...] = cue_words("closing_formula")
OPENING_WORDS: tuple[str, ...] = cue_words("example_opening")
REVIEW_HEADING_WORDS: tuple[str, ...] = cue_words("example_review_heading")
RESULT_HEADING_WORDS: tuple[str, ...] = cue_words("example_result_heading")
CLOSING_HEADING_WORDS: tuple[str, ...] = tuple(w for w in cue_words("closing_head") if w != "结尾")

ROLE_CUES: dict[Role, tuple[str, ...]] = {
    "开头": OPENING_WORDS,
    "成绩": REVIEW_HEADING_WORDS + RESULT_HEADING_WORDS + ("取得",),
    "问题": PROBLEM_WORDS + PROBLEM_WEAK_WORDS,
    "计划": PLAN_WORDS + PLAN_OPENERS,
    "结尾": CLOSING_OPENERS + CLOSING_FORMULAS,
}

_PROBLEM_STRONG = [
    re.compile(r"(但是?|然而|不过|当然)[^。！？]{0,15}(还|仍然?|也|依然)(存在|有)[^。！？]{0,15}"
               r"(问题|不足|差距|困难|薄弱|短板)"),
    re.compile(r"清醒(地)?(看到|认识到)"),
    re.compile(r"(还|仍然?|也|依然)存在[^。！？]{0,15}(问题|不足|差距|困难|薄弱|短板)"),
    re.compile(r"(问题|不足|差距)(主要)?(是|有|表现在)[：:]"),
    re.compile(r"(不足|问题)之处"),
]
# "存在的问题" opening a sentence states problems; "针对/解决……存在的问题" names what was acted on.
_PROBLEM_SUBJECT = re.compile(r"存在的(主要|突出)?(问题|不足)")
_ACTED_ON = re.compile(r"针对|解决|发现|整改|查找|梳理|研究|分析")
_CLAUSE_END = re.compile(r"[。！？；：，]")
_PROBLEM_HEADING = re.compile(r"存在的?(主要|突出)?(问题|不足)|问题[和与及]不足|不足[和与及]问题|主要问题|"
                              r"(差距|短板)[和与及](不足|问题)|(不足|问题)[和与及](差距|短板)|"
                              r"困难[和与及]问题|问题[和与及]困难|不足之处|教训")


def _sentences(text: str) -> list[str]:
    """Sentences with their end punctuation and closing quotes; joined they give `text` back (；does not end one)."""
    return split_sentences(text, semicolon=False)


def heading_role_cue(text: str) -> Role | None:
    """The role a heading's own words announce, or None."""
    if any(w in text for w in REVIEW_HEADING_WORDS):
        return "成绩"
    if _PROBLEM_HEADING.search(text):
        return "问题"
    if any(w in text for w in CLOSING_HEADING_WORDS):
        return "结尾"
    if any(w in text for w in PLAN_WORDS):
        return "计划"
    if any(w in text for w in RESULT_HEADING_WORDS):
        return "成绩"
    return None


def _opens_with_plan(sentence: str, next_year: str | None) -> bool:
    s = sentence.lstrip(_LEADING_MARKS)
    if s.startswith(PLAN_OPENERS) or (next_year and s.startswith(next_year + "年")):
        return True
    head = s[:14]
    return any(w in head for w in ("下一步工作", "工作打算", "工作计划", "工作思路", "工作安排"))


def is_problem_text(text: str) -> bool:
    """True when a paragraph states problems (strong cue, or three different weak cues)."""
    for pattern in _PROBLEM_STRONG:
        for m in pattern.finditer(text):
            if not _ACTED_ON.search(_CLAUSE_END.split(text[: m.end()])[-1]):
                return True
    for m in _PROBLEM_SUBJECT.finditer(text):
        prefix = re.split(r"[。！？；：]", text[: m.start()])[-1]
        if len(prefix) <= 10 and not _ACTED_ON.search(prefix):
            return True
    return sum(1 for w in PROBLEM_WEAK_WORDS if w in text) >= 3


def paragraph_role_cue(text: str, *, final: bool = False, near_end: bool = False,
                       year: str = "") -> tuple[Role | None, bool]:
    """The role a paragraph's own words announce and whether the cue opens the paragraph.

    `final`: it is the document's last paragraph; `near_end`: one of the last two.
    """
    sentences = _sentences(text)
    first = sentences[0] if sentences else text
    if is_problem_text(text):
        return "问题", is_problem_text(first)
    stripped = text.lstrip()
    if near_end and stripped.startswith(CLOSING_OPENERS):
        return "结尾", True
    if (final and len(text) <= CLOSING_MAX_CHARS and any(w in text for w in CLOSING_FORMULAS)
            and not _ENUMERATION.search(text)):
        return "结尾", True
    next_year = str(int(year) + 1) if year.isdigit() else None
    if _opens_with_plan(first, next_year):
        return "计划", True
    plan_chars = sum(len(s) for s in sentences if _opens_with_plan(s, next_year))
    if plan_chars and (final or plan_chars * 3 >= len(text)):
        return "计划", False
    return None, False


# ---- headings -------------------------------------------------------------------------------------

def _blocks(lines: list[str]) -> list[list[int]]:
    """Indexes of consecutive non-blank lines."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.strip():
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _looks_like_heading(line: str) -> bool:
    """A short line without final punctuation that is not a date, number or signature."""
    s = line.strip()
    if not (2 <= len(s) <= HEADING_MAX_CHARS) or s[-1] in _FINAL_PUNCT:
        return False
    if sum(1 for ch in s if ch.isalpha()) < 2 or _DATE_LINE.match(s):
        return False
    return parse_numbered(s) is None and not re.match(r"^[一二三四五六七八九十]是", s)


def _is_body(lines: list[str], block: list[int]) -> bool:
    """Body text after a heading: a numbered section, several lines, or a long or punctuated line.

    A short unpunctuated line ("2021年12月20日") is not: so a signature block is not a heading.
    """
    first = lines[block[0]].strip()
    if len(block) > 1 or parse_numbered(first) is not None:
        return True
    return len(first) > HEADING_MAX_CHARS or first[-1] in _FINAL_PUNCT


def is_heading_only(line: str) -> bool:
    """True for a numbered line that is only a heading; False for run-in headings and ordinary text.

    A line with words after its heading sentence is a run-in heading. So is a long single sentence
    ending in 。 ("（一）组织职工开展……活动，今年8月……实弹射击活动。"): that is a paragraph, not a title.
    """
    n = parse_numbered(line)
    if n is None or any(ch.isalnum() for ch in n.rest):
        return False
    return not (len(n.title) > RUN_IN_TITLE_MIN_CHARS and line.rstrip().endswith(("。", "！", "？", "!", "?")))


def find_headings(text: str, *, title: str | None = None) -> list[Heading]:
    """Numbered and un-numbered headings of `text`, in order (a first line equal to `title` is skipped)."""
    lines = text.split("\n")
    blocks = _blocks(lines)
    title_line = _title_line(lines, blocks, title)
    found: list[Heading] = []
    last_numbered: Heading | None = None
    numbered_top = False
    for b, block in enumerate(blocks):
        for i in block:
            if i == title_line:
                continue
            n = parse_numbered(lines[i])
            if n is not None:
                last_numbered = Heading(text=f"{n.marker}{n.title}", level=n.level, ordinal=n.ordinal, line=i)
                numbered_top = numbered_top or n.level == 1
                found.append(last_numbered)
        if len(block) == 1 and block[0] != title_line and _looks_like_heading(lines[block[0]]):
            nxt = blocks[b + 1] if b + 1 < len(blocks) else None
            if nxt and _is_body(lines, nxt):
                text = lines[block[0]].strip()
                level = 1
                if numbered_top and last_numbered and heading_role_cue(text) != "结尾":
                    level = min(last_numbered.level + 1, 4)
                found.append(Heading(text=text, level=level, ordinal=None, line=block[0]))
    return found


def _title_line(lines: list[str], blocks: list[list[int]], title: str | None) -> int | None:
    if title and blocks and lines[blocks[0][0]].strip() == title.strip():
        return blocks[0][0]
    return None


# ---- paragraphs -----------------------------------------------------------------------------------

@dataclass
class _Para:
    lines: list[str]
    path: tuple[str, ...]
    section_role: Role
    before_heading: bool

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _paragraphs(doc: Document) -> tuple[list[_Para], bool]:
    """Walk lines, track the heading stack and its roles, and cut paragraphs."""
    lines = doc.text.split("\n")
    blocks = _blocks(lines)
    title_line = _title_line(lines, blocks, doc.title)
    headings = {h.line: h for h in find_headings(doc.text, title=doc.title)}
    stack: list[tuple[Heading, Role]] = []
    plan_follows = False  # after a 计划 or a 回顾 level-1 section, plain level-1 sections are 计划
    seen_heading = False
    paras: list[_Para] = []

    def context() -> tuple[tuple[str, ...], Role]:
        if not stack:
            return (), ("成绩" if seen_heading else "开头")
        return tuple(h.text for h, _ in stack), stack[-1][1]

    for block in blocks:
        current: list[str] = []
        for i in block:
            if i == title_line:
                continue
            h = headings.get(i)
            if h is None:
                current.append(lines[i].strip())
                continue
            if current:
                paras.append(_Para(current, *context(), before_heading=not seen_heading))
                current = []
            seen_heading = True
            while stack and stack[-1][0].level >= h.level:
                stack.pop()
            own = heading_role_cue(h.text)
            role: Role = own or (stack[-1][1] if stack else ("计划" if plan_follows else "成绩"))
            if not stack:
                plan_follows = role == "计划" or any(w in h.text for w in REVIEW_HEADING_WORDS)
            stack.append((h, role))
            if not is_heading_only(lines[i]) and h.ordinal is not None:
                current = [lines[i].strip()]  # run-in heading: the line is body text too
        if current:
            paras.append(_Para(current, *context(), before_heading=not seen_heading))
    return _merge_lead_ins(paras), bool(headings)


def _merge_lead_ins(paras: list[_Para]) -> list[_Para]:
    """Join a short "……是：" lead-in or a "——……。" line to the paragraph that follows in the same section."""
    out: list[_Para] = []
    for p in paras:
        prev = out[-1] if out else None
        if prev is not None and prev.path == p.path and _is_lead_in(prev.text):
            out[-1] = _Para(prev.lines + p.lines, p.path, p.section_role, prev.before_heading)
        else:
            out.append(p)
    return out


def _is_lead_in(text: str) -> bool:
    t = text.strip()
    if len(t) > LEAD_IN_MAX_CHARS or "\n" in t:
        return False
    return t.endswith(("：", ":")) or (t.startswith("——") and t.endswith("。"))


def _pieces(text: str) -> list[str]:
    """Cut an over-long paragraph at sentence ends; 一是/二是 runs and single sentences stay whole."""
    if len(text) <= MAX_CHUNK_CHARS or _ENUM_RUN.search(text):
        return [text]
    units: list[str] = []
    for s in _sentences(text):
        if units and units[-1].lstrip().startswith("——") and len(units[-1]) <= LEAD_IN_MAX_CHARS:
            units[-1] += s  # keep "——经济平稳快速增长。" with the sentence it heads
        else:
            units.append(s)
    pieces: list[str] = []
    for u in units:
        if pieces and len(pieces[-1]) + len(u) <= MAX_CHUNK_CHARS:
            pieces[-1] += u
        else:
            pieces.append(u)
    return [p for p in (x.strip() for x in pieces) if p]


def _role(p: _Para, text: str, first_para: bool, index: int, total: int, has_headings: bool,
          year: str) -> Role:
    """Role of one chunk `text` cut from paragraph `p`; `index`/`total` count chunks in the document."""
    if first_para and (p.before_heading or not has_headings):
        return "开头"
    inherited: Role = p.section_role
    if p.before_heading and not has_headings:
        inherited = "成绩"  # without headings only the first paragraph opens the document
    own, leading = paragraph_role_cue(text, final=index == total - 1, near_end=index >= total - 2, year=year)
    if own is None or own == inherited:
        return inherited
    if inherited in ("开头", "成绩") or leading:
        return own
    return inherited


def split_document(doc: Document) -> list[Chunk]:
    """Chunks of `doc` in order, each with its heading path and section role."""
    paras, has_headings = _paragraphs(doc)
    cut = [(n, p, piece) for n, p in enumerate(paras) for piece in _pieces(p.text)]
    chunks: list[Chunk] = []
    for order, (n, p, piece) in enumerate(cut):
        role = _role(p, piece, n == 0, order, len(cut), has_headings, doc.year)
        prev = chunks[-1] if chunks else None
        if prev and prev.role == "问题" and prev.heading_path == p.path and _LATER_ITEM.match(piece):
            role = "问题"  # "二是……" continues the problem list the previous paragraph opened
        chunks.append(Chunk(chunk_id=f"{doc.doc_id}:{order}", doc=doc.doc_id, title=doc.title,
                            heading_path=p.path, role=role, text=piece, order=order))
    return chunks
