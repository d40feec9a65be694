"""Charts drawn on the server as SVG: the same code draws them in web pages and in the PDFs WeasyPrint renders.

No JavaScript and no remote asset: a chart is markup with a <title> and <desc> (read by screen readers, shown
as a tooltip), every bar carries its own <title> with the figure, and the page puts the same figures in a
table beside it. Colours are presentation attributes, not inline styles, so the pages' CSP allows them.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString, mark_safe

from common.numbers import local_number

# What html.escape() replaces.
_HTML_SPECIAL = re.compile(r"[&<>\"']")

# Colour-blind-safe (Okabe–Ito) and at least 3:1 against white, as non-text contrast asks.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | int | float | None]
    # A colour that carries meaning (overdue in red, approved in green); None: the palette's next colour.
    colour: str | None = None

    def colour_at(self, n: int) -> str:
        return self.colour or PALETTE[n % len(PALETTE)]


def _escaped(value: object) -> str:
    """django.utils.html.conditional_escape, without the lazy-string wrapper it pays on every call."""
    if type(value) is str:  # mostly coordinates and figures, with nothing to escape
        return html.escape(value) if _HTML_SPECIAL.search(value) else value
    if type(value) is int:
        return str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _html(format_string: str, *args: object, **kwargs: object) -> SafeString:
    """django.utils.html.format_html, with the same output: a chart formats a few hundred figures and labels,
    and format_html's escaping was most of the dashboard's chart time."""
    escaped = {k: _escaped(v) for k, v in kwargs.items()}
    return mark_safe(format_string.format(*map(_escaped, args), **escaped))  # noqa: S308 - every value is escaped


def _html_join(sep: str, format_string: str, args_generator: Iterable[Sequence[object]]) -> SafeString:
    """django.utils.html.format_html_join, with the same output (see _html)."""
    return mark_safe(_escaped(sep).join(_html(format_string, *args) for args in args_generator))  # noqa: S308


def _figure(value: Decimal | int | float | None, places: int) -> str:
    if value is None:
        return "–"
    # Half up, as indices are published (number_format alone would round 3.385 to even: 3.38).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return local_number(rounded, places)  # number_format's output (common.numbers)


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    maximum: Decimal | int | float | None = None,
    unit: str = "",
    places: int = 0,
    width: int = 640,
) -> SafeString:
    """Horizontal grouped bars: one group per category, one bar per series, the figure at the bar's end."""
    chart_id = f"chart-{next(_ids)}"
    values = [float(v) for s in series for v in s.values if v is not None]
    top = float(maximum) if maximum is not None else max(values, default=0.0)
    top = top or 1.0
    label_width, figure_width, bar_height, gap = 150, 60, 14, 10
    group_height = bar_height * len(series) + gap
    legend_height = 22 if len(series) > 1 else 0
    height = legend_height + group_height * len(categories) + 8
    plot_width = width - label_width - figure_width
    figures = [[_figure(value, places) for value in one.values] for one in series]  # each written twice below
    parts: list[str] = []
    for n, one in enumerate(series):
        if len(series) > 1:
            x = label_width + n * (width - label_width) // len(series)
            parts.append(
                _html(
                    '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="14" font-size="11" fill="#212529">{}</text>',
                    x,
                    one.colour_at(n),
                    x + 16,
                    one.label,
                )
            )
    for row, category in enumerate(categories):
        y0 = legend_height + row * group_height
        parts.append(
            _html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#212529">{}</text>',
                label_width - 6,
                y0 + (bar_height * len(series)) / 2 + 4,
                category[:24],
            )
        )
        for n, one in enumerate(series):
            value = one.values[row]
            length = 0.0 if value is None else max(0.0, min(float(value), top)) / top * plot_width
            y = y0 + n * bar_height
            figure = figures[n][row] + (unit if value is not None else "")
            parts.append(
                _html(
                    '<g><title>{}: {} {}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="10" fill="#212529">{}</text></g>',
                    category,
                    one.label,
                    figure,
                    label_width,
                    y + 1,
                    f"{length:.1f}",
                    bar_height - 2,
                    one.colour_at(n),
                    f"{label_width + length + 4:.1f}",
                    y + bar_height - 3,
                    figure,
                )
            )
    description = "; ".join(
        f"{category}: " + ", ".join(f"{s.label} {figures[n][i]}{unit}" for n, s in enumerate(series))
        for i, category in enumerate(categories)
    )
    return _html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{title}</title>'
        '<desc id="{id}-d">{desc}</desc>'
        '<line x1="{lx}" y1="{top}" x2="{lx}" y2="{h}" stroke="#6c757d" stroke-width="1"/>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        lx=label_width,
        top=legend_height,
        body=mark_safe("".join(parts)),  # noqa: S308 - every part above was built with format_html
    )


