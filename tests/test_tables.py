"""Tables that fit (kh/render.py): the rule on random tables, Vietnamese name order
(kh/collate.py), Vietnamese period names in tables, and csv/json that never shorten text. The
real screens, through a terminal emulator, are tests/test_screens.py."""

import csv
import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from kh.render import LISTINGS, NAME, TEXT, TITLE, TITLE_LINES, WORDS, fit, kind_of, wrap

SEEDS_DIR = Path(__file__).parent.parent / "examples" / "plans"
KINDS = ["code", NAME, TEXT, TITLE, WORDS]
word = st.text(alphabet="aăâđeêoơưAĐ0123456789-./()%", min_size=1, max_size=16)
cell = st.lists(word, min_size=0, max_size=12).map(" ".join)


@st.composite
def tables(draw):
    n = draw(st.integers(1, 9))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    prios = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    headers = draw(st.lists(st.lists(word.filter(lambda w: len(w) <= 10), min_size=1, max_size=4)
                            .map(" ".join), min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=1, max_size=6))
    return headers, rows, kinds, prios


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(30, 220))
def test_a_fitted_table_fits_and_breaks_only_free_text_at_spaces(tab, width):
    headers, rows, kinds, prios = tab
    lay = fit(headers, rows, kinds, prios, width)
    assert lay.shown and sorted(lay.shown + lay.dropped) == list(range(len(headers)))
    total = sum(lay.widths) + 3 * len(lay.shown) + 1
    assert total <= width or len(lay.shown) == 1
    # Columns go by priority, a whole level at a time: nothing kept is less important than
    # something dropped, except that the last level standing may lose its rightmost columns.
    last = min(prios)
    if any(prios[i] > last for i in lay.dropped):
        assert max(prios[i] for i in lay.shown) <= min(prios[i] for i in lay.dropped if prios[i] > last)
    for i, w in zip(lay.shown, lay.widths):
        head = wrap(headers[i], w, "code")
        assert " ".join(head).split() == headers[i].split()  # a header breaks only at spaces
        assert all(cell_len(line) <= w for line in head)
        for r in rows:
            if kinds[i] == "code":
                assert cell_len(r[i]) <= w  # a code is never broken
                continue
            lines = wrap(r[i], w, kinds[i])
            assert all(cell_len(line) <= w for line in lines)
            got = " ".join(lines).split()
            want = r[i].split()
            if kinds[i] == TITLE and got and got[-1].endswith("…"):
                assert len(lines) == TITLE_LINES
                got = got[:-1] + [got[-1][:-1]] if got[-1] != "…" else got[:-1]
                assert " ".join(want).startswith(" ".join(got).rstrip(" ,;:-–")) or not got
            elif all(cell_len(x) <= w for x in want):
                assert got == want  # whole words, in order, nothing lost


def test_a_long_title_is_cut_with_an_ellipsis_and_a_name_never():
    title = "Triển khai thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030"
    lines = wrap(title, 20, TITLE)
    assert len(lines) == TITLE_LINES and lines[-1].endswith("…")
    assert len(wrap(title, 20, NAME)) > TITLE_LINES


def test_every_listing_declares_known_columns_and_a_column_that_is_always_shown():
    from kh.i18n import lookup

    for name, cols in LISTINGS.items():
        assert 1 in cols.values(), name
        for c in cols:
            assert lookup(f"col.{c}", "vi") and lookup(f"col.{c}", "en"), (name, c)
    assert kind_of("period") == "code" and kind_of("plan") == "code" and kind_of("title") == TITLE


# --- Vietnamese name order -----------------------------------------------------------------------

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()


def _both_orders():
    """kh.collate's order with ICU when installed, and its own (what `pip install kh` without the
    icu extra gives): the same rules must hold for both."""
    from kh.collate import _fallback_key, key

    return [lambda names: sorted(names, key=key), lambda names: sorted(names, key=_fallback_key)]


@pytest.mark.parametrize("which", [0, 1], ids=["installed", "without-icu"])
def test_the_vietnamese_alphabet_is_in_its_own_order(which):
    sort_names = _both_orders()[which]

    assert sort_names(reversed(ALPHABET)) == ALPHABET
    assert sort_names([a.upper() for a in reversed(ALPHABET)]) == [a.upper() for a in ALPHABET]
    # Tones come after the letters: ma mà mả mã má mạ, and all of them before mb.
    assert sort_names(["mb", "mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ", "mb"]
    assert sort_names(["Đà Nẵng", "Dương Minh Châu", "Ủy ban nhân dân", "Ưu tiên", "Uông Bí", "Yên Bái"]) == [
        "Dương Minh Châu", "Đà Nẵng", "Uông Bí", "Ủy ban nhân dân", "Ưu tiên", "Yên Bái"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=6).map("".join), min_size=2, max_size=12))
def test_words_without_tones_sort_letter_by_letter_in_the_vietnamese_alphabet(words):
    # The reference: each letter's place in the alphabet (ICU must agree; Python's sorted() does not).
    rank = {a: i for i, a in enumerate(ALPHABET)}
    for sort_names in _both_orders():
        assert sort_names(words) == sorted(words, key=lambda w: [rank[c] for c in w])


_TONED = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
          for t in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET + [a.upper() for a in ALPHABET] + _TONED
                                                  + list(" _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$019")), min_size=0, max_size=8),
                min_size=2, max_size=10))
def test_without_icu_names_sort_exactly_as_icu_sorts_them(names):
    """kh's own order (used where PyICU is not installed: it has no wheels) is ICU's "vi" order:
    letters, tones, case, spaces, punctuation and digits, on any mix of them."""
    icu = pytest.importorskip("icu")  # CI installs the icu extra with the test extra
    from kh.collate import _fallback_key

    collator = icu.Collator.createInstance(icu.Locale("vi"))
    assert sorted(names, key=_fallback_key) == sorted(names, key=collator.getSortKey) or \
        [collator.getSortKey(n) for n in sorted(names, key=_fallback_key)] == \
        sorted(collator.getSortKey(n) for n in names)  # equal keys may come in either order


