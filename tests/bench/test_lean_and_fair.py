"""bench.lean_and_fair's report: each issue 22 row's verdict read from its figures (no server)."""

from __future__ import annotations

from bench import launch
from bench.lean_and_fair import report_lines
from bench.stats import spread
from bench.write_stall import package, pct


def _window(p99: float, refused: int = 0) -> dict:
    not_200 = {"503 Query deadline": refused} if refused else {}
    return {
        "requests": 100,
        "p50_s": 0.01,
        "p99_s": p99,
        "max_s": p99,
        "over_0_2_s": int(p99 > 0.2),
        "not_200": not_200,
    }


def _launch(cpu: float, pss: float) -> dict:
    return {"wall_s": 1.0, "cpu_s": cpu, "pss_mib": pss, "processes": 1}


def _innocent(asked: int, ok: int, throttled: int) -> dict:
    statuses = {"200": ok, "429": throttled}
    return {"asked": asked, "p50_s": 0.01, "p99_s": 0.3, "max_s": 0.3, "statuses": statuses}


FOUND = {
    "launch": {
        "load": [1.0] * 6,
        "figures": {
            "runs": {
                launch.EMPTY: [_launch(4.0, 300.0)],
                launch.LOADED: [_launch(1.5, 120.0)],
                launch.OXI: [_launch(0.5, 50.0)],
            },
            "ratios": {
                f"{launch.EMPTY} / {launch.OXI}": {"cpu_s": spread([8.0]), "pss_mib": spread([6.0])},
                f"{launch.LOADED} / {launch.OXI}": {"cpu_s": spread([3.0]), "pss_mib": spread([2.4])},
            },
        },
    },
    "writes": {
        "load": [1.0] * 6,
        "figures": {
            "rows": [
                {
                    "put_status": 201,
                    "put_s": 9.0,
                    "quiet": _window(0.05),
                    "during": _window(0.1),
                    "after": _window(5.0, refused=2),
                    "write": _window(0.3, refused=2),
                }
            ],
            "p99_write": spread([0.3]),
            "bytes": [9_990_000],
            "p99_ratio": spread([2.0]),
        },
    },
    "crashloop": {
        "load": [1.0] * 6,
        "figures": {
            "default": {
                "alone": _innocent(10, 10, 0),
                "attacked": {**_innocent(20, 19, 0), "429": 0, "share_200": 0.95},
                "attackers": {"503": 3},
                "new_processes": 3,
                "nested_status": 400,
            }
        },
    },
}


def test_each_target_is_judged_from_its_figures():
    lines = report_lines(FOUND)
    assert f"| PSS, {launch.LOADED}, <= 3x oxigraph | 2.40x (2.40-2.40, 1 round) | met |" in lines
    assert f"| PSS, {launch.EMPTY}, <= 3x oxigraph | 6.00x (6.00-6.00, 1 round) | not met |" in lines
    cpu = f"| CPU-s launch to first answer, {launch.LOADED}, <= 2 s | 1.50 s (1.50-1.50, 1 round); "
    assert any(line.startswith(cpu) and line.endswith("| met |") for line in lines)
    # the p99 from the PUT to 3 s after its answer counts; stalls and refusals are counted beside it
    assert (
        "| readers' p99 from a 10 MB upload to 3 s after its answer <= 0.2 s | 0.30 s (0.30-0.30, 1 round); "
        "1 of 100 reads over 0.2 s (longest 0.3 s), 2 not answered 200 | not met |"
    ) in lines
    assert "| 201 | 9.0 | after | 100 | 0.01 | 5.0 | 5.0 | 1 | 2 x 503 Query deadline |" in lines
    assert (
        "| innocent client under a crash loop (default): 0 429s, >= 90% 200s | 0 x 429, 95% 200 of 20 asked; "
        "p50 0.01 s, p99 0.3 s | met |" in lines
    )


def test_the_upload_is_just_under_the_servers_limit():
    body = package((3, 4))
    assert 9_900_000 < len(body) <= 10_000_000
    assert body.endswith(b" .\n")


def test_percentiles_take_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (pct(values, 50), pct(values, 99)) == (50.0, 99.0)
    assert pct([7.0], 99) == 7.0
