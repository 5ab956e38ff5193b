"""Names in Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x
y, the tones (huyền, hỏi, ngã, sắc, nặng) only after the letters, as ICU's Vietnamese collation
(CLDR's "vi" tailoring) orders them. Python's sorted() puts "Đ" after "Z" and "Ư" after "U"+z.

ICU (PyICU, the `icu` extra) is used when installed. PyICU ships no wheels and builds against
libicu, which an officer's Windows laptop does not have, so `pip install kh` must not need it:
without it, the same order comes from the CLDR tailoring written out below (letters, then tones,
then case), and tests/test_tables.py checks the two agree wherever ICU is installed (CI).

Imported on first use: `kh --help` and any command that sorts nothing never load it
(tests/test_startup.py)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# CLDR vi: &A<ă<â &D<đ &E<ê &O<ô<ơ &U<ư, tones secondary in this order: none, huyền, hỏi, ngã,
# sắc, nặng. The letter marks (breve, circumflex, horn) are part of the letter, not tones.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Spaces and punctuation come before digits and letters, in CLDR's root order (not code points).
_PUNCTUATION = {c: i for i, c in enumerate(" _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$")}


def _fallback_key(text: str) -> tuple:
    primary, secondary, tertiary = [], [], []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        low = base.lower()
        if low == "đ":
            letter = ("d", 1)
        else:
            letter = (low, sum(_LETTER_MARKS.get(m, 0) for m in marks))
        if low.isalpha() or low == "đ":
            group = 2
        elif low.isdigit():
            group = 1
        else:
            group = 0
            letter = (_PUNCTUATION.get(low, len(_PUNCTUATION)), ord(low))
        primary.append((group, letter))
        secondary.append(sum(_TONES.get(m, 0) for m in marks))
        tertiary.append(0 if base == low else 1)  # lower case first, as ICU
    return (primary, secondary, tertiary)


@lru_cache(maxsize=1)
def _collator():
    try:
        import icu  # PyICU, optional (see above)
    except ImportError:
        return None
    return icu.Collator.createInstance(icu.Locale("vi"))


def key(text: str | None):
    """The sort key of ``text`` (None sorts as empty): ``sorted(names, key=key)``."""
    c = _collator()
    return c.getSortKey(text or "") if c is not None else _fallback_key(text or "")


def sort_names(names) -> list[str]:
    return sorted(names, key=key)