def test_rates_by_assignee_come_in_vietnamese_order(kh_seeded):
    groups = kh_seeded.ok("rates", "--as-of", "2030-12-31", "-f", "json").json()
    names = [g["group"] for g in groups]
    assert len(names) > 3
    from kh.collate import sort_names

    assert names == sort_names(names) != sorted(names)


# --- periods in tables ------------------------------------------------------------------------------

def test_vietnamese_tables_write_the_decimal_comma_and_scripts_keep_the_point(world):
    """A Vietnamese reader takes "6.38" for six hundred thirty-eight: the vi table says 6,38 %;
    English tables and csv keep the point; refs (III.1-1) are untouched."""
    import re

    from tests.conftest import by

    for period, value in (("2020", "3"), ("2021", "4")):  # +33.33 % against 2020
        world.ok("record", "na-2021", "III.1-1", value, "--unit", "40", "--period", period,
                 "--as-of", "2022-01-02", *by("a"))
    kh_seeded = world
    argv = ["gap", "--plan", "na-2021", "--period", "2021", "--as-of", "2022-01-10", "--ref", "III.1-1"]
    rows = kh_seeded.ok(*argv, "-f", "json").json()
    decimals = [r for r in rows if r["actual"] is not None and r["actual"] != int(r["actual"])]
    assert decimals  # the seeded store has percentages with decimals
    vi = kh_seeded.ok("--lang", "vi", *argv, env={"COLUMNS": "200"}).out
    en = kh_seeded.ok("--lang", "en", *argv, env={"COLUMNS": "200"}).out
    csv_text = kh_seeded.ok(*argv, "-f", "csv").out
    for r in decimals:
        point = f"{r['actual']:g}"
        assert "." in point and point.replace(".", ",") + " %" in vi and point + " %" in en, r["ref"]
        assert point in csv_text
    assert not re.search(r"\d\.\d+ %", vi)
    assert "III.1-1" in vi  # a ref keeps its points


def test_tables_name_periods_in_vietnamese_and_keep_the_code_in_english_and_scripts(kh_seeded):
    argv = ["deadlines", "--plan", "na-2021", "--as-of", "2021-07-01"]
    vi = kh_seeded.ok("--lang", "vi", *argv).out
    en = kh_seeded.ok("--lang", "en", *argv).out
    assert "6 tháng đầu năm 2021" in vi and "2021-H1" not in vi
    assert "2021-H1" in en and "6 tháng đầu năm" not in en
    rows = kh_seeded.ok("--lang", "vi", *argv, "-f", "json").json()
    assert "2021-H1" in {r["period"] for r in rows}
    assert "2021-H1" in kh_seeded.ok("--lang", "vi", *argv, "-f", "csv").out


# --- csv and json never shorten ----------------------------------------------------------------------

LISTING_ARGV = [
    ["plan", "list"], ["indicator", "list"], ["task", "list", "--as-of", "2026-09-30"],
    ["deadlines", "--as-of", "2026-09-30"], ["overdue", "--as-of", "2026-09-30"],
    ["rates", "--as-of", "2026-09-30"], ["figures"], ["figures", "--history"], ["history"],
    ["gap", "--as-of", "2026-09-30"], ["unit", "list", "--kind", "province"],
]


@pytest.mark.parametrize("argv", LISTING_ARGV, ids=lambda a: " ".join(a[:2]))
def test_csv_and_json_carry_every_value_whole_whatever_the_width(world, argv):
    world.ok("record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "2021-03",
             "--note", "Số liệu của Phòng Cảnh sát điều tra tội phạm về ma túy, đã đối chiếu với "
                       "Viện kiểm sát nhân dân tỉnh và Tòa án nhân dân tỉnh, không cắt bớt")
    for fmt in ("csv", "json"):
        narrow = world.ok("--lang", "vi", *argv, "-f", fmt, env={"COLUMNS": "40"}).out
        wide = world.ok("--lang", "vi", *argv, "-f", fmt, env={"COLUMNS": "250"}).out
        assert narrow == wide
    # An ellipsis in a value is the plan's own ("…" in a task's text), never kh cutting it.
    source = "".join(f.read_text(encoding="utf-8") for f in SEEDS_DIR.glob("*.toml"))
    for row in world.ok("--lang", "vi", *argv, "-f", "json", env={"COLUMNS": "40"}).json():
        for v in row.values():
            # (a multi-line value is a whole plan file in kh history: the plan's text, re-quoted)
            for at in [i for i, c in enumerate(v) if c == "…"] if isinstance(v, str) and "\n" not in v else []:
                assert v[max(0, at - 12):at + 1] in source, v


def test_overdue_csv_and_json_give_a_task_its_whole_text(world):
    tasks = {(t["plan"], t["ref"]): t["task"] for t in world.ok("task", "list", "-f", "json").json()}
    late = world.ok("overdue", "--as-of", "2030-12-31", "--only", "tasks", "-f", "json").json()
    assert any(len(r["obligation_name"]) > 90 for r in late)  # the old cut was at 90
    for r in late:
        assert r["obligation_name"] == tasks[r["plan"], r["obligation"]]
    rows = list(csv.DictReader(io.StringIO(world.ok("overdue", "--as-of", "2030-12-31", "--only", "tasks",
                                                    "-f", "csv").out)))
    assert [r["obligation_name"] for r in rows] == [r["obligation_name"] for r in late]
