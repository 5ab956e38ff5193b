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


Chart = tuple[list, str, bool]  # (points, title, percent), as progress_png takes them


class Drawer:
    """Draws a report's charts on a process forked as the command starts (Linux), so that
    importing matplotlib (≈ 0.3 s of processor time, a fifth of the report) runs on the other core
    while the report reads the store and builds its paper. ``send`` hands it the charts once they
    are known, ``result`` waits for the PNGs; ``close`` (always call it) ends the process if it was
    never used. Elsewhere, or if the process is gone, the charts are drawn here, one by one."""

    def __init__(self, workers: int | None = None):
        self._proc = self._conn = None
        self._charts: list[Chart] = []
        self._received = False
        if not sys.platform.startswith("linux"):
            return
        import gc
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self._conn, theirs = ctx.Pipe()
        # The child shares the parent's memory until it writes to it; a collection in it would
        # touch every object (and copy every page) of the parent's heap: frozen, it does not.
        gc.freeze()
        try:
            # A daemon: should nothing close it, the command's exit ends it instead of waiting.
            self._proc = ctx.Process(target=_serve, args=(theirs, workers), daemon=True)
            self._proc.start()
        finally:
            gc.unfreeze()
        theirs.close()

    def send(self, charts: list[Chart]) -> None:
        self._charts = list(charts)
        if self._proc is not None and self._charts:
            try:
                self._conn.send(self._charts)
            except OSError:
                self.close()

    def result(self) -> list[bytes]:
        pngs = None
        if self._proc is not None and self._charts:
            try:
                pngs = self._conn.recv()
                self._received = True
            except (EOFError, OSError):
                pass  # the process failed: drawn here, where an error shows as any other
        self.close()
        if pngs is None:
            pngs = [_drawn(c) for c in self._charts]
        return pngs

    def close(self) -> None:
        if self._proc is None:
            return
        if not self._received and self._proc.is_alive():
            # Never used (no chart to draw, or the command failed): not waited for.
            self._proc.kill()
        self._proc.join()
        self._conn.close()
        self._proc = self._conn = None


def _serve(conn, workers: int | None) -> None:
    """The drawing process: import, wait for the charts, draw them (on one process per core)."""
    try:
        _modules()
        charts = conn.recv()
        conn.send(_drawn_forked(charts, workers))
    except BaseException:  # noqa: BLE001  the parent draws them itself (and shows any error)
        pass
    finally:
        conn.close()


def _drawn_forked(charts: list[Chart], workers: int | None) -> list[bytes]:
    """The charts drawn here and on ``workers - 1`` forked helpers, each taking every n-th chart."""
    import gc
    import multiprocessing

    n = min(len(charts), workers or os.cpu_count() or 1)
    if n < 2:
        return [_drawn(c) for c in charts]
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # as above: the helpers share matplotlib's modules without copying them
    helpers = []
    for k in range(1, n):
        mine, theirs = ctx.Pipe(duplex=False)
        pid = os.fork()  # (multiprocessing lets a daemon have no children of its own)
        if pid == 0:
            try:
                theirs.send([_drawn(c) for c in charts[k::n]])
            finally:  # an error: the drawing process sees the pipe closed
                os._exit(0)
        theirs.close()
        helpers.append((pid, mine))
    out: list = [None] * len(charts)
    out[0::n] = [_drawn(c) for c in charts[0::n]]
    for k, (pid, conn) in enumerate(helpers, start=1):
        out[k::n] = conn.recv()  # EOFError if a helper failed: then the parent draws them all
        os.waitpid(pid, 0)
    return out


def progress_pngs(charts: list[Chart], workers: int | None = None) -> list[bytes]:
    """``progress_png`` for many (points, title, percent), in order. On Linux they are drawn by
    forked processes, one per core; the bytes are those of drawing each alone."""
    if min(len(charts), workers or os.cpu_count() or 1) < 2:
        return [_drawn(c) for c in charts]
    drawer = Drawer(workers)
    drawer.send(charts)
    return drawer.result()


def _drawn(chart: Chart) -> bytes:
    points, title, percent = chart
    return progress_png(points, title=title, percent=percent, reuse=True)


def progress_png(points: list[tuple[str, float | None, float | None]], *, title: str, percent: bool,
                 dpi: int = DPI, reuse: bool = False) -> bytes:
    """``points``: (label, actual, target) in order. A PNG of about 16 × 6 cm. With ``reuse``,
    drawn on the figure the last chart of this process was drawn on (the same bytes as a new one:
    tests/papers/test_report.py compares them), which saves a quarter of the time: a new Axes
    builds its axes, spines and ticks, each tick five artists."""
    import matplotlib
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with matplotlib.rc_context(_RC):
        fig, canvas, ax = _sheet(dpi, reuse)
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
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
        _margins(fig, canvas, [_short(v, percent, 2) for v in locator.tick_values(0, ymax) if 0 <= v <= ymax])
        canvas.draw()
        return _png(canvas, dpi)


_SHEETS: dict[int, tuple] = {}  # dpi → the (figure, canvas, axes) progress_png(reuse=True) draws on


def _sheet(dpi: int, reuse: bool) -> tuple:
    """A figure, its canvas and its axes, as a new chart starts on them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if reuse and dpi in _SHEETS:
        fig, canvas, ax = _SHEETS[dpi]
        # What the last chart added, taken away; what it set (ticks, limits, title, margins) the
        # next one sets again.
        for c in list(ax.containers):
            c.remove()
        for a in [*ax.texts, *ax.lines, *ax.patches]:
            a.remove()  # (the legend is replaced by the next one's)
        ax.relim()  # the data limits of nothing, as a new Axes starts (x is autoscaled from them)
        return fig, canvas, ax
    fig = Figure(figsize=SIZE_IN, dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    if reuse:
        _SHEETS[dpi] = (fig, canvas, ax)
    return fig, canvas, ax


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
