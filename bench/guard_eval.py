"""How well the guard catches faults, and how rarely it cries wolf.

Fact sheets with hand-written clean drafts (bench/guard_data/*.yaml; the drafts restate the facts in other
number forms: 11.6万元 ↔ 116000元, 四场 ↔ 4场) are checked as they are, then with one planted fault each:
a changed number, a leaked example name, a leaked example number, a verbatim run copied from an example,
a template placeholder, a dropped fact, a plan written as a result. The house examples in knowledge/ are
the examples the guard checks against.

A fault counts as caught when its report category gains an item over the clean draft's report. Precision is
per category: every category that fires on a clean draft, or fires on a variant whose fault it does not
belong to (beyond known side effects such as a changed number also leaving its fact unused), is a false alarm.

`python -m bench.guard_eval` prints a Markdown table and, on the last line, the numbers as JSON.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.check.guard import check_draft
from assistant.facts.ledger import FactLedger, build_ledger, content_terms
from assistant.facts.parse import facts_from_mapping
from assistant.schema import CheckReport, Role
from assistant.text.numbers import find_quantities, format_value

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "guard_data"
CATEGORIES = ("unsupported_numbers", "leaks", "placeholders", "unused_facts", "plans_as_results")
SEED = 20240601

# Fault type → the category that must fire, and categories it may also fire as a true side effect.
EXPECT: dict[str, tuple[str, tuple[str, ...]]] = {
    "changed_number": ("unsupported_numbers", ("unused_facts",)),
    "leaked_name": ("leaks", ()),
    "leaked_number": ("leaks", ("unsupported_numbers",)),
    "verbatim_copy": ("leaks", ()),
    "placeholder": ("placeholders", ()),
    "dropped_fact": ("unused_facts", ()),
    "plan_as_result": ("plans_as_results", ()),
    "changed_unit": ("unsupported_numbers", ("unused_facts",)),
    "invented_number": ("unsupported_numbers", ()),
}

# Bait from the house examples (see docs/GENRE.md §B.7), inserted as a clause.
LEAKED_NAMES = (
    "，并与泰山区卫生工会开展了工作交流",
    "，还组织职工赴凤凰湖开展了拓展训练",
    "，其中职工卢皓家属患病期间工会及时送去关怀",
    "，相关做法被《陕西日报》专题报道",
    "，并围绕世园会开展了立功竞赛",
    "，还与柳背桥社区开展了联建共创",
    "，组长由党组成员罗辉萍担任",
    "，并到德红村开展了结对帮扶",
)
LEAKED_NUMBERS = (
    "，共筹集爱心捐款9630元",
    "，完成了317户企业的调查摸底",
    "，完成全年任务的405%",
    "，完成36.15公里的绿化栽植任务",
    "，310余人参加了培训",
    "，被7个医疗卫生单位录取的24名优秀人才充实了队伍",
)
# Non-stock sentences of the examples (no numbers or names), copied verbatim.
VERBATIM = (
    "，采取请进来与送出去相结合,集中学习与自学互学相结合,理论知识与实际操作相结合",
    "，主动到社会上寻找、照顾和帮助弱势群体,给贫困家庭、贫困党员、贫困学生赠送生活用品等物资",
    "，稳定了职工情绪,促进了各项工作。工会还经常到基层了解实际情况,帮助解决实际问题",
    "，社区把工会工作纳入了重要议事日程,成立了工会工作领导班子,建立健全了各种规章制度",
    "，认真处理、协调广大居民、职工和工会会员的各项事务，协助社区党委、居委会做好居民思想工作",
)
INVENTED = ("，职工满意度达到98.6%", "，受到表彰的先进个人有17名", "，全年累计投入经费23.5万元",
            "，参与人数较上年增长32%", "，共覆盖各部门41个")
# A measure word swapped for one that counts something else: 340人次 → 340人 is another claim.
UNIT_SWAPS = {"人次": "人", "人": "人次", "名": "人次", "场": "个", "次": "个", "期": "个", "个": "项", "户": "人",
              "元": "人", "%": "个百分点", "项": "个", "件": "个", "条": "个", "本": "个", "轮": "个", "起": "个",
              "批": "个", "处": "项", "册": "本"}
PLACEHOLDERS = ("，全年共开展活动xx次", "，于20xx年启动", "，与***单位签订协议", "，表彰××名先进个人",
                "，月日召开了总结会", "，参加人数达到（ ）人", "，签订集体合同达家", "，覆盖率达到。")


@dataclass
class Variant:
    sheet: str
    role: Role
    fault: str  # "clean" or a key of EXPECT
    text: str
    key: str = ""  # the draft's key in the sheet (role, or role#variant)


def load_sheets() -> list[tuple[str, Any, dict[str, str]]]:
    """(name, Facts, drafts by role) for every sheet in guard_data."""
    out = []
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((path.stem, facts_from_mapping(data["facts"], path.name), dict(data["drafts"])))
    return out


def load_examples() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "knowledge").glob("*.md"))]


def _body_lines(text: str) -> list[int]:
    """Indexes of lines that are prose (end with 。), where a clause can be inserted."""
    return [i for i, line in enumerate(text.splitlines()) if line.rstrip().endswith("。")]


def insert_clause(text: str, clause: str, rng: random.Random) -> str:
    """The clause spliced in before the final 。 of a random prose line."""
    lines = text.splitlines()
    candidates = _body_lines(text)
    if not candidates:
        return text.rstrip() + clause + "。"
    i = rng.choice(candidates)
    line = lines[i].rstrip()
    lines[i] = line[:-1] + clause + "。"
    return "\n".join(lines)


def change_number(text: str, ledger: FactLedger, rng: random.Random) -> list[str]:
    """Variants with one quantity changed to a value the facts do not hold (up to three per draft)."""
    qs = [q for q in find_quantities(text) if q.kind in ("count", "percent") and q.value >= 2]
    rng.shuffle(qs)
    out = []
    for q in qs[:3]:
        for factor in (1.1, 1.3, 0.8, 2.0):
            value = round(q.value * factor) if q.value >= 10 else q.value + 3
            new = _render(value, q.unit)
            changed = text[:q.start] + new + text[q.end:]
            if not any(ledger.supports(n) for n in find_quantities(new)):
                out.append(changed)
                break
    return out


def _render(value: float, unit: str) -> str:
    return f"{format_value(value)}{unit}"


def change_unit(text: str, ledger: FactLedger, rng: random.Random) -> list[str]:
    """Variants with one quantity's measure word swapped (the value kept)."""
    qs = [q for q in find_quantities(text) if q.kind in ("count", "percent") and q.unit in UNIT_SWAPS]
    rng.shuffle(qs)
    out = []
    for q in qs[:2]:
        new_unit = UNIT_SWAPS[q.unit]
        raw_unit = _raw_unit(q.raw, q.unit)
        new = q.raw[: len(q.raw) - len(raw_unit)] + new_unit if raw_unit else ""
        if not new or any(ledger.supports(n) for n in find_quantities(new)):
            continue
        out.append(text[:q.start] + new + text[q.end:])
    return out


