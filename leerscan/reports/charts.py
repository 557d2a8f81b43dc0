"""Server-side charts of a scan's results, rendered as SVG with matplotlib's object API.

Pure rendering: results in, SVG text out. Storing them is reports.services' job.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
import threading
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import matplotlib as mpl
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter

from benchmarks.vocabulary import (
    DIFFERENCE_THRESHOLDS,
    NOORD_NEDERLAND,
    SCALE_1_6,
    SCALE_MAX,
    SCALE_MIN,
    TOTAL,
    group_label,
)

OWN_GREEN = "#0b5d3b"
ESTIMATE_BLUE = "#0a5a8f"
REGION_GREY = "#555555"
LOWER_RED = "#a4370f"
COMPARABLE_GREY = "#6c757d"
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#ced4da"
BAND_COLOUR = "#e9ecef"

MINUS = "\u2212"

# One style per series, by position: colour, line style and marker all differ, so the
# series stay apart in greyscale print and for colour-blind readers.
_SERIES_STYLES: tuple[dict[str, Any], ...] = (
    {"color": OWN_GREEN, "linestyle": "-", "marker": "o", "linewidth": 2.2, "fill": 0.12},
    {"color": ESTIMATE_BLUE, "linestyle": "--", "marker": "s", "linewidth": 1.8, "fill": 0.0},
    {"color": REGION_GREY, "linestyle": ":", "marker": "^", "linewidth": 2.0, "fill": 0.0},
    {"color": "#7a4f9a", "linestyle": "-.", "marker": "D", "linewidth": 1.6, "fill": 0.0},
)

# Settings read while a figure is built and saved. They are applied with rc_context under a
# lock: rc_context swaps matplotlib's global rcParams, so two threads rendering at once could
# otherwise restore each other's settings halfway through a render.
_RC: dict[str, Any] = {
    # Written into the SVG as "font-family: 'DejaVu Sans', 'Arial', sans-serif". The layout is
    # measured with DejaVu Sans (shipped with matplotlib); Arial, where a viewer lacks it, is
    # narrower, so the text still fits.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial"],
    "font.size": 9.0,
    "svg.fonttype": "none",
    "svg.hashsalt": "leerscan",
    "axes.unicode_minus": True,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
}
_RENDER_LOCK = threading.Lock()

_SOMEWHAT, _CLEARLY = (float(t) for t in DIFFERENCE_THRESHOLDS[SCALE_1_6])


def radar_svg(
    *, labels: list[str], series: list[tuple[str, list[float | None]]], title: str
) -> str:
    """A radar (spider) chart of the six building blocks on the 1-6 scale; a polygon per series."""
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"Series {name!r} has {len(values)} values for {len(labels)} labels.")
    # str() turns lazy translations into text; _numbers() accepts Decimals and drops NaNs.
    labels = [str(label) for label in labels]
    series = [(str(name), _numbers(values)) for name, values in series]
    with _RENDER_LOCK, mpl.rc_context(_RC):
        figure = Figure(figsize=(6.0, 5.5))
        _draw_radar(figure, labels=labels, series=series)
        return _to_svg(figure, title=str(title))


def difference_bars_svg(
    *,
    labels: list[str],
    differences: list[float | None],
    title: str,
    somewhat: float = _SOMEWHAT,
    clearly: float = _CLEARLY,
) -> str:
    """Horizontal bars of own score minus peer value per item, with the threshold bands shaded."""
    if len(differences) != len(labels):
        raise ValueError(f"{len(differences)} differences for {len(labels)} labels.")
    labels = [str(label) for label in labels]
    differences = _numbers(differences)
    words = _words()
    with _RENDER_LOCK, mpl.rc_context(_RC):
        figure = Figure(figsize=(7.0, 0.45 * len(labels) + 1.0))
        _draw_bars(
            figure,
            labels=labels,
            differences=differences,
            somewhat=float(somewhat),
            clearly=float(clearly),
            words=words,
        )
        return _to_svg(figure, title=str(title))


def svg_data_uri(svg: str) -> str:
    """The SVG as a base64 data: URI, for <img src> in HTML and in WeasyPrint."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _signed_number(value: float, *, decimal: str = ",") -> str:
    """A number with one decimal (a comma in Dutch), signed with + or a real minus sign."""
    # Half away from zero on the decimal text, as people round: 0.25 -> 0,3 (round() gives 0.2).
    rounded = Decimal(str(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return f"0{decimal}0"
    text = f"{abs(rounded):.1f}".replace(".", decimal)
    if rounded < 0:
        return MINUS + text
    return "+" + text


def _draw_radar(
    figure: Figure, *, labels: list[str], series: list[tuple[str, list[float | None]]]
) -> None:
    # Fixed placement (no tight/constrained layout): room around the circle for the labels,
    # and a strip at the bottom for the legend.
    width, height = figure.get_size_inches()
    diameter = 3.3
    ax = figure.add_axes(
        ((width - diameter) / 2 / width, 1.35 / height, diameter / width, diameter / height),
        projection="polar",
    )
    count = len(labels)
    angles = [2 * math.pi * index / count for index in range(count)]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(SCALE_MIN, SCALE_MAX)
    # A small hole in the middle keeps ring 1 visible as a circle rather than a point.
    ax.set_rorigin(SCALE_MIN - 0.6)
    ax.set_facecolor("white")

    ax.set_xticks(angles, labels=[""] * count)
    ax.set_yticks([1, 2, 3, 4, 5, 6], labels=["1", "2", "3", "4", "5", "6"])
    ax.set_rlabel_position(180 / count)
    ax.tick_params(axis="y", labelsize=7.5, labelcolor=COMPARABLE_GREY, pad=-1)
    ax.grid(color=GRID_COLOUR, linewidth=0.8)
    ax.spines["polar"].set_color(GRID_COLOUR)
    ax.spines["inner"].set_color(GRID_COLOUR)

    for angle, label in zip(angles, labels, strict=True):
        _radar_label(ax, angle, label)

    handles = []
    for index, (name, values) in enumerate(series):
        style = _SERIES_STYLES[index % len(_SERIES_STYLES)]
        common = {
            "color": style["color"],
            "marker": style["marker"],
            "markersize": 6,
            "markeredgecolor": "white",
            "markeredgewidth": 0.8,
            "clip_on": False,
            "zorder": 3 + (len(series) - index),
        }
        present = [
            (angle, min(max(value, SCALE_MIN), SCALE_MAX))
            for angle, value in zip(angles, values, strict=True)
            if value is not None
        ]
        if present and len(present) == count:
            thetas = [angle for angle, _ in present] + [present[0][0]]
            radii = [radius for _, radius in present] + [present[0][1]]
            ax.plot(
                thetas,
                radii,
                linestyle=style["linestyle"],
                linewidth=style["linewidth"],
                **common,
            )
            if style["fill"]:
                ax.fill(thetas, radii, color=style["color"], alpha=style["fill"], zorder=2)
        elif present:
            # An incomplete series gets markers only: a polygon would suggest a value that is
            # not there.
            ax.plot(
                [angle for angle, _ in present],
                [radius for _, radius in present],
                linestyle="none",
                **common,
            )
        handles.append(
            Line2D(
                [],
                [],
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=style["linewidth"],
                marker=style["marker"],
                markersize=6,
                markeredgecolor="white",
                markeredgewidth=0.8,
                label=_plain(name),
            )
        )
    if handles:
        figure.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.015),
            ncols=1,
            frameon=False,
            fontsize=9,
            handlelength=3.2,
        )


