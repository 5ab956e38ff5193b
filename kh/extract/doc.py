"""The shape of a Kế hoạch: paragraphs with their line numbers, numbering and refs.

Text exported from Word or PDF, or copied from a web page, wraps one paragraph over several lines,
sometimes across a blank line; a line that does not end a sentence, followed by one that starts in
lower case and is not a list item, continues the paragraph, and so does a line after one that ran
to the margin of a hard-wrapped copy (``wrap_width``). Numbering gives each paragraph its place: I. → 1. → 1.1. →
a) → "-" → "+", and from that its ``anchor`` (the ref of the numbered item it belongs to:
``III.1.a``) and its ``ref`` (``III.1-2`` for the second dash item of III.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kh.extract import phrases as ph
from kh.extract.phrases import clean


@dataclass
class Para:
    line: int               # first line in the document, 1-based
    text: str               # verbatim (lines of a wrapped paragraph joined with one space)
    body: str = ""          # text without its list marker
    marker: str = ""        # roman | num | dotted | letter | dash | plus | ""
    label: str = ""         # "III", "2", "1.5", "a", ""
    section: str = ""       # roman numeral of the section
    section_title: str = ""
    anchor: str = ""        # ref of the numbered item this paragraph belongs to
    ref: str = ""           # its own ref (anchor, or anchor-k for the k-th dash item)
    item: str = ""          # ref of the top numbered item of the section it lies under (III.1)
    target_block: bool = False   # inside "Mục tiêu" / "Chỉ tiêu"
    period_hint: str = ""   # "đến năm 2030" of a heading above it
    children: list[int] = field(default_factory=list)

    @property
    def low(self) -> str:
        return clean(self.body)


def paragraphs(lines: list[str]) -> list[Para]:
    """Join wrapped lines into paragraphs and number them; each keeps the line it starts on."""
    width = wrap_width(lines)
    paras: list[Para] = []
    prev_line, blank = "", False
    for i, raw in enumerate(lines, start=1):
        s = " ".join(raw.replace("\u00a0", " ").split())
        if not s:
            blank = True
            continue
        if paras and _continues(paras[-1].text, prev_line, s, 0 if blank else width):
            paras[-1].text += " " + s
        else:
            paras.append(Para(line=i, text=s))
        prev_line, blank = s, False
    _number(paras)
    return paras


def wrap_width(lines: list[str]) -> int:
    """The width a hard-wrapped copy was cut at (a web page, a PDF's text layer), or 0 when the
    lines are whole paragraphs. Wrapped text has many lines close to its longest common length."""
    lengths = sorted(len(" ".join(x.split())) for x in lines if x.strip())
    if len(lengths) < 20:
        return 0
    width = lengths[int(len(lengths) * 0.95) - 1]
    near = sum(1 for n in lengths if width * 0.8 <= n <= width * 1.05)
    return width if width <= 130 and near >= 0.25 * len(lengths) else 0


def _continues(prev: str, prev_line: str, s: str, width: int) -> bool:
    """Whether line ``s`` continues the paragraph ``prev`` (whose last line is ``prev_line``): not
    when it starts a numbered item, a heading or a bullet, nor after a full stop; yes when it starts
    in lower case; and in a hard-wrapped copy (``width``), also when the previous line ran to the
    margin without ending a sentence (its next word would not have fitted)."""
    if ph.YEAR_RANGE_REST.match(s) and ph.ENDS_WITH_YEAR.search(prev):
        return True  # "giai đoạn 2025 / - 2030": a range of years cut by the wrap, not a bullet
    if _marker(s)[0] or prev.endswith(tuple(".:!?")):
        return False
    first = s.lstrip("*“\"( ")[:1]
    if first and first.islower():
        return True  # after a semicolon too: "…sau cai nghiện; / tham mưu bố trí kinh phí …"
    if not width or prev.endswith(tuple(";)”\"’'")) or _is_heading_line(prev_line):
        return False
    return len(prev_line) + 1 + len(s.split()[0]) > width * 0.9


def _is_heading_line(line: str) -> bool:
    """A heading in capitals ("II. CHỈ TIÊU", "KẾ HOẠCH") ends where its line ends."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _marker(s: str) -> tuple[str, str, str]:
    t = s.lstrip("*").lstrip()
    for name, rx in (("roman", ph.ITEM_ROMAN), ("dotted", ph.ITEM_DOTTED), ("num", ph.ITEM_NUM),
                     ("letter", ph.ITEM_LETTER), ("paren", ph.ITEM_PAREN), ("dash", ph.ITEM_DASH),
                     ("plus", ph.ITEM_PLUS)):
        m = rx.match(t)
        if m:
            if name == "roman" and not (m.group(2)[:1].isupper() or not m.group(2)):
                continue
            if name == "letter" and not (m.group(2)[:1].isupper() or m.group(2)[:1].isdigit()) \
                    and not m.group(2).startswith("*"):
                continue
            label = "" if name in ("dash", "plus") else m.group(1)
            return name, label, m.group(m.lastindex)
    return "", "", s


def _number(paras: list[Para]) -> None:
    roman = num = dotted = letter = ""
    title = ""
    dashes: dict[str, int] = {}
    target_of: dict[str, bool] = {}   # anchor → inside a targets heading
    hint_of: dict[str, str] = {}
    block_dash = ""                   # ref of a "- Mục tiêu:" dash whose items are targets
    for p in paras:
        p.marker, p.label, p.body = _marker(p.text)
    if not any(p.marker == "roman" for p in paras):
        _decimal_sections(paras)
    for p in paras:
        if p.marker == "roman":
            roman, num, dotted, letter, title = p.label, "", "", "", p.body
        elif p.marker == "num":
            num, dotted, letter = p.label, "", ""
        elif p.marker == "dotted":
            dotted, letter = p.label, ""
        elif p.marker in ("letter", "paren"):
            letter = p.label if p.marker == "letter" else f"({p.label})"
        anchor = roman
        if num:
            anchor += f".{num}"
        if dotted:
            anchor += f".{dotted}" if not dotted.startswith(f"{num}.") or not num else f".{dotted[len(num) + 1:]}"
        if letter:
            anchor += letter if letter.startswith("(") else f".{letter}"
        p.section, p.section_title, p.anchor = roman, title, anchor
        p.item = roman + (f".{num}" if num else "")
        if p.marker == "dash":
            dashes[anchor] = dashes.get(anchor, 0) + 1
            p.ref = f"{anchor}-{dashes[anchor]}"
        else:
            p.ref = anchor
        low = p.low
        # A heading that names targets ("Chỉ tiêu chủ yếu đến năm 2030", "- Mục tiêu:") marks
        # what lies under it.
        if p.marker in ("roman", "num", "dotted", "letter", "paren"):
            if _is_target_heading(low):
                target_of[anchor] = True
                m = ph.UNTIL_YEAR.search(low)
                if m:
                    hint_of[anchor] = m.group(1)
            if p.marker in ("roman", "num", "dotted", "letter"):
                block_dash = ""
        if p.marker == "dash":
            if ph.TARGETS_DASH.match(low):
                block_dash = anchor
            elif ph.TASKS_DASH.match(low):
                block_dash = ""
        inside = [a for a in target_of if anchor == a or anchor.startswith(a + ".")]
        p.target_block = bool(inside) or block_dash == anchor
        hints = [hint_of[a] for a in inside if a in hint_of]
        p.period_hint = hints[-1] if hints else ""


def _decimal_sections(paras: list[Para]) -> None:
    """A plan without Roman numerals numbers its sections "1. MỤC ĐÍCH" (capitals) and their
    items "1.1.", "1.2.": read them as I. and 1. so that the rest is the same."""
    section = ""
    for p in paras:
        letters = [c for c in p.body if c.isalpha()]
        if p.marker == "num" and letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
            p.marker, section = "roman", p.label
        elif p.marker == "dotted" and section and p.label.startswith(section + "."):
            rest = p.label[len(section) + 1:]
            p.marker, p.label = ("num", rest) if "." not in rest else ("dotted", rest)


def _is_target_heading(low: str) -> bool:
    return bool(ph.TARGET_HEADING.match(low)) or (
        len(low) < 90 and bool(ph.TARGET_WORD.search(low)) and not low.endswith("."))


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph, verbatim: a full stop and a space before a capital letter or a
    figure ends one (semicolons are left to ``clauses``, which knows about brackets)."""
    parts = ph.SENTENCE_END.split(text)
    return [p for p in (x.strip() for x in parts) if p]


def clauses(sentence: str) -> list[str]:
    """A sentence cut at its semicolons: one target or one deadline per clause, usually."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth <= 0:  # a semicolon inside brackets (an address, a list) does not cut
            out.append(sentence[start:i])
            start = i + 1
    out.append(sentence[start:])
    return [c.strip() for c in out if c.strip()]
