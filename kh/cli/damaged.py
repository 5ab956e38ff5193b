"""One plan's damaged rows must not take every report down with them.

A plan file is checked on import (kh.planfile), but a row changed behind kh's back (a hand edit,
a bad restore, an older kh) can still hold a year 0 or an infinite target. A report over every
plan names such a plan in one line on stderr and goes on with the others; a command about that
plan alone refuses it, saying what to do."""

import os
from typing import Callable, TypeVar

import typer

from kh.errors import KhError

T = TypeVar("T")
# What the core raises on values no checked plan file can hold (dates out of range, inf, nan,
# a missing key in a stored rule). kh's own refusals (KhError) are not among them.
DAMAGE = (ValueError, OverflowError, ArithmeticError, TypeError, KeyError, IndexError)


def _why(e: BaseException) -> str:
    first = (str(e).strip().splitlines() or [""])[0]
    return f"{type(e).__name__}: {first}"


def refuse(plan_id: str, e: BaseException) -> KhError:
    return KhError("plan.damaged", where=f"plan {plan_id}", why=_why(e))


def warn(plan_id: str, e: BaseException) -> None:
    from kh import i18n

    typer.echo(f"kh: plan {plan_id}: {i18n.t('plan.damaged_skipped', why=_why(e))}", err=True)


def each(plan_id: str, work: Callable[[], T], alone: bool = False) -> T | None:
    """``work()``; if the plan's stored rows are damaged: refuse (``alone``) or warn and None."""
    if os.environ.get("KH_DEBUG"):  # the traceback, for whoever reports it
        return work()
    try:
        return work()
    except KhError:
        raise
    except DAMAGE as e:
        if alone:
            raise refuse(plan_id, e) from None
        warn(plan_id, e)
        return None
