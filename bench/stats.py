"""Pure arithmetic of the benchmark: round order, paired ratios and their spread, PSS parsing.

Kept apart from the code that starts servers so that tests/bench/ can check it exactly.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def rotated(items: Sequence[T], round_index: int) -> list[T]:
    """The items in the order of one round: round r starts at item r (mod n) and wraps, so that
    over n rounds each item goes first once; with two items the order alternates."""
    if not items:
        return []
    k = round_index % len(items)
    return [*items[k:], *items[:k]]


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float | None]:
    """One ratio per round: both servers were measured in the same round, so a drift of the
    machine's speed between rounds cancels out. None where the reference did nothing."""
    if len(numerators) != len(denominators):
        raise ValueError(f"{len(numerators)} rounds against {len(denominators)}")
    return [a / b if b else None for a, b in zip(numerators, denominators, strict=True)]


def spread(ratios: Sequence[float | None]) -> dict | None:
    """Median, min and max of the per-round ratios; None when a round has no ratio."""
    values = [r for r in ratios if r is not None]
    if not ratios or len(values) < len(ratios):
        return None
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "rounds": len(values),
    }


def verdict(s: dict | None, target: float, at_most: bool = False) -> str:
    """'met' when every round meets the target, 'met in the median only' when the median does and
    some round does not, otherwise 'not met'. at_most: the target is an upper bound."""
    if s is None:
        return "not measured"
    ok = (lambda x: x <= target) if at_most else (lambda x: x >= target)
    if ok(s["median"]):
        return "met" if ok(s["max"] if at_most else s["min"]) else "met in the median only"
    return "not met"


def fmt_spread(s: dict | None) -> str:
    """'0.41x (0.38-0.45, 5 rounds)', or 'n/a'."""
    if s is None:
        return "n/a"
    n = s["rounds"]
    return f"{s['median']:.2f}x ({s['min']:.2f}-{s['max']:.2f}, {n} round{'' if n == 1 else 's'})"


def pss_kib(smaps_rollup: str) -> int:
    """The proportional set size, in KiB, from the text of /proc/<pid>/smaps_rollup: a page shared
    by k processes counts 1/k in each, so summing over a process tree counts it once."""
    for line in smaps_rollup.splitlines():
        fields = line.split()
        if fields and fields[0] == "Pss:":
            if len(fields) < 3 or fields[2] != "kB":
                raise ValueError(f"unexpected Pss line: {line!r}")
            return int(fields[1])
    raise ValueError("no Pss line in smaps_rollup")
