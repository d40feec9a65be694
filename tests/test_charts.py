"""The server-rendered SVG charts (common/charts.py) the PDFs draw and the dashboards will."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation

from common.charts import Series, bar_chart, figures_table

SVG = "{http://www.w3.org/2000/svg}"


def test_a_chart_is_valid_svg_named_for_screen_readers_with_every_figure() -> None:
    with translation.override("id"):
        markup = bar_chart(
            title="Indeks per dimensi",
            categories=["Smart Governance", "Smart Society"],
            series=[Series("Indeks", [Decimal("3.385"), None])],
            maximum=5,
            places=2,
        )
    svg = ElementTree.fromstring(str(markup))  # noqa: S314 - our own markup
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text == "Indeks per dimensi"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert svg.find(f"{SVG}desc").text == "Smart Governance: Indeks 3,39; Smart Society: Indeks –"  # half up
    bars = svg.findall(f"{SVG}g/{SVG}rect")
    assert [float(bar.get("width")) for bar in bars][1] == 0.0  # no figure, no bar
    assert float(bars[0].get("width")) > 0


def test_hostile_labels_stay_text() -> None:
    markup = str(
        bar_chart(title="<script>alert(1)</script>", categories=['"><svg onload=x>'], series=[Series("a&b", [1])])
    )
    assert "<script>" not in markup and "onload=x>" not in markup
    ElementTree.fromstring(markup)  # noqa: S314 - our own markup, still well-formed
    table = str(figures_table(caption="<b>x</b>", categories=["<i>y</i>"], series=[Series("s", [2])]))
    assert "<b>" not in table and "&lt;i&gt;y&lt;/i&gt;" in table