def figures_table(*, caption: str, categories: Sequence[str], series: Sequence[Series], places: int = 0) -> SafeString:
    """The chart's numbers as a table, for readers who cannot see the chart (and for print)."""
    header = _html_join("", "<th scope='col'>{}</th>", ((s.label,) for s in series))
    rows = _html_join(
        "",
        "<tr><th scope='row'>{}</th>{}</tr>",
        (
            (
                category,
                _html_join("", "<td class='num'>{}</td>", ((_figure(s.values[i], places),) for s in series)),
            )
            for i, category in enumerate(categories)
        ),
    )
    return _html(
        "<table class='table table-sm chart-table'><caption>{}</caption><thead><tr><th></th>{}</tr></thead>"
        "<tbody>{}</tbody></table>",
        caption,
        header,
        rows,
    )


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    maximum: Decimal | int | float | None = None,
    minimum: Decimal | int | float = 0,
    unit: str = "",
    places: int = 2,
    width: int = 640,
) -> SafeString:
    """Lines over categories (years on the x axis), one per series, each point with its figure as a <title>.

    A missing figure breaks the line there rather than pretending a value; a lone point still shows as a dot.
    """
    chart_id = f"chart-{next(_ids)}"
    values = [float(v) for s in series for v in s.values if v is not None]
    low = float(minimum)
    top = float(maximum) if maximum is not None else max(values, default=low + 1.0)
    if top <= low:
        top = low + 1.0
    left, right, top_pad, bottom_pad = 48, 16, 12, 28
    legend_row = 18
    legend_rows = (len(series) + 2) // 3 if series else 0
    plot_height = 180
    height = top_pad + plot_height + bottom_pad + legend_rows * legend_row + 4
    plot_width = width - left - right
    # The first and last points sit inside the plot, so their centred labels ("2023 Tahap II") are not cut off.
    inset = 48
    step = (plot_width - 2 * inset) / max(len(categories) - 1, 1)

    def x_of(i: int) -> float:
        return left + (inset + i * step if len(categories) > 1 else plot_width / 2)

    def y_of(value: float) -> float:
        clipped = max(low, min(value, top))
        return top_pad + plot_height - (clipped - low) / (top - low) * plot_height

    parts: list[str] = []
    # Horizontal grid lines with their figures: five steps from the minimum to the maximum.
    for n in range(5):
        level = low + (top - low) * n / 4
        y = y_of(level)
        parts.append(
            _html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="10" text-anchor="end" fill="#212529">{}</text>',
                left,
                f"{y:.1f}",
                width - right,
                f"{y:.1f}",
                left - 4,
                f"{y + 3:.1f}",
                _figure(level, places if top - low < 10 else 0),
            )
        )
    for i, category in enumerate(categories):
        parts.append(
            _html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#212529">{}</text>',
                f"{x_of(i):.1f}",
                top_pad + plot_height + 16,
                category[:16],
            )
        )
    markers = ("circle", "rect", "diamond")
    for n, one in enumerate(series):
        colour = one.colour_at(n)
        # Consecutive points with a figure form one polyline; a gap starts a new one.
        runs: list[list[str]] = [[]]
        for i, value in enumerate(one.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x_of(i):.1f},{y_of(float(value)):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(
                    _html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', " ".join(run), colour)
                )
        for i, value in enumerate(one.values):
            if value is None:
                continue
            x, y = x_of(i), y_of(float(value))
            parts.append(
                _html(
                    "<g><title>{}, {}: {}{}</title>{}</g>",
                    one.label,
                    categories[i],
                    _figure(value, places),
                    unit,
                    _marker(markers[n % len(markers)], x, y, colour),
                )
            )
    legend_top = top_pad + plot_height + bottom_pad
    for n, one in enumerate(series):
        x = left + (n % 3) * (plot_width // 3)
        y = legend_top + (n // 3) * legend_row
        parts.append(
            _html(
                '<g>{}<text x="{}" y="{}" font-size="11" fill="#212529">{}</text></g>',
                _marker(markers[n % len(markers)], x + 6, y + 6, one.colour_at(n)),
                x + 16,
                y + 10,
                one.label[:40],
            )
        )
    description = "; ".join(
        f"{s.label}: "
        + ", ".join(f"{category} {_figure(s.values[i], places)}{unit}" for i, category in enumerate(categories))
        for s in series
    )
    return _html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{title}</title>'
        '<desc id="{id}-d">{desc}</desc>'
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#6c757d" stroke-width="1"/>'
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#6c757d" stroke-width="1"/>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        l=left,
        t=top_pad,
        b=top_pad + plot_height,
        r=width - right,
        body=mark_safe("".join(parts)),  # noqa: S308 - every part above was built with format_html
    )


def _marker(shape: str, x: float, y: float, colour: str) -> SafeString:
    # Series differ by shape as well as colour, so the chart reads in black and white.
    if shape == "rect":
        return _html('<rect x="{}" y="{}" width="8" height="8" fill="{}"/>', f"{x - 4:.1f}", f"{y - 4:.1f}", colour)
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return _html('<polygon points="{}" fill="{}"/>', points, colour)
    return _html('<circle cx="{}" cy="{}" r="4" fill="{}"/>', f"{x:.1f}", f"{y:.1f}", colour)


def heat_level(value: Decimal | int | float | None, maximum: Decimal | int | float = 5) -> int | None:
    """The shade (0–5) of a heat table cell: the value's share of the maximum in six equal steps."""
    if value is None or not maximum:
        return None
    share = max(0.0, min(float(value) / float(maximum), 1.0))
    return min(int(share * 6), 5)


def heat_table(
    *,
    caption: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Decimal | int | float | None]],
    maximum: Decimal | int | float = 5,
    places: int = 2,
) -> SafeString:
    """A table whose cells are shaded by value (classes heat-0…heat-5), the figure always written in the cell.

    The shade only repeats the number, so the table reads the same in grey print or without colour vision.
    """
    header = _html_join("", "<th scope='col' class='num'>{}</th>", ((c,) for c in columns))
    body = []
    for label, line in zip(rows, values, strict=True):
        cells = []
        for value in line:
            level = heat_level(value, maximum)
            css = "num heat-none" if level is None else f"num heat-{level}"
            cells.append(_html("<td class='{}'>{}</td>", css, _figure(value, places)))
        body.append(_html("<tr><th scope='row'>{}</th>{}</tr>", label, mark_safe("".join(cells))))  # noqa: S308
    return _html(
        "<table class='table table-sm heat-table caption-top'><caption>{}</caption><thead><tr><th></th>{}</tr></thead>"
        "<tbody>{}</tbody></table>",
        caption,
        header,
        mark_safe("".join(body)),  # noqa: S308 - every row above was built with format_html
    )