def _raw_unit(raw: str, unit: str) -> str:
    return unit if raw.endswith(unit) else ""


def drop_fact(text: str, ledger: FactLedger, role: Role) -> list[str]:
    """Variants with the sentence that carries one fact removed."""
    out = []
    sentences = re.findall(r"[^。；\n]+[。；]?", text)
    for fact in ledger.facts_for(role):
        def score(s: str, fact: Any = fact) -> float:
            if fact.key_quantities and any(
                    abs(k.value - q.value) < 1e-6 for k in fact.key_quantities for q in find_quantities(s)):
                return 1.0
            return len(fact.terms & content_terms(s)) / max(1, len(fact.terms))
        best = max(sentences, key=score, default="")
        if best and score(best) >= 0.5:
            dropped = text.replace(best, "", 1)
            out.append(re.sub(r"[：:]\s*$", "。", dropped, flags=re.M))
    return out


def plan_as_result(text: str, ledger: FactLedger, rng: random.Random) -> list[str]:
    """Variants of a results section that report a plan as done, or announce it there."""
    out = []
    for fact in ledger.facts_for("计划"):
        done = re.sub(r"^(明年|下一年|\d{4}年|二〇..年|来年)?(计划|争取|力争|拟)?", "", fact.text)
        out.append(insert_clause(text, f"。同时，已{done}", rng))
        out.append(insert_clause(text, f"。下一步还将{done}", rng))
    return out


def plan_paraphrase(text: str, ledger: FactLedger, rng: random.Random) -> list[str]:
    """Variants that report a plan as done in other words: its object, said to be finished."""
    out = []
    for fact in ledger.facts_for("计划"):
        core = re.sub(r"^(明年|下一年|\d{4}年|二〇..年|来年)?(计划|争取|力争|拟)?(在|于)?", "", fact.text)
        core = re.sub(r"^(新建|建设|开展|组织|举办|新增|开设|推动|在[^，]{1,8})", "", core)
        out.append(insert_clause(text, f"，{core}已顺利完成并取得实效", rng))
    return out


def _adder(variants: list[Variant], sheet: str, role: Role, key: str) -> Callable[[str, str], None]:
    def add(fault: str, text: str) -> None:
        variants.append(Variant(sheet, role, fault, text, key))
    return add


