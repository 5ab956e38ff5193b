#!/usr/bin/env python3
"""Regenerate data/units.csv: Vietnam's administrative units before and after
the 1 July 2025 reform (63 -> 34 provinces, districts abolished, communes merged).

Source: the PyPI package vietnamadminunits (MIT,
https://github.com/tranngocminhhieu/vietnamadminunits). Only this script uses
it; kh itself reads the CSV and never imports the package.

    pip install vietnamadminunits==1.0.4
    python scripts/refresh_units.py [OUTPUT.csv]

The package is located with the running interpreter (not imported, so its
geo dependencies are never loaded). Output is deterministic: same package
version -> same bytes. See data/README.md for the file format.
"""
import csv
import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

PINNED = "1.0.4"
OLD_END, NEW_START = "2025-06-30", "2025-07-01"
HEADER = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successors"]
KIND_ORDER = {"province": 0, "district": 1, "commune": 2}
CODE_LEN = {"province": 2, "district": 3, "commune": 5}
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "units.csv"


def clean(name):
    """NFC, single spaces, and the type word in its official casing: upstream
    writes a few as "Thị Trấn" / "Thị Xã" / "Thành Phố"."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    return re.sub(r"^(Thị|Thành) (Trấn|Xã|Phố) ",
                  lambda m: f"{m[1]} {m[2].lower()} ", name)


def source_dir():
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        sys.exit(f"vietnamadminunits not installed: pip install vietnamadminunits=={PINNED}")
    version = importlib.metadata.version("vietnamadminunits")
    if version != PINNED:
        print(f"warning: vietnamadminunits {version} != pinned {PINNED}; "
              "review the diff and update PINNED and data/README.md", file=sys.stderr)
    return Path(spec.origin).parent / "data", version


def build(data_dir):
    db = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    legacy = db.execute(
        "SELECT provinceCode, province, provinceKey, districtCode, district, districtKey,"
        " wardCode, ward, wardKey FROM admin_units_legacy ORDER BY districtCode, wardCode"
    ).fetchall()
    new = db.execute(
        "SELECT provinceCode, province, provinceKey, wardCode, ward, wardKey"
        " FROM admin_units ORDER BY wardCode"
    ).fetchall()
    conv = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    # Post-reform lookups. The converter speaks in keys (accent-free slugs such
    # as "tinhlangson"/"xaquangtrung"), which are unique within a province.
    new_prov_name = {pc: pn for pc, pn, *_ in new}
    new_prov_code = {pk: pc for pc, _, pk, *_ in new}
    new_ward = {(pk, wk): wc for _, _, pk, wc, _, wk in new}
    new_ward_prov = {wc: pc for pc, _, _, wc, _, _ in new}
    assert len(new_ward) == len(new), "post-reform (province, ward) keys not unique"

    # Old province key -> new province code.
    prov_succ = {old: new_prov_code[nk]
                 for nk, olds in conv["DICT_PROVINCE"].items() for old in olds}

    # Old "province_district_ward" key -> new commune codes. Undivided communes
    # are listed under exactly one new commune; divided ones list all the new
    # communes they were split into (the converter picks one "default" of them
    # to geocode addresses; we keep them all, as the brief asks).
    succ = defaultdict(set)
    for pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, old_keys in wards.items():
            for k in old_keys:
                succ[k].add(new_ward[pk, wk])
    for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for k, parts in olds.items():
            succ[k].update(new_ward[pk, p["newWardKey"]] for p in parts)

    rows = {}

    def add(code, name, kind, parent="", vf="", vt="", successors=()):
        assert (code, vf) not in rows, f"duplicate (code, valid_from): {(code, vf)}"
        assert len(code) == CODE_LEN[kind] and code.isdigit(), f"bad {kind} code {code!r}"
        rows[code, vf] = dict(code=code, name=clean(name), kind=kind, parent=parent,
                              valid_from=vf, valid_to=vt,
                              successors=" ".join(sorted(successors)))

    # Provinces: a code whose name is unchanged is one open-ended row; a code
    # reused under a new name (e.g. 15 Yên Bái -> Lào Cai) gets two versions.
    old_prov = {pc: (pn, pk) for pc, pn, pk, *_ in legacy}
    for pc, (pn, pk) in sorted(old_prov.items()):
        to = prov_succ[pk]
        assert pc not in new_prov_name or to == pc, f"province {pc} continues but maps to {to}"
        if pc in new_prov_name and clean(new_prov_name[pc]) == clean(pn):
            add(pc, pn, "province")
        else:
            add(pc, pn, "province", vt=OLD_END, successors=[to])
    for pc, pn in sorted(new_prov_name.items()):
        if (pc, "") not in rows or rows[pc, ""]["valid_to"]:  # new, or renamed
            add(pc, pn, "province", vf=NEW_START)

    # Old communes, and districts whose successors are the new provinces their
    # communes went to. Island districts without communes (Bạch Long Vĩ, Cồn Cỏ,
    # Hoàng Sa, Lý Sơn, Côn Đảo) appear with an empty ward key in the converter.
    districts = {}
    for pc, _, pk, dc, dn, dk, wc, wn, wk in legacy:
        new_codes = succ.get(f"{pk}_{dk}_{wk or ''}")
        assert new_codes, f"no successor for {pk}_{dk}_{wk}"
        assert {new_ward_prov[c] for c in new_codes} == {prov_succ[pk]}, \
            f"{wc} {wn}: successors outside the province it merged into"
        districts.setdefault(dc, [dn, pc, set()])[2].update(new_ward_prov[c] for c in new_codes)
        if wc:
            add(wc, wn, "commune", parent=dc, vt=OLD_END, successors=new_codes)
    for dc, (dn, pc, provs) in sorted(districts.items()):
        add(dc, dn, "district", parent=pc, vt=OLD_END, successors=provs)

    for pc, _, _, wc, wn, _ in new:
        add(wc, wn, "commune", parent=pc, vf=NEW_START)

    check(list(rows.values()), covered=set().union(*succ.values()))
    return sorted(rows.values(),
                  key=lambda r: (r["valid_from"], KIND_ORDER[r["kind"]], r["code"]))


def check(rows, covered):
    def count(kind, pred):
        return sum(1 for r in rows if r["kind"] == kind and pred(r))
    old = lambda r: r["valid_from"] == ""            # noqa: E731 (valid before the reform)
    after = lambda r: r["valid_to"] == ""            # noqa: E731 (valid after it)
    assert count("province", old) == 63, count("province", old)
    assert count("province", after) == 34, count("province", after)
    assert count("district", old) == 696, count("district", old)
    assert count("commune", old) == 10035, count("commune", old)
    assert count("commune", after) == 3321, count("commune", after)

    # Successors are post-reform units of the expected kind.
    post = {r["code"]: r["kind"] for r in rows if after(r)}
    expect = {"province": "province", "district": "province", "commune": "commune"}
    for r in rows:
        for s in r["successors"].split():
            assert post.get(s) == expect[r["kind"]], f"{r['code']}: bad successor {s}"
    # Every post-reform commune was formed from at least one old commune.
    assert covered == {r["code"] for r in rows if r["kind"] == "commune" and r["valid_from"]}

    # Each parent has a version whose validity covers the child's.
    versions = defaultdict(list)
    for r in rows:
        versions[r["code"]].append(r)
    parent_kind = {"district": "province", "commune": None}
    for r in rows:
        if r["kind"] == "province":
            assert r["parent"] == ""
            continue
        want = parent_kind[r["kind"]] or ("district" if old(r) else "province")
        lo, hi = r["valid_from"], r["valid_to"] or "9999"
        assert any(p["kind"] == want and p["valid_from"] <= lo and (p["valid_to"] or "9999") >= hi
                   for p in versions[r["parent"]]), f"{r['code']}: no valid parent {r['parent']}"


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    data_dir, version = source_dir()
    rows = build(data_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    counts = defaultdict(int)
    for r in rows:
        counts[r["kind"], "before" if r["valid_to"] else "after" if r["valid_from"] else "both"] += 1
    print(f"wrote {len(rows)} rows to {out} from vietnamadminunits {version}")
    for (kind, when), n in sorted(counts.items(), key=lambda kv: KIND_ORDER[kv[0][0]]):
        print(f"  {kind:8} {when:6} {n}")


if __name__ == "__main__":
    main()
