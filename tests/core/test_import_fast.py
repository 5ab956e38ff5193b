"""kh record import reads a plain CSV with one regular expression (kh.figures._plain_rows)
instead of the csv reader row by row. Both ways must give the same figures, or the same
refusal, for any text: the fast way may only decline a file, never read it differently."""

from hypothesis import given, settings, strategies as st

from kh.errors import KhError
from kh.figures import COLUMNS, READ_ONLY, _csv_figures, _plain_rows, read_csv
from kh.render import restore_formula
from kh.text import csv_rows

HEAD = "plan,ref,unit,period,value,denominator,note"


def outcome(read):
    """What a reader makes of a text: every field of every figure, or the refusal and where."""
    try:
        figs = read()
    except KhError as e:
        return ("refused", type(e).__name__, e.key, e.where, sorted(e.params.items(), key=str))
    return [(f.plan, f.ref, f.unit, f.period, f.value, f.denominator, f.note, f.where, f.label, f.months,
             f.pending) for f in figs]


def slow(text: str):
    reader, header = csv_rows(text, "x.csv", COLUMNS[:5], COLUMNS[5:], READ_ONLY)
    return _csv_figures(reader, header, text, "x.csv", restore_formula)


def same(text: str) -> None:
    assert outcome(lambda: read_csv(text, "x.csv")) == outcome(lambda: slow(text))


# Cells as people type them: mostly plain, with what the csv reader, strip, NFC and the strict
# parsers treat specially (quotes, commas, spaces, control characters, accents, a formula).
tricky = st.text(alphabet=st.sampled_from(list("aQ09-/.'= ,\"\t\r\n\x0b\x1c\x00é\u0301ạ")), max_size=5)
plain_cell = st.sampled_from(["ls-2030", "II.3.d-1", "00004", "06211", "x", "Q"])
period = st.sampled_from(["2025-07", "2026-12", "2026", "2026-Q2", "2026-H1", "3/2025", "quý 2/2025", "2025-13",
                          "1999", "16/6/2021", "25", "2026-q3"])
number = st.one_of(st.integers(0, 10 ** 16).map(str), st.sampled_from(["", "007", "1,5", "1.5", "-3", "1e3", "999999999999999",
                                                                          "1000000000000000"]))
note = st.one_of(st.just(""), st.sampled_from(["'=1+1", "'+84 912", " cả năm ", "a  b", "\t'x"]), tricky)
row = st.tuples(st.one_of(plain_cell, tricky), st.one_of(plain_cell, tricky), st.one_of(plain_cell, tricky),
                st.one_of(period, tricky), st.one_of(number, tricky), st.one_of(number, tricky), note)
plain_row = st.tuples(plain_cell, plain_cell, plain_cell, period.filter(str.isascii),
                      st.one_of(st.integers(0, 10 ** 15 - 1).map(str), st.just("999999999999999")), st.one_of(st.just(""), st.integers(0, 99).map(str)),
                      st.one_of(st.just(""), st.sampled_from(["'=1+1", " note ", "'x", "a\tb"])))


def text_of(rows, ending: str, last: bool) -> str:
    return ending.join([HEAD, *(",".join(r) for r in rows)]) + (ending if last else "")


@settings(max_examples=400, deadline=None)
@given(st.lists(row, max_size=6), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_any_rows_read_the_same_both_ways(rows, ending, last):
    same(text_of(rows, ending, last))


@settings(max_examples=300, deadline=None)
@given(st.lists(plain_row, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_plain_rows_take_the_fast_way_and_read_the_same(rows, ending, last):
    text = text_of(rows, ending, last)
    assert _plain_rows(text, list(COLUMNS)) is not None
    same(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(plain_row, min_size=1, max_size=5), st.integers(0, 5), st.sampled_from(
    ["", "\n", ",,,,,,", "a,b", " x,y,z,2026,1,,", "p,r,u,2026,1,2,3,4", 'p,r,u,2026,"1",,', "p,r,u,2026,1,,\rp,r,u,2026,2,,",
     "p,r,u,2026, 1,,", "p,r,u,2026,1,,é", "p\x1c,r,u,2026,1,,", "p,r,u,2026,1000000000000000,,",
     "p,r,u,2026,1,1000000000000000,"]))
def test_one_odd_line_sends_the_file_the_slow_way(rows, at, odd):
    lines = [",".join(r) for r in rows]
    lines.insert(min(at, len(lines)), odd)
    text = "\n".join([HEAD, *lines]) + "\n"
    assert _plain_rows(text, list(COLUMNS)) is None
    same(text)


def test_header_variants():
    body = "\nls-2030,II.3.d-1,00004,2025-07,2,,\n"
    for head in (HEAD, HEAD.upper(), " plan,ref,unit,period,value,denominator,note ", HEAD + "\r",
                 "plan,ref,unit,period,value", "ref,plan,unit,period,value,denominator,note",
                 HEAD + ",recorded_by", "plan,ref\runit,period,value,denominator,note",
                 HEAD + "\rls-2030,II.3.d-1,00004,2025-08,3,,"):
        same(head + body)
    assert _plain_rows(HEAD + body, list(COLUMNS)) is not None
