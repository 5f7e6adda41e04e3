"""bench.stats: round order, paired ratios and their spread, verdicts, PSS parsing."""

from __future__ import annotations

import pytest

from bench.stats import fmt_spread, paired_ratios, pss_kib, rotated, spread, verdict

# /proc/<pid>/smaps_rollup as Linux 6.1 writes it (values from a real process, trimmed).
SMAPS_ROLLUP = """\
56348baf0000-7ffdb208b000 ---p 00000000 00:00 0                          [rollup]
Rss:                1736 kB
Pss:                 202 kB
Pss_Dirty:           112 kB
Pss_Anon:            112 kB
Pss_File:             90 kB
Pss_Shmem:             0 kB
Shared_Clean:       1584 kB
Private_Dirty:       112 kB
SwapPss:               0 kB
"""


def test_rotation_starts_each_round_one_later_and_wraps():
    servers = ["otkg", "in memory", "on disk"]
    assert [rotated(servers, r) for r in range(4)] == [
        ["otkg", "in memory", "on disk"],
        ["in memory", "on disk", "otkg"],
        ["on disk", "otkg", "in memory"],
        ["otkg", "in memory", "on disk"],
    ]


def test_rotation_of_two_alternates():
    assert [rotated(["alone", "abused"], r)[0] for r in range(5)] == [
        "alone",
        "abused",
        "alone",
        "abused",
        "alone",
    ]


def test_rotation_of_nothing_is_empty():
    assert rotated([], 3) == []


def test_ratios_pair_rounds_and_spread_is_median_min_max():
    ratios = paired_ratios([500, 300, 400, 450, 250], [1000, 1000, 800, 900, 1000])
    assert ratios == [0.5, 0.3, 0.5, 0.5, 0.25]
    assert spread(ratios) == {"median": 0.5, "min": 0.25, "max": 0.5, "rounds": 5}
    assert fmt_spread(spread(ratios)) == "0.50x (0.25-0.50, 5 rounds)"


def test_a_round_where_the_reference_did_nothing_has_no_ratio():
    ratios = paired_ratios([10, 20], [5, 0])
    assert ratios == [2.0, None]
    assert spread(ratios) is None
    assert fmt_spread(None) == "n/a"
    assert fmt_spread(spread(ratios[:1])) == "2.00x (2.00-2.00, 1 round)"


def test_rounds_must_pair_up():
    with pytest.raises(ValueError, match="3 rounds against 2"):
        paired_ratios([1, 2, 3], [1, 2])


@pytest.mark.parametrize(
    "s, target, at_most, expected",
    [
        ({"median": 0.6, "min": 0.55, "max": 0.7}, 0.5, False, "met"),
        ({"median": 0.6, "min": 0.45, "max": 0.7}, 0.5, False, "met in the median only"),
        ({"median": 0.45, "min": 0.4, "max": 0.52}, 0.5, False, "not met"),
        ({"median": 0.5, "min": 0.5, "max": 0.5}, 0.5, False, "met"),
        ({"median": 2.0, "min": 1.5, "max": 2.9}, 3, True, "met"),
        ({"median": 2.0, "min": 1.5, "max": 3.5}, 3, True, "met in the median only"),
        ({"median": 25.2, "min": 18.2, "max": 32.3}, 3, True, "not met"),
        (None, 0.5, False, "not measured"),
    ],
    ids=[
        "all-rounds",
        "median-only",
        "below",
        "exactly-at-target",
        "upper-bound-met",
        "upper-bound-median-only",
        "upper-bound-not-met",
        "nothing-measured",
    ],
)
def test_verdict(s, target, at_most, expected):
    assert verdict(s, target, at_most) == expected


def test_pss_is_read_from_its_own_line_not_pss_dirty_or_swap_pss():
    assert pss_kib(SMAPS_ROLLUP) == 202


def test_pss_missing_is_an_error():
    with pytest.raises(ValueError, match="no Pss line"):
        pss_kib("Rss:  1736 kB\n")


def test_pss_in_another_unit_is_an_error():
    with pytest.raises(ValueError, match="unexpected Pss line"):
        pss_kib("Pss:  202 MB\n")
