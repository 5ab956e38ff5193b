"""kh demo: the first thing a new user runs."""

from sqlalchemy.engine import make_url

from tests.conftest import Kh, new_target, postgres_only


def test_demo_builds_a_new_store_and_shows_every_status(tmp_path):
    k = Kh(tmp_path / "unused.sqlite")
    out = k.ok("demo", "--into", tmp_path / "demo.sqlite", db=False).out
    for plan in ("na-2021", "ls-mtqg-2030", "bk-238-2017", "ls-2024-thang6", "qt-2024-xkmt"):
        assert plan in out
    for status in ("met", "not met", "on track", "behind", "no data", "incomplete"):
        assert status in out
    demo = Kh(tmp_path / "demo.sqlite")
    statuses = {r["status"] for r in demo.ok("gap", "--as-of", "2026-09-30", "-f", "json").json()}
    assert statuses == {"met", "not_met", "on_track", "behind", "no_data", "incomplete"}
    assert not (tmp_path / "unused.sqlite").exists()


def test_demo_never_touches_an_existing_store(tmp_path):
    kh = Kh(tmp_path / "s.sqlite")  # kh demo always builds a SQLite file
    kh.ok("init")
    before = kh.db.read_bytes()
    assert "exists" in kh.refused("demo", "--into", kh.db, db=False).err
    assert kh.db.read_bytes() == before


def test_demo_defaults_to_a_fresh_temporary_store(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = Kh(tmp_path / "x").ok("demo", db=False).out
    assert f"{tmp_path}/kh-demo-" in out


def test_demo_shows_the_overdue_reports(tmp_path):
    out = Kh(tmp_path / "x").ok("demo", "--into", tmp_path / "d.sqlite", db=False).out
    assert "Overdue as of 2026-09-30" in out and "Ủy ban nhân dân các xã, phường — " in out
    demo = Kh(tmp_path / "d.sqlite")
    rows = {(r["obligation"], r["assignee"]): r for r in demo.ok(
        "deadlines", "--plan", "ls-mtqg-2030", "--as-of", "2026-09-30", "-f", "json").json() if r["period"] == "2025"}
    assert rows[("bc-dinh-ky", "Công an tỉnh")]["status"] == "done_on_time"
    assert rows[("so-ket", "Công an tỉnh")]["status"] == "done_late"


@postgres_only
def test_demo_builds_into_an_empty_postgresql_database_and_never_into_a_used_one(kh, tmp_path):
    assert "is not empty" in kh.refused("demo", "--into", kh.db, db=False).err
    empty = new_target(tmp_path, "demo")
    out = kh.ok("demo", "--into", empty, db=False).out
    password = make_url(empty).password
    assert password and password not in out  # a URL is shown without its password
    statuses = {r["status"] for r in Kh(empty).ok("gap", "--as-of", "2026-09-30", "-f", "json").json()}
    assert statuses == {"met", "not_met", "on_track", "behind", "no_data", "incomplete"}
