"""The unit tree through the real CLI: the shipped country data, versions, refusals."""

import pytest

from tests.conftest import UNITS_CSV, store_fingerprint


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    from tests.conftest import Kh

    k = Kh(tmp_path_factory.mktemp("units") / "s.sqlite")
    k.ok("init")
    assert k.ok("unit", "import", UNITS_CSV).out.strip() == "units: 14122 added, 0 updated"
    return k


def units(k, *args):
    return k.ok("unit", "list", *args, "-f", "json").json()


def test_the_reform_of_1_7_2025(country):
    assert len(units(country, "--kind", "province", "--as-of", "2025-06-30")) == 63
    assert len(units(country, "--kind", "province", "--as-of", "2025-07-01")) == 34
    assert len(units(country, "--kind", "district", "--as-of", "2025-07-01")) == 0
    assert len(units(country, "--kind", "commune", "--as-of", "2025-07-01")) == 3321
    bac_kan = [u for u in units(country, "--kind", "province") if u["code"] == "06"]
    assert bac_kan == [{"code": "06", "name": "Tỉnh Bắc Kạn", "kind": "province", "parent": None,
                        "valid_from": None, "valid_to": "2025-06-30", "successors": "19"}]


def test_a_reused_code_has_two_versions_with_their_own_parents(country):
    versions = [u for u in units(country, "--kind", "commune") if u["code"] == "06187"]
    assert [(v["name"], v["parent"], v["valid_from"], v["valid_to"]) for v in versions] == [
        ("Thị trấn Cao Lộc", "183", None, "2025-06-30"),
        ("Phường Kỳ Lừa", "20", "2025-07-01", None)]
    lang_son_after = units(country, "--parent", "20", "--as-of", "2025-07-01")
    assert all(u["kind"] == "commune" for u in lang_son_after) and len(lang_son_after) > 50


def test_reimport_changes_nothing(country):
    before = store_fingerprint(country.db)
    assert country.ok("unit", "import", UNITS_CSV).out.strip() == "units: 0 added, 0 updated"
    assert store_fingerprint(country.db) == before


def test_unit_add_and_refusals(kh, tmp_path):
    kh.ok("unit", "add", "38", "--name", "Tỉnh Thanh Hóa", "--kind", "province")
    kh.ok("unit", "add", "38-qt", "--name", "Xã Quang Trung", "--kind", "commune", "--parent", "38")
    kh.ok("unit", "add", "38-qt-1", "--name", "Thôn 1", "--kind", "village", "--parent", "38-qt")
    before = store_fingerprint(kh.db)
    assert "its own ancestor" in kh.refused("unit", "add", "38", "--name", "Tỉnh Thanh Hóa", "--kind",
                                             "province", "--parent", "38-qt-1").err
    assert "does not exist" in kh.refused("unit", "add", "99-x", "--name", "Xã X", "--kind", "commune",
                                          "--parent", "99").err
    assert kh("unit", "add", "1", "--name", "X", "--kind", "tinh").code == 2  # a bad option value
    assert "is not a date" in kh.refused("unit", "add", "1", "--name", "X", "--kind", "province",
                                         "--valid-to", "31/02/2025").err
    assert "overlapping" in kh.refused("unit", "add", "38", "--name", "Tỉnh Thanh Hoá", "--kind", "province",
                                       "--valid-from", "2025-07-01").err
    bad = tmp_path / "u.csv"
    bad.write_text("code,name,kind,parent,valid_from,valid_to\n40,Tỉnh Nghệ An,province,,,\n41,Huyện X,district,404,,\n",
                   encoding="utf-8")
    assert "parent 404" in kh.refused("unit", "import", bad).err
    assert store_fingerprint(kh.db) == before  # not even Nghệ An


def test_csv_from_excel_with_bom_reads(kh, tmp_path):
    f = tmp_path / "u.csv"
    f.write_bytes("\ufeffcode,name,kind,parent,valid_from,valid_to\n40,Tỉnh Nghệ An,province,,,\n".encode("utf-8"))
    kh.ok("unit", "import", f)
    assert units(kh)[0]["name"] == "Tỉnh Nghệ An"
