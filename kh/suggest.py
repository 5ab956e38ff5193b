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


def match_name(query: str, names: Iterable[str], what: str,
               aliases: dict[str, str] | None = None, where: str | None = None) -> str:
    """The one name ``query`` designates: equal when folded, else the only one it prefixes.

    ``aliases`` maps other spellings to their name; a name and its alias count as one."""
    aliases = aliases or {}
    names = list(dict.fromkeys(names))
    canon = {n: n for n in names} | aliases
    q = fold(query)
    exact = list(dict.fromkeys(canon[n] for n in canon if fold(n) == q))
    if exact:
        return exact[0]
    prefixed = list(dict.fromkeys(canon[n] for n in canon if fold(n).startswith(q)))
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        shown = ", ".join(repr(n) for n in prefixed[:5])
        raise KhError(f"{query!r} matches several {what}s: {shown}; type more of the name", where=where)
    raise NotFound(f"no {what} {query!r}{did_you_mean(query, list(canon))}", where=where)
