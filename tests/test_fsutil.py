"""Atomic writes leave the file mode a plain write would: 0666 & ~umask for a new file, the old mode kept."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.fsutil import atomic_write_bytes, atomic_write_text, current_umask


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_current_umask_reads_without_changing_it(umask: None) -> None:
    assert current_umask() == 0o027
    assert current_umask() == 0o027


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002, 0o077])
def test_a_new_file_gets_the_mode_a_plain_write_gives(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        plain = tmp_path / "plain.txt"
        plain.write_text("x", encoding="utf-8")
        atomic = atomic_write_text(tmp_path / "总结.md", "一年来……")
    finally:
        os.umask(old)
    assert mode(atomic) == mode(plain) == 0o666 & ~mask


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "session.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_bytes(target, b'{"a": 1}')
    assert mode(target) == 0o640 and target.read_bytes() == b'{"a": 1}'
    target.chmod(0o604)
    atomic_write_bytes(target, b"{}")
    assert mode(target) == 0o604


def test_no_temp_file_is_left_and_threads_do_not_disturb_each_other(tmp_path: Path, umask: None) -> None:
    def write(i: int) -> None:
        for j in range(20):
            atomic_write_text(tmp_path / f"f{i}.txt", f"{i}-{j}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"f{i}.txt" for i in range(4)]
    assert all(mode(tmp_path / n) == 0o640 for n in names)
    assert os.umask(0o027) == 0o027  # nothing changed the umask on the way
