"""Independent transcription of the monitor's references to its December 2021 measurement.

Typed by hand from the report text (``seeds/monitor-llo-noord-nederland-2023.txt``), NOT derived
from the benchmark data file. Where the monitor prints a 2021 number it is a row of table
"previous" under the indicator it compares with;
where it prints only a comparison in words (participation "2 procentpunt lager", measuring results
"dezelfde lage waardering") it is a sentence, and no number may exist for it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from benchmarks.models import BenchmarkSet, BenchmarkValue

pytestmark = pytest.mark.django_db

# indicator: (value as printed, line of the monitor)
PRINTED_2021 = {
    "belang_leren": ("8.5", 1561),  # "van gemiddeld 8,5 naar 8,2"
    "pct_onder_werktijd": ("64", 1675),  # "de 64% die we hebben gepeild in december 2021"
    "pct_kosten_werkgever": ("91", 1677),  # "voor 91% ... evenveel als anderhalf jaar geleden"
}
# sentence key: words the monitor prints (lines 1537, 1849, 1371)
SENTENCES_2021 = {
    "deelname_2021": "2 procentpunt lager dan de meting in december 2021",
    "meten_resultaten_2021": "in de peiling van december 2021 dezelfde lage waardering kreeg",
    "peiling_2021": "alleen werkgevers in de provincies Groningen en Drenthe",
}


def test_it_holds_the_2021_numbers_as_printed_and_the_rest_as_sentences():
    call_command("benchmark_set_load", verbosity=0)
    values = {v.indicator: v for v in BenchmarkValue.objects.filter(table="previous")}
    assert set(values) == set(PRINTED_2021)
    for indicator, (printed, _line) in PRINTED_2021.items():
        assert values[indicator].value == Decimal(printed)
        assert values[indicator].group == "noord-nederland"
    assert not BenchmarkValue.objects.filter(indicator__startswith="pct_deelname_2021").exists()
    bset = BenchmarkSet.objects.get()
    for key, words in SENTENCES_2021.items():
        assert words in bset.sentence(key, "nl")
