"""kh record / record import / figures through the real CLI: strict values, history, all or
nothing."""

import shutil

from tests.conftest import (PG_URL, SEEDS, UNITS_CSV, Kh, by, new_target, query, recorder, sqlite_only, sqlite_plans,
                            store_fingerprint)


def test_record_and_list_with_who_and_when(world):
    world.ok("record", "na-2021", "III.1-1", "130", "--unit", "40", "--period", "2021-03", *by("Trung úy Lê"),
             "--note", "CA tỉnh tổng hợp", "--as-of", "2021-04-01")
    [f] = world.ok("figures", "--plan", "na-2021", "-f", "json").json()
    assert (f["ref"], f["unit"], f["period"], f["value"], f["recorded_by"], f["note"]) == \
        ("III.1-1", "40", "2021-03", 130, recorder("Trung úy Lê"), "CA tỉnh tổng hợp")
    assert (f["period_start"], f["period_end"]) == ("2021-02-15", "2021-03-14")  # nd09 month
    assert f["recorded_at"]


def test_login_name_is_the_default_recorder(world):
    import getpass

    world.ok("record", "na-2021", "III.1-1", "1", "--unit", "40", "--period", "2020")
    assert world.ok("figures", "-f", "json").json()[0]["recorded_by"] == recorder(getpass.getuser())


def test_rerecording_needs_replace_and_keeps_history(world):
    args = ["record", "na-2021", "III.1-1", "--unit", "40", "--period", "2021-03", "--as-of", "2021-04-01"]
    world.ok(*args[:3], "130", *args[3:], *by("a"))
    r = world.refused(*args[:3], "131", *args[3:])
    assert f"already recorded (130, by {recorder('a')}" in r.err and "--replace" in r.err
    assert "1 replaced" in world.ok(*args[:3], "131", *args[3:], "--replace", *by("b")).out
    assert [f["value"] for f in world.ok("figures", "-f", "json").json()] == [131]
    hist = world.ok("figures", "--history", "-f", "json").json()
    assert [(h["value"], h["recorded_by"], h["replaced_by"]) for h in hist] == [(130, recorder("a"), recorder("b")),
                                                                                 (131, recorder("b"), None)]


def test_values_are_parsed_strictly_and_nothing_is_written(world):
    before = store_fingerprint(world.db)
    base = ["--unit", "40", "--period", "2021", "--as-of", "2022-01-01"]
    cases = {
        ("III.1-1", "1.234"): "ambiguous",
        ("III.1-1", "1,5"): "not a whole number",
        ("III.1-1", "−3"): "negative",
        ("III.1-1", "12 vụ"): "not a whole number",
        ("III.4-1", "80"): "give the whole",
    }
    for (ref, value), expect in cases.items():
        assert expect in world.refused("record", "na-2021", ref, value, *base).err
    assert "more than 100 %" in world.refused("record", "na-2021", "III.4-1", "81", "--of", "80", *base).err
    assert "must be positive" in world.refused("record", "na-2021", "III.4-1", "0", "--of", "0", *base).err
    assert "takes no denominator" in world.refused("record", "na-2021", "III.1-1", "5", "--of", "10", *base).err
    assert "in the future" in world.refused("record", "na-2021", "III.1-1", "5", "--unit", "40",
                                            "--period", "2021-07", "--as-of", "2021-06-10").err
    assert "did you mean 'III.1-1'" in world.refused("record", "na-2021", "III.11", "5", *base).err
    assert "did you mean 'na-2021'" in world.refused("record", "na-2012", "III.1-1", "5", *base).err
    assert "no unit with code '4000'" in world.refused("record", "na-2021", "III.1-1", "5", "--unit", "4000",
                                                      "--period", "2021", "--as-of", "2022-01-01").err
    assert "not a period" in world.refused("record", "na-2021", "III.1-1", "5", "--unit", "40",
                                           "--period", "2021-13").err
    assert store_fingerprint(world.db) == before


def test_a_period_may_precede_the_plan_but_a_unit_must_have_existed(world):
    world.ok("record", "na-2021", "III.1-1", "1504", "--unit", "40", "--period", "2020")
    r = world.refused("record", "ls-mtqg-2030", "II.3.d-1", "5", "--unit", "14824", "--period", "2025-09",
                      "--as-of", "2026-01-01")
    assert "did not exist during 2025-09" in r.err


