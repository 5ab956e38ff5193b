"""kh.text.parse_number: figures of an indicator with decimals (hectares, rates), written the
Vietnamese way (1,5) or the dot way (1.5); anything a thousands separator could have written is
refused, never guessed; exact (Decimal), never a float."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from kh.errors import KhError
from kh.text import MAX_DECIMALS, figure_text, parse_count, parse_number

THOUSANDS_LIKE = __import__("re").compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")


def decimals_and_value():
    """(decimals, a non-negative Decimal with at most that many places and at most 15 digits)."""
    return st.integers(1, MAX_DECIMALS).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, 10 ** (15 - n) - 1).flatmap(
            lambda whole: st.integers(0, 10 ** n - 1).map(
                lambda frac: Decimal(whole * 10 ** n + frac).scaleb(-n)))))


def written(d: Decimal, sep: str, places: int | None = None) -> str:
    text = f"{d:f}" if places is None else f"{d.quantize(Decimal(1).scaleb(-places)):f}"
    return text.replace(".", sep)


@settings(deadline=None)  # a loaded machine must not fail a parser test on time
@given(decimals_and_value(), st.sampled_from([",", "."]), st.booleans())
def test_a_decimal_within_its_places_reads_back_exactly_unless_a_thousands_separator_could_have_written_it(
        nd, sep, trimmed):
    n, d = nd
    # As a clerk types it: all declared places ("1,50"), or without trailing zeros ("1,5").
    text = written(d.normalize(), sep) if trimmed else written(d, sep, n)
    if THOUSANDS_LIKE.fullmatch(text):
        with pytest.raises(KhError) as e:
            parse_number(text, n)
        assert e.value.key in ("number.ambiguous", "number.thousands")
    else:
        got = parse_number(text, n)
        assert isinstance(got, Decimal) and got == d


@settings(deadline=None)  # a loaded machine must not fail a parser test on time
@given(decimals_and_value())
def test_what_kh_writes_reads_back_exactly(nd):
    n, d = nd
    assert parse_number(figure_text(d), n) == d  # kh figures -f csv, bundles: re-imported unchanged


@settings(deadline=None)  # a loaded machine must not fail a parser test on time
@given(st.integers(1, MAX_DECIMALS), st.integers(1, 999), st.integers(0, 999), st.sampled_from([",", "."]))
def test_one_group_of_three_after_a_separator_is_always_refused(n, head, tail, sep):
    text = f"{head}{sep}{tail:03d}"
    with pytest.raises(KhError) as e:
        parse_number(text, n)
    assert e.value.key == ("number.ambiguous" if n >= 3 else "number.thousands")
    assert f"{head}{tail:03d}" in str(e.value)  # the whole number is named, to write instead


@settings(deadline=None)  # a loaded machine must not fail a parser test on time
@given(st.integers(1, MAX_DECIMALS - 1), st.integers(0, 10 ** 6), st.integers(1, 9), st.sampled_from([",", "."]))
def test_more_places_than_declared_are_refused_unless_zeros(n, whole, last, sep):
    extra = "0" * n + str(last)  # n + 1 places, the last one not zero
    text = f"{whole}{sep}{extra}"
    if THOUSANDS_LIKE.fullmatch(text):
        return
    with pytest.raises(KhError) as e:
        parse_number(text, n)
    assert e.value.key == "number.places"
    assert parse_number(f"{whole}{sep}{'0' * (n + 3)}", n) == whole  # zeros past the places add nothing


@settings(deadline=None)  # a loaded machine must not fail a parser test on time
@given(st.text(max_size=12))
def test_any_text_is_a_number_or_one_clean_refusal(s):
    for n in (None, 1, 2, 3):
        try:
            v = parse_number(s, n)
        except KhError as e:
            assert e.key.startswith(("number.", "count."))
        else:
            assert v >= 0 and (isinstance(v, int) if n is None else isinstance(v, Decimal))
            assert -v.as_tuple().exponent <= n if n else True


@pytest.mark.parametrize("raw, n, key", [
    ("1.234,5", 2, "number.grouped"), ("1.234.567", 2, "number.grouped"), ("-1,5", 1, "number.negative"),
    ("−1,5", 1, "number.negative"), (",5", 1, "number.malformed"), ("5,", 1, "number.malformed"),
    ("1,5 ha", 1, "number.malformed"), ("1 234", 1, "number.malformed"), ("12345678901234,5", 2, "count.too_large"),
])
def test_forms_that_are_refused_and_why(raw, n, key):
    with pytest.raises(KhError) as e:
        parse_number(raw, n)
    assert e.value.key == key


def test_counts_keep_todays_strict_parsing():
    for raw in ("1.234", "1,5", "-3", "12 vụ", "1,234"):
        with pytest.raises(KhError) as a:
            parse_count(raw)
        with pytest.raises(KhError) as b:
            parse_number(raw, None)
        assert a.value.key == b.value.key
    assert parse_number("012", None) == 12
    with pytest.raises(KhError) as e:  # a spreadsheet's 1.5 for a count
        parse_number(Decimal("1.5"), None)
    assert e.value.key == "count.decimal"


def test_a_typed_cell_has_no_separator_to_doubt_only_places():
    assert parse_number(Decimal("1.234"), 3) == Decimal("1.234")  # an xlsx number cell 1.234
    assert parse_number(Decimal("1.5"), 2) == Decimal("1.50")
    with pytest.raises(KhError) as e:
        parse_number(Decimal(repr(1.0000000001)), 2)
    assert e.value.key == "number.places"


@settings(deadline=None)  # a loaded machine must not fail a parser test on time
@given(st.lists(decimals_and_value().map(lambda nd: nd[1]), max_size=30), st.integers(1, MAX_DECIMALS))
def test_sums_of_figures_are_exact(values, n):
    """What the store does (integers × 10^n, summed) equals the exact sum of the decimals."""
    values = [v.quantize(Decimal(1).scaleb(-n)) if -v.as_tuple().exponent > n else v for v in values]
    values = [v for v in values if -v.as_tuple().exponent <= n]
    stored = sum(int(v.scaleb(n)) for v in values)
    assert Fraction(stored, 10 ** n) == sum((Fraction(v) for v in values), Fraction(0))