def make_variants(sheet: str, facts: Any, drafts: dict[str, str], rng: random.Random) -> list[Variant]:
    ledger = build_ledger(facts)
    variants: list[Variant] = []
    for key, text in drafts.items():
        role: Role = key.split("#")[0]  # type: ignore[assignment]
        variants.append(Variant(sheet, role, "clean", text, key))
        if role == "开头":
            continue
        add = _adder(variants, sheet, role, key)
        for t in change_number(text, ledger, rng):
            add("changed_number", t)
        for t in change_unit(text, ledger, rng):
            add("changed_unit", t)
        add("invented_number", insert_clause(text, rng.choice(INVENTED), rng))
        add("leaked_name", insert_clause(text, rng.choice(LEAKED_NAMES), rng))
        add("leaked_number", insert_clause(text, rng.choice(LEAKED_NUMBERS), rng))
        add("verbatim_copy", insert_clause(text, rng.choice(VERBATIM), rng))
        add("placeholder", insert_clause(text, rng.choice(PLACEHOLDERS), rng))
        for t in drop_fact(text, ledger, role):
            add("dropped_fact", t)
        if role == "成绩":
            for t in plan_as_result(text, ledger, rng) + plan_paraphrase(text, ledger, rng):
                add("plan_as_result", t)
    return variants


def _new_items(report: CheckReport, clean: CheckReport) -> dict[str, list[str]]:
    return {c: [i for i in getattr(report, c) if i not in getattr(clean, c)] for c in CATEGORIES}


def run() -> dict[str, Any]:
    """Check every clean draft and every planted variant; precision and recall per category and fault."""
    rng = random.Random(SEED)
    examples = load_examples()
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    planted: dict[str, int] = defaultdict(int)
    caught: dict[str, int] = defaultdict(int)
    clean_alarms: list[dict[str, Any]] = []
    missed: list[dict[str, str]] = []
    false_alarms: list[dict[str, Any]] = []
    n_clean = 0
    sheets = load_sheets()
    for sheet, facts, drafts in sheets:
        ledger = build_ledger(facts)
        clean_reports: dict[str, CheckReport] = {}
        for v in make_variants(sheet, facts, drafts, rng):
            report = check_draft(v.text, ledger, role=v.role, examples=examples)
            if v.fault == "clean":
                n_clean += 1
                clean_reports[v.key] = report
                for c in CATEGORIES:
                    if getattr(report, c):
                        fp[c] += 1
                        clean_alarms.append({"sheet": sheet, "role": v.key, "category": c,
                                             "items": getattr(report, c)})
                continue
            new = _new_items(report, clean_reports[v.key])
            expected, side = EXPECT[v.fault]
            planted[v.fault] += 1
            if new[expected]:
                tp[expected] += 1
                caught[v.fault] += 1
            else:
                fn[expected] += 1
                missed.append({"sheet": sheet, "role": v.role, "fault": v.fault, "text": v.text[:400]})
            for c in CATEGORIES:
                if c != expected and c not in side and new[c]:
                    fp[c] += 1
                    false_alarms.append({"sheet": sheet, "role": v.role, "fault": v.fault, "category": c,
                                         "items": new[c]})
    per_category = {}
    for c in CATEGORIES:
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 1.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 1.0
        per_category[c] = {"tp": tp[c], "fp": fp[c], "fn": fn[c], "precision": round(p, 3), "recall": round(r, 3)}
    per_fault = {f: {"planted": planted[f], "caught": caught[f],
                     "recall": round(caught[f] / planted[f], 3) if planted[f] else 1.0} for f in EXPECT}
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {
        "sheets": len(sheets),
        "clean_drafts": n_clean,
        "clean_drafts_flagged": len({(a["sheet"], a["role"]) for a in clean_alarms}),
        "faulty_variants": sum(planted.values()),
        "precision": round(total_tp / (total_tp + total_fp), 3) if total_tp + total_fp else 1.0,
        "recall": round(total_tp / (total_tp + total_fn), 3) if total_tp + total_fn else 1.0,
        "per_category": per_category,
        "per_fault": per_fault,
        "clean_alarms": clean_alarms,
        "false_alarms": false_alarms,
        "missed": missed,
    }


def to_markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Guard evaluation: {result['sheets']} fact sheets, {result['clean_drafts']} clean drafts "
        f"({result['clean_drafts_flagged']} flagged), {result['faulty_variants']} planted faults.",
        "",
        f"**Overall precision {result['precision']:.3f}, recall {result['recall']:.3f}**",
        "",
        "| fault | planted | caught | recall |",
        "|---|---:|---:|---:|",
    ]
    for f, row in result["per_fault"].items():
        lines.append(f"| {f} | {row['planted']} | {row['caught']} | {row['recall']:.3f} |")
    lines += ["", "| report category | TP | FP | FN | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for c, row in result["per_category"].items():
        lines.append(f"| {c} | {row['tp']} | {row['fp']} | {row['fn']} | {row['precision']:.3f} | "
                     f"{row['recall']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    result = run()
    print(to_markdown(result))
    for title, key in (("False alarms on clean drafts", "clean_alarms"), ("Other false alarms", "false_alarms"),
                       ("Missed faults", "missed")):
        if result[key]:
            print(f"\n{title}:")
            for item in result[key]:
                print("- " + json.dumps(item, ensure_ascii=False))
    summary = {k: result[k] for k in ("sheets", "clean_drafts", "clean_drafts_flagged", "faulty_variants",
                                      "precision", "recall")}
    summary["recall_by_fault"] = {f: r["recall"] for f, r in result["per_fault"].items()}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
