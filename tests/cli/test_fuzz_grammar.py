"""A property-based fuzzer over the command line (issue 14): command lines and files built from
each command's grammar (options, periods, dates, numbers, encodings, CSV and TOML shapes), on a
real store. Whatever it builds: exit 0, 1, 2 or 3; never "internal error" or a traceback; and
after exit 1 the store is exactly as it was.

The suite runs a short profile; KH_FUZZ=long runs the long one (thousands of cases):
    KH_FUZZ=long python -m pytest tests/cli/test_fuzz_grammar.py -q
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import by, store_fingerprint
from tests.core.test_planfile import MINIMAL

LONG = os.environ.get("KH_FUZZ") == "long"
PROFILE = settings(max_examples=1500 if LONG else 15, deadline=None, derandomize=not LONG,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
year = st.one_of(st.integers(0, 9999).map(lambda y: f"{y:04d}"), st.sampled_from(["2021", "2020", "1899", "3000"]))
period = st.one_of(
    year,
    st.tuples(year, st.sampled_from(["-H1", "-H2", "-H3", "-Q1", "-Q4", "-Q5", "-00", "-01", "-12", "-13", "-6"])).map("".join),
    junk)
day = st.one_of(
    st.tuples(year, st.integers(0, 13), st.integers(0, 32)).map(lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"),
    st.tuples(st.integers(0, 32), st.integers(0, 13), year).map(lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
    junk)
number = st.one_of(st.integers(-10 ** 18, 10 ** 18).map(str), st.sampled_from(["1.500", "1,5", "−3", "0", "", " 7 "]),
                   junk)
fmt = st.sampled_from(["table", "csv", "json", "csv-raw", "xml"])


def _run(kh, args):
    before = store_fingerprint(kh.db)
    r = kh(*args)
    assert r.code in (0, 1, 2, 3), (args, r.code, r.err)
    assert "internal error" not in r.err and "Traceback" not in r.err, (args, r.err)
    if r.code == 1:
        assert store_fingerprint(kh.db) == before, args
    return r


@pytest.fixture
def store(kh, tmp_path):
    plan = tmp_path / "p.toml"
    plan.write_text(MINIMAL, encoding="utf-8")
    kh.ok("plan", "import", plan)
    kh.ok("unit", "add", "40", "--name", "Tỉnh Nghệ An", "--kind", "province")
    return kh


@PROFILE
@given(value=number, per=period, of=st.one_of(st.none(), number), note=st.one_of(st.none(), junk),
       as_of=st.one_of(st.none(), day), replace=st.booleans())
def test_record_one(store, value, per, of, note, as_of, replace):
    args = ["record", "test-2021", "III.1", value, "--unit", "40", "--period", per, *by("x")]
    for opt, v in (("--of", of), ("--note", note), ("--as-of", as_of)):
        if v is not None:
            args += [opt, v]
    _run(store, args + (["--replace"] if replace else []))


_COLUMNS = ["plan", "ref", "unit", "period", "value", "denominator", "note"]
cell = st.one_of(st.sampled_from(["test-2021", "III.1", "40", "2021", "2021-06", "5", "", '"', '""', "\x00",
                                  "=cmd", "a\nb", "x" * 200]), number, period, junk)
header = st.one_of(st.just(_COLUMNS), st.permutations(_COLUMNS),
                   st.lists(st.sampled_from(_COLUMNS + ["value", "extra", ""]), min_size=1, max_size=9))
encoding = st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16", "latin-1"])


@PROFILE
@given(head=header, rows=st.lists(st.lists(cell, min_size=0, max_size=9), max_size=6), enc=encoding,
       tail=st.sampled_from(["", "\n", '"unclosed\n', "\r\n"]))
def test_record_import_csv(store, tmp_path_factory, head, rows, enc, tail):
    text = ",".join(head) + "\n" + "".join(",".join(r) + "\n" for r in rows) + tail
    f = tmp_path_factory.mktemp("csv") / "f.csv"
    f.write_bytes(text.encode(enc, errors="replace"))
    _run(store, ["record", "import", f, "--as-of", "2022-01-01", *by("x")])


toml_value = st.one_of(st.integers(-10 ** 20, 10 ** 20).map(str), st.sampled_from(["nan", "inf", "-inf", "1e300", "0.5",
                                                                                    "0001-01-01", "9999-12-31", '""', "[]",
                                                                                    "{}", "[" * 300 + "]" * 300]),
                       day, junk.map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'))
_SLOTS = ["target = 5", "baseline = 2020", "start = 2021-01-01", "end = 2021-12-31",
          "date = 2021-06-16", 'covers = "2021-H1"', 'cutoff = "nd09"']


@PROFILE
@given(changes=st.lists(st.tuples(st.sampled_from(_SLOTS), toml_value), min_size=1, max_size=3))
def test_plan_import_toml(store, tmp_path_factory, changes):
    text = MINIMAL
    for slot, v in changes:
        text = text.replace(slot, slot.split(" = ")[0] + " = " + v)
    f = tmp_path_factory.mktemp("toml") / "f.toml"
    f.write_text(text, encoding="utf-8")
    _run(store, ["plan", "import", f])


@PROFILE
@given(command=st.sampled_from([["gap"], ["figures"], ["deadlines"], ["overdue"], ["task", "list"],
                                ["history"], ["indicator", "list"], ["plan", "list"]]),
       per=st.one_of(st.none(), period), as_of=st.one_of(st.none(), day), f=fmt,
       plan=st.one_of(st.none(), st.sampled_from(["test-2021", "nope"])))
def test_listings(store, command, per, as_of, f, plan):
    args = [*command, "-f", f]
    if per is not None and command[0] in ("gap", "figures"):
        args += ["--period", per]
    if as_of is not None and command[0] in ("gap", "deadlines", "overdue", "task"):
        args += ["--as-of", as_of]
    if plan is not None and command[0] != "plan":
        args += ["--plan", plan]
    _run(store, args)