def test_months_and_their_quarter_cannot_both_be_recorded(world):
    world.ok("record", "na-2021", "III.1-1", "40", "--unit", "40", "--period", "2021-04", "--as-of", "2021-07-01")
    r = world.refused("record", "na-2021", "III.1-1", "120", "--unit", "40", "--period", "2021-Q2", "--as-of", "2021-07-01")
    assert "overlaps 2021-04" in r.err


def write(tmp_path, text, name="f.csv", bom=False):
    p = tmp_path / name
    p.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return p


def test_import_with_bom_all_rows(world, tmp_path):
    f = write(tmp_path, "plan,ref,unit,period,value,denominator,note\n"
                        "na-2021,III.4-1,40,2021,140,200,\n"
                        "na-2021,III.1-1,40,2021-01,120,,tháng 1\n", bom=True)
    assert "2 added" in world.ok("record", "import", f, "--as-of", "2022-01-01").out
    assert len(world.ok("figures", "-f", "json").json()) == 2


def test_import_is_all_or_nothing_and_names_line_and_column(world, tmp_path):
    before = store_fingerprint(world.db)
    f = write(tmp_path, "plan,ref,unit,period,value,denominator,note\n"
                        "na-2021,III.1-1,40,2021-01,120,,\n"
                        "na-2021,III.1-1,40,2021-02,1.234,,\n")
    r = world.refused("record", "import", f, "--as-of", "2022-01-01")
    assert f"{f}:3: value:" in r.err
    dup = write(tmp_path, "plan,ref,unit,period,value\nna-2021,III.1-1,40,2021-01,1\nna-2021,III.1-1,40,2021-01,2\n", "d.csv")
    assert "same plan, ref, unit and period as line 2" in world.refused("record", "import", dup).err
    late = write(tmp_path, "plan,ref,unit,period,value\nna-2021,III.1-1,40,2021-01,1\nna-2021,III.9,40,2021-02,2\n", "l.csv")
    assert f"{late}:3" in world.refused("record", "import", late, "--as-of", "2022-01-01").err
    bad_header = write(tmp_path, "plan,ref,unit,value\n", "h.csv")
    assert "missing column(s) period" in world.refused("record", "import", bad_header).err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("plan,ref,unit,period,value,denominator,note\nna-2021,III.1-1,40,2021-01,1,,Šibenik\n".encode("cp1252"))
    assert "not UTF-8" in world.refused("record", "import", latin).err
    assert store_fingerprint(world.db) == before


def test_an_import_checks_every_unit_alive_in_every_period_whatever_its_versions(world, tmp_path):
    """A unit with one version spanning every period of the import is passed at once (most
    units); the others are checked figure by figure, in file order: a commune that ended in the
    2025 mergers is refused at its own line, a code taken over by a new commune is accepted on
    both sides of the merger, and repeats are still named by line."""
    head = "plan,ref,unit,period,value\n"
    rows = "ls-mtqg-2030,II.3.d-1,20,2025-09,5\nls-mtqg-2030,II.3.d-1,06211,2025-01,1\n"
    bad = write(tmp_path, head + rows + "ls-mtqg-2030,II.3.d-1,14824,2025-01,1\n"
                                        "ls-mtqg-2030,II.3.d-1,14824,2025-09,2\n", "bad.csv")
    again = write(tmp_path, head + rows + "ls-mtqg-2030,II.3.d-1,06211,2025-09,2\n"
                                          "ls-mtqg-2030,II.3.d-1,20,2025-09,6\n", "again.csv")
    ok = write(tmp_path, head + rows + "ls-mtqg-2030,II.3.d-1,06211,2025-09,2\n", "ok.csv")
    before = store_fingerprint(world.db)
    r = world.refused("record", "import", bad, "--as-of", "2026-01-01")
    assert f"{bad}:5" in r.err and "did not exist during 2025-09" in r.err
    r = world.refused("record", "import", again, "--as-of", "2026-01-01")
    assert f"{again}:5" in r.err and "as line 2" in r.err
    assert store_fingerprint(world.db) == before
    assert "3 added" in world.ok("record", "import", ok, "--as-of", "2026-01-01").out


