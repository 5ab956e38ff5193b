"""Plan files: TOML ⇄ ``kh.model.Plan``, with every check made before anything is stored.

The format is documented in docs/plan-format.md. Three parts:

    reading.py   TOML → Plan: the checks, derived from the declarations in kh/model.py, and
                 a table of what each kind of target takes
    locating.py  the line of an item (``indicators[3].comparator``) in the TOML source
    writing.py   Plan → TOML, so that export → import → export is stable

Errors name the file, the line, the item and what is wrong. Unknown keys are errors. Reading
uses ``tomllib`` (no code in a plan file can run); writing uses ``tomli_w``.
"""

from __future__ import annotations

from kh.planfile.reading import FORMAT, load, loads
from kh.planfile.writing import dumps, to_dict

__all__ = ["FORMAT", "dumps", "load", "loads", "to_dict"]
