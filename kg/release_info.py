"""Read what a build wrote (build/release.json) and which commit the code is at."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path


def read_release(build_dir: Path) -> dict:
    return json.loads((build_dir / "release.json").read_text(encoding="utf-8"))


def git_commit(root: Path) -> str:
    """The checked-out commit, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"
