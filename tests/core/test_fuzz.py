"""Arbitrary text into every parser: the only outcomes are a correct value or a clean refusal
(KhError, which the CLI turns into exit 1 and one line)."""

from hypothesis import given, settings, strategies as st

from kh.errors import KhError
from kh.figures import read_csv
from kh.periods import Period, bounds, parse_period
from kh.text import decode_csv, parse_count

HEAD = "plan,ref,unit,period,value,denominator,note\n"


@given(st.text(max_size=30))
def test_count_parser(s):
    try:
        n = parse_count(s)
    except KhError:
        return
    assert isinstance(n, int) and n >= 0 and str(n) == s.strip().lstrip("0") or n == 0


@given(st.integers(0, 10**15 - 1))
def test_every_whole_number_reads_back(n):
    assert parse_count(str(n)) == n


@given(st.text(max_size=20))
def test_period_parser(s):
    try:
        p = parse_period(s)
    except KhError:
        return
    assert parse_period(str(p)) == p


@given(st.integers(1900, 2100), st.sampled_from(["year", "half", "quarter", "month"]), st.integers(1, 12),
       st.integers(1, 28))
def test_every_period_reads_back_and_has_bounds(year, kind, index, cutoff):
    index = min(index, {"year": 1, "half": 2, "quarter": 4, "month": 12}[kind])
    p = Period(year, kind, index)
    assert parse_period(str(p)) == p
    first, last = bounds(p, cutoff)
    assert first <= last


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_figures_csv_reader(s):
    try:
        rows = read_csv(HEAD + s, "fuzz.csv")
    except KhError:
        return
    for f in rows:
        assert f.value >= 0 and f.plan and f.ref and f.unit


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_csv_bytes_are_text_or_refused(raw):
    try:
        text = decode_csv(raw, "fuzz.csv")
    except KhError:
        return
    assert isinstance(text, str)
