"""Previews waiting for their publish (kg.contrib.pending): bound to the key that sent them, gone
after their hour, bounded per key and overall, and never reached by a path from a form."""

from __future__ import annotations

import time

import pytest
from otkg.kg.contrib import pending
from otkg.kg.contrib.pending import PendingFull, PendingUploads

WHAT = {
    "slug": "north",
    "trust": "North NHS Trust",
    "cluster": "2",
    "file_name": "p.xlsx",
    "media": "text/csv",
}


def test_a_preview_comes_back_whole_for_its_own_key_only(tmp_path):
    waiting = PendingUploads(tmp_path)
    pid = waiting.put(b"sheet bytes", "otkg_key-a", **WHAT)
    assert len(pid) == 43
    got = waiting.get(pid, " otkg_key-a ")  # read as the credentials file reads a key: trimmed
    assert got is not None and got.body == b"sheet bytes" and got.slug == "north" and got.cluster == "2"
    assert waiting.get(pid, "otkg_key-b") is None
    waiting.discard(pid)
    assert waiting.get(pid, "otkg_key-a") is None
    assert list(tmp_path.iterdir()) == []


def test_a_preview_expires_after_its_hour(tmp_path):
    waiting = PendingUploads(tmp_path, ttl_s=0.05)
    pid = waiting.put(b"x", "k", **WHAT)
    time.sleep(0.1)
    assert waiting.get(pid, "k") is None
    assert list(tmp_path.iterdir()) == [] or all(p.suffix == ".bin" for p in tmp_path.iterdir())


def test_ids_from_a_form_never_name_another_file(tmp_path):
    waiting = PendingUploads(tmp_path / "pending")
    (tmp_path / "credentials.json").write_text("{}")
    for bad in ("../credentials", "", "a" * 42, "a" * 43 + "/", "../" * 15 + "etc", "a" * 44):
        assert waiting.get(bad, "k") is None
        waiting.discard(bad)
    assert (tmp_path / "credentials.json").exists()


def test_a_changed_body_is_not_served(tmp_path):
    waiting = PendingUploads(tmp_path)
    pid = waiting.put(b"what was checked", "k", **WHAT)
    (tmp_path / f"{pid}.bin").write_bytes(b"something else")
    assert waiting.get(pid, "k") is None


def test_a_key_keeps_its_newest_previews_and_the_total_is_bounded(tmp_path, monkeypatch):
    waiting = PendingUploads(tmp_path)
    ids = [waiting.put(b"x", "k", **WHAT) for _ in range(pending.PER_CREDENTIAL + 2)]
    assert [waiting.get(i, "k") is not None for i in ids] == [False, False] + [True] * pending.PER_CREDENTIAL
    monkeypatch.setattr(pending, "MAX_COUNT", pending.PER_CREDENTIAL + 1)
    waiting.put(b"x", "other", **WHAT)
    with pytest.raises(PendingFull):
        waiting.put(b"x", "third", **WHAT)
    monkeypatch.setattr(pending, "MAX_COUNT", 100)
    monkeypatch.setattr(pending, "MAX_BYTES", 10)
    with pytest.raises(PendingFull):
        waiting.put(b"x" * 11, "third", **WHAT)
