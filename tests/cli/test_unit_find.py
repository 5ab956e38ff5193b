"""Finding one's unit (issue 15): kh unit find, --unit by name, a ceased unit's successor, a code
that lost its leading zeros. The expectations are computed from data/units.csv, not written in."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import date

import pytest

from kh.text import search_key
from tests.conftest import UNITS_CSV, by, store_fingerprint

AREA = "20"  # ls-mtqg-2030 covers Tỉnh Lạng Sơn
PLAN, REF = "ls-mtqg-2030", "II.3.a-1"
IN_2026 = ["--period", "2026", "--as-of", "2027-01-05"]


def _units() -> list[dict]:
    with open(UNITS_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["from"] = date.fromisoformat(r["valid_from"]) if r["valid_from"] else date.min
        r["to"] = date.fromisoformat(r["valid_to"]) if r["valid_to"] else date.max
    return rows


UNITS = _units()


def alive(u, day=date(2026, 6, 1)) -> bool:
    return u["from"] <= day <= u["to"]


def current_in(area: str) -> list[dict]:
    return [u for u in UNITS if alive(u) and u["parent"] == area]


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    from tests.conftest import SEEDS, Kh, new_target

    k = Kh(new_target(tmp_path_factory.mktemp("find"), "find"))
    k.ok("init")
    k.ok("plan", "import", *SEEDS)
    k.ok("unit", "import", UNITS_CSV)
    return k


def test_find_ignores_accents_capitals_and_d(country):
    rng = random.Random(15)
    for u in rng.sample(UNITS, 25):
        typed = search_key(u["name"]).upper()  # "XA CAO LOC": no accents, no đ, capitals
        found = country.ok("unit", "find", typed, "--limit", "0", "-f", "json").json()
        assert (u["code"], u["name"]) in {(f["code"], f["name"]) for f in found}, typed
        assert all(typed.lower() in search_key(f["name"]) or f["code"].startswith(typed) for f in found)
    with_d = next(u for u in UNITS if "đ" in u["name"].lower())
    plain = search_key(with_d["name"])
    assert "d" in plain and "đ" not in plain
    assert with_d["code"] in {f["code"] for f in country.ok("unit", "find", plain, "--limit", "0", "-f", "json").json()}


def test_find_shows_kind_parent_validity_and_successor(country):
    ceased = next(u for u in UNITS if u["kind"] == "commune" and u["successors"] and u["valid_to"]
                  and u["successors"].split()[0] != u["code"])
    rows = country.ok("unit", "find", ceased["name"], "--limit", "0", "-f", "json").json()
    [row] = [r for r in rows if (r["code"], r["valid_to"]) == (ceased["code"], ceased["valid_to"])]
    heir = ceased["successors"].split()[0]
    heir_name = next(u["name"] for u in UNITS if u["code"] == heir and u["from"] > ceased["to"])
    parent_name = next(u["name"] for u in UNITS if u["code"] == ceased["parent"])
    assert row["kind"] == ceased["kind"] and row["parent"] == ceased["parent"]
    assert row["parent_name"] == parent_name
    assert row["successors"].split()[0] == heir and f"{heir} {heir_name}" in row["successor_names"]
    header = country.ok("unit", "find", ceased["name"], "-f", "csv").out.splitlines()[0]
    assert header == "code,kind,name,parent,parent_name,valid_from,valid_to,successors,successor_names"
    table = country.ok("unit", "find", ceased["name"], "--lang", "vi").out
    assert heir_name in table and ceased["valid_to"] in table and "Đơn vị kế thừa" in table


def test_find_by_a_code_without_its_leading_zeros(country):
    u = next(u for u in UNITS if u["code"].startswith("0") and u["kind"] == "commune")
    found = country.ok("unit", "find", u["code"].lstrip("0"), "-f", "json").json()
    assert found[0]["code"] == u["code"]


def test_find_says_when_it_shows_only_some(country):
    r = country.ok("unit", "find", "xa", "--limit", "3", "-f", "json")
    assert len(r.json()) == 3
    total = sum(1 for u in UNITS if "xa" in search_key(u["name"]) or u["code"].startswith("xa"))
    assert f"3 of {total} units shown" in r.err


def _shared_name_with_one_in_area() -> tuple[str, str, list[str]]:
    """A commune name borne by several units alive today in the country, one of them in AREA."""
    by_name = defaultdict(set)
    for u in UNITS:
        if alive(u):
            by_name[search_key(u["name"])].add(u["code"])
    for u in current_in(AREA):
        others = by_name[search_key(u["name"])]
        if u["kind"] == "commune" and len(others) > 1 and \
                sum(1 for v in current_in(AREA) if search_key(v["name"]) == search_key(u["name"])) == 1:
            return u["name"], u["code"], sorted(others)
    raise AssertionError("the country has no such name")


def test_a_name_resolves_within_the_plans_area(world):
    name, code, everywhere = _shared_name_with_one_in_area()
    world.ok("record", PLAN, REF, "7", "--unit", name, *IN_2026, *by("cb"))
    world.ok("record", PLAN, REF, "8", "--unit", search_key(name).upper(), "--period", "2025-Q4",
             "--as-of", "2027-01-05", *by("cb"))
    got = {(f["unit"], f["period"]) for f in world.ok("figures", "--plan", PLAN, "-f", "json").json()}
    assert got == {(code, "2026"), (code, "2025-Q4")}
    # Without a plan the whole country counts: the same name is ambiguous there.
    r = world.refused("figures", "--unit", name)
    assert f"{len(everywhere)} units are named {name!r}" in r.err and "give the code" in r.err
    shown = [c for c in everywhere if c in r.err]
    assert len(shown) == min(5, len(everywhere))
    if len(everywhere) > 5:
        assert f"and {len(everywhere) - 5} more" in r.err


def test_a_name_shared_inside_the_area_lists_its_candidates(world):
    """Before 1/7/2025 the province's communes lay in districts, where names repeat."""
    districts = {u["code"] for u in UNITS if u["parent"] == AREA and u["kind"] == "district"}
    in_2024 = date(2024, 6, 1)
    counts = defaultdict(list)
    for u in UNITS:
        if alive(u, in_2024) and u["parent"] in districts:
            counts[search_key(u["name"])].append(u["code"])
    name, codes = next((t, c) for t, c in sorted(counts.items()) if len(c) > 1)
    before = store_fingerprint(world.db)
    r = world.refused("record", PLAN, REF, "1", "--unit", name, "--period", "2024", "--as-of", "2025-01-05")
    assert f"{len(codes)} units are named" in r.err and all(c in r.err for c in codes[:5])
    assert r.err.startswith("kh: --unit: ")
    vi = world.refused("--lang", "vi", "record", PLAN, REF, "1", "--unit", name, "--period", "2024",
                       "--as-of", "2025-01-05")
    assert f"có {len(codes)} đơn vị tên" in vi.err
    assert store_fingerprint(world.db) == before


