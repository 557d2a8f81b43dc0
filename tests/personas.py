"""Personas' scans, built through the services as the views would."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leerscan.scans import services
from leerscan.scans.facts import FactValue
from leerscan.scans.models import Item, Scan
from leerscan.scans.questions import NO, YES

ANNA_PROFILE = {
    "organisation_name": "Annas Adviesbureau",
    "sbi_section": "J",
    "sbi_code": "6202",
    "employees": 12,
    "province": "groningen",
    "respondent_role": "eigenaar",
}


def answer_items(scan: Scan, values: dict[str, int]) -> None:
    """Answer items by block or key: {"taken": 3} answers every item of that block with 3."""
    items = list(Item.objects.filter(bank=scan.item_bank))
    for step, group in ((2, "building_block"), (3, "dloq")):
        chosen = {
            i.key: values.get(i.key, values.get(i.block))
            for i in items
            if i.group == group and (i.key in values or i.block in values)
        }
        if chosen:
            services.scan_save_items(scan=scan, step=step, values=chosen)


@pytest.fixture
def anna_scan(scan_data) -> Scan:
    """Anna's scan: profile saved, every core statement answered, not yet finished.

    Building blocks: 3 everywhere except leiderschap 5; DLOQ 4 except meten_resultaten 2.
    """
    return anna_scan_make()


def anna_scan_make() -> Scan:
    """Anna's scan (the fixture above), also for perf/ scripts, which run outside pytest."""
    scan = services.scan_start()
    services.scan_save_profile(scan=scan, data=ANNA_PROFILE)
    answer_items(
        scan,
        {
            "taken": 3,
            "ruimte_veiligheid": 3,
            "samenwerken": 3,
            "leiderschap": 5,
            "organisatie_inrichting": 3,
            "externe_omgeving": 3,
            "leren_essentieel": 4,
            "feedback_reflectie": 4,
            "leren_in_doelen": 4,
            "opleidingsplekken": 4,
            "meten_resultaten": 2,
        },
    )
    services.scan_save_facts(
        scan=scan,
        step=4,
        answers={
            "belang_leren": fact(number=7),
            "pct_deelname": fact(number=40),
            "uren_per_deelnemer": fact(dont_know=True),
        },
    )
    services.scan_save_facts(
        scan=scan,
        step=5,
        answers={
            "promotieregeling": fact(choice=NO),
            "functioneringsregeling": fact(choice=NO),
            "scholingsregeling": fact(choice=YES),
            "hr_afdeling": fact(choice=NO),
            "instrumenten": fact(choices=["feedback"]),
            "belemmering_missen": fact(number=5),
        },
    )
    return Scan.objects.get(pk=scan.pk)


def fact(*, number=None, choice="", choices=(), dont_know=False, not_applicable=False) -> FactValue:
    return FactValue(
        number=None if number is None else Decimal(number),
        choice=choice,
        choices=tuple(choices),
        dont_know=dont_know,
        not_applicable=not_applicable,
    )
