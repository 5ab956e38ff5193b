"""The gap table explains itself (issue 15, point 8): a share shows numerator/denominator, a row
without a verdict says why (a catalogue key with parameters, in both languages), and
`kh gap --help` says what each column means."""

from __future__ import annotations

import pytest


def _rows(k, *args, lang=None):
    pre = ["--lang", lang] if lang else []
    return k.ok(*pre, "gap", *args, "-f", "json").json()


def test_every_row_without_a_verdict_says_why_and_a_verdict_needs_no_reason(world):
    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "100", "--unit", "20", "--period", "2025", "--as-of", "2026-07-01")
    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "60", "--unit", "20", "--period", "2026-03", "--as-of", "2026-07-01")
    world.ok("record", "ls-mtqg-2030", "II.3.d-2", "5", "--unit", "20", "--period", "2026-03", "--as-of", "2026-07-01")
    world.ok("record", "na-2021", "III.3-3", "12", "--unit", "16663", "--period", "2021", "--as-of", "2022-01-10")
    world.ok("record", "na-2021", "III.4-1", "39", "--of", "100", "--unit", "16663", "--period", "2021-12",
             "--as-of", "2022-01-10")
    rows = [*_rows(world, "--plan", "ls-mtqg-2030", "--as-of", "2027-01-05", "--period", "2026"),
            *_rows(world, "--plan", "ls-mtqg-2030", "--as-of", "2026-07-01"),
            *_rows(world, "--plan", "na-2021", "--as-of", "2022-01-10", "--period", "2021"),
            *_rows(world, "--plan", "na-2021", "--as-of", "2022-01-10", "--period", "2021-Q2")]
    for r in rows:
        decided = r["status"] in ("met", "not_met")
        assert (r["reason"] is None) == decided and (r["reason_text"] is None) == decided, r
    by = {(r["plan"], r["ref"], r["period"], r["reason"]): r for r in rows}
    # A change against the previous year with nothing recorded for it.
    assert by[("ls-mtqg-2030", "II.3.d-2", "2026", "no_baseline")]["reason_text"] == "no baseline for 2025"
    # A running year.
    assert by[("ls-mtqg-2030", "II.3.d-1", "2026", "not_over")]["reason_text"] == "period not over"
    # A share with one commune of 412 reported: who is silent.
    assert by[("na-2021", "III.4-1", "2021", "silent")]["reason_text"] == "411 of 412 units silent"
    # Nothing at all.
    assert by[("na-2021", "III.1-1", "2021", "no_figures")]["reason_text"] == "no figures for 2021"
    # A quarter of a yearly target, after the quarter: judged against the year.
    assert {r["reason_text"] for r in rows if r["period"] == "2021-Q2" and r["status"] != "no_data"} <= \
        {"the target is set for 2021", "period not over"}


def test_reasons_speak_vietnamese(world):
    world.ok("record", "na-2021", "III.4-1", "39", "--of", "100", "--unit", "16663", "--period", "2021-12",
             "--as-of", "2022-01-10")
    vi = {r["ref"]: r for r in _rows(world, "--plan", "na-2021", "--as-of", "2022-01-10", "--period", "2021",
                                     lang="vi")}
    assert vi["III.4-1"]["reason_text"] == "411/412 đơn vị chưa báo cáo"
    assert vi["III.4-1"]["reason"] == "silent"  # the code stays the same for scripts
    assert vi["III.1-1"]["reason_text"] == "chưa có số liệu kỳ 2021"
    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "60", "--unit", "20", "--period", "2026-03", "--as-of", "2026-07-01")
    [row] = _rows(world, "--plan", "ls-mtqg-2030", "--ref", "II.3.d-1", "--as-of", "2027-01-05", "--period", "2026",
                  lang="vi")
    assert row["reason_text"] == "chưa có số liệu năm gốc 2025"
    [row] = _rows(world, "--plan", "ls-mtqg-2030", "--ref", "II.3.d-1", "--as-of", "2026-07-01", lang="vi")
    assert row["reason_text"] in ("kỳ chưa kết thúc", "chưa có số liệu năm gốc 2025")


def test_the_table_shows_a_share_out_of_its_whole_and_the_reason(world):
    world.ok("record", "na-2021", "III.4-1", "9", "--of", "10", "--unit", "16663", "--period", "2021-12",
             "--as-of", "2022-01-10")
    world.ok("record", "na-2021", "III.4-1", "30", "--of", "90", "--unit", "16666", "--period", "2021-12",
             "--as-of", "2022-01-10")
    out = world.ok("gap", "--plan", "na-2021", "--ref", "III.4-1", "--as-of", "2022-01-10").out
    assert "39/100 (2/412)" in out and "410 of 412 units silent" in out and "Why" in out
    out = world.ok("--lang", "vi", "gap", "--plan", "na-2021", "--ref", "III.4-1", "--as-of", "2022-01-10").out
    assert "39/100 (2/412)" in out and "410/412 đơn vị chưa báo cáo" in out and "Lý do" in out
    # csv keeps the numbers apart, as numbers.
    import csv
    import io

    [row] = list(csv.DictReader(io.StringIO(world.ok("gap", "--plan", "na-2021", "--ref", "III.4-1",
                                                     "--as-of", "2022-01-10", "-f", "csv").out)))
    assert (row["value"], row["denominator"], row["reason"]) == ("39", "100", "silent")


@pytest.mark.parametrize("lang, words", [
    ("en", ["Value", "Actual", "Needed", "Why", "numerator/denominator", "compare Actual, not Value"]),
    ("vi", ["Số liệu", "Thực hiện", "Cần thêm", "Lý do", "tử số/mẫu số", "so Thực hiện, không phải Số liệu"]),
])
def test_help_says_what_each_column_means(kh, lang, words):
    out = kh.ok("--lang", lang, "gap", "--help").out
    flat = " ".join(out.split())
    for w in words:
        assert w in flat, (w, out)
    kh.ok("--lang", "en", "gap", "--help")  # help is translated in place: leave it as it was found
