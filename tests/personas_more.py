"""Two more owners from issue 8, built through the services as the views would, and finished.

- Baukje runs a bakery of 7 people in Fryslân (SBI 1071, Industrie): no HR department, answers
  mostly 2 and 3, and "weet ik niet" where she has no figures.
- Martin runs a metal firm of 150 people in Drenthe (SBI 25): an HR department in charge of
  learning, and a 5 almost everywhere.

Use them in a test module with `bakery_scan = personas_more.bakery_scan` (an import would be
flagged as unused).
"""

from __future__ import annotations

import pytest

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.scans import services
from leerscan.scans.models import Scan
from leerscan.scans.questions import NO, YES
from tests.personas import answer_items, fact

BAKERY_PROFILE = {
    "organisation_name": "Bakkerij De Terp",
    "sbi_section": "C",
    "sbi_code": "1071",
    "employees": 7,
    "province": "fryslan",
    "respondent_role": "eigenaar",
}

METAL_PROFILE = {
    "organisation_name": "Metaalbewerking Drenthe",
    "sbi_section": "C",
    "sbi_code": "25",
    "employees": 150,
    "province": "drenthe",
    "respondent_role": "hr",
}

BAKERY_ITEMS = {
    "taken": 3,
    "ruimte_veiligheid": 3,
    "samenwerken": 2,
    "leiderschap": 3,
    "organisatie_inrichting": 2,
    "externe_omgeving": 2,
    "leren_essentieel": 3,
    "feedback_reflectie": 2,
    "leren_in_doelen": 3,
    "opleidingsplekken": 3,
    "meten_resultaten": 2,
}

BAKERY_FACTS = {
    4: {
        "belang_leren": fact(number=6),
        "pct_deelname": fact(dont_know=True),
        "uren_per_deelnemer": fact(dont_know=True),
        "pct_onder_werktijd": fact(number=50),
        "pct_kosten_werkgever": fact(number=100),
        "pct_terugbetalingsregeling": fact(dont_know=True),
        "pct_omzet_leren": fact(dont_know=True),
        "doelen": fact(choices=["verplicht", "vakkennis"]),
    },
    5: {
        "promotieregeling": fact(choice=NO),
        "functioneringsregeling": fact(dont_know=True),
        "scholingsregeling": fact(dont_know=True),
        "hr_afdeling": fact(choice=NO),
        "instrumenten": fact(choices=["feedback"]),
        "belemmering_missen": fact(number=6),
        "belemmering_prive": fact(dont_know=True),
        "belemmering_kosten": fact(number=5),
        "belemmering_onwil": fact(number=2),
        "belemmering_weinig_vraag": fact(number=5),
    },
    6: {
        "verwachting_personeel": fact(choice="gelijk"),
        "wervingskanalen": fact(choices=["anders"]),
        "wervingsproblemen": fact(number=8),
    },
}

METAL_FACTS = {
    4: {
        "belang_leren": fact(number=9),
        "pct_deelname": fact(number=70),
        "uren_per_deelnemer": fact(number=24),
        "pct_onder_werktijd": fact(number=90),
        "pct_kosten_werkgever": fact(number=95),
        "pct_terugbetalingsregeling": fact(number=30),
        "pct_omzet_leren": fact(number=2.5),
        "doelen": fact(choices=["deskundigheid", "vakkennis", "verplicht", "loopbaan"]),
    },
    5: {
        "promotieregeling": fact(choice=YES),
        "functioneringsregeling": fact(choice=YES),
        "scholingsregeling": fact(choice=YES),
        "hr_afdeling": fact(choice=YES),
        "hr_leren": fact(choice=YES),
        "instrumenten": fact(choices=["gesprekken", "feedback", "pop", "taakroulatie"]),
        "belemmering_missen": fact(number=4),
        "belemmering_prive": fact(number=2),
        "belemmering_kosten": fact(number=2),
        "belemmering_onwil": fact(number=2),
        "belemmering_weinig_vraag": fact(number=3),
    },
    6: {
        "verwachting_personeel": fact(choice="groei"),
        "wervingskanalen": fact(choices=["recruiters", "uitzendkrachten", "detachering"]),
        "wervingsproblemen": fact(number=7),
    },
}


def finished_scan(profile: dict, items: dict[str, int], facts: dict[int, dict]) -> Scan:
    """A scan answered step by step through the services, then finished."""
    scan = services.scan_start()
    services.scan_save_profile(scan=scan, data=profile)
    answer_items(scan, items)
    for step, answers in facts.items():
        services.scan_save_facts(scan=scan, step=step, answers=answers)
    return services.scan_finish(scan=Scan.objects.get(pk=scan.pk))


@pytest.fixture
def bakery_scan(scan_data) -> Scan:
    """Baukje's bakery (7, Fryslân, SBI 1071), finished: 2s and 3s, "weet ik niet", no HR."""
    return finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)


@pytest.fixture
def metal_scan(scan_data) -> Scan:
    """Martin's metal firm (150, Drenthe, SBI 25), finished: HR department, 5 almost everywhere."""
    items = dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 5)
    return finished_scan(METAL_PROFILE, items, METAL_FACTS)
