"""Progress charts for the papers (matplotlib, imported inside): one per target, readable when
printed in black and white — the figures as hatched grey bars, the target as a dashed black line
with square markers, the values written on the bars.

Drawn for speed (a yearly report draws two dozen, once most of its time): a bare ``Figure`` on the
Agg canvas, never pyplot; margins from the measured width of the axis labels instead of
``tight_layout`` (a second layout pass); glyphs without hinting (at 150 dpi it changes nothing a
reader sees, and halves the text's cost); and the PNG saved as 8-bit grey, since every pixel is
grey (a quarter of the bytes to compress)."""

from __future__ import annotations

import io
import os
import sys

DPI = 150
SIZE_IN = (6.3, 2.4)  # about 16 × 6 cm
_RC = {"font.family": "serif",
       "font.serif": ["Times New Roman", "Tinos", "Noto Serif", "Liberation Serif", "DejaVu Serif"],
       "font.size": 9,
       "text.hinting": "no_hinting"}
_PAD_PT = 1.08 * 9  # the white border tight_layout left around everything (its pad, in font sizes)


def _modules():
    """What drawing needs, imported once (before forking, so the workers share it)."""
    import numpy  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: F401
    from PIL import Image  # noqa: F401


def progress_pngs(charts: list[tuple[list, str, bool]], workers: int | None = None) -> list[bytes]:
    """``progress_png`` for many (points, title, percent), in order. On Linux they are drawn by
    forked processes, one per core (each chart alone, so the bytes are those of drawing them one
    after another)."""
    workers = min(len(charts), workers or os.cpu_count() or 1)
    if workers < 2 or not sys.platform.startswith("linux"):
        return [progress_png(p, title=t, percent=pc) for p, t, pc in charts]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import gc

    _modules()
    # The workers share the parent's memory until they write to it; a collection in a worker
    # would touch every object (and copy every page) of the parent's heap: freeze it first.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_drawn, charts))
    finally:
        gc.unfreeze()


def _drawn(chart: tuple[list, str, bool]) -> bytes:
    points, title, percent = chart
    return progress_png(points, title=title, percent=percent)


def progress_png(points: list[tuple[str, float | None, float | None]], *, title: str, percent: bool,
                 dpi: int = DPI) -> bytes:
    """``points``: (label, actual, target) in order. A PNG of about 16 × 6 cm."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=SIZE_IN, dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        labels = [p[0] for p in points]
        actual = [p[1] for p in points]
        target = [p[2] for p in points]
        xs = range(len(points))
        bars = ax.bar(xs, [a if a is not None else 0 for a in actual], width=0.55, color="0.82",
                      edgecolor="black", hatch="//", linewidth=0.8, label="Thực hiện")
        for x, a, b in zip(xs, actual, bars):
            text = "—" if a is None else _short(a, percent)
            # On white, over the target's line: a value at the target's height stays readable.
            ax.annotate(text, (x, b.get_height()), ha="center", va="bottom", fontsize=8,
                        xytext=(0, 2), textcoords="offset points", zorder=5,
                        bbox=dict(facecolor="white", edgecolor="none", pad=0.6))
        if any(t is not None for t in target):
            ax.plot([x for x, t in zip(xs, target) if t is not None], [t for t in target if t is not None],
                    color="black", linestyle="--", marker="s", markersize=4, linewidth=1.1, label="Chỉ tiêu")
        ax.set_xticks(list(xs), labels)
        top = max([v for v in actual + target if v is not None] or [1])
        # Headroom for the legend in the top left corner: the highest bar, its value and the
        # target's marks stay below it (tests/papers/test_report.py measures them).
        ymax = top * 1.35 if top > 0 else 1
        ax.set_ylim(0, ymax)
        # Vietnamese numbers on the axis (7,5; 1.000), whole ticks for whole figures.
        whole = all(v is None or float(v).is_integer() for v in actual + target)
        locator = MaxNLocator(nbins=5, integer=whole)
        ax.yaxis.set_major_locator(locator)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _short(v, percent, 2)))
        ax.set_title(title, fontsize=9, loc="left", y=1.0)  # placed, not searched for (nothing above it)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
        _margins(fig, canvas, [_short(v, percent, 2) for v in locator.tick_values(0, ymax) if 0 <= v <= ymax])
        canvas.draw()
        return _png(canvas, dpi)


def _margins(fig, canvas, ytick_labels: list[str]) -> None:
    """What tight_layout finds, without its extra layout pass: room for the widest y label (measured
    with the renderer that draws it, whose cache the drawing then reuses), the x labels below, the
    title above."""
    from matplotlib.font_manager import FontProperties

    renderer = canvas.get_renderer()
    px = fig.dpi / 72
    w, h = fig.bbox.width, fig.bbox.height
    prop = FontProperties(size=9)
    widest = max((renderer.get_text_width_height_descent(s, prop, ismath=False)[0] for s in ytick_labels), default=0)
    _, line, _ = renderer.get_text_width_height_descent("lp", prop, ismath=False)  # a line, as Text lays one out
    tick = (3.5 + 3.5) * px  # tick length and its pad
    left = widest + tick + _PAD_PT * px
    bottom = line + tick + _PAD_PT * px
    top = line + 6 * px + _PAD_PT * px  # the title, its pad (axes.titlepad)
    right = _PAD_PT * px
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h, top=1 - top / h)


def _png(canvas, dpi: int) -> bytes:
    """The canvas as PNG: 8-bit grey when every pixel is an opaque grey (the charts' own colours
    are), else RGBA."""
    import numpy as np
    from PIL import Image

    rgba = np.asarray(canvas.buffer_rgba())
    r = rgba[..., 0]
    grey = (r == rgba[..., 1]).all() and (r == rgba[..., 2]).all() and (rgba[..., 3] == 255).all()
    im = Image.fromarray(np.ascontiguousarray(r) if grey else rgba)
    buf = io.BytesIO()
    im.save(buf, format="png", dpi=(dpi, dpi))
    return buf.getvalue()


def _short(v: float, percent: bool, places: int = 1) -> str:
    """A figure as Vietnamese writes it: 1.234,5 (and " %" for a percentage)."""
    text = f"{v:,.{places}f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + (" %" if percent else "")
