"""The line of an item in a plan file's TOML, for refusals that name file:line.

``tomllib`` gives values without positions, so the line is found again in the text: the
``[[table]]`` header counted to the index, then the key under it. Best effort: the header's line
when the key is not written out (a missing key).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z_.\s\"]+?)\s*\]\]?\s*(?:#.*)?$")


def line_of(text: str, path: str) -> int | None:
    """The line of ``path`` (``indicators[3].comparator``, ``plan.id``, ``format``) in ``text``."""
    m = re.match(r"([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?(?:\.([a-z_]+))?", path)
    if not m:
        return None
    table, index, key, sub = m.group(1), m.group(2), m.group(3), m.group(4)
    lines = text.splitlines()
    if table == "file" or (index is None and table != "plan"):
        key, table = (table if table != "file" else key), None
    start, count = None, -1
    if table is None:
        start = 0
    else:
        for i, line in enumerate(lines):
            h = _HEADER.match(line)
            if h and h.group(1).replace(" ", "") == table:
                count += 1
                if index is None or count == int(index):
                    start = i
                    break
        if start is None:
            return None
    if key is None:
        return start + 1
    for j in range(start + (0 if table is None else 1), len(lines)):
        line = lines[j]
        if j > start and _HEADER.match(line) and not _HEADER.match(line).group(1).replace(" ", "").startswith(f"{table}."):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return j + 1
        if sub is None and re.match(rf"^\s*\[\s*{re.escape(table or '')}\.{re.escape(key)}\s*\]", line):
            return j + 1
    return start + 1


def line_from_message(msg: str) -> int | None:
    """The line tomllib names in its message ("… (at line 3, column 7)")."""
    m = re.search(r"at line (\d+)", msg)
    return int(m.group(1)) if m else None
