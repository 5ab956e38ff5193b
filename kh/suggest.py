"""Finding what the user meant: names matched regardless of case and Unicode form, or by an
unambiguous prefix; and a did-you-mean for what matches nothing."""

from __future__ import annotations

import difflib
from typing import Iterable

from kh.errors import KhError, NotFound
from kh.text import fold


def did_you_mean(wrong: str, known: Iterable[str]) -> str:
    known = list(known)
    folded = {fold(k): k for k in known}
    close = difflib.get_close_matches(fold(wrong), list(folded), n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(repr(folded[c]) for c in close) + "?"
    return ""


def match_name(query: str, names: Iterable[str], what: str) -> str:
    """The one name ``query`` designates: equal when folded, else the only one it prefixes."""
    names = list(dict.fromkeys(names))
    q = fold(query)
    exact = [n for n in names if fold(n) == q]
    if exact:
        return exact[0]
    prefixed = [n for n in names if fold(n).startswith(q)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        shown = ", ".join(repr(n) for n in prefixed[:5])
        raise KhError(f"{query!r} matches several {what}s: {shown}; type more of the name")
    raise NotFound(f"no {what} {query!r}{did_you_mean(query, names)}")
