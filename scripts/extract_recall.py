"""How much of a hand-encoded plan `kh extract` finds by itself: recall per plan.

    python scripts/extract_recall.py [--verbose] [DOCUMENT TOML]...

Without arguments it compares every seed (examples/documents/ID.txt with examples/plans/ID.toml)
and every extra fixture (tests/fixtures/extract/NAME.txt with NAME.toml). It prints one row per
plan and exits 1 when a plan is below the goal: 90 % of targets and of assignees, 100 % of
deadlines and of task dues. A plan short of a goal only by the cases listed in UNEXTRACTABLE
(each with its reason, and in docs/extract.md) is "met*"; the figures still count them as missed.
--verbose lists what was missed.

Matching (docs/extract.md explains why):
- an assignee is found when the draft has a name or alias equal to its name or one of its
  aliases, compared folded and without tone marks ("Văn hoá" = "Văn hóa");
- a target is found when the draft has one from the same paragraph of the document (the
  paragraph holding the hand encoding's `source`) with the same kind, comparator, target (or
  milestones) and baseline, and the same periodicity, where `span` and `by_year` of the plan's
  last year agree (both are judged once, at the end of the plan). One drafted target may answer
  several hand-encoded ones that the document packs into one phrase ("100 % điểm …, đối tượng …");
- a deadline is found when a drafted obligation, not used for another, has the same rule (the
  date and relation; or every and on/day/after_end; or the year) and exactly the hand-encoded
  debtors (the assignees each binds); the looser count, debtors overlapping by half (Jaccard ≥
  0.5), is printed below the table;
- a task due (of each hand-encoded task with a `due`, or tied to a phase's end by `phase`) is
  found when the drafted task of the same ref, else the drafted task whose words overlap it most
  (Jaccard ≥ 0.5 over the words of text and source), has the same rule (as for deadlines; or the
  same phase) and leads that overlap the hand-encoded ones by at least half.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL = {"header": 1.0, "targets": 0.95, "assignees": 0.95, "deadlines": 1.0, "task dues": 1.0}
MEASURES = tuple(GOAL)
# Recall goals of 100 % hold on every plan; the others, and precision, over all plans together.
PER_PLAN = ("header", "deadlines", "task dues")
PRECISION = 0.90
HEADER_FIELDS = ("number", "title", "issuer", "level", "place", "issued_on", "start", "end")

# Hand-encoded items that rules cannot draft, each with the reason (docs/extract.md, "What it leaves
# for the reader"). They are counted as missed in the figures; a plan short of a goal only by these
# is marked "met*". A listed item that gets drafted, or one missed that is not listed, fails the goal.
UNEXTRACTABLE = {
    ("ls-mtqg-2030", "task dues", "IV.3.đ"):
        "a measure of section IV (NỘI DUNG, GIẢI PHÁP), which assigns nobody: the hand encoding infers "
        "its leads; the extractor drafts tasks only where the document names who does them",
}


def pairs() -> list[tuple[Path, Path]]:
    out = []
    for toml in sorted((ROOT / "examples" / "plans").glob("*.toml")):
        doc = ROOT / "examples" / "documents" / f"{toml.stem}.txt"
        if doc.exists():
            out.append((doc, toml))
    for toml in sorted((ROOT / "tests" / "fixtures" / "extract").glob("*.toml")):
        for ext in (".txt", ".docx", ".pdf"):
            doc = toml.with_suffix(ext)
            if doc.exists():
                out.append((doc, toml))
                break
    return out


@dataclass
class Score:
    plan: str
    found: dict = field(default_factory=dict)    # what → (found, total) of the hand encoding
    right: dict = field(default_factory=dict)    # what → (right, drafted) of the draft: precision
    missed: dict = field(default_factory=dict)   # what → [descriptions]
    extra: dict = field(default_factory=dict)    # what → [drafted items the hand encoding lacks]

    def ratio(self, what: str) -> float:
        f, t = self.found[what]
        return 1.0 if t == 0 else f / t

    missed_refs: dict = field(default_factory=dict)  # what → [ref or key of each missed item]
    loose: tuple = (0, 0)  # deadlines with the right rule whose debtors overlap by half (Jaccard ≥ 0.5)

    def known(self, what: str) -> list[str]:
        return [r for r in self.missed_refs.get(what, []) if (self.plan, what, r) in UNEXTRACTABLE]

    def precision(self, what: str) -> float:
        r, d = self.right[what]
        return 1.0 if d == 0 else r / d

    def short(self, what: str) -> bool:
        return what in PER_PLAN and self.ratio(what) < GOAL[what] - 1e-9

    @property
    def ok(self) -> bool:
        return not any(self.short(w) for w in GOAL)

    @property
    def ok_but_known(self) -> bool:
        """Short of a goal only by the items listed in UNEXTRACTABLE."""
        for w in GOAL:
            f, t = self.found[w]
            if self.short(w) and (f + len(self.known(w))) / max(1, t) < GOAL[w] - 1e-9:
                return False
        return not self.ok and not self.stale()

    def stale(self) -> list[str]:
        """Items listed as not extractable that the draft now finds: take them off the list."""
        return [r for (plan, w, r) in UNEXTRACTABLE if plan == self.plan and r not in self.missed_refs.get(w, [])]


def _located(paras, source: str | None) -> int | None:
    """The line of the paragraph holding ``source`` (compared in the phrase table's form)."""
    from kh.extract.phrases import clean

    if not source:
        return None
    s = clean(source)
    for probe in (s, s[:60], s[-60:]):
        if len(probe) < 12:
            continue
        for p in paras:
            if probe in clean(p.text):
                return p.line
    return None


def _period(ind, end_year: int) -> tuple:
    if ind.periodicity == "by_year" and ind.by == end_year:
        return ("end",)
    if ind.periodicity == "span":
        return ("end",)
    return (ind.periodicity, ind.by)


def _target_sig(ind, end_year: int) -> tuple:
    base = "previous" if ind.baseline_previous else ind.baseline_year
    value = tuple(sorted(ind.milestones.items())) if ind.kind == "milestones" else ind.target
    # Nothing each year, or nothing over the span: the same promise (the hand encodings write
    # either for "không để phát sinh …" with no period).
    period = ("any",) if ind.kind == "zero" else _period(ind, end_year)
    return (ind.kind, ind.comparator, value, base, period)


def _rule_sig(r) -> tuple:
    from kh.text import parse_day_month

    if r.shape == "once":
        return ("once", r.date, r.relation)
    if r.shape == "recurring":  # "30/6" and "30/06" are the same day
        return ("every", r.every, tuple(parse_day_month(d) for d in r.on or ()), r.day, r.after_end)
    return ("year", r.year)


def score(doc: Path, toml: Path) -> Score:
    from kh import planfile
    from kh.extract import draft_file
    from kh.extract.doc import paragraphs
    from kh.extract.names import key
    from kh.extract.read import read_lines

    truth = planfile.load(toml)
    result = draft_file(doc, truth.id)
    got = planfile.loads(result.text, "<draft>")
    paras = paragraphs(read_lines(doc))
    sc = Score(truth.id)

    # Assignees.
    got_keys = {key(n) for a in got.assignees for n in [a.name, *a.aliases]}
    hit = [a for a in truth.assignees if any(key(n) in got_keys for n in [a.name, *a.aliases])]
    sc.found["assignees"] = (len(hit), len(truth.assignees))
    sc.missed["assignees"] = [a.name for a in truth.assignees if a not in hit]
    truth_keys = {key(n) for a in truth.assignees for n in [a.name, *a.aliases]}
    right = [a for a in got.assignees if any(key(n) in truth_keys for n in [a.name, *a.aliases])]
    sc.right["assignees"] = (len(right), len(got.assignees))
    sc.extra["assignees"] = [a.name for a in got.assignees if a not in right]

    # Header fields: each of HEADER_FIELDS equal (a field both leave out is right).
    h_hit, h_missed = 0, []
    for f in HEADER_FIELDS:
        want, have = getattr(truth, f, None), getattr(got, f, None)
        if f in ("issuer", "title", "place") and want and have:
            same = key(want) == key(have)
        else:
            same = want == have
        if same:
            h_hit += 1
        else:
            h_missed.append(f"{f}: {have!r}, not {want!r}")
    sc.found["header"] = (h_hit, len(HEADER_FIELDS))
    sc.right["header"] = (h_hit, len(HEADER_FIELDS))
    sc.missed["header"] = h_missed

    # Targets.
    end_year = truth.end.year
    drafted: dict = {}
    for ind in got.indicators:
        drafted.setdefault(_located(paras, ind.source), []).append(_target_sig(ind, got.end.year))
    every = [s for sigs in drafted.values() for s in sigs]
    n_hit, missed = 0, []
    for ind in truth.indicators:
        line = _located(paras, ind.source)
        sig = _target_sig(ind, end_year)
        pool = drafted.get(line, []) if line is not None else every
        if sig in pool:
            n_hit += 1
        else:
            missed.append(f"{ind.ref} {sig} (line {line})")
    sc.found["targets"] = (n_hit, len(truth.indicators))
    sc.missed["targets"] = missed
    wanted: dict = {}
    for ind in truth.indicators:
        wanted.setdefault(_located(paras, ind.source), set()).add(_target_sig(ind, end_year))
    every_wanted = {s for sigs in wanted.values() for s in sigs}
    n_right, extra = 0, []
    for ind in got.indicators:
        line = _located(paras, ind.source)
        sig = _target_sig(ind, got.end.year)
        if sig in (wanted.get(line, set()) if line is not None else every_wanted):
            n_right += 1
        else:
            extra.append(f"{ind.ref} {sig} (line {line})")
    sc.right["targets"] = (n_right, len(got.indicators))
    sc.extra["targets"] = extra

    # Deadlines.
    to_truth: dict[str, str] = {}
    for a in truth.assignees:
        for n in [a.name, *a.aliases]:
            to_truth[key(n)] = a.name
    got_names: dict[str, str] = {}
    for a in got.assignees:
        canon = next((to_truth[key(n)] for n in [a.name, *a.aliases] if key(n) in to_truth), a.name)
        got_names[a.name] = canon
    drafted_obs = [(_rule_sig(o.due), {got_names.get(n, n) for n in got.debtors(o)}) for o in got.obligations]
    # A deadline is found when a drafted obligation, not used for another, has the same rule and
    # exactly the hand-encoded debtors (the goal). The looser figure, debtors overlapping by half
    # (Jaccard ≥ 0.5), is printed beside it: how many have the right rule but not the right debtors.
    used: set[int] = set()
    n_hit, missed, wrong, refs = 0, [], [], []
    for o in truth.obligations:
        sig, owners = _rule_sig(o.due), set(truth.debtors(o))
        match = next((i for i, (s, who) in enumerate(drafted_obs) if i not in used and s == sig and who == owners),
                     None)
        if match is None:
            missed.append(f"{o.key} {sig} owed by {sorted(owners)[:3]}…")
            refs.append(o.key)
        else:
            used.add(match)
            n_hit += 1
    loose, loose_used = n_hit, set(used)
    for o in truth.obligations:
        if o.key not in refs:
            continue
        sig, owners = _rule_sig(o.due), set(truth.debtors(o))
        for i, (s, who) in enumerate(drafted_obs):
            if i in loose_used or s != sig:
                continue
            if len(owners & who) / max(1, len(owners | who)) >= 0.5:
                loose_used.add(i)
                loose += 1
                wrong.append(f"{o.key}: drafted also {sorted(who - owners)}, not {sorted(owners - who)}")
                break
    sc.found["deadlines"] = (n_hit, len(truth.obligations))
    sc.missed["deadlines"] = missed
    sc.missed_refs["deadlines"] = refs
    sc.right["deadlines"] = (len(used), len(drafted_obs))
    sc.loose = (loose, len(truth.obligations))
    sc.missed["debtors"] = wrong
    sc.extra["deadlines"] = [f"{o.key} {drafted_obs[i][0]} owed by {sorted(drafted_obs[i][1])[:3]}…"
                             for i, o in enumerate(got.obligations) if i not in used]

    # Task dues: each hand-encoded task with a `due` (or tied to a phase's end) against the drafted
    # task of the same ref, else the one whose words overlap it most (Jaccard ≥ 0.5 over the words).
    drafted_tasks = [(t, _words(t.text) | _words(t.source)) for t in got.tasks]
    n_hit, total, missed, refs = 0, 0, [], []
    for t in truth.tasks:
        if t.due is None and not t.phase:
            continue
        total += 1
        sig = _rule_sig(t.due) if t.due is not None else ("phase", t.phase)
        words = _words(t.text) | _words(t.source)
        ranked = sorted(((_jaccard(words, w), d.ref == t.ref, i) for i, (d, w) in enumerate(drafted_tasks)),
                        reverse=True)
        same_ref = next((i for j, is_ref, i in ranked if is_ref and j >= 0.5), None)
        best = same_ref if same_ref is not None else next((i for j, _, i in ranked if j >= 0.5), None)
        why = "no drafted task"
        if best is not None:
            d = drafted_tasks[best][0]
            got_sig = _rule_sig(d.due) if d.due is not None else ("phase", d.phase) if d.phase else None
            leads, got_leads = set(t.lead), {got_names.get(n, n) for n in d.lead}
            if got_sig != sig:
                why = f"drafted {d.ref} has {got_sig}"
            elif len(leads & got_leads) / max(1, len(leads | got_leads)) < 0.5:
                why = f"drafted {d.ref} is led by {sorted(got_leads)[:3]}"
            else:
                n_hit += 1
                continue
        missed.append(f"{t.ref} {sig} led by {sorted(t.lead)[:3]}: {why}")
        refs.append(t.ref)
    sc.found["task dues"] = (n_hit, total)
    sc.missed["task dues"] = missed
    sc.missed_refs["task dues"] = refs
    # Precision: each drafted due against the hand-encoded task that answers to it (same ref, else
    # the most overlapping words), which must have the same due and overlapping leads.
    truth_tasks = [(t, _words(t.text) | _words(t.source)) for t in truth.tasks]
    n_right, n_dated, extra = 0, 0, []
    for d, words in drafted_tasks:
        if d.due is None and not d.phase:
            continue
        n_dated += 1
        got_sig = _rule_sig(d.due) if d.due is not None else ("phase", d.phase)
        ranked = sorted(((_jaccard(words, w), t.ref == d.ref, i) for i, (t, w) in enumerate(truth_tasks)),
                        reverse=True)
        same_ref = next((i for j, is_ref, i in ranked if is_ref and j >= 0.5), None)
        best = same_ref if same_ref is not None else next((i for j, _, i in ranked if j >= 0.5), None)
        if best is not None:
            t = truth_tasks[best][0]
            sig = _rule_sig(t.due) if t.due is not None else ("phase", t.phase) if t.phase else None
            leads = {got_names.get(n, n) for n in d.lead}
            if sig == got_sig and len(leads & set(t.lead)) / max(1, len(leads | set(t.lead))) >= 0.5:
                n_right += 1
                continue
        extra.append(f"{d.ref} {got_sig}")
    sc.right["task dues"] = (n_right, n_dated)
    sc.extra["task dues"] = extra
    return sc


def _words(text: str | None) -> set[str]:
    from kh.extract.phrases import clean

    return set(re.findall(r"\w+", clean(text or "")))


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / max(1, len(a | b))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", metavar="DOCUMENT TOML", help="pairs of document and hand-encoded plan file")
    ap.add_argument("-v", "--verbose", action="store_true", help="list what was missed")
    args = ap.parse_args(argv)
    if args.files:
        if len(args.files) % 2:
            ap.error("give documents and plan files in pairs")
        todo = [(Path(a), Path(b)) for a, b in zip(args.files[::2], args.files[1::2])]
    else:
        todo = pairs()
    rows = [score(d, t) for d, t in todo]
    print(f"{'recall':<18}" + "".join(f" {w:>14}" for w in MEASURES) + "  goal")
    for sc in rows:
        cells = []
        for w in MEASURES:
            f, t = sc.found[w]
            cells.append(f"{f}/{t} {100 * sc.ratio(w):5.1f} %")
        verdict = "met" if sc.ok else "met*" if sc.ok_but_known else "NOT MET"
        print(f"{sc.plan:<18}" + "".join(f" {c:>14}" for c in cells) + f"  {verdict}")
        if args.verbose:
            for w, items in sc.missed.items():
                for m in items:
                    print(f"    missed {w.rstrip('s')}: {m}")
        for r in sc.stale():
            print(f"    {r} is listed as not extractable but is found now: take it off UNEXTRACTABLE")
    ok = all(sc.ok or sc.ok_but_known for sc in rows)
    cells = []
    for w in MEASURES:
        f = sum(sc.found[w][0] for sc in rows)
        t = sum(sc.found[w][1] for sc in rows)
        r = 1.0 if t == 0 else f / t
        ok &= w in PER_PLAN or r >= GOAL[w] - 1e-9
        cells.append(f"{f}/{t} {100 * r:5.1f} %")
    print(f"{'all plans':<18}" + "".join(f" {c:>14}" for c in cells))
    e, h = sum(sc.loose[0] for sc in rows), sum(sc.loose[1] for sc in rows)
    print(f"deadlines with the right rule and debtors overlapping by half (Jaccard ≥ 0.5): {e}/{h}")
    print()
    print(f"{'precision':<18}" + "".join(f" {w:>14}" for w in MEASURES))
    for sc in rows:
        cells = [f"{sc.right[w][0]}/{sc.right[w][1]} {100 * sc.precision(w):5.1f} %" for w in MEASURES]
        print(f"{sc.plan:<18}" + "".join(f" {c:>14}" for c in cells))
        if args.verbose:
            for w, items in sc.extra.items():
                for m in items:
                    print(f"    extra {w.rstrip('s')}: {m}")
    cells = []
    for w in MEASURES:
        r_ = sum(sc.right[w][0] for sc in rows)
        d_ = sum(sc.right[w][1] for sc in rows)
        p = 1.0 if d_ == 0 else r_ / d_
        ok &= p >= PRECISION - 1e-9
        cells.append(f"{r_}/{d_} {100 * p:5.1f} %")
    print(f"{'all plans':<18}" + "".join(f" {c:>14}" for c in cells))
    print("goal: recall of header fields, deadlines and task dues 100 % on every plan; of targets and "
          f"assignees ≥ 95 % over all plans; precision ≥ {100 * PRECISION:.0f} % of each over all plans")
    known = [(p, w, r, why) for (p, w, r), why in UNEXTRACTABLE.items() if any(sc.plan == p for sc in rows)]
    if known:
        print("met*: short only by what rules cannot draft (docs/extract.md):")
        for p, w, r, why in known:
            print(f"    {p} {w} {r}: {why}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
