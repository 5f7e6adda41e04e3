"""Every number the docs state for limits, deadlines, budgets and caps (docs/operating.md's "Limits"
and "Slow clients and connections", docs/contributing.md's spreadsheet and upload rules, the README
before them) is the code's (issue 22: the README said CONSTRUCT answers were cut at 500,000 triples
while /sparql cut them at 10,000). Each phrase is written from the value the code uses, so a change
to either side without the other fails here."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from otkg.api.service import MAX_DEPTH
from otkg.api.settings import Settings
from otkg.kg.pipeline import sheet_read, upload
from otkg.kg.query.preemption import PREEMPT_AFTER_S
from otkg.kg.query.query_pool import WORKER_NICENESS, QueryPool
from otkg.kg.query.quick_jobs import QuickJobs
from otkg.kg.sparql_depth import MAX_LEVELS

ROOT = Path(__file__).parent.parent
# The README and every guide in docs/, as one text with its line breaks folded.
DOCS = " ".join(
    " ".join(p.read_text(encoding="utf-8").split())
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def _n(value: float) -> str:
    """A number as the docs write it: 10,000; 0.2; 5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _default(function, name: str):
    return inspect.signature(function).parameters[name].default


class _Defaults:
    """The settings' defaults, whatever OTKG_ variables the environment running the tests sets."""

    def __getattr__(self, name: str):
        return Settings.model_fields[name].default


S = _Defaults()
LIMITS = [
    ("query workers", f"`OTKG_QUERY_WORKERS` per API process, default {S.query_workers}"),
    ("quick lanes", f"`OTKG_QUERY_LANES`, default {S.query_lanes}"),
    ("lane hand-over", f"after {_n(_default(QueryPool, 'lane_hold_s') * 1000)} ms gives its lane"),
    ("worker priority", f"(nice {WORKER_NICENESS})"),
    ("in-process jobs", f"at most {_n(S.inline_ms)} ms of CPU (`OTKG_INLINE_MS`"),
    ("raw SPARQL deadline", f"Raw SPARQL has {_n(S.query_deadline)} s (`OTKG_QUERY_DEADLINE`)"),
    ("named query deadline", f"named queries {_n(S.named_query_deadline)} s (`OTKG_NAMED_QUERY_DEADLINE`)"),
    ("query size", f"over {S.max_query_length // 1024} KB (413)"),
    ("URL length", f"over {_n(S.max_url_length)} bytes is answered 414 (`OTKG_MAX_URL_LENGTH`)"),
    (
        "query nesting",
        f"nested deeper than {MAX_DEPTH} in brackets or more than {_n(MAX_LEVELS)} levels deep",
    ),
    ("upload nesting", f"An upload may nest at most {upload.MAX_DEPTH} levels deep"),
    ("stopped to make room", f"a job that has run for {_n(PREEMPT_AFTER_S)} s for a client"),
    ("head timeout", f"within {_n(S.header_timeout)} s of the connection"),
    ("request timeout", f"within {_n(S.request_timeout)} s (`OTKG_REQUEST_TIMEOUT`"),
    ("head size", f"A request head over {S.max_head_bytes // 1024} KiB is answered 431"),
    ("connection cap", f"at most {_n(S.max_connections)} connections, idle keep-alive ones included"),
    ("row cap", f"{_n(S.row_cap)} rows (`OTKG_ROW_CAP`"),
    ("triple cap", f"{_n(S.triple_cap)} triples"),
    (
        "client budget",
        f"({_n(S.client_budget_s)} s, refilled {_n(S.client_refill_per_s)} s per second; "
        f"the first {_n(S.client_free_s)} s of every request's work are free",
    ),
    ("crash cost", f"plus {_n(S.client_crash_cost_s)} s for each worker its query crashed"),
    (
        "query memory",
        f"{_n(S.query_memory_mb)} MiB in its worker beyond the worker's own (`OTKG_QUERY_MEMORY_MB`)",
    ),
    ("answer size", f"over {_n(S.answer_max_mb)} MiB (`OTKG_ANSWER_MAX_MB`)"),
    ("read deadline", f"have {_n(S.read_deadline)} s (`OTKG_READ_DEADLINE`)"),
    ("trace cap", f"at most {_n(S.row_cap)} pieces of evidence (the row cap)"),
    ("response cache", f"(`OTKG_RESPONSE_CACHE_MB`, default {_n(S.response_cache_mb)}, 0 turns it off"),
    ("worker memory copy", f"| `OTKG_WORKER_MEMORY_MB` | {_n(S.worker_memory_mb)} |"),
    ("quick jobs remembered", f"its {_n(_default(QuickJobs, 'size'))} most recently used"),
    ("upload size", f"at most {S.max_upload_bytes // 1_000_000} MB)"),
    ("sheet rows", f"(at most {sheet_read.MAX_ROW - 4} rows)"),
    ("sheet file size", f"files over {sheet_read.MAX_FILE_BYTES // 1_000_000} MB"),
    ("sheet unpacked size", f"unpack to more than {sheet_read.MAX_UNZIPPED_BYTES // 1_000_000} MB"),
    ("sheet cell size", f"cells over {_n(sheet_read.MAX_CELL_CHARS)} characters"),
]


@pytest.mark.parametrize("phrase", [p for _, p in LIMITS], ids=[name for name, _ in LIMITS])
def test_the_docs_state_the_limit_the_code_applies(phrase):
    assert phrase in DOCS, f"the docs no longer say {phrase!r}: the code's value, or the docs, changed"


def test_sheet_uploads_and_rdf_uploads_have_one_size_limit():
    # a sheet PUT over HTTP is read under the upload limit before the sheet's own
    assert S.max_upload_bytes == sheet_read.MAX_FILE_BYTES
