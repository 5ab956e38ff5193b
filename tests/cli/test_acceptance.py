"""kh accept | return | reopen, the lock on accepted figures, kh gap --accepted-only, and the whole
round trip of issue 16: commune store → bundle → province store, tampered copies, acceptance,
every way to change an accepted figure (raw SQL as the officer on PostgreSQL), reopening."""

from __future__ import annotations

import json
import uuid
import warnings

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from kh import bundle as fmt
from tests.cli.test_exchange import AS_OF, COMMUNE, OTHER, PLAN, _copy, _keys, _record
from tests.conftest import PG_URL, Kh, _pg_admin, by, postgres_only, recorder, store_fingerprint

PROVINCE, DISTRICT, OLD_COMMUNE = "20", "183", "06244"  # Lạng Sơn; Huyện Cao Lộc and Xã Tân Liên (before 1/7/2025)


@pytest.fixture
def stores(_world_template, tmp_path):
    commune, province = _copy(_world_template, tmp_path, "commune"), _copy(_world_template, tmp_path, "province")
    for k in (commune, province):
        k.ok("plan", "import", PLAN)
    return commune, province


def _gap(k: Kh, *extra) -> dict:
    rows = k.ok("gap", "--plan", "lc-2025", "--unit", PROVINCE, "--period", "2025", "--as-of", AS_OF,
                *extra, "-f", "json").json()
    return {r["ref"]: r["value"] for r in rows}


def _deadline(k: Kh):
    r = k.ok("deadlines", "--plan", "lc-2025", "-a", "UBND xã Cao Lộc", "--as-of", AS_OF, "-f", "json")
    return r.json()[0], r.err


def _history(k: Kh, what: str) -> list[tuple]:
    return [(r["action"], r["key"], r["by"], r["reason"]) for r in k.ok("history", "--what", what, "-f", "json").json()]


