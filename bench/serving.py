"""One graph served four ways at once (otkg without and with its response cache, `oxigraph serve`
in memory and on disk), every route measured in rotated rounds, memory as PSS per process tree.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

from . import engines
from .contention import contention
from .graphs import CACHED, DISK, MEMORY, OTKG, OXIGRAPHS
from .rounds import check, ratios, run_rounds, summary, warm
from .servers import pss_mib, settle


def serve_and_measure(label: str, build_dir: Path, nquads: Path, routes, cfg, contend: bool) -> dict:
    """Start the four servers, check their answers agree, warm up, run the rounds; then, if
    `contend`, the fairness run on otkg (cache off) while the others idle."""
    store = Path(tempfile.mkdtemp(prefix="otkg-bench-store-"))
    try:
        with ExitStack() as stack:
            # otkg starts on an empty store folder, so its time to the first answer includes the load;
            # the cached one then opens the same loaded release.
            started = {
                OTKG: stack.enter_context(engines.otkg(build_dir, store, cache=False)),
                CACHED: stack.enter_context(engines.otkg(build_dir, store, cache=True)),
                MEMORY: stack.enter_context(engines.oxigraph_memory(nquads)),
                DISK: stack.enter_context(engines.oxigraph_disk(nquads)),
            }
            targets = routes({name: base for name, (base, _, _) in started.items()})
            checks = [{"server": t.server, "route": t.route, "query": t.query, **check(t)} for t in targets]
            pids = {name: proc.pid for name, (_, proc, _) in started.items()}

            def idle(t):
                return settle(pids[t.server])

            warm(targets, cfg.warmup, idle)
            memory = {name: {"after_warmup": pss_mib(proc.pid)} for name, (_, proc, _) in started.items()}
            done = run_rounds(targets, cfg.rounds, cfg.seconds, idle)
            for name, (_, proc, _) in started.items():
                memory[name]["after_rounds"] = pss_mib(proc.pid)
            fair = None
            if contend:
                base = started[OTKG][0]
                named = next(t.url for t in targets if t.server == OTKG and t.route.startswith("/queries/"))
                fair = contention(base, pids[OTKG], named, cfg.rounds, cfg.seconds)
    finally:
        shutil.rmtree(store, ignore_errors=True)
    loads = {
        OTKG: ("launch to first answer, empty store folder", started[OTKG][2]),
        MEMORY: (
            "Graph Store Protocol PUT /store (no `oxigraph load` for a store in memory)",
            started[MEMORY][2],
        ),
        DISK: ("`oxigraph load --location`", started[DISK][2]),
    }
    return {
        "graph": label,
        "checks": checks,
        "rows": [summary(t, runs) for t, runs in done.items()],
        "ratios": ratios(done, list(OXIGRAPHS)),
        "memory": memory,
        "loads": loads,
        "contention": fair,
    }
