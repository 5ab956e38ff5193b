"""Progress charts for the papers (matplotlib, imported inside): one per target, readable when
printed in black and white — the figures as hatched grey bars, the target as a dashed black line
with square markers, the values written on the bars."""

from __future__ import annotations

import io
import os
import sys


def progress_pngs(charts: list[tuple[list, str, bool]], workers: int | None = None) -> list[bytes]:
    """``progress_png`` for many (points, title, percent), in order. A yearly report draws two
    dozen charts, most of its time: on Linux they are drawn by forked processes, one per core
    (each chart alone, so the bytes are those of drawing them one after another)."""
    workers = min(len(charts), workers or os.cpu_count() or 1)
    if workers < 2 or not sys.platform.startswith("linux"):
        return [progress_png(p, title=t, percent=pc) for p, t, pc in charts]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot  # noqa: F401 - imported once here, shared by the forked workers

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_drawn, charts))


def _drawn(chart: tuple[list, str, bool]) -> bytes:
    points, title, percent = chart
    return progress_png(points, title=title, percent=percent)


def progress_png(points: list[tuple[str, float | None, float | None]], *, title: str, percent: bool,
                 dpi: int = 150) -> bytes:
    """``points``: (label, actual, target) in order. A PNG of about 16 × 6 cm."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    from matplotlib import pyplot as plt

    plt.rcParams.update({"font.family": "serif",
                         "font.serif": ["Times New Roman", "Tinos", "Noto Serif", "Liberation Serif", "DejaVu Serif"],
                         "font.size": 9})
    labels = [p[0] for p in points]
    actual = [p[1] for p in points]
    target = [p[2] for p in points]
    fig, ax = plt.subplots(figsize=(6.3, 2.4), dpi=dpi)
    try:
        xs = range(len(points))
        bars = ax.bar(xs, [a if a is not None else 0 for a in actual], width=0.55, color="0.82",
                      edgecolor="black", hatch="//", linewidth=0.8, label="Thực hiện")
        for x, a, b in zip(xs, actual, bars):
            text = "—" if a is None else _short(a, percent)
            ax.annotate(text, (x, b.get_height()), ha="center", va="bottom", fontsize=8,
                        xytext=(0, 2), textcoords="offset points")
        if any(t is not None for t in target):
            ax.plot([x for x, t in zip(xs, target) if t is not None], [t for t in target if t is not None],
                    color="black", linestyle="--", marker="s", markersize=4, linewidth=1.1, label="Chỉ tiêu")
        ax.set_xticks(list(xs), labels)
        top = max([v for v in actual + target if v is not None] or [1])
        ax.set_ylim(0, top * 1.22 if top > 0 else 1)
        # Vietnamese numbers on the axis (7,5; 1.000), whole ticks for whole figures.
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        whole = all(v is None or float(v).is_integer() for v in actual + target)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=whole))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _short(v, percent, 2)))
        ax.set_title(title, fontsize=9, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()
    finally:
        plt.close(fig)


def _short(v: float, percent: bool, places: int = 1) -> str:
    """A figure as Vietnamese writes it: 1.234,5 (and " %" for a percentage)."""
    text = f"{v:,.{places}f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + (" %" if percent else "")
