"""Charts drawn on the server as SVG: the same code draws them in web pages and in the PDFs WeasyPrint renders.

No JavaScript and no remote asset: a chart is markup with a <title> and <desc> (read by screen readers, shown
as a tooltip), every bar carries its own <title> with the figure, and the page puts the same figures in a
table beside it. Colours are presentation attributes, not inline styles, so the pages' CSP allows them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe (Okabe–Ito) and at least 3:1 against white, as non-text contrast asks.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | int | float | None]


def _figure(value: Decimal | int | float | None, places: int) -> str:
    if value is None:
        return "–"
    # Half up, as indices are published (number_format alone would round 3.385 to even: 3.38).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


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
    parts: list[str] = []
    for n, one in enumerate(series):
        if len(series) > 1:
            x = label_width + n * (width - label_width) // len(series)
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="14" font-size="11" fill="#212529">{}</text>',
                    x,
                    PALETTE[n % len(PALETTE)],
                    x + 16,
                    one.label,
                )
            )
    for row, category in enumerate(categories):
        y0 = legend_height + row * group_height
        parts.append(
            format_html(
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
            figure = _figure(value, places) + (unit if value is not None else "")
            parts.append(
                format_html(
                    '<g><title>{}: {} {}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="10" fill="#212529">{}</text></g>',
                    category,
                    one.label,
                    figure,
                    label_width,
                    y + 1,
                    f"{length:.1f}",
                    bar_height - 2,
                    PALETTE[n % len(PALETTE)],
                    f"{label_width + length + 4:.1f}",
                    y + bar_height - 3,
                    figure,
                )
            )
    description = "; ".join(
        f"{category}: " + ", ".join(f"{s.label} {_figure(s.values[i], places)}{unit}" for s in series)
        for i, category in enumerate(categories)
    )
    return format_html(
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
    header = format_html_join("", "<th scope='col'>{}</th>", ((s.label,) for s in series))
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th>{}</tr>",
        (
            (
                category,
                format_html_join("", "<td class='num'>{}</td>", ((_figure(s.values[i], places),) for s in series)),
            )
            for i, category in enumerate(categories)
        ),
    )
    return format_html(
        "<table class='table table-sm chart-table'><caption>{}</caption><thead><tr><th></th>{}</tr></thead>"
        "<tbody>{}</tbody></table>",
        caption,
        header,
        rows,
    )
