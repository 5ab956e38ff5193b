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


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_csv_is_units_or_a_clean_refusal(s):
    try:
        parse_csv(HEADER + s, "fuzz.csv")
    except KhError:
        pass
