"""Words people read — messages, refusals, help, table headers, statuses — by key, in English
or Vietnamese, from the one catalogue in kh/catalogue.py.

JSON and CSV keys and codes stay English (scripts depend on them); only what people read is
translated. The language: ``--lang`` (anywhere on the command line), else ``KH_LANG``, else the
locale (LC_ALL, LC_MESSAGES, LANG). Nothing here matches English text: a message is a key and
its parameters, rendered when it is shown (docs/architecture.md, "How to add a message").
"""

from __future__ import annotations

import os

_lang = "en"

LANGS = ("en", "vi")

# Table columns whose cell values are codes shown as words (value()): key "<column>.<code>".
VALUE_COLUMNS = frozenset({"role", "kind", "measure", "status", "target_basis"})


class Msg:
    """A message not yet rendered: a catalogue key and its parameters. Rendered (``str()``) in
    the language active at that moment; a parameter may itself be a ``Msg``."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params):
        self.key, self.params = key, params

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.params!r})"


class OneOf(tuple):
    """Alternatives in a message: shown quoted and joined by "or" / "hoặc"."""

    def __str__(self) -> str:
        items = [repr(x) for x in self]
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + t("word.or") + items[-1]


def set_lang(lang: str | None) -> str:
    """``lang`` (from --lang), else KH_LANG, else the locale; anything not Vietnamese is English."""
    global _lang
    if not lang:
        lang = os.environ.get("KH_LANG") or ""
    if not lang:
        env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
        lang = "vi" if env.lower().startswith("vi") else "en"
    _lang = "vi" if lang.lower().startswith("vi") else "en"
    return _lang


def lang() -> str:
    return _lang


def _table():
    from kh.catalogue import MESSAGES  # the catalogue: imported when something is shown

    return MESSAGES


def lookup(key: str, lang: str | None = None) -> str | None:
    """The raw catalogue text of ``key`` in ``lang`` (default: the active one), or None."""
    pair = _table().get(key)
    if pair is None:
        return None
    return pair[1] if (lang or _lang) == "vi" else pair[0]


def t(key: str, /, **params) -> str:
    """The message ``key`` in the active language with ``params`` filled in (always formatted:
    a literal brace is written ``{{``). A key missing from the catalogue is shown as itself
    (tests/test_messages.py fails on it first)."""
    word = lookup(key)
    if word is None:
        return key
    return word.format(**{k: _shown(v) for k, v in params.items()})


def _shown(v):
    if isinstance(v, (Msg, OneOf)):
        return str(v)
    return v


def value(column: str, v: str) -> str:
    """A cell value of ``column`` as people read it (statuses, kinds, roles); others unchanged."""
    if column not in VALUE_COLUMNS or not isinstance(v, str):
        return v
    word = lookup(f"{column}.{v}")
    return v if word is None else word