def _radar_label(ax: Any, angle: float, label: str) -> None:
    # Position in axes coordinates: clockwise from the top, just outside the outer ring.
    x_direction = math.sin(angle)
    y_direction = math.cos(angle)
    # Labels above and below the circle may run wider than those beside it.
    if abs(x_direction) < 0.01:
        horizontal, wrap_width = "center", 26
    else:
        wrap_width = 18
        horizontal = "left" if x_direction > 0 else "right"
    vertical = "center"
    if abs(y_direction) > 0.99:
        vertical = "bottom" if y_direction > 0 else "top"
    distance = 0.54
    ax.text(
        0.5 + distance * x_direction,
        0.5 + distance * y_direction,
        _plain(textwrap.fill(label, width=wrap_width)),
        transform=ax.transAxes,
        ha=horizontal,
        va=vertical,
        multialignment=horizontal if horizontal != "center" else "center",
        fontsize=9.5,
        linespacing=1.15,
        clip_on=False,
    )


def _draw_bars(
    figure: Figure,
    *,
    labels: list[str],
    differences: list[float | None],
    somewhat: float,
    clearly: float,
    words: dict[str, str],
) -> None:
    width, height = figure.get_size_inches()
    # Fixed margins in inches: the wrapped item labels on the left, the axis row at the bottom
    # and the band caption at the top.
    figure.subplots_adjust(
        left=2.9 / width, right=1 - 0.15 / width, bottom=0.62 / height, top=1 - 0.3 / height
    )
    ax = figure.add_subplot()
    count = len(labels)

    present = [abs(value) for value in differences if value is not None]
    largest = max(present, default=0.0)
    # Symmetric around 0, at least ±1, with room for the value labels beyond the longest bar.
    # Ticks every 0.5 up to ±2, beyond that every 1 (so the limit is a whole number).
    limit = max(1.0, math.ceil(largest * 1.3 * 2) / 2)
    step = 0.5 if limit <= 2 else 1.0
    limit = math.ceil(limit / step) * step
    ticks = [step * index for index in range(-round(limit / step), round(limit / step) + 1)]
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _position: _tick_label(value, decimal=words["decimal"]))
    )
    ax.set_ylim(count - 0.5, -0.5)
    ax.set_yticks(range(count), labels=[_plain(textwrap.fill(label, width=40)) for label in labels])
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", labelsize=8, colors=COMPARABLE_GREY)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID_COLOUR)

    ax.axvspan(-somewhat, somewhat, color=BAND_COLOUR, zorder=0, linewidth=0)
    for edge in (-clearly, clearly):
        ax.axvline(edge, color=GRID_COLOUR, linestyle=":", linewidth=1, zorder=1)
    ax.axvline(0, color=TEXT_COLOUR, linewidth=1, zorder=3)
    ax.text(
        0,
        1.0,
        words["comparable"],
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="bottom",
        fontsize=8,
        color=COMPARABLE_GREY,
        parse_math=False,
    )
    ax.text(
        0,
        -0.36 / (height - 0.92),
        words["lower"],
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8,
        color=COMPARABLE_GREY,
        parse_math=False,
    )
    ax.text(
        1,
        -0.36 / (height - 0.92),
        words["higher"],
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8,
        color=COMPARABLE_GREY,
        parse_math=False,
    )

    for row, value in enumerate(differences):
        if value is None:
            ax.annotate(
                words["no_answer"],
                xy=(0, row),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8.5,
                fontstyle="italic",
                color=COMPARABLE_GREY,
                annotation_clip=False,
            )
            continue
        if value <= -somewhat:
            colour = LOWER_RED
        elif value >= somewhat:
            colour = OWN_GREEN
        else:
            colour = COMPARABLE_GREY
        ax.barh(row, value, height=0.55, color=colour, zorder=2)
        text = _signed_number(value, decimal=words["decimal"])
        negative = text.startswith(MINUS)
        ax.annotate(
            text,
            xy=(value, row),
            xytext=(-4 if negative else 4, 0),
            textcoords="offset points",
            ha="right" if negative else "left",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color=colour,
            annotation_clip=False,
        )