def test_a_ceased_unit_names_its_successor(world):
    """By code and by name, in a record, an import and an acceptance."""
    gone = [u for u in UNITS if u["kind"] == "commune" and u["valid_to"] == "2025-06-30" and u["successors"]
            and not any(v["code"] == u["code"] and v["from"] > u["to"] for v in UNITS)  # its code not reused
            and any(p["code"] == u["parent"] and p["parent"] == AREA for p in UNITS)]
    rng = random.Random(7)
    before = store_fingerprint(world.db)
    unique = [u for u in gone if sum(1 for v in UNITS if search_key(v["name"]) == search_key(u["name"])) == 1]
    for u in rng.sample(gone, 3) + unique[:1]:
        heirs = u["successors"].split()
        names = {h: next(v["name"] for v in UNITS if v["code"] == h and v["from"] > u["to"]) for h in heirs}
        expect = "ceased on 2025-07-01" + ("; its successor is " if len(heirs) == 1 else
                                                         "; its successors are ")
        expect += ", ".join(f"{h} {names[h]}" for h in heirs)
        r = world.refused("record", PLAN, REF, "1", "--unit", u["code"], *IN_2026)
        assert expect in r.err, r.err
        if sum(1 for v in UNITS if search_key(v["name"]) == search_key(u["name"])) == 1:
            assert expect in world.refused("record", PLAN, REF, "1", "--unit", u["name"], *IN_2026).err
        assert expect in world.refused("accept", PLAN, "--unit", u["code"], "--period", "2026").err
    assert store_fingerprint(world.db) == before


def test_a_code_without_its_leading_zeros_gets_them_back(world, tmp_path):
    rng = random.Random(3)
    zeros = [u for u in current_in(AREA) if u["code"].startswith("0")]
    before = store_fingerprint(world.db)
    for u in rng.sample(zeros, 3):
        short = u["code"].lstrip("0")
        r = world.refused("record", PLAN, REF, "1", "--unit", short, *IN_2026)
        assert f"did you mean {u['code']!r}?" in r.err and r.err.count("'") == 4, r.err
        f = tmp_path / f"{short}.csv"
        f.write_text(f"plan,ref,unit,period,value\n{PLAN},{REF},{short},2026,1\n", encoding="utf-8")
        r = world.refused("record", "import", f, "--as-of", "2027-01-05")
        assert f"{f}:2" in r.err and f"did you mean {u['code']!r}?" in r.err
        assert f"did you mean {u['code']!r}?" in world.refused("figures", "--unit", short).err
    assert store_fingerprint(world.db) == before


def test_a_gone_name_is_never_taken_for_the_unit_that_reuses_its_code(world):
    """06211 was one commune until 30/6/2025 and another since: its old name in 2026 is refused."""
    reused = [(u, v) for u in UNITS for v in UNITS
              if u["code"] == v["code"] and u["to"] < v["from"] and u["name"] != v["name"]
              and v["parent"] == AREA]
    reused = [(u, v) for u, v in reused
              if sum(1 for w in UNITS if search_key(w["name"]) == search_key(u["name"])) == 1]
    u, v = reused[0]
    r = world.refused("record", PLAN, REF, "1", "--unit", u["name"], *IN_2026)
    assert f"{u['name']} ({u['code']}) did not exist" in r.err and f"successor is {v['code']} {v['name']}" in r.err


def test_suggestions_for_codes_are_padded_or_the_same_length():
    from kh.i18n import set_lang
    from kh.suggest import did_you_mean_code

    set_lang("en")
    assert str(did_you_mean_code("6211", ["62", "06211", "6221"])) == "; did you mean '06211'?"
    assert str(did_you_mean_code("6212", ["62", "6211", "621"])) == "; did you mean '6211'?"
    assert did_you_mean_code("6212", ["62", "621"]) == ""