# A few letters of TCVN3 (ABC), the pre-Unicode Vietnamese encoding of the .VnTime fonts.
TCVN3 = {"ư": 0xAD, "đ": 0xAE, "à": 0xB5, "á": 0xB8, "ệ": 0xD6, "ỉ": 0xD8, "ở": 0xEB, "ế": 0xD5, "ô": 0xAB, "ã": 0xB7, "ử": 0xF6}


def test_windows_1258_is_decoded_and_tcvn3_is_refused_with_a_hint(world, tmp_path):
    import unicodedata

    def cp1258(text):
        # Windows-1258 has ơ, ư, â … as letters and the five tones as combining marks.
        out = []
        for ch in text:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0309\u0303\u0323")
            out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)) + tones)
        return "".join(out).encode("cp1258")

    note = "Sở Y tế đã gửi"
    win = tmp_path / "excel.csv"
    win.write_bytes(cp1258(f"plan,ref,unit,period,value,denominator,note\nna-2021,III.1-1,40,2021-01,1,,{note}\n"))
    world.ok("record", "import", win, "--as-of", "2022-01-01")
    assert world.ok("figures", "-f", "json").json()[0]["note"] == note  # composed, not mojibake
    tcvn = tmp_path / "tcvn3.csv"
    body = "".join(chr(TCVN3[c]) if c in TCVN3 else c for c in "Tỉnh Nghệ An, Sở Y tế đã gửi báo cáo")
    tcvn.write_bytes(("plan,ref,unit,period,value,denominator,note\n"
                      "na-2021,III.1-1,40,2021-02,1,,").encode() + body.encode("latin-1") + b"\n")
    r = world.refused("record", "import", tcvn, "--as-of", "2022-01-01")
    assert "TCVN3" in r.err and "Unikey" in r.err
    utf16 = tmp_path / "u16.csv"
    utf16.write_bytes("plan,ref\n".encode("utf-16"))
    assert "UTF-16" in world.refused("record", "import", utf16).err


def test_a_bad_share_deep_in_an_import_is_found(world, tmp_path):
    rows = "".join(f"na-2021,III.4-1,{code},2021,5,10,\n" for code in ("16663", "16666", "16669"))
    f = write(tmp_path, "plan,ref,unit,period,value,denominator,note\n" + rows
              + "na-2021,III.4-1,16672,2021,11,10,\n", "s.csv")
    assert f"{f}:5" in world.refused("record", "import", f, "--as-of", "2022-01-01").err
    f = write(tmp_path, "plan,ref,unit,period,value,denominator,note\n" + rows
              + "na-2021,III.4-1,16672,2021,0,0,\n", "z.csv")
    assert "must be positive" in world.refused("record", "import", f, "--as-of", "2022-01-01").err


ENCODINGS = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "encodings"


def test_files_libreoffice_saves_as_windows_1258_are_read(world):
    # Saved by LibreOffice Calc as "Text CSV", character set Windows-1258 (Vietnamese): one file
    # whose only accented letter is a precomposed ú ("ghi chú"), one with tones as combining
    # marks after ơ, ư, ê, đ.
    world.ok("record", "import", ENCODINGS / "lo-1258-chu.csv", "--as-of", "2022-01-01")
    world.ok("record", "import", ENCODINGS / "lo-1258-full.csv", "--as-of", "2022-01-01")
    notes = {f["period"]: f["note"] for f in world.ok("figures", "-f", "json").json()}
    assert notes == {"2021-01": "ghi chú", "2021-02": "Người nghiện được điều trị tại Sở Y tế"}


