"""CLI commands of the drafting engine: outline, interview, draft, check, export, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.config import Settings
from assistant.errors import UserError
from assistant.facts.parse import load_facts_file
from assistant.limits import DEFAULT_MAX_INPUT_BYTES, too_large
from assistant.schema import ROLES, Facts, SummaryDocument, require_role

MAX_TEXT_BYTES = DEFAULT_MAX_INPUT_BYTES  # the default; the commands use settings.max_input_bytes


def _facts(args: argparse.Namespace, settings: Settings) -> Facts:
    return load_facts_file(args.facts, settings.max_input_bytes)


def _text_file(path: str, label: str, max_bytes: int) -> str:
    """A draft, outline or summary file as text (UTF-8, UTF-16 with BOM or GB18030, as Windows editors save it).

    At most ASSISTANT_MAX_INPUT_KB, like a facts file: a summary is tens of KB, the check's work grows with it."""
    from assistant.ingest.readers import decode_file_text

    p = Path(path)
    if p.is_dir():
        raise UserError(f"{label}文件路径是文件夹，不是文件：{p}")
    if not p.is_file():
        raise UserError(f"找不到{label}文件：{p}")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise too_large(f"{label}文件“{p.name}”", size, max_bytes, "请只放一份总结的正文")
        data = p.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取{label}文件“{p.name}”：{exc.strerror or '读取失败'}。") from exc
    return decode_file_text(data, p) if data else ""


def _choice(args: argparse.Namespace):  # noqa: ANN202 - ModelChoice, imported lazily
    from assistant.services.drafting import ModelChoice

    return ModelChoice(backend=getattr(args, "backend", None))


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def ensure_examples(knowledge) -> None:  # noqa: ANN001 - KnowledgeService, imported lazily
    """First use on an empty store: index the example folders (a progress line on stderr), or say in one
    line that there is nothing to index, so nothing is searched or drafted silently without examples."""
    knowledge.ensure_indexed(say=_stderr)


def _model_notice(args: argparse.Namespace, services) -> str:  # noqa: ANN001 - Services, imported lazily
    """Resolve the backend before drafting and say on stderr when the chosen model cannot be used ("" if it can).

    `--backend embedded` named explicitly is a promise to use the local model: unusable, it is a user-facing
    error (exit 2), not a quiet change of backend. The default backend falls back and says so (issue 23 §1).
    """
    from assistant.llm.registry import refusal_message

    resolved = services.drafting.resolve(_choice(args))
    if resolved.fell_back and getattr(args, "backend", None) == resolved.requested:
        raise UserError(refusal_message(resolved.reason))
    if resolved.notice:
        print(resolved.notice, file=sys.stderr, flush=True)
    return resolved.notice


def _say_again(notice: str) -> None:
    """The fallback repeated after the result, where a reader of a long output looks last."""
    if notice:
        print(notice, file=sys.stderr, flush=True)


def _print_draft_text(text: str, check: dict | None) -> None:
    print(text)
    if check and not check.get("ok", True):
        problems = [f"{k}: {'、'.join(map(str, v))}" for k, v in check.items() if isinstance(v, list) and v
                    and k != "missing_slots"]
        print("\n【核查未通过】" + "；".join(problems), file=sys.stderr)


