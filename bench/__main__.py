"""`python -m bench` (or `make bench`): otkg against `oxigraph serve` in memory and on disk, like
for like, on this machine, in one run; writes docs/benchmarks.md (a shortened run writes
build/benchmarks-quick.md instead). Bounded: loopback only, fixed durations.

Settings (environment): BENCH_SECONDS per wrk run (10), BENCH_ROUNDS (5), BENCH_WARMUP seconds per
route (3), BENCH_SCALE=0 skips serving the synthetic 1M-quad graph, BENCH_GROWTH=0 the in-process
growth series (10k to 1M quads), BENCH_RDFLIB=0 rdflib, BENCH_SHEETS=0 the sheet imports (bench.sheets),
BENCH_UPLOADS=0 the national pages with 20 uploads (bench.national_pages), BENCH_LEAN=0 issue 22's
rows (bench.lean_and_fair: launch, lookup, writes, crashloop; BENCH_LEAN=writes,crashloop runs
those only; `python -m bench.lean_and_fair ROW ...` runs them without the rest); BENCH_OUT a report path.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from otkg.kg.pipeline import build as build
from otkg.kg.pipeline.scale import write_scale

from .graphs import REAL_ENTITY, SCALE_ENTITY, real_routes, scale_build_dir, scale_routes
from .growth import SIZES, rdflib_endpoint, scale_series
from .lean_and_fair import ROWS as LEAN_ROWS
from .lean_and_fair import measure as measure_lean
from .national_pages import measure as measure_national_pages
from .serving import serve_and_measure
from .sheets import measure as measure_sheets

ROOT = Path(__file__).parent.parent


@dataclass(frozen=True)
class Settings:
    seconds: int = 10
    rounds: int = 5
    warmup: int = 3
    scale: bool = True
    growth: bool = True
    rdflib: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        e = os.environ
        return cls(
            int(e.get("BENCH_SECONDS", 10)),
            int(e.get("BENCH_ROUNDS", 5)),
            int(e.get("BENCH_WARMUP", 3)),
            *(e.get(f"BENCH_{k}", "1") != "0" for k in ("SCALE", "GROWTH", "RDFLIB")),
        )

    @property
    def full(self) -> bool:
        """The default run, the only one whose figures go to docs/benchmarks.md by default."""
        return self == Settings()


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    cfg = Settings.from_env()
    out = Path(
        os.environ.get("BENCH_OUT")
        or ROOT / ("docs/benchmarks.md" if cfg.full else "build/benchmarks-quick.md")
    )
    started, load_before = time.time(), os.getloadavg()
    if not build.is_current():  # as `otkg serve` does: rebuild only when the inputs changed
        build.build()
    scale_dir = ROOT / "build" / "scale"
    series = scale_series(scale_dir, cfg.rdflib) if cfg.growth else []
    graphs = [
        serve_and_measure(
            "real graph",
            build.BUILD_DIR,
            build.BUILD_DIR / "otkg.nq",
            real_routes(REAL_ENTITY),
            cfg,
            contend=True,
        )
    ]
    if cfg.scale:
        big = scale_dir / f"scale-{SIZES[-1]}.nq"
        if not big.exists():
            write_scale(SIZES[-1], scale_dir)
        graphs.append(
            serve_and_measure(
                "synthetic 1M quads",
                scale_build_dir(big),
                big,
                scale_routes(SCALE_ENTITY),
                cfg,
                contend=False,
            )
        )
    endpoint = rdflib_endpoint(build.BUILD_DIR / "otkg.ttl", REAL_ENTITY, cfg.seconds) if cfg.rdflib else []
    sheets = measure_sheets() if os.environ.get("BENCH_SHEETS", "1") != "0" else []  # in process, ~3 min
    national = (  # two servers, 6 routes in `rounds` rounds of seconds / 2 each; ~8 min
        measure_national_pages(cfg.rounds, cfg.seconds / 2, cfg.warmup)
        if os.environ.get("BENCH_UPLOADS", "1") != "0"
        else None
    )
    lean_rows = os.environ.get("BENCH_LEAN", "1")  # 1: all, 0: none, or some of LEAN_ROWS by name
    lean = (  # each row bounded; ~12 min in all
        measure_lean(
            LEAN_ROWS if lean_rows == "1" else lean_rows.split(","), cfg.rounds, cfg.seconds, cfg.warmup
        )
        if lean_rows != "0"
        else None
    )
    run = {
        "settings": asdict(cfg),
        "full": cfg.full,
        "minutes": round((time.time() - started) / 60, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    from .report import write_report

    print(f"wrote {write_report(out, run, graphs, series, endpoint, _machine(), sheets, national, lean)}")
    return 0


def _machine() -> dict:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
    )
    wrk_v = subprocess.run(["wrk", "--version"], check=False, capture_output=True, text=True).stdout.split(
        "\n"
    )[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 2**20, 1),
        "python": platform.python_version(),
        "pyoxigraph": version("pyoxigraph"),
        "oxigraph (server)": version("oxigraph"),
        "rdflib": version("rdflib"),
        "fastapi": version("fastapi"),
        "uvicorn": version("uvicorn"),
        "wrk": wrk_v.strip(),
        "date": time.strftime("%Y-%m-%d"),
        "code": _code(),
    }


def _code() -> str:
    """The commit measured, and whether the working tree differed from it (the servers run it)."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no"], check=False, capture_output=True, text=True
    ).stdout.splitlines()
    return head.stdout.strip() + (f" plus {len(dirty)} uncommitted files" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