def test_mixed_encodings_and_nul_bytes_are_refused_with_their_line(world, tmp_path):
    header = b"plan,ref,unit,period,value,denominator,note\n"
    utf8_row = "na-2021,III.1-1,40,2021-01,1,,Người nghiện\n".encode()
    win_row = (ENCODINGS / "lo-1258-full.csv").read_bytes().splitlines(keepends=True)[1]
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(header + utf8_row + win_row)
    r = world.refused("record", "import", mixed)
    assert "mixed.csv:3" in r.err and "mixes encodings" in r.err and "line 2 is UTF-8" in r.err
    assert "TCVN3" not in r.err
    nul = tmp_path / "nul.csv"
    nul.write_bytes(header + b"na-2021,III.1-1,40,2021-01,1,,ghi\x00chu\n")
    r = world.refused("record", "import", nul)
    assert "nul.csv:2" in r.err and "NUL" in r.err
    # A Western (cp1252) file with a letter Windows-1258 does not have (Š): said, not guessed.
    west = tmp_path / "west.csv"
    west.write_bytes(header + "na-2021,III.1-1,40,2021-01,1,,Šibenik\n".encode("cp1252"))
    r = world.refused("record", "import", west)
    assert "west.csv:2" in r.err and "not recognisably Windows-1258" in r.err
    assert world.ok("figures", "-f", "json").json() == []


def test_one_units_figures_are_those_of_the_whole_listing(world):
    """`kh figures --unit` seeks the unit under each (plan, ref) with figures: the same rows as
    the listing of every unit, filtered — corrections, other refs and plans, quarters included."""
    for plan, ref, value, unit, period in (
            ("ls-mtqg-2030", "II.3.d-1", "2", "06187", "2025-03"), ("ls-mtqg-2030", "II.3.d-1", "5", "06187", "2025-09"),
            ("ls-mtqg-2030", "II.3.d-2", "4", "06187", "2025-Q3"), ("ls-mtqg-2030", "II.3.d-1", "3", "05977", "2025-04"),
            ("ls-mtqg-2030", "II.3.a-1", "40", "06187", "2024-11")):
        world.ok("record", plan, ref, value, "--unit", unit, "--period", period, "--as-of", "2026-01-10", *by("a"))
    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "6", "--unit", "06187", "--period", "2025-09", "--replace",
             "--as-of", "2026-01-10", *by("a"))
    everything = world.ok("figures", "-f", "json").json()
    for unit in ("06187", "05977", "20"):
        for period in ([], ["--period", "2025"], ["--period", "2025-Q3"], ["--period", "2024"]):
            mine = world.ok("figures", "--unit", unit, *period, "-f", "json").json()
            whole = world.ok("figures", *period, "-f", "json").json()
            assert mine == [r for r in whole if r["unit"] == unit]
            for plan in (["--plan", "ls-mtqg-2030"],):
                assert world.ok("figures", "--unit", unit, *plan, *period, "-f", "json").json() == mine
    assert len([r for r in everything if r["unit"] == "06187"]) == 4


@sqlite_only
def test_one_units_figures_are_sought_by_unit_in_the_current_figure_index(world):
    """Given `unit = ?`, SQLite filters the month index (it holds the unit) and reads every figure
    of each ref in the country (0.6 s on the national store): the listing of one unit must seek it
    in ux_figure_current. The planner decides without statistics, so a small store shows it."""
    for period in ([], ["--period", "2025"]):
        [plan] = sqlite_plans(world, ["figures", "--unit", "06187", *period, "-f", "csv"], "SELECT figure.id")
        assert any("USING INDEX ux_figure_current (plan_id=? AND ref=? AND unit=?)" in step for step in plan), plan


def _big_csv(path, rows):
    path.write_text("plan,ref,unit,period,value,denominator,note\n" + "".join(rows), encoding="utf-8")
    return path


