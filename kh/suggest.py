"""Finding what the user meant: names matched regardless of case and Unicode form, or by an
unambiguous prefix; and a did-you-mean for what matches nothing."""

from __future__ import annotations

import difflib
from typing import Iterable

from kh.errors import KhError, NotFound
from kh.i18n import Msg, OneOf
from kh.text import fold


def did_you_mean(wrong: str, known: Iterable[str]) -> Msg | str:
    """"; did you mean 'x'?" in the active language when something is close, else "": a
    parameter for messages that end in ``{suggest}``."""
    known = list(known)
    folded = {fold(k): k for k in known}
    close = difflib.get_close_matches(fold(wrong), list(folded), n=3, cutoff=0.6)
    if close:
        return Msg("suggest.did_you_mean", options=OneOf(folded[c] for c in close))
    return ""


def did_you_mean_code(wrong: str, known: Iterable[str]) -> Msg | str:
    """The did-you-mean for a unit code: the same digits with leading zeros put back first
    (Excel turns ``06211`` into ``6211``), else a close code of the same length, never a
    shorter one ('62' is another province, not a typo of 6211)."""
    known = list(dict.fromkeys(known))
    w = wrong.strip()
    padded = [k for k in known if w and len(k) > len(w) and k.endswith(w) and not k[:-len(w)].strip("0")]
    if padded:
        return Msg("suggest.did_you_mean", options=OneOf(sorted(padded, key=len)[:3]))
    same = [k for k in known if len(k) == len(w)]
    close = difflib.get_close_matches(w, same, n=3, cutoff=0.6)
    return Msg("suggest.did_you_mean", options=OneOf(close)) if close else ""


def match_name(query: str, names: Iterable[str], what: str = "assignee",
               aliases: dict[str, str] | None = None, where: str | None = None) -> str:
    """The one name ``query`` designates: equal when folded, else the only one it prefixes.

    ``aliases`` maps other spellings to their name; a name and its alias count as one.
    ``what`` names the refusals: catalogue keys ``<what>.ambiguous`` and ``<what>.not_found``
    (both with ``query``; the second with ``suggest``)."""
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
        raise KhError(_AMBIGUOUS[what], where=where, query=query, shown=shown)
    raise NotFound(_NOT_FOUND[what], where=where, query=query, suggest=did_you_mean(query, list(canon)))


# The refusals of match_name, by what is matched (add a pair to match something new).
_AMBIGUOUS = {"assignee": "assignee.ambiguous"}
_NOT_FOUND = {"assignee": "assignee.not_found"}
