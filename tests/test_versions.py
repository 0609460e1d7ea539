"""The versions store: immutable versions per session on disk, restore appends, bounded, removed with the session."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import pytest

from assistant.errors import UserError
from assistant.schema import CheckReport
from assistant.services.sessions import SessionData, SessionStore
from assistant.services.versions import CheckStatus, Version, VersionStore

SID = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"


@pytest.fixture()
def store(tmp_path: Path) -> VersionStore:
    return VersionStore(tmp_path / "sessions" / "versions")


def test_versions_are_listed_newest_first_per_target(store: VersionStore) -> None:
    a = store.add(SID, "成绩", "一、培训\n组织培训12期。", "template", backend="template")
    b = store.add(SID, "全文", "标题\n组织培训12期。", "template")
    c = store.add(SID, "成绩", "一、培训\n组织培训12期，参训860人次。", "chat", backend="template", note="更简洁")
    assert a and b and c and [a.id, b.id, c.id] == [1, 2, 3]
    assert [v.id for v in store.list(SID, "成绩")] == [3, 1]
    assert [v.id for v in store.list(SID)] == [3, 2, 1]
    assert store.latest(SID, "全文") == b
    assert store.list(OTHER) == []
    assert c.origin_label == "对话" and c.label().startswith("#3 · ") and c.label().endswith(" · 对话：更简洁")


def test_a_version_cannot_be_changed(store: VersionStore) -> None:
    v = store.add(SID, "开头", "2024年，本会……", "model", backend="embedded")
    assert v is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.text = "改了"  # type: ignore[misc]
    store.add(SID, "开头", "2024年，本会认真……", "hand")
    assert store.get(SID, v.id) == v  # a later version leaves the earlier one as it was


def test_the_same_text_again_is_not_a_new_version_but_a_restore_is(store: VersionStore) -> None:
    first = store.add(SID, "问题", "经费使用不够规范。", "template")
    assert store.add(SID, "问题", "经费使用不够规范。\n", "hand") is None
    assert store.add(SID, "问题", "   ", "hand") is None
    second = store.add(SID, "问题", "经费使用不规范。", "hand")
    assert first and second
    restored = store.restore(SID, first.id)
    assert restored.id == second.id + 1 and restored.text == first.text
    assert restored.origin == "restore" and restored.note == f"恢复自 #{first.id}"
    again = store.restore(SID, first.id)  # restoring twice is two versions: each is an action the user took
    assert again.id == restored.id + 1
    assert [v.text for v in store.list(SID, "问题")] == [first.text, first.text, second.text, first.text]
    with pytest.raises(UserError, match="找不到版本"):
        store.restore(SID, 999)


def test_versions_survive_a_new_store_and_keep_their_check(store: VersionStore, tmp_path: Path) -> None:
    report = CheckReport()
    status = CheckStatus.of(report)
    assert status == CheckStatus(ok=0, flagged=0, passed=True)
    v = store.add(SID, "成绩", "组织培训12期。", "model", backend="openai", check=CheckStatus(5, 1, False))
    again = VersionStore(tmp_path / "sessions" / "versions")
    assert again.list(SID) == [v]
    assert again.list(SID)[0].check == CheckStatus(5, 1, False)
    assert CheckStatus(5, 1, False).label() == "1 句有问题" and CheckStatus(5, 0, True).label() == "通过（5 句）"


def test_the_store_is_bounded_and_ids_keep_growing(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, max_versions=5)
    for i in range(12):
        store.add(SID, "全文", f"第{i}稿", "hand")
    kept = store.list(SID)
    assert [v.id for v in kept] == [12, 11, 10, 9, 8]
    small = VersionStore(tmp_path / "small", max_bytes=400)
    for i in range(20):
        small.add(SID, "全文", f"第{i}稿" + "字" * 40, "hand")
    assert (tmp_path / "small" / f"{SID}.jsonl").stat().st_size <= 400
    assert small.list(SID)[0].text.startswith("第19稿")


def test_a_damaged_line_loses_only_itself(store: VersionStore) -> None:
    store.add(SID, "结尾", "新的一年……", "template")
    store.add(SID, "结尾", "新的一年，我们……", "hand")
    path = store.path(SID)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], "{坏了", json.dumps({"id": "x"}), lines[1]]) + "\n", encoding="utf-8")
    assert [v.id for v in store.list(SID)] == [2, 1]
    assert Version.from_json({"id": 3, "target": "别处", "text": "x", "created": 0}) is None


def test_ids_that_are_not_session_ids_are_refused(store: VersionStore) -> None:
    for bad in ("../../etc/passwd", "ABC", "", "0123456789abcdef0123456789abcdeg"):
        with pytest.raises(UserError):
            store.add(bad, "全文", "x", "hand")


def test_versions_go_with_their_session(tmp_path: Path) -> None:
    sessions = SessionStore(tmp_path / "sessions", max_age_days=1)
    versions = VersionStore(sessions.versions_dir)
    for sid in (SID, OTHER):
        sessions.save(sid, SessionData(form={"unit": sid[:4]}))
        versions.add(sid, "全文", "正文", "hand")
    assert sessions.remove(SID)
    assert versions.list(SID) == [] and versions.list(OTHER)
    old = time.time() - 3 * 86400
    os.utime(sessions.path(OTHER), (old, old))
    assert sessions.prune() == [OTHER]
    assert versions.list(OTHER) == []


def test_a_saved_proposal_is_read_back_or_dropped_when_malformed() -> None:
    data = SessionData(proposal={"role": "成绩", "before": "a", "after": "b", "start": 0, "end": 1})
    assert SessionData.from_json(data.to_json()).proposal == data.proposal
    assert SessionData.from_json({"proposal": {"role": "成绩", "start": "0"}}).proposal == {}
    assert SessionData.from_json({"proposal": ["x"]}).proposal == {}
