"""Quote location: exact offsets, white-space tolerance, and loud failures."""

import pytest
from otkg.kg.pipeline.locate import QuoteError, find, normalise

TEXT = "Alpha beta\ngamma delta. Beta gamma again. Alpha beta\n\tgamma end."


def test_quote_across_a_line_break_gets_exact_offsets_and_text():
    span = find(TEXT, "delta. Beta")
    assert (span.start, span.end) == (17, 28)
    assert TEXT[span.start : span.end] == span.exact == "delta. Beta"


def test_whitespace_runs_in_the_quote_match_any_whitespace_run():
    span = find(TEXT, "gamma   delta.")
    assert span.exact == "gamma delta."


def test_missing_quote_fails():
    with pytest.raises(QuoteError, match="not found"):
        find(TEXT, "omega")


def test_ambiguous_quote_fails_with_offsets():
    with pytest.raises(QuoteError, match=r"found 2 times \(at 0, 42\)"):
        find(TEXT, "Alpha beta gamma")


def test_within_settles_an_ambiguous_quote():
    span = find(TEXT, "Alpha beta gamma", within="again. Alpha beta gamma end")
    assert span.start == 42 and span.exact == "Alpha beta\n\tgamma"


def test_prefix_and_suffix_are_the_neighbouring_text():
    span = find(TEXT, "Beta gamma again")
    assert span.prefix.endswith("delta. ") and span.suffix.startswith(". Alpha")


def test_normalise_drops_private_use_bullets_and_collapses_space():
    assert normalise("\uf0b7 Build\n rapport  ") == "Build rapport"