def test_the_round_trip(stores, tmp_path):
    commune, province = stores
    # The commune records, signs, exports.
    _record(commune, "III.1", "4")
    _record(commune, "III.2", "3", COMMUNE, "--of", "8")
    key, pub = _keys(commune, tmp_path)
    good = tmp_path / "good.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", good)
    province.ok("admin", "trust", COMMUNE, pub, *by("van_thu"))
    assert _gap(province) == {"III.1": None, "III.2": None}
    row, _ = _deadline(province)
    assert row["status"] == "overdue"

    # Tampered copies: one byte, one figure, one signature, one unit outside the key.
    data, doc = good.read_bytes(), json.loads(good.read_bytes())
    _, raw = fmt.read_key(key.read_bytes(), "private", "k")
    bad = {}
    at = data.index(b'"value": "4"') + len('"value": "')
    bad["byte"] = data[:at] + b"5" + data[at + 1:]
    figure = json.loads(data)
    figure["parts"]["figures"][0]["value"] = "40"
    bad["figure"] = fmt.file_bytes(figure)
    sig = json.loads(data)
    sig["signature"]["ed25519"] = fmt.sign(fmt.build({"x": 1} | {k: v for k, v in doc["manifest"].items()
                                                                 if k != "parts"}, doc["parts"]),
                                           COMMUNE, raw)["signature"]["ed25519"]
    bad["signature"] = fmt.file_bytes(sig)
    outside = json.loads(data)
    outside["manifest"]["unit"] = OTHER
    for f in outside["parts"]["figures"]:
        f["unit"] = OTHER
    bad["unit"] = fmt.file_bytes(fmt.sign(fmt.build({k: v for k, v in outside["manifest"].items() if k != "parts"},
                                                    outside["parts"]), COMMUNE, raw))
    before = store_fingerprint(province.db)
    for name, content in bad.items():
        path = tmp_path / f"{name}.khb"
        path.write_bytes(content)
        province.refused("bundle", "import", path)
        assert store_fingerprint(province.db) == before, name
    assert _gap(province) == {"III.1": None, "III.2": None}

    # The good one, twice.
    province.ok("bundle", "import", good, "--on", "2025-12-12", *by("van_thu"))
    once = store_fingerprint(province.db)
    province.ok("bundle", "import", good)
    assert store_fingerprint(province.db) == once
    assert _gap(province) == {"III.1": 4, "III.2": 3}
    assert _gap(province, "--accepted-only") == {"III.1": None, "III.2": None}
    row, _ = _deadline(province)
    assert (row["submitted_on"], row["status"]) == ("2025-12-12", "done_on_time")
    assert [h[0] for h in _history(province, "bundle")] == ["import"]

    # Accepted: judged, and locked against every way kh changes a figure.
    province.ok("accept", "lc-2025", "--unit", COMMUNE, "--period", "2025", *by("can_bo_tinh"))
    assert "accepted already" in province.ok("accept", "lc-2025", "--unit", COMMUNE, "--period", "2025").out
    with warnings.catch_warnings(record=True) as seen:  # on stderr, a clerk would see them
        warnings.simplefilter("always")
        assert _gap(province, "--accepted-only") == {"III.1": 4, "III.2": 3}
    assert [str(w.message) for w in seen if issubclass(w.category, sa.exc.SAWarning)] == []
    locked = store_fingerprint(province.db)
    r = province.refused("record", "lc-2025", "III.1", "9", "--unit", COMMUNE, "--period", "2025", "--replace",
                         "--reason", "x", "--as-of", AS_OF)
    assert "is locked: the report of 06211 for 2025 was accepted" in r.err and "kh reopen lc-2025" in r.err
    province.refused("record", "lc-2025", "III.1", "1", "--unit", COMMUNE, "--period", "2025-12", "--as-of", AS_OF)
    csv = tmp_path / "fix.csv"
    csv.write_text("plan,ref,unit,period,value,denominator,note\nlc-2025,III.2,06211,2025,4,8,\n", encoding="utf-8")
    assert "fix.csv:2" in province.refused("record", "import", csv, "--replace", "--reason", "x", "--as-of", AS_OF).err
    _record(commune, "III.1", "5", COMMUNE, "--replace", "--reason", "thêm một vụ")
    newer = tmp_path / "newer.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", newer)
    assert "is locked" in province.refused("bundle", "import", newer).err
    assert store_fingerprint(province.db) == locked
    if PG_URL:
        _raw_sql_is_refused(province)
        # Making and revoking the test's officer is itself audited (kh_audit, issue 14): those
        # rows are the only change; every refused write left nothing.
        assert _without_grant_audit(store_fingerprint(province.db)) == _without_grant_audit(locked)

    # Reopened with a reason: the newer bundle goes in; returned: the commune sees why.
    assert "needs --reason" in province.refused("reopen", "lc-2025", "--unit", COMMUNE, "--period", "2025").err
    province.ok("reopen", "lc-2025", "--unit", COMMUNE, "--period", "2025", "--reason", "xã bổ sung", *by("can_bo_tinh"))
    assert _gap(province, "--accepted-only") == {"III.1": None, "III.2": None}
    province.ok("bundle", "import", newer)
    assert _gap(province) == {"III.1": 5, "III.2": 3}
    province.ok("return", "lc-2025", "--unit", COMMUNE, "--period", "2025", "--reason", "thiếu số liệu quý IV",
                *by("can_bo_tinh"))
    row, err = _deadline(province)
    assert "Returned on" in err and "06211 (Xã Cao Lộc) for 2025 in lc-2025: thiếu số liệu quý IV" in err
    assert "Bị trả lại" in province.ok("--lang", "vi", "deadlines", "--plan", "lc-2025", "--as-of", AS_OF).err
    assert "thiếu số liệu" not in province.ok("deadlines", "--plan", "lc-2025", "-a", "Công an tỉnh").err
    province.ok("accept", "lc-2025", "--unit", COMMUNE, "--period", "2025", *by("can_bo_tinh"))
    assert "Returned" not in _deadline(province)[1]
    assert _history(province, "acceptance") == [
        ("accept", "06211 2025", recorder("can_bo_tinh"), None),
        ("reopen", "06211 2025", recorder("can_bo_tinh"), "xã bổ sung"),
        ("return", "06211 2025", recorder("can_bo_tinh"), "thiếu số liệu quý IV"),
        ("accept", "06211 2025", recorder("can_bo_tinh"), None)]
    assert [h[0] for h in _history(province, "bundle")] == ["import", "import"]


def _without_grant_audit(fingerprint: list) -> list:
    return [(name, [r for r in rows if not (name == "kh_audit" and "'kh_grant" in r)]) for name, rows in fingerprint]


