"""The 范文库 panel lists which examples are in use: kind of unit, origin and passage count."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.services import build_services
from assistant.ui.knowledge_panel import KB_HEADERS, KnowledgeActions
from tests.conftest import KNOWLEDGE, make_settings


def test_panel_rows_name_kind_origin_and_chunks(tmp_path: Path, hashed: None) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("04-weisheng-gonghui.md", "16-gongjiao-jituan.md"):
        shutil.copy(KNOWLEDGE / name, folder / name)
    (folder / "mine.txt").write_text("市第一中学工会2023年工作总结\n\n一、加强学习，提高素质\n\n全年组织学习12次。\n",
                                     encoding="utf-8")
    knowledge = build_services(make_settings(tmp_path / "data", knowledge_dir=folder)).knowledge
    knowledge.ingest()
    knowledge.add_example("upload.txt", "县人民医院工会2024年工作总结\n\n一、关心职工，办好实事\n\n慰问职工86户。\n".encode())
    view = KnowledgeActions(knowledge).kb_view()
    rows = {row[0]: row for row in view["kb_table"]}
    assert KB_HEADERS == ["文档", "标题", "单位类型", "来源", "段落数"]
    assert rows["04-weisheng-gonghui"][2:4] == ["医院、工会", "种子范文"]
    assert rows["16-gongjiao-jituan"][2:4] == ["企业、交通", "项目示例"]
    assert rows["mine"][1:4] == ["市第一中学工会2023年工作总结", "学校、工会", "自有"]
    assert rows["upload"][2:4] == ["医院、工会", "上传"]
    counts = {d["doc"]: d["chunks"] for d in knowledge.documents()}
    assert all(rows[doc][4] == counts[doc] > 0 for doc in rows)
    assert view["kb_remove_pick"]["choices"] == ["upload"]  # only uploads can be removed on the page
    status = str(view["kb_count"])
    assert "范文库共 4 篇" in status and "种子范文 1 篇" in status and "上传 1 篇" in status