def test_a_large_import_into_an_empty_store_equals_the_same_figures_imported_in_parts(world, tmp_path):
    """From 20,000 figures into a store holding fewer, SQLite builds the figure indexes once at
    the end: the stored figures, the indexes and the refusals are those of the plain path."""
    communes = [r[0] for r in query(world.db, "SELECT DISTINCT u.code FROM unit u JOIN unit_closure c ON "
                                              "c.descendant = u.code AND c.ancestor = '20' WHERE u.kind = 'commune' "
                                              "AND u.valid_to IS NOT NULL ORDER BY 1")]
    rows = [f"ls-mtqg-2030,{ref},{c},{y}-{m:02d},{(m * 7 + i) % 9},,\n" for y in range(2016, 2025)
            for ref in ("II.3.d-1", "II.3.d-2") for i, c in enumerate(communes) for m in range(1, 13)][:20_000]
    assert len(set(rows)) == 20_000
    whole = _big_csv(tmp_path / "whole.csv", rows)
    first, second = _big_csv(tmp_path / "a.csv", rows[:10_000]), _big_csv(tmp_path / "b.csv", rows[10_000:])
    if PG_URL:
        from sqlalchemy.engine import make_url

        parts = Kh(new_target(tmp_path, "parts", template=make_url(world.db).database))
    else:
        parts = Kh(tmp_path / "parts.sqlite")
        shutil.copy(world.db, parts.db)
    world.ok("record", "import", str(whole), "--as-of", "2026-01-10", *by("a"))
    parts.ok("record", "import", str(first), "--as-of", "2026-01-10", *by("a"))
    parts.ok("record", "import", str(second), "--as-of", "2026-01-10", *by("a"))
    sql = "SELECT plan_id, ref, unit, period, m_from, m_to, value, denominator FROM figure ORDER BY 1, 2, 3, 4"
    assert query(world.db, sql) == query(parts.db, sql)
    assert len(query(world.db, sql)) == 20_000
    if not PG_URL:
        indexes = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'figure' ORDER BY name"
        assert query(world.db, indexes) == query(parts.db, indexes)
        assert query(world.db, "PRAGMA integrity_check") == [("ok",)]
    # A repeated row deep in a large import into an empty store: refused, naming both lines,
    # nothing written.
    fresh = Kh(new_target(tmp_path, "fresh"))
    fresh.ok("init")
    fresh.ok("plan", "import", *map(str, SEEDS))
    fresh.ok("unit", "import", str(UNITS_CSV))
    twice = _big_csv(tmp_path / "twice.csv", rows + [rows[123]])
    before = store_fingerprint(fresh.db)
    r = fresh.refused("record", "import", str(twice), "--as-of", "2026-01-10", *by("a"))
    assert "twice.csv:20002" in r.err and "125" in r.err
    assert store_fingerprint(fresh.db) == before


def test_a_large_import_over_recorded_figures_is_refused_at_the_first_in_file_order(world, tmp_path):
    """Over 500 figures, an indicator with no current figure is not looked up unit by unit
    (kh.store.figure_rows.record): the figures already recorded are still found, the refusal
    names the same one as before (the indicators in the order the file first names them),
    and --replace replaces exactly those."""
    communes = [r[0] for r in query(world.db, "SELECT DISTINCT u.code FROM unit u JOIN unit_closure c ON "
                                              "c.descendant = u.code AND c.ancestor = '20' WHERE u.kind = 'commune' "
                                              "AND u.valid_to IS NOT NULL ORDER BY 1")][:30]
    rows = [f"ls-mtqg-2030,{ref},{c},2024-{m:02d},1,,\n" for ref in ("II.3.d-2", "II.3.d-1", "II.3.d-3")
            for c in communes for m in range(1, 13)]
    assert len(rows) > 1000
    for ref, unit, period in (("II.3.d-1", communes[0], "2024-03"), ("II.3.d-2", communes[-1], "2024-04")):
        world.ok("record", "ls-mtqg-2030", ref, "5", "--unit", unit, "--period", period, "--as-of", "2026-01-10",
                 *by("a"))
    big = _big_csv(tmp_path / "big.csv", rows)
    before = store_fingerprint(world.db)
    r = world.refused("record", "import", str(big), "--as-of", "2026-01-10", *by("b"))
    line = rows.index(f"ls-mtqg-2030,II.3.d-2,{communes[-1]},2024-04,1,,\n") + 2
    assert f"big.csv:{line}:" in r.err and "already recorded" in r.err
    assert store_fingerprint(world.db) == before
    assert f"{len(rows) - 2} added, 2 replaced" in world.ok("record", "import", str(big), "--replace",
                                                          "--as-of", "2026-01-10", *by("b")).out
    assert query(world.db, "SELECT count(*), sum(value) FROM figure WHERE replaced_at IS NULL") == [(len(rows), len(rows))]