def _raw_sql_is_refused(province: Kh) -> None:
    """As the commune's officer, and as the tables' owner, straight through SQL: the trigger."""
    officer, password = f"kh_t_xa_{uuid.uuid4().hex[:8]}", "pw-xa"
    province.ok("admin", "officer", officer, "--unit", COMMUNE, "--password", password)
    try:
        for url in (make_url(province.db).set(username=officer, password=password), make_url(province.db)):
            engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            for statement in (
                    "UPDATE figure SET value = 99 WHERE unit = '06211'",
                    "UPDATE figure SET replaced_at = now(), replaced_by = current_user WHERE unit = '06211'",
                    "INSERT INTO figure (plan_id, ref, unit, period, m_from, m_to, value, recorded_at, recorded_by) "
                    "VALUES ('lc-2025', 'III.1', '06211', '2025-12', 24311, 24311, 1, now(), current_user)",
                    "DELETE FROM figure WHERE unit = '06211'"):
                with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as e:
                    conn.exec_driver_sql(statement)
                # The officer may not delete at all (no privilege); every other write meets the trigger.
                allowed = ("accepted report", "permission denied") if statement.startswith("DELETE") and \
                    url.username == officer else ("accepted report",)
                assert any(w in str(e.value) for w in allowed), (statement, str(e.value))
            if url.username == officer:  # nor may the officer lift the lock himself
                with engine.connect() as conn:
                    try:
                        changed = conn.exec_driver_sql("UPDATE acceptance SET state = 'reopened'").rowcount
                    except sa.exc.DBAPIError:
                        changed = 0
                    assert changed == 0
            engine.dispose()
    finally:
        province.ok("admin", "revoke", officer)
        engine = _pg_admin()
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{officer}"')
        engine.dispose()


def test_levels_a_district_accepts_its_communes_the_province_covers_all(stores):
    _, province = stores
    # Before 1/7/2025: Huyện Cao Lộc (183) accepts Xã Tân Liên; then the province accepts the district.
    province.ok("record", "lc-2025", "III.1", "2", "--unit", OLD_COMMUNE, "--period", "2025-03", "--as-of", AS_OF)
    province.ok("accept", "lc-2025", "--unit", OLD_COMMUNE, "--period", "2025-Q1")
    province.ok("accept", "lc-2025", "--unit", DISTRICT, "--period", "2025-H1")
    r = province.refused("accept", "lc-2025", "--unit", DISTRICT, "--period", "2025-Q4")
    assert "unit 183 did not exist during 2025-Q4" in r.err
    province.ok("reopen", "lc-2025", "--unit", OLD_COMMUNE, "--period", "2025-Q1", "--reason", "sửa")
    # The district's acceptance still covers the commune.
    r = province.refused("record", "lc-2025", "III.1", "3", "--unit", OLD_COMMUNE, "--period", "2025-03", "--replace",
                         "--reason", "x", "--as-of", AS_OF)
    assert "the report of 183 for 2025-H1 was accepted" in r.err
    # The province's acceptance covers the communes made on 1/7/2025 too.
    province.ok("accept", "lc-2025", "--unit", PROVINCE, "--period", "2025")
    r = province.refused("record", "lc-2025", "III.1", "3", "--unit", COMMUNE, "--period", "2025-11", "--as-of", AS_OF)
    assert "the report of 20 for 2025 was accepted" in r.err
    # Another plan is not locked.
    province.ok("record", "na-2021", "III.1-1", "3", "--unit", "40", "--period", "2021", "--as-of", AS_OF)


def test_refusals_write_nothing_and_speak_vietnamese(stores):
    _, province = stores
    before = store_fingerprint(province.db)
    for args, words in [
        (("return", "lc-2025", "--unit", COMMUNE, "--period", "2025"), "kh return needs --reason"),
        (("reopen", "lc-2025", "--unit", COMMUNE, "--period", "2025", "--reason", "x"), "is not accepted; nothing to reopen"),
        (("accept", "lc-2025", "--unit", "99999", "--period", "2025"), "no unit with code '99999'"),
        (("accept", "nope", "--unit", COMMUNE, "--period", "2025"), "no plan 'nope'"),
        (("accept", "lc-2025", "--unit", COMMUNE, "--period", "2025-13"), "not a period"),
    ]:
        r = province.refused(*args)
        assert words in r.err, r.err
        assert province.refused("--lang", "vi", *args).err != r.err
    province.ok("accept", "lc-2025", "--unit", COMMUNE, "--period", "2025")
    accepted = store_fingerprint(province.db)
    assert accepted != before
    r = province.refused("return", "lc-2025", "--unit", COMMUNE, "--period", "2025", "--reason", "x")
    assert "reopen it first" in r.err and "hãy mở lại trước" in province.refused(
        "--lang", "vi", "return", "lc-2025", "--unit", COMMUNE, "--period", "2025", "--reason", "x").err
    assert store_fingerprint(province.db) == accepted
