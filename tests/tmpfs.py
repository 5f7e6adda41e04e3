"""A small tmpfs to fill for real: a disk that runs out of space. Mounting needs root (or
CAP_SYS_ADMIN), which CI may not grant: tests using it are skipped then; the same faults are also
tested everywhere by making the commit's writes raise."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextmanager
def small_tmpfs(path: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` KiB mounted at `path`, unmounted afterwards; skips the test when this
    machine does not let it mount one."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    path.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        # lazy: a store handle the test process still holds must not fail the test at its end
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def resize(path: Path, size_kb: int) -> None:
    """Grow or shrink a mounted tmpfs (not below what it holds)."""
    done = _mount("-o", f"remount,size={size_kb}k", str(path))
    assert done.returncode == 0, done.stderr


def used_kb(path: Path) -> int:
    """KiB in use on the file system holding `path`."""
    usage = shutil.disk_usage(path)
    return usage.used // 1024
