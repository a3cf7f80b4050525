"""Matplotlib plots of what the core computed. Importing this package imports matplotlib
(the ``course`` extra: ``pip install 'rolecourse[course]'``).

Every plot uses :data:`PALETTE` (Okabe–Ito, safe for colour-blind readers), has a title and
axis labels, and draws the same picture for the same data. Plots are built without pyplot:
:func:`new_figure` returns a :class:`CourseFigure` (a plain matplotlib ``Figure`` on the Agg
canvas) that shows itself in Jupyter as a PNG, so notebooks need neither ``%matplotlib
inline`` nor ``plt.show()``, and no figure is kept in any global registry.
"""

from __future__ import annotations

import io
import textwrap

from ..._extras import require

require("matplotlib", "rolecourse.ui.plots")  # one line naming the install command when it is missing

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe–Ito colours, in the order plots use them."""

HATCHES = ("", "//", "..", "\\\\", "xx", "--", "oo", "++")
"""Hatch patterns, in the order plots use them, so categories never differ by colour alone."""

SEQUENTIAL_CMAP = "cividis"
"""The colour map for heatmaps: perceptually uniform and colour-blind safe."""

__all__ = ["HATCHES", "PALETTE", "SEQUENTIAL_CMAP", "CourseFigure", "new_figure", "png_bytes", "short_label", "use_style"]


def use_style() -> None:
    """Apply rolecourse's deterministic plotting defaults (no random ids in SVG, fixed fonts)."""
    import matplotlib

    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "rolecourse",
            "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
            "figure.dpi": 100,
            "axes.titleweight": "bold",
        }
    )


def png_bytes(fig: Figure) -> bytes:
    """``fig`` drawn once on the Agg canvas and encoded as PNG (no pyplot, no tight-bbox second pass)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    buf = io.BytesIO()
    canvas.print_png(buf)
    return buf.getvalue()


class CourseFigure(Figure):
    """A matplotlib ``Figure`` that Jupyter displays as a PNG without pyplot.

    Its ``text/plain`` form is matplotlib's usual ``<Figure size WxH with N Axes>``, which
    depends only on the figure's size and axes, so notebooks compare it safely.
    """

    def _repr_png_(self) -> bytes:
        return png_bytes(self)

    def __repr__(self) -> str:
        w, h = self.bbox.size
        return f"<Figure size {w:g}x{h:g} with {len(self.axes)} Axes>"


def new_figure(width: float, height: float) -> CourseFigure:
    """A ``width`` × ``height`` inch figure with constrained layout, on the Agg canvas, after :func:`use_style`."""
    use_style()
    fig = CourseFigure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def short_label(text: str, width: int = 28, lines: int = 2) -> str:
    """``text`` wrapped to ``width`` characters on at most ``lines`` lines, ending in "…" if cut."""
    return textwrap.fill(text, width=width, max_lines=lines, placeholder="…")
