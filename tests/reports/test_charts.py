"""The server-side SVG charts: the building-block radar and the difference bars."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import matplotlib as mpl
import pytest
from django.utils.translation import gettext_lazy, override

from leerscan.reports.charts import difference_bars_svg, radar_svg, svg_data_uri

SVG = "{http://www.w3.org/2000/svg}"

BUILDING_BLOCKS = [
    "Inhoud van het werk",
    "Ruimte en veiligheid om te ontwikkelen",
    "Samenwerken en teamontwikkeling",
    "Leiderschap gericht op ontwikkeling",
    "Organisatie-inrichting gericht op ontwikkeling",
    "Verbinding met de externe omgeving",
]
SERIES: list[tuple[str, list[float | None]]] = [
    ("Uw organisatie", [4.8, 3.2, 5.1, 2.4, 3.9, 4.4]),
    ("Vergelijkbare organisaties (schatting)", [4.3, 4.1, 4.5, 4.0, 3.7, 3.9]),
    ("Noord-Nederland", [4.4, 4.2, 4.6, 4.1, 3.8, 4.0]),
]
ITEMS = [
    "Leren wordt gezien als essentieel voor het verbeteren van de organisatie",
    "Feedback en zelfreflectie zijn onderdeel van alle routines",
    "Leren is onderdeel van de doelen van de organisatie",
    "Inhoud van het werk",
]


@pytest.fixture(autouse=True)
def dutch():
    """The charts speak the request's language; these tests read the Dutch words."""
    with override("nl"):
        yield


@pytest.fixture(scope="module")
def radar() -> str:
    with override("nl"):
        return radar_svg(labels=BUILDING_BLOCKS, series=SERIES, title="Uw leercultuur")


@pytest.fixture(scope="module")
def bars() -> str:
    with override("nl"):
        return difference_bars_svg(
            labels=ITEMS, differences=[0.4, -1.2, 0.05, None], title="Verschil per uitspraak"
        )


def texts_of(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted XML
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_it_renders_the_radar_as_bare_svg_markup_that_parses(radar: str) -> None:
    assert radar.startswith("<svg")
    assert "<?xml" not in radar
    assert "<!DOCTYPE" not in radar
    root = ET.fromstring(radar)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")
    assert root.find(f"{SVG}title").text == "Uw leercultuur"


def test_it_writes_text_as_text_in_the_dejavu_fallback_chain(radar: str) -> None:
    assert "font-family: 'DejaVu Sans', 'Arial', sans-serif" in radar
    assert "<text" in radar


def test_it_shows_every_word_of_the_wrapped_building_block_labels(radar: str) -> None:
    text = "\n".join(texts_of(radar))
    for label in BUILDING_BLOCKS:
        for word in re.split(r"[\s-]+", label):
            assert word in text, (label, word)
    # The long label is wrapped over several lines rather than printed on one.
    assert "Organisatie-inrichting gericht op ontwikkeling" not in text


def test_it_names_each_series_in_the_legend(radar: str) -> None:
    texts = texts_of(radar)
    for name, _values in SERIES:
        assert name in texts


def test_it_labels_the_rings_one_to_six(radar: str) -> None:
    texts = texts_of(radar)
    for ring in ("1", "2", "3", "4", "5", "6"):
        assert ring in texts


def test_it_still_renders_a_series_with_a_missing_value() -> None:
    series = [
        SERIES[0],
        ("Vergelijkbare organisaties (schatting)", [4.3, None, 4.5, 4.0, 3.7, 3.9]),
    ]
    svg = radar_svg(labels=BUILDING_BLOCKS, series=series, title="Met een gat")
    ET.fromstring(svg)  # noqa: S314
    assert "Vergelijkbare organisaties (schatting)" in texts_of(svg)


def test_it_renders_the_same_bytes_twice(radar: str, bars: str) -> None:
    assert radar_svg(labels=BUILDING_BLOCKS, series=SERIES, title="Uw leercultuur") == radar
    assert (
        difference_bars_svg(
            labels=ITEMS, differences=[0.4, -1.2, 0.05, None], title="Verschil per uitspraak"
        )
        == bars
    )


def test_it_renders_the_same_bytes_from_parallel_threads() -> None:
    def render(_: int) -> str:
        return difference_bars_svg(labels=["a", "b"], differences=[0.4, None], title="t")

    with ThreadPoolExecutor(max_workers=3) as pool:
        renders = set(pool.map(render, range(3)))
    assert renders == {render(0)}


def test_it_leaves_the_global_matplotlib_settings_alone() -> None:
    before = (mpl.rcParams["svg.fonttype"], mpl.rcParams["svg.hashsalt"])
    difference_bars_svg(labels=["a"], differences=[0.3], title="t")
    assert (mpl.rcParams["svg.fonttype"], mpl.rcParams["svg.hashsalt"]) == before


def test_it_labels_the_bars_with_dutch_signed_numbers(bars: str) -> None:
    texts = texts_of(bars)
    assert "+0,4" in texts
    assert "\u22121,2" in texts
    assert "+0,1" in texts  # 0.05 rounds half up, as people round
    assert "vergelijkbaar" in texts
    ET.fromstring(bars)  # noqa: S314


def test_it_says_geen_antwoord_instead_of_a_bar_for_a_missing_difference(bars: str) -> None:
    texts = texts_of(bars)
    assert texts.count("geen antwoord") == 1


def test_it_uses_english_words_and_a_decimal_point_on_an_english_page() -> None:
    with override("en"):
        svg = difference_bars_svg(labels=["a", "b"], differences=[0.4, None], title="t")
    texts = texts_of(svg)
    assert "+0.4" in texts
    assert "no answer" in texts
    assert "geen antwoord" not in texts


def test_it_accepts_lazy_labels_decimals_and_treats_nan_as_no_answer() -> None:
    svg = difference_bars_svg(
        labels=[gettext_lazy("Content of the work"), "b"],
        differences=[Decimal("-0.25"), float("nan")],
        title=gettext_lazy("Difference from similar organisations"),
    )
    texts = texts_of(svg)
    assert "\u22120,3" in texts
    assert "geen antwoord" in texts
    radar = radar_svg(
        labels=[gettext_lazy("Content of the work"), "b", "c"],
        series=[(gettext_lazy("Your organisation"), [Decimal("4.5"), None, 3.0])],
        title=gettext_lazy("Building blocks of learning culture"),
    )
    ET.fromstring(radar)  # noqa: S314


def test_it_widens_the_axis_beyond_one_for_a_large_difference() -> None:
    narrow = texts_of(difference_bars_svg(labels=["a"], differences=[0.3], title="t"))
    wide = texts_of(difference_bars_svg(labels=["a"], differences=[-2.4], title="t"))
    assert "+1,0" in narrow
    assert "+1,5" not in narrow
    assert "\u22124,0" in wide
    assert "+4,0" in wide


def test_it_rejects_a_series_that_does_not_match_the_labels() -> None:
    with pytest.raises(ValueError, match="Uw organisatie"):
        radar_svg(labels=BUILDING_BLOCKS, series=[("Uw organisatie", [4.0, 5.0])], title="t")
    with pytest.raises(ValueError, match="differences"):
        difference_bars_svg(labels=["a", "b"], differences=[0.1], title="t")


def test_it_wraps_the_svg_in_a_base64_data_uri_that_round_trips(radar: str) -> None:
    uri = svg_data_uri(radar)
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri.removeprefix(prefix)).decode("utf-8") == radar
