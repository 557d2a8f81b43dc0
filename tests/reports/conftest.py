"""Scans whose advice is tested, built through the services; the library as `make run` loads it."""

from __future__ import annotations

import pytest

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.reports.results import scan_results_for
from leerscan.reports.selectors import library_current, library_instruments
from leerscan.scans import services
from leerscan.scans.models import Scan
from leerscan.scans.questions import YES
from tests.personas import ANNA_PROFILE, answer_items, fact

BLOCKS = list(BUILDING_BLOCKS)
DLOQ = list(DLOQ_STATEMENTS)
ALL_PRACTICES = [
    "gesprekken",
    "feedback",
    "pop",
    "taakroulatie",
    "functieroulatie",
    "detachering_intern",
]


@pytest.fixture
def finished(anna_scan) -> Scan:
    """Anna's scan, finished."""
    return services.scan_finish(scan=anna_scan)


@pytest.fixture
def library_loaded(scan_data):
    return library_current()


def strong_answers() -> tuple[dict, dict]:
    """Anna's firm doing well: at or above similar organisations everywhere, no obstacles."""
    items = {**dict.fromkeys(BLOCKS, 5), **dict.fromkeys(DLOQ, 5), "meten_resultaten": 4}
    facts = {
        5: {
            "promotieregeling": fact(choice=YES),
            "functioneringsregeling": fact(choice=YES),
            "scholingsregeling": fact(choice=YES),
            "hr_afdeling": fact(choice=YES),
            "hr_leren": fact(choice=YES),
            "instrumenten": fact(choices=ALL_PRACTICES),
            **{
                key: fact(number=2)
                for key in (
                    "belemmering_missen",
                    "belemmering_prive",
                    "belemmering_kosten",
                    "belemmering_onwil",
                    "belemmering_weinig_vraag",
                )
            },
        }
    }
    return items, facts


def make_scan(items: dict, facts: dict[int, dict], profile: dict | None = None) -> Scan:
    scan = services.scan_start()
    services.scan_save_profile(scan=scan, data=profile or ANNA_PROFILE)
    answer_items(scan, items)
    for step, answers in facts.items():
        services.scan_save_facts(scan=scan, step=step, answers=answers)
    return Scan.objects.get(pk=scan.pk)


def results_of(scan: Scan):
    return scan_results_for(scan=scan)


def instruments():
    return library_instruments(library=library_current())
