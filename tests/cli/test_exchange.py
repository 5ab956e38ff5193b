"""kh bundle export/import and kh admin keys/trust: a commune's report travels to the province
as one signed file (docs/exchange.md). Two real stores on the engine under test."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from kh import bundle as fmt
from tests.conftest import PG_URL, ROOT, Kh, by, new_target, recorder, store_fingerprint

PLAN = ROOT / "tests" / "fixtures" / "exchange" / "lc-2025.toml"
COMMUNE, OTHER, PROVINCE = "06211", "06187", "20"  # Xã Cao Lộc, Phường Kỳ Lừa, Lạng Sơn (after 1/7/2025)
AS_OF = "2025-12-20"


def _copy(world_db, tmp_path: Path, name: str) -> Kh:
    if PG_URL:
        from sqlalchemy.engine import make_url

        return Kh(new_target(tmp_path, name, template=make_url(world_db).database))
    db = tmp_path / f"{name}.sqlite"
    shutil.copy(world_db, db)
    return Kh(db)


@pytest.fixture
def stores(_world_template, tmp_path):
    """(commune, province): two stores with the same plans and units."""
    commune, province = _copy(_world_template, tmp_path, "commune"), _copy(_world_template, tmp_path, "province")
    for k in (commune, province):
        k.ok("plan", "import", PLAN)
    return commune, province


def _record(k: Kh, ref: str, value: str, unit: str = COMMUNE, *extra: str) -> None:
    k.ok("record", "lc-2025", ref, value, "--unit", unit, "--period", "2025", *extra, *by("ca_xa_cao_loc"),
         "--as-of", AS_OF)


def _keys(k: Kh, tmp_path: Path, unit: str = COMMUNE) -> tuple[Path, Path]:
    k.ok("admin", "keys", "--unit", unit, "--out", tmp_path / "keys")
    return tmp_path / "keys" / f"{unit}.key", tmp_path / "keys" / f"{unit}.pub"


def _figures(k: Kh) -> list[tuple]:
    return sorted((r["ref"], r["unit"], r["period"], r["value"], r["denominator"])
                  for r in k.ok("figures", "--plan", "lc-2025", "-f", "json").json())


def test_keys_are_written_private_and_public_and_never_overwritten(stores, tmp_path):
    commune, _ = stores
    key, pub = _keys(commune, tmp_path)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    unit, raw = fmt.read_key(key.read_bytes(), "private", "k")
    assert unit == COMMUNE and fmt.read_key(pub.read_bytes(), "public", "p") == (COMMUNE, fmt.public_of(raw))
    before = key.read_bytes()
    r = commune.refused("admin", "keys", "--unit", COMMUNE, "--out", tmp_path / "keys")
    assert "never overwritten" in r.err and key.read_bytes() == before
    assert "no unit with code '99999'" in commune.refused("admin", "keys", "--unit", "99999", "--out", tmp_path).err
    assert "not a kh public key" in commune.refused("admin", "trust", COMMUNE, key).err
    assert "the key is unit 06211's, not unit 06187's" in commune.refused("admin", "trust", OTHER, pub).err


def test_export_is_the_unit_and_period_only_with_history_and_the_same_bytes_twice(stores, tmp_path):
    commune, _ = stores
    _record(commune, "III.1", "4")
    _record(commune, "III.1", "5", COMMUNE, "--replace", "--reason", "thêm một vụ")
    _record(commune, "III.2", "3", COMMUNE, "--of", "8")
    _record(commune, "III.1", "9", OTHER)  # another commune: never in 06211's bundle
    commune.ok("submit", "lc-2025", "bc-nam", "-a", "UBND xã Cao Lộc", "--on", "2025-12-10", *by("ca_xa_cao_loc"))
    commune.ok("submit", "lc-2025", "bc-nam", "-a", "UBND phường Kỳ Lừa", "--on", "2025-12-10")
    commune.ok("task", "done", "lc-2025", "II.1", "-a", "UBND xã Cao Lộc", "--on", "2025-06-26")
    key, _ = _keys(commune, tmp_path)
    a, b = tmp_path / "a.khb", tmp_path / "b.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--key", key, "-o", a)
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--key", key, "-o", b)
    assert a.read_bytes() == b.read_bytes()
    assert stat.S_IMODE(os.stat(a).st_mode) == 0o600
    doc = fmt.read(a.read_bytes(), "a")
    figs = doc["parts"]["figures"]
    assert {f["unit"] for f in figs} == {COMMUNE}
    assert sorted((f["ref"], f["value"], f["replaced_at"] is None) for f in figs) == [
        ("III.1", "4", False), ("III.1", "5", True), ("III.2", "3", True)]
    assert all(f["recorded_by"] == recorder("ca_xa_cao_loc") and f["recorded_at"] for f in figs)
    assert [(r["item"], r["assignee"]) for r in doc["parts"]["reports"]] == [("bc-nam", "UBND xã Cao Lộc")]
    assert [(r["item"], r["done_on"]) for r in doc["parts"]["tasks"]] == [("II.1", "2025-06-26")]
    m = doc["manifest"]
    assert (m["unit"], m["period"], m["version"], m["assignees"]) == (COMMUNE, "2025", 1, ["UBND xã Cao Lộc"])
    assert m["answers"] == [dict(plan="lc-2025", obligation="bc-nam", assignee="UBND xã Cao Lộc", period="2025")]
    assert [p["id"] for p in m["plans"]] == ["lc-2025"]
    assert m["plans"][0]["sha256"] == fmt.sha256(__import__("kh.planfile", fromlist=["x"]).dumps(
        __import__("kh.planfile", fromlist=["x"]).load(PLAN)).encode())
    for part in fmt.PARTS:
        assert m["parts"][part] == fmt.sha256(fmt.canonical(doc["parts"][part]))
    # A change makes a different file; the signature is another unit's refusal at export.
    _record(commune, "III.1", "6", COMMUNE, "--replace", "--reason", "x")
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--key", key, "-o", b)
    assert a.read_bytes() != b.read_bytes()
    r = commune.refused("bundle", "export", "--unit", OTHER, "--period", "2025", "--key", key, "-o", b)
    assert "cannot sign unit 06187's bundle" in r.err
    assert "--period" in commune.refused("bundle", "export", "--unit", COMMUNE, "--period", "2025-13", "-o", b).err


def _setup_round_trip(stores, tmp_path):
    commune, province = stores
    _record(commune, "III.1", "4")
    _record(commune, "III.2", "3", COMMUNE, "--of", "8")
    key, pub = _keys(commune, tmp_path)
    good = tmp_path / "06211-2025.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", good)
    return commune, province, key, pub, good


def _bc_nam(k: Kh) -> dict:
    rows = k.ok("deadlines", "--plan", "lc-2025", "-a", "UBND xã Cao Lộc", "--as-of", AS_OF, "-f", "json").json()
    return rows[0]


def test_round_trip_signed_twice_changes_nothing_and_marks_the_report_sent(stores, tmp_path):
    commune, province, key, pub, good = _setup_round_trip(stores, tmp_path)
    before = store_fingerprint(province.db)
    assert "not signed" not in province.refused("bundle", "import", good).err  # untrusted key
    assert "does not trust (kh admin trust 06211 FILE.pub)" in province.refused("bundle", "import", good).err
    assert store_fingerprint(province.db) == before
    province.ok("admin", "trust", COMMUNE, pub, *by("van_thu"))
    assert "trusted already" in province.ok("admin", "trust", COMMUNE, pub).out
    out = province.ok("bundle", "import", good, "--on", "2025-12-12", *by("van_thu")).out
    assert "2 added" in out and "signed by unit 06211" in out
    assert _figures(province) == [("III.1", COMMUNE, "2025", 4, None), ("III.2", COMMUNE, "2025", 3, 8)]
    row = _bc_nam(province)
    assert (row["submitted_on"], row["status"]) == ("2025-12-12", "done_on_time")
    once = store_fingerprint(province.db)
    assert "nothing changed" in province.ok("bundle", "import", good).out
    assert store_fingerprint(province.db) == once
    hist = [r for r in province.ok("history", "--what", "bundle", "-f", "json").json()]
    assert len(hist) == 1
    sha = fmt.sha256(good.read_bytes())
    h = hist[0]
    assert (h["action"], h["key"], h["by"], h["plan"]) == ("import", "06211 2025", recorder("van_thu"), "lc-2025")
    signer = fmt.fingerprint(fmt.read_key(pub.read_bytes(), "public", "p")[1])
    assert sha in h["new"] and f"signed by 06211 key {signer}" in h["new"] and "arrived 2025-12-12" in h["new"]
    gap = province.ok("gap", "--plan", "lc-2025", "--unit", COMMUNE, "--period", "2025", "--as-of", AS_OF,
                      "-f", "json").json()
    assert {r["ref"]: r["value"] for r in gap} == {"III.1": 4, "III.2": 3}


def test_tampered_bundles_are_refused_with_one_line_and_nothing_written(stores, tmp_path):
    commune, province, key, pub, good = _setup_round_trip(stores, tmp_path)
    province.ok("admin", "trust", COMMUNE, pub)
    data = good.read_bytes()
    doc = json.loads(data)

    def variant(name: str, content: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(content)
        return p

    # One byte: a space added in the indentation (the content still parses).
    at = data.index(b'\n  "period"')
    one_byte = variant("byte.khb", data[:at + 1] + b" " + data[at + 1:])
    # One figure, its sum left as it was.
    fig = json.loads(data)
    fig["parts"]["figures"][0]["value"] = str(int(fig["parts"]["figures"][0]["value"]) + 1)
    one_figure = variant("figure.khb", fmt.file_bytes(fig))
    # One figure with the manifest's sum recomputed: only the signature can tell.
    resummed = fmt.build({k: v for k, v in fig["manifest"].items() if k != "parts"}, fig["parts"])
    resummed["signature"] = doc["signature"]
    one_sum = variant("sum.khb", fmt.file_bytes(resummed))
    # One signature character.
    sig = json.loads(data)
    s = sig["signature"]["ed25519"]
    sig["signature"]["ed25519"] = ("B" if s[0] == "A" else "A") + s[1:]
    one_signature = variant("signature.khb", fmt.file_bytes(sig))
    # A unit outside the key: 06187's bundle, signed with 06211's key by hand.
    outside = json.loads(data)
    outside["manifest"]["unit"] = OTHER
    for f in outside["parts"]["figures"]:
        f["unit"] = OTHER
    _, raw = fmt.read_key(key.read_bytes(), "private", "k")
    rebuilt = fmt.build({k: v for k, v in outside["manifest"].items() if k != "parts"}, outside["parts"])
    wrong_unit = variant("unit.khb", fmt.file_bytes(fmt.sign(rebuilt, COMMUNE, raw)))
    # A figure outside the unit inside a bundle of the right unit, signed by its own key.
    stray = json.loads(data)
    stray["parts"]["figures"][0]["unit"] = OTHER
    rebuilt = fmt.build({k: v for k, v in stray["manifest"].items() if k != "parts"}, stray["parts"])
    stray_figure = variant("stray.khb", fmt.file_bytes(fmt.sign(rebuilt, COMMUNE, raw)))
    # Unsigned.
    unsigned = variant("unsigned.khb", fmt.file_bytes({**doc, "signature": None}))
    before = store_fingerprint(province.db)
    for path, words in [(one_byte, "not byte for byte"), (one_figure, "SHA-256 of its figures does not match"),
                        (one_sum, "the signature does not verify"), (one_signature, "the signature does not verify"),
                        (wrong_unit, "for unit 06187, outside unit 06211 whose key signed it"),
                        (stray_figure, "a figure for unit 06187 in 2025, outside unit 06211"),
                        (unsigned, "the bundle is not signed"),
                        (variant("junk.khb", b"PK\x03\x04"), "not a kh bundle")]:
        r = province.refused("bundle", "import", path)
        assert words in r.err and str(path) in r.err, (path, r.err)
        vi = province.refused("--lang", "vi", "bundle", "import", path).err
        assert vi != r.err and len(re.findall(r"[ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệịỉọỏốồổộớờởợụủứừửựỹỳ]", vi)) >= 3, vi
        assert store_fingerprint(province.db) == before
    vi = province.refused("--lang", "vi", "bundle", "import", one_figure).err
    assert "gói dữ liệu bị hỏng hoặc bị sửa" in vi
    # --unsigned lets the unsigned one in; the good one after it is a new file, so it is imported too.
    assert "not signed" in province.ok("bundle", "import", unsigned, "--unsigned").out
    assert "signed by unit 06211" in province.ok("bundle", "import", good).out
    assert _figures(province) == [("III.1", COMMUNE, "2025", 4, None), ("III.2", COMMUNE, "2025", 3, 8)]


def test_a_newer_bundle_replaces_an_older_one_and_province_changes_are_conflicts(stores, tmp_path):
    commune, province, key, pub, first = _setup_round_trip(stores, tmp_path)
    province.ok("admin", "trust", COMMUNE, pub)
    province.ok("bundle", "import", first, "--on", "2025-12-12")
    _record(commune, "III.1", "6", COMMUNE, "--replace", "--reason", "thêm hai vụ")
    second = tmp_path / "second.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", second)
    assert "1 replaced" in province.ok("bundle", "import", second).out
    hist = province.ok("figures", "--plan", "lc-2025", "--ref", "III.1", "--history", "-f", "json").json()
    assert [(r["value"], r["replaced_at"] is None) for r in hist] == [(4, False), (6, True)]
    assert len(province.ok("history", "--what", "bundle", "-f", "json").json()) == 2
    # The older bundle, arriving late, cannot undo the newer one.
    before = store_fingerprint(province.db)
    third = tmp_path / "first-again.khb"
    third.write_bytes(first.read_bytes())
    assert "nothing changed" in province.ok("bundle", "import", third).out  # the same file: known by its hash
    # The province corrects a figure itself; the commune's next bundle then conflicts with it.
    province.ok("record", "lc-2025", "III.1", "7", "--unit", COMMUNE, "--period", "2025", "--replace",
                *by("can_bo_tinh"), "--reason", "theo hồ sơ vụ án", "--as-of", AS_OF)
    _record(commune, "III.1", "8", COMMUNE, "--replace", "--reason", "thêm")
    fourth = tmp_path / "fourth.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", fourth)
    before = store_fingerprint(province.db)
    r = province.refused("bundle", "import", fourth)
    assert "1 figure changed here since: lc-2025 III.1 06211 2025: here 7" in r.err and "bundle 8" in r.err
    assert store_fingerprint(province.db) == before
    assert "--replace needs --reason" in province.refused("bundle", "import", fourth, "--replace").err
    province.ok("bundle", "import", fourth, "--replace", "--reason", "xã đã đối chiếu lại")
    assert [r for r in _figures(province) if r[0] == "III.1"] == [("III.1", COMMUNE, "2025", 8, None)]
    # A bundle older than one already imported is refused: it would undo the newer one.
    older, newer = tmp_path / "older.khb", tmp_path / "newer.khb"
    _record(commune, "III.2", "5", COMMUNE, "--of", "8", "--replace", "--reason", "x")
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", older)
    _record(commune, "III.2", "4", COMMUNE, "--of", "8", "--replace", "--reason", "x")
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", newer)
    province.ok("bundle", "import", newer)
    before = store_fingerprint(province.db)
    assert "a newer bundle of unit 06211 for 2025 was imported already" in province.refused(
        "bundle", "import", older).err
    assert store_fingerprint(province.db) == before


def test_a_revoked_key_is_refused_and_a_new_key_works(stores, tmp_path):
    commune, province, key, pub, good = _setup_round_trip(stores, tmp_path)
    province.ok("admin", "trust", COMMUNE, pub)
    assert "needs --reason" in province.refused("admin", "trust", COMMUNE, pub, "--revoke").err
    province.ok("admin", "trust", COMMUNE, pub, "--revoke", "--reason", "máy tính xách tay bị mất")
    r = province.refused("bundle", "import", good)
    assert "revoked on" in r.err and "export again with its new key" in r.err
    assert "cannot be trusted again" in province.refused("admin", "trust", COMMUNE, pub).err
    shutil.rmtree(tmp_path / "keys")
    key, pub = _keys(commune, tmp_path)
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--plan", "lc-2025", "--key", key, "-o", good)
    province.ok("admin", "trust", COMMUNE, pub)
    province.ok("bundle", "import", good)
    keys = [(r["action"], r["reason"]) for r in province.ok("history", "--what", "key", "-f", "json").json()]
    assert keys == [("trust", None), ("revoke", "máy tính xách tay bị mất"), ("trust", None)]


def test_import_refusals_name_the_file(stores, tmp_path):
    _, province = stores
    assert "no such file" in province.refused("bundle", "import", tmp_path / "none.khb").err
    assert "a bundle cannot arrive in the future" in province.refused(
        "bundle", "import", tmp_path / "none.khb", "--on", "2999-01-01").err
