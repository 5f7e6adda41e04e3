"""bench.national_pages: per-round ratios of the loaded store over the empty one, and the report's
verdict on the 1.5x target (issue 20, item 3)."""

from __future__ import annotations

from types import SimpleNamespace

from bench.national_pages import EMPTY, LOADED, _pct, _summary, report_lines


def _run(p50: float, p95: float, bad: int = 0) -> dict:
    return {"p50": p50, "p95": p95, "n": 100, "bad": bad}


def test_percentiles_take_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (_pct(values, 50), _pct(values, 95)) == (51.0, 95.0)
    assert _pct([7.0], 95) == 7.0


def test_ratios_pair_rounds_and_the_verdict_reads_the_p50():
    runs = {
        ("/id/cluster-2 (HTML)", EMPTY): [_run(10, 20), _run(20, 40)],
        ("/id/cluster-2 (HTML)", LOADED): [_run(12, 30), _run(26, 40)],
        ("/trace (JSON)", EMPTY): [_run(4, 8), _run(4, 8)],
        ("/trace (JSON)", LOADED): [_run(8, 8), _run(4, 8, bad=1)],
    }
    found = _summary(runs, SimpleNamespace(uploads=[1] * 20, triples=351457), 80.0, 2, 5.0)
    cluster, trace = found["ratios"]
    assert cluster["p50"] == {"median": 1.25, "min": 1.2, "max": 1.3, "rounds": 2}
    assert cluster["p95"] == {"median": 1.25, "min": 1.0, "max": 1.5, "rounds": 2}
    assert trace["errors"] == 1
    assert [r["store"] for r in found["rows"]] == [EMPTY, LOADED, EMPTY, LOADED]
    lines = report_lines(found)
    assert (
        "| /id/cluster-2 (HTML) | 1.25x (1.20-1.30, 2 rounds) | 1.25x (1.00-1.50, 2 rounds) | met |" in lines
    )
    assert (
        "| /trace (JSON) | 1.50x (1.00-2.00, 2 rounds) | 1.00x (1.00-1.00, 2 rounds) | not met (errors) |"
        in lines
    )
