"""Start the servers under comparison on loopback, and drive them with wrk (16 connections)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from .stats import pss_kib

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def otkg_command(port: int, workers: int) -> list[str]:
    """otkg's API under uvicorn on loopback, as the benchmarks run it (no access log)."""
    return [
        str(BIN / "python"),
        "-m",
        "uvicorn",
        "otkg.api.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def tree(pid: int) -> list[int]:
    """A process and all its descendants (uvicorn's API workers and their query workers)."""
    return [pid, *_children(pid)]


def pss_mib(pid: int) -> tuple[float, int]:
    """Proportional memory of a process tree in MiB (shared pages counted once), and how many
    processes it has; a process that ends while being read is skipped."""
    total, n = 0, 0
    for p in tree(pid):
        try:
            total += pss_kib(Path(f"/proc/{p}/smaps_rollup").read_text())
            n += 1
        except (FileNotFoundError, ProcessLookupError):
            pass
    return round(total / 1024, 1), n


def cpu_ticks(pid: int) -> int:
    """User and system CPU time used so far by a process tree, in clock ticks."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of proc(5))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def settle(pid: int, timeout: float = 60) -> float:
    """Wait until a server's processes are idle (at most 2 ticks, ~4% of a core, in 0.5 s): the
    requests wrk left queued when it stopped must not run into the next measurement. Returns the
    seconds waited."""
    start = time.monotonic()
    before = cpu_ticks(pid)
    while time.monotonic() - start < timeout:
        time.sleep(0.5)
        now = cpu_ticks(pid)
        if now - before <= 2:
            break
        before = now
    return round(time.monotonic() - start, 1)


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(pid)], check=False, capture_output=True, text=True
    ).stdout.split()
    return [int(c) for c in out] + [g for c in out for g in _children(int(c))]


@contextmanager
def running(cmd: list[str], ready_url: str, env: dict | None = None, timeout: float = 300):
    """Run a server until the block ends; wait for ready_url to answer 200 first."""
    proc = subprocess.Popen(
        cmd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(ready_url, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{cmd[0]} did not become ready at {ready_url}")
            time.sleep(0.2)
        yield proc
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server and everything it started; a server still busy with queries (rdflib-endpoint
    ignores SIGTERM then) is killed, so nothing is left to skew the next measurement."""
    family = tree(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:  # already gone (a fault trial killed it)
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for pid in family:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=10)


def wrk(url: str, seconds: int = 10, connections: int = 16, headers: dict | None = None) -> dict:
    """Requests per second and latency percentiles from wrk; non-2xx answers and socket errors
    (connect, read, write, timeout) counted apart."""
    extra = [a for k, v in (headers or {}).items() for a in ("-H", f"{k}: {v}")]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", *extra, url],
        check=False,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(_found(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(_found(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    lat = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", out)) for p in ("50", "99")}
    return {
        "rps": rps,
        "requests": done,
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(g) for g in sock.groups()) if sock else 0,
        "p50_ms": lat["50"],
        "p99_ms": lat["99"],
    }


def _found(pattern: str, text: str) -> re.Match[str]:
    """A line of wrk's report that is always there; its absence means wrk did not run."""
    m = re.search(pattern, text)
    if m is None:
        raise RuntimeError(f"wrk's output has no match for {pattern!r}:\n{text}")
    return m


def _ms(m) -> float | None:
    if not m:
        return None
    value, unit = _found(r"([\d.]+)(\w+)", m.group(1)).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)
