"""The server-rendered SVG charts (common/charts.py) the PDFs draw and the dashboards will."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation

from common.charts import PALETTE, Series, bar_chart, figures_table, line_chart

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


def test_a_line_chart_is_valid_svg_with_a_titled_point_per_figure_and_a_legend() -> None:
    from common.charts import line_chart

    with translation.override("id"):
        markup = line_chart(
            title="Indeks akhir",
            categories=["2021", "2022", "2023"],
            series=[Series("Indeks", [Decimal("3.06"), None, Decimal("3.315")]), Series("Governance", [1, 2, 3])],
            maximum=5,
        )
    svg = ElementTree.fromstring(str(markup))  # noqa: S314 - our own markup
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text == "Indeks akhir"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert (
        svg.find(f"{SVG}desc").text
        == "Indeks: 2021 3,06, 2022 –, 2023 3,32; Governance: 2021 1,00, 2022 2,00, 2023 3,00"
    )
    points = [g.find(f"{SVG}title").text for g in svg.findall(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    assert points == [
        "Indeks, 2021: 3,06",
        "Indeks, 2023: 3,32",
        "Governance, 2021: 1,00",
        "Governance, 2022: 2,00",
        "Governance, 2023: 3,00",
    ]
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"2021", "2022", "2023", "Indeks", "Governance"} <= set(texts)  # axis labels and legend
    assert "0,00" in texts and "5,00" in texts  # the y axis runs from the minimum to the maximum
    # The gap in 2022 breaks the first line: only the second series draws a polyline through three points.
    lines = [p.get("points").split() for p in svg.findall(f"{SVG}polyline")]
    assert [len(points) for points in lines] == [3]
    # A higher figure is drawn higher (smaller y).
    ys = [float(pair.split(",")[1]) for pair in lines[0]]
    assert ys[0] > ys[1] > ys[2]


def test_a_heat_table_writes_every_figure_and_shades_it_by_value() -> None:
    from common.charts import heat_level, heat_table

    with translation.override("id"):
        markup = heat_table(
            caption="Indeks per dimensi dan lensa",
            rows=["Smart Governance", "Smart Society"],
            columns=["Baseline", "Output"],
            values=[[Decimal("4.995"), Decimal("0")], [None, Decimal("2.5")]],
        )
    table = ElementTree.fromstring(str(markup))  # noqa: S314 - our own markup
    assert table.find("caption").text == "Indeks per dimensi dan lensa"
    assert [th.text for th in table.find("thead").iter("th")] == [None, "Baseline", "Output"]
    rows = table.find("tbody").findall("tr")
    assert [r.find("th").text for r in rows] == ["Smart Governance", "Smart Society"]
    cells = [(td.text, td.get("class")) for r in rows for td in r.findall("td")]
    assert cells == [("5,00", "num heat-5"), ("0,00", "num heat-0"), ("–", "num heat-none"), ("2,50", "num heat-3")]
    assert [heat_level(v) for v in (0, 0.83, 0.84, 2.5, 4.16, 4.17, 5, 9)] == [0, 0, 1, 3, 4, 5, 5, 5]


def test_every_heat_class_is_styled_for_the_screen_and_the_pdf() -> None:
    from pathlib import Path

    from django.conf import settings

    for sheet in ("static/css/app.css", "static/packages/print.css"):
        css = (Path(settings.BASE_DIR) / sheet).read_text()
        for level in range(6):
            assert f".heat-table td.heat-{level} " in css, (sheet, level)


def test_hostile_labels_stay_text_in_line_charts_and_heat_tables() -> None:
    from common.charts import heat_table, line_chart

    markup = str(
        line_chart(title="<script>alert(1)</script>", categories=['"><svg onload=x>'], series=[Series("a&b", [1])])
    )
    assert "<script>" not in markup and "onload=x>" not in markup and "a&amp;b" in markup
    ElementTree.fromstring(markup)  # noqa: S314 - our own markup, still well-formed
    table = str(heat_table(caption="<b>x</b>", rows=["<i>y</i>"], columns=["<u>z</u>"], values=[[1]]))
    assert "<b>" not in table and "<i>" not in table and "<u>" not in table
    assert "&lt;i&gt;y&lt;/i&gt;" in table
    ElementTree.fromstring(table)  # noqa: S314


def test_a_series_with_a_meaning_keeps_its_colour_in_bars_lines_and_legends() -> None:
    late = Series("Terlambat", [Decimal(3), Decimal(1)], colour="#8B0000")
    plain = Series("Disetujui", [Decimal(1), Decimal(2)])
    for chart in (
        bar_chart(title="Laporan", categories=["A", "B"], series=[plain, late]),
        line_chart(title="Laporan", categories=["2023", "2024"], series=[plain, late]),
    ):
        svg = ElementTree.fromstring(str(chart))  # noqa: S314 - our own markup
        fills = [e.get("fill") for e in svg.iter() if e.get("fill")] + [
            e.get("stroke") for e in svg.iter() if e.get("stroke")
        ]
        assert "#8B0000" in fills and PALETTE[1] not in fills  # the meaning's colour, not the palette's second
        assert PALETTE[0] in fills  # the plain series still takes the palette's first