def cmd_outline(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.services import build_services

    facts = _facts(args, settings)
    services = build_services(settings)
    notice = _model_notice(args, services)
    ensure_examples(services.knowledge)
    draft = services.drafting.outline(facts, _choice(args))
    if args.json:
        data = draft.to_json()
        data["outline"] = data.pop("text")
        data["notice"] = notice
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(draft.text)
    _say_again(notice)
    return 0


def cmd_interview(args: argparse.Namespace, settings: Settings) -> int:
    """The questions the interview would ask about these facts: what the house writes and the facts lack."""
    from assistant.services import build_services

    facts = _facts(args, settings)
    services = build_services(settings)
    questions = services.interview.questions(facts, limit=args.max)
    if args.json:
        print(json.dumps({"questions": [q.to_json() for q in questions]}, ensure_ascii=False))
    elif questions:
        print("\n".join(f"{i}. {q.ask}" for i, q in enumerate(questions, 1)))
    elif not facts.achievements:  # nothing to ask about yet: no result says it already holds its details
        print("还没有成绩可以补问：请先在事实中写出今年的主要工作和成绩。")
    else:
        print("这些事实已经写出了范文通常会写的做法和成效，没有要补问的。")
    return 0


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.services import build_services

    role = require_role(args.section)
    facts = _facts(args, settings)
    services = build_services(settings)
    outline = _text_file(args.outline, "提纲", settings.max_input_bytes) if args.outline else ""
    notice = _model_notice(args, services)
    ensure_examples(services.knowledge)
    draft = services.drafting.draft_section(facts, role, _choice(args), outline)
    data = draft.to_json()
    if args.json:
        print(json.dumps({**data, "notice": notice}, ensure_ascii=False))
    else:
        _print_draft_text(draft.text, data["check"])
    _say_again(notice)
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.check.style import style_report
    from assistant.services import build_services

    facts = _facts(args, settings)
    draft_path = Path(args.draft)
    text = _text_file(args.draft, "草稿", settings.max_input_bytes)
    if not text.strip():
        raise UserError(f"草稿文件是空的：{draft_path}")
    role = require_role(args.section) if args.section else None
    services = build_services(settings)
    report = services.drafting.check(facts, text, role)
    data = report.to_json()
    style = style_report(text, services.knowledge.example_texts())
    data["style"] = style.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print("核查通过。" if report.ok else "核查未通过：\n" + "\n".join(f"- {p}" for p in report.problems()))
        if style.remarks:  # a draft in the house style adds nothing to the fact check's line
            print("文风对照（与范文相比）：\n" + "\n".join(f"- {m}" for m in style.messages()))
    return 0


_NOT_PLAIN_TEXT = (".docx", ".doc", ".wps", ".pdf", ".odt", ".rtf")


def _summary_file(path: str, label: str, facts: Facts, max_bytes: int) -> tuple[str, SummaryDocument]:
    """A whole summary saved as text (the 全文 box, our .md export, an edited copy) → (text, document)."""
    from assistant.export.assemble import has_text
    from assistant.export.text_document import document_from_text
    from assistant.writing.template import document_title

    p = Path(path)
    if p.suffix.lower() in _NOT_PLAIN_TEXT and p.is_file():
        raise UserError(f"{label}文件“{p.name}”是 Word、PDF 等格式，不是纯文本：请把正文另存为 .txt 或 .md 再导出。")
    text = _text_file(path, label, max_bytes)
    if not text.strip():
        raise UserError(f"{label}文件是空的：{p}")
    doc = document_from_text(text, document_title(facts))
    if not has_text(doc):
        raise UserError(f"{label}文件“{p.name}”只有标题，没有正文：请放一份完整的总结。")
    return text, doc


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Draft anew and export, or export a given text (--text); --compare-to tracks the changes from an
    earlier version as Word revisions."""
    from assistant.export.assemble import assemble_text
    from assistant.services import build_services

    out = Path(args.out)
    if out.suffix.lower() not in (".docx", ".md", ".markdown"):
        raise UserError(f"不支持的导出格式“{out.suffix or '无后缀'}”：请用 .docx 或 .md 结尾的文件名。")
    if args.compare_to and out.suffix.lower() != ".docx":
        raise UserError("Markdown 文件无法记录修订：要带修订导出，请用 .docx 结尾的文件名；要导出纯文本，请去掉 --compare-to。")
    facts = _facts(args, settings)
    before = _summary_file(args.compare_to, "对比版本", facts, settings.max_input_bytes)[1] if args.compare_to else None
    given = _summary_file(args.text, "文本", facts, settings.max_input_bytes) if args.text else None
    services = build_services(settings)
    notice = _model_notice(args, services) if given is None else ""
    if given is None:
        ensure_examples(services.knowledge)
    doc = given[1] if given is not None else services.drafting.draft_all(facts, _choice(args))
    report = services.drafting.check(facts, assemble_text(doc))  # the whole text as exported, sentence by sentence
    failing = [] if report.ok else report.problems()
    path = services.exporter.export_to(doc, out, compare_to=before)
    print(f"已导出：{path}")
    counts = report.counts()
    print(f"逐句核查：有事实依据 {counts['supported']} 句，套语 {counts['formula']} 句，"
          f"仍被标记 {counts['unverified'] + counts['violation']} 句。")
    if before is not None:
        changes = services.exporter.count_changes(doc, before)
        if changes:
            print(f"与对比版本相比改动 {changes} 处，已写成修订（作者：写作助手），可在 Word 或 WPS 的“审阅”中逐条接受或拒绝。")
        else:
            print("注意：两个版本的正文相同，文件中没有修订。", file=sys.stderr)
    if failing:
        what = "文本按原样导出，" if given is not None else ""
        print(f"注意：{what}核查发现以下问题，请检查：\n" + "\n".join(f"- {x}" for x in failing), file=sys.stderr)
    _say_again(notice)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.interfaces.server import check_free, run
    from assistant.services import build_knowledge

    port = settings.port if args.port is None else args.port
    if not 0 <= port < 65536:
        raise UserError(f"端口 {port} 无效：请用 1 到 65535 之间的整数，例如 --port 7860。")
    check_free(args.host or settings.host, port)
    ensure_examples(build_knowledge(settings))  # the services the app builds share the store on disk
    run(settings, host=args.host, port=port)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add drafting sub-commands to the CLI parser."""
    backends = ["embedded", "openai", "template"]
    sections = [*ROLES, "opening", "achievements", "problems", "plans", "closing"]

    p = sub.add_parser("outline", help="按事实生成“主要工作和成绩”的提纲")
    p.add_argument("--facts", required=True, help="事实文件（YAML/JSON/TXT）")
    p.add_argument("--backend", choices=backends)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("interview", help="列出范文通常会写、而事实还缺的做法和成效，供补充")
    p.add_argument("--facts", required=True, help="事实文件（YAML/JSON/TXT）")
    p.add_argument("--max", type=int, default=3, help="最多几个问题（默认 3）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_interview)

    p = sub.add_parser("draft", help="起草一个部分")
    p.add_argument("--facts", required=True)
    p.add_argument("--section", required=True, help="、".join(sections))
    p.add_argument("--outline", help="提纲文件（可选，用于“成绩”部分）")
    p.add_argument("--backend", choices=backends)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("check", help="核查一份草稿：数字、照搬、占位符、遗漏的事实")
    p.add_argument("--facts", required=True)
    p.add_argument("--draft", required=True)
    p.add_argument("--section", help="草稿所属部分（用于检查遗漏的事实和“计划写成成绩”）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="起草全文（或用 --text 给出的文本）并导出为 Word（.docx）或 Markdown（.md）")
    p.add_argument("--facts", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--text", help="要导出的总结全文（.txt/.md）：给出时不再起草，按原样导出")
    p.add_argument("--compare-to", help="较早的版本（.txt/.md）：把与它的差别写成 Word 修订，可逐条接受或拒绝（仅 .docx）")
    p.add_argument("--backend", choices=backends)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="启动网页应用和兼容 OpenAI 的接口")
    p.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, help="端口（默认 7860）")
    p.set_defaults(func=cmd_serve)
