import re
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from kh.errors import KhError
from kh.units import check_tree, make, parse_csv

HEADER = "code,name,kind,parent,valid_from,valid_to,successors\n"


def tree(*rows):
    return [make(*r) for r in rows]


def test_a_reused_code_is_two_versions():
    units = tree(("20", "Tỉnh Lạng Sơn", "province"),
                 ("183", "Huyện Cao Lộc", "district", "20", None, date(2025, 6, 30), ["20"]),
                 ("06187", "Thị trấn Cao Lộc", "commune", "183", None, date(2025, 6, 30), ["06187"]),
                 ("06187", "Phường Kỳ Lừa", "commune", "20", date(2025, 7, 1), None))
    check_tree(units)
    old, new = units[2], units[3]
    assert old.span()[1] == date(2025, 6, 30) and new.span()[0] == date(2025, 7, 1)


def test_overlapping_versions_are_refused():
    with pytest.raises(KhError, match="overlapping versions"):
        check_tree(tree(("20", "A", "province", None, None, date(2025, 7, 1)),
                        ("20", "B", "province", None, date(2025, 7, 1), None)))


def test_parent_must_exist_at_the_time():
    with pytest.raises(KhError, match="parent 183 of unit 06187 does not exist"):
        check_tree(tree(("20", "Tỉnh Lạng Sơn", "province"),
                        ("183", "Huyện Cao Lộc", "district", "20", None, date(2025, 6, 30)),
                        ("06187", "Phường Kỳ Lừa", "commune", "183", date(2025, 7, 1), None)))


def test_a_province_cannot_lie_in_a_commune():
    with pytest.raises(KhError, match="cannot lie inside"):
        check_tree(tree(("1", "Xã A", "commune"), ("2", "Tỉnh B", "province", "1")))


def test_a_unit_cannot_become_its_own_ancestor():
    with pytest.raises(KhError, match="its own ancestor"):
        check_tree(tree(("1", "Thôn A", "village", "2"), ("2", "Thôn B", "village", "1")))
    with pytest.raises(KhError, match="own parent"):
        make("1", "Thôn A", "village", "1")


def test_unknown_successor_is_refused():
    with pytest.raises(KhError, match="successor 99"):
        check_tree(tree(("06", "Tỉnh Bắc Kạn", "province", None, None, date(2025, 6, 30), ["99"])))


def test_csv_errors_name_the_line_and_column():
    with pytest.raises(KhError) as e:
        parse_csv(HEADER + "20,Tỉnh Lạng Sơn,province,,,,\n183,Huyện Cao Lộc,district,20,,31/02/2025,\n", "u.csv")
    assert str(e.value).startswith("u.csv:3: valid_to:")
    with pytest.raises(KhError, match="u.csv:2"):
        parse_csv(HEADER + "20,Tỉnh Lạng Sơn,tinh,,,,\n", "u.csv")
    with pytest.raises(KhError, match="missing column"):
        parse_csv("code,name\n", "u.csv")
    with pytest.raises(KhError, match="already on line 2"):
        parse_csv(HEADER + "20,A,province,,,,\n20,B,province,,,,\n", "u.csv")


def test_csv_accepts_vietnamese_dates_and_no_successor_column():
    [u] = parse_csv("code,name,kind,parent,valid_from,valid_to\n06,Tỉnh Bắc Kạn,province,,,30/6/2025\n", "u.csv")
    assert u.valid_to == date(2025, 6, 30) and u.successors == []


# Mostly valid values, so that accepted files with several versions of a code are common.
_DAYS = [""] * 5 + ["2025-06-30", "2025-07-01", "1/1/2020", "2030-01-01", "31/02/2025"]
_ROW = st.tuples(st.sampled_from(["1", "1", "1", "2", "2", "3", "a b"]),  # code
                 st.sampled_from(["Tỉnh A"] * 5 + [""]),  # name
                 st.sampled_from(["province"] * 6 + ["district", "commune", "tinh"]),  # kind
                 st.sampled_from([""] * 6 + ["1", "2", "9"]),  # parent
                 st.sampled_from(_DAYS), st.sampled_from(_DAYS),  # valid_from, valid_to
                 st.sampled_from([""] * 8 + ["1", "2 3", "9"]))  # successors


@settings(max_examples=500, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=6))
def test_a_units_file_is_a_sound_tree_or_refused_at_a_line_of_it(rows):
    """Either the file is read into a tree that keeps every rule (checked here independently),
    or the refusal names a line of the file (or, for a cycle, the units in it)."""
    import csv
    import io

    from kh.model import RANK_OF
    from kh.text import parse_date

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    try:
        units = parse_csv(HEADER + buf.getvalue(), "fuzz.csv")
        check_tree(units)
    except KhError as e:
        m = re.match(r"fuzz\.csv:(\d+)\b", str(e))
        if m:
            assert 2 <= int(m.group(1)) <= len(rows) + 1, str(e)
        else:
            assert "its own ancestor" in str(e), str(e)
        return
    assert len(units) == sum(1 for r in rows if any(c.strip() for c in r))
    far = (date.min, date.max)
    span = {id(u): (u.valid_from or far[0], u.valid_to or far[1]) for u in units}
    for u in units:
        assert u.code and " " not in u.code and u.name and u.kind in RANK_OF
        lo, hi = span[id(u)]
        assert lo <= hi
        for v in units:
            if v is not u and v.code == u.code:  # versions of a code never overlap
                assert span[id(v)][1] < lo or span[id(v)][0] > hi
        if u.parent:  # a parent of higher rank exists at some time the unit does
            assert any(p.code == u.parent and RANK_OF[p.kind] < RANK_OF[u.kind]
                       and span[id(p)][0] <= hi and lo <= span[id(p)][1] for p in units)
        assert all(any(v.code == s for v in units) for s in u.successors)
    for r, u in zip([r for r in rows if any(c.strip() for c in r)], units):
        assert u.valid_from == (parse_date(r[4]) if r[4] else None)
