"""Names in Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x
y, the tones (huyền, hỏi, ngã, sắc, nặng) only after the letters, as ICU's Vietnamese collation
(CLDR's "vi" tailoring) orders them. Python's sorted() puts "Đ" after "Z" and "Ư" after "U"+z.

PyICU is imported on first use: `kh --help` and any command that sorts nothing never load it
(tests/test_startup.py)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _collator():
    import icu  # PyICU (pyproject.toml says why this library)

    return icu.Collator.createInstance(icu.Locale("vi"))


def key(text: str | None) -> bytes:
    """The sort key of ``text`` (None sorts as empty): ``sorted(names, key=key)``."""
    return _collator().getSortKey(text or "")


def sort_names(names) -> list[str]:
    return sorted(names, key=key)