def _tick_label(value: float, *, decimal: str) -> str:
    return "0" if abs(value) < 0.05 else _signed_number(value, decimal=decimal)


def _numbers(values: list[float | None]) -> list[float | None]:
    # None is "no answer"; a NaN or infinity (an empty average) is treated the same way.
    numbers = [None if value is None else float(value) for value in values]
    return [value if value is not None and math.isfinite(value) else None for value in numbers]


def _words() -> dict[str, str]:
    """The few words the charts print themselves, in the active language (the caller passes
    labels and series names already translated)."""
    return {
        "no_answer": _("no answer"),
        "comparable": _("comparable"),
        "lower": f"{MINUS} " + _("lower than the comparison"),
        "higher": _("higher than the comparison") + " +",
        "decimal": get_format("DECIMAL_SEPARATOR"),
    }


def _plain(text: str) -> str:
    # A "$" pair would switch matplotlib into mathtext; escaped, it prints as a dollar sign.
    return text.replace("$", r"\$")


def _to_svg(figure: Figure, *, title: str) -> str:
    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    # A fixed Date (none) and the fixed svg.hashsalt make repeated renders byte-identical.
    figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def results_chart_svgs(*, results) -> tuple[str, str]:
    """The radar of the building blocks and the difference bars of every scored row."""
    blocks = results.building_blocks
    radar = radar_svg(
        labels=[row.label for row in blocks],
        series=[
            (_("Your organisation"), [row.score for row in blocks]),
            (blocks[0].comparison.peer.label, [r.comparison.peer.value for r in blocks]),
            (
                group_label(TOTAL, NOORD_NEDERLAND),
                [r.comparison.group(TOTAL).value for r in blocks],
            ),
        ],
        title=_("Building blocks of learning culture"),
    )
    rows = [*blocks, *results.dloq]
    bars = difference_bars_svg(
        labels=[row.label for row in rows],
        differences=[row.comparison.peer.difference for row in rows],
        title=_("Difference from similar organisations"),
    )
    return radar, bars
