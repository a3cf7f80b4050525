"""Matplotlib plots of what the core computed. Importing this package imports matplotlib.

Every plot uses :data:`PALETTE` (Okabe–Ito, safe for colour-blind readers), has a title and
axis labels, and draws the same picture for the same data.
"""

from __future__ import annotations

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe–Ito colours, in the order plots use them."""

SEQUENTIAL_CMAP = "cividis"
"""The colour map for heatmaps: perceptually uniform and colour-blind safe."""


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
