"""From an organisation's profile (sector code, employees, province) to the monitor's groups.

The monitor reports four sector groups built from SBI 2008 sections, four size classes and the
three northern provinces. This module maps what an employer knows about itself onto those groups,
and says plainly when a group does not apply (fewer than five employees, a province outside the
north) instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from benchmarks.vocabulary import ELSEWHERE, MAX_EMPLOYEES, MIN_SURVEYED_EMPLOYEES, PROVINCES

# SBI 2008 sections and the two-digit divisions that belong to them (CBS, SBI 2008 version 2018).
SBI_SECTION_DIVISIONS: dict[str, tuple[int, ...]] = {
    "A": (1, 2, 3),
    "B": (5, 6, 7, 8, 9),
    "C": tuple(range(10, 34)),
    "D": (35,),
    "E": (36, 37, 38, 39),
    "F": (41, 42, 43),
    "G": (45, 46, 47),
    "H": (49, 50, 51, 52, 53),
    "I": (55, 56),
    "J": (58, 59, 60, 61, 62, 63),
    "K": (64, 65, 66),
    "L": (68,),
    "M": (69, 70, 71, 72, 73, 74, 75),
    "N": (77, 78, 79, 80, 81, 82),
    "O": (84,),
    "P": (85,),
    "Q": (86, 87, 88),
    "R": (90, 91, 92, 93),
    "S": (94, 95, 96),
    "T": (97, 98),
    "U": (99,),
}
DIVISION_SECTION: dict[int, str] = {
    division: section
    for section, divisions in SBI_SECTION_DIVISIONS.items()
    for division in divisions
}

# The monitor's four sector groups (monitor ch. 4), as ranges of SBI sections.
SECTOR_OF_SECTION: dict[str, str] = {
    **dict.fromkeys("ABCDEF", "lin"),
    **dict.fromkeys("GHI", "hvh"),
    **dict.fromkeys("JKLMN", "zd"),
    **dict.fromkeys("OPQRSTU", "ncd"),
}

# Plain Dutch names of the SBI sections, for the select list in the scan.
SBI_SECTION_LABELS: dict[str, object] = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Energy supply"),
    "E": _("Water supply and waste management"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade, car repair"),
    "H": _("Transport and storage"),
    "I": _("Hotels, restaurants and catering"),
    "J": _("Information and communication"),
    "K": _("Financial services"),
    "L": _("Renting and trading of real estate"),
    "M": _("Consultancy, research and other specialised business services"),
    "N": _("Renting and other business support services"),
    "O": _("Public administration and government services"),
    "P": _("Education"),
    "Q": _("Health and social work"),
    "R": _("Culture, sports and recreation"),
    "S": _("Other services"),
    "T": _("Households as employers"),
    "U": _("Extraterritorial organisations"),
}

# Examples of businesses in each section, shown beside its name ("Industrie — o.a. bakkerij,
# metaal, voedingsmiddelen"): an owner knows their trade, rarely its SBI section. Every example
# belongs to the section it stands under (SBI 2008: a bakery is 10.71, an installer 43.2, a
# driving school 85.53, a hairdresser 96.02).
SBI_SECTION_EXAMPLES: dict[str, object] = {
    "A": _("e.g. arable farming, livestock, horticulture, fishing"),
    "B": _("e.g. sand and gravel extraction, gas extraction"),
    "C": _("e.g. bakery, metalworking, food products, machinery"),
    "D": _("e.g. electricity, gas, heat"),
    "E": _("e.g. water company, waste collection, recycling"),
    "F": _("e.g. builder, installer, painter, road construction"),
    "G": _("e.g. shop, wholesaler, garage"),
    "H": _("e.g. haulage, taxi, courier, warehousing"),
    "I": _("e.g. restaurant, café, hotel, catering"),
    "J": _("e.g. software, IT services, publishing, telecom"),
    "K": _("e.g. bank, insurer, pension fund"),
    "L": _("e.g. estate agent, letting of homes or offices"),
    "M": _("e.g. accountant, lawyer, architect, engineering, advertising"),
    "N": _("e.g. employment agency, cleaning, security, travel agency"),
    "O": _("e.g. municipality, province, water board"),
    "P": _("e.g. school, driving school, training institute"),
    "Q": _("e.g. GP, home care, childcare, nursing home"),
    "R": _("e.g. gym, museum, theatre, sports club"),
    "S": _("e.g. hairdresser, beauty salon, association, repair shop"),
    "T": _("e.g. domestic staff employed by a household"),
    "U": _("e.g. embassy, international organisation"),
}

_SBI_CODE = re.compile(r"^\d{2,5}$")


def sbi_section(code: str) -> str:
    """The SBI 2008 section letter for a section letter or a KvK SBI code of 2-5 digits."""
    cleaned = (code or "").strip().replace(".", "").replace(" ", "").upper()
    if len(cleaned) == 1 and cleaned in SBI_SECTION_DIVISIONS:
        return cleaned
    if not _SBI_CODE.match(cleaned):
        raise ValidationError(
            _("Enter a sector letter (A to U) or an SBI code of 2 to 5 digits, such as 6201."),
            code="sbi_format",
        )
    section = DIVISION_SECTION.get(int(cleaned[:2]))
    if section is None:
        raise ValidationError(
            _("SBI code %(code)s does not exist. Check the code in your KvK extract."),
            code="sbi_unknown",
            params={"code": cleaned},
        )
    return section


def sector_group(code: str) -> str:
    """The monitor's sector group (lin, hvh, zd, ncd) for a section letter or SBI code."""
    return SECTOR_OF_SECTION[sbi_section(code)]


def size_class(employees: int) -> str | None:
    """The monitor's size class for a number of employees; None below five (not surveyed)."""
    if isinstance(employees, bool) or not isinstance(employees, int):
        raise ValidationError(_("Enter the number of employees as a whole number."), code="type")
    if employees < 1:
        raise ValidationError(_("The number of employees must be at least 1."), code="min")
    if employees > MAX_EMPLOYEES:
        raise ValidationError(
            _("The number of employees can be at most %(max)s."),
            code="max",
            params={"max": f"{MAX_EMPLOYEES:,}".replace(",", ".")},
        )
    if employees < MIN_SURVEYED_EMPLOYEES:
        return None
    if employees < 25:
        return "5-24"
    if employees < 100:
        return "25-99"
    if employees < 200:
        return "100-199"
    return "200+"


def province_group(province: str) -> str | None:
    """The province group, or None for an organisation outside Drenthe, Fryslân and Groningen."""
    if province in PROVINCES:
        return province
    if province == ELSEWHERE:
        return None
    raise ValidationError(_("Choose a province from the list."), code="province")


@dataclass(frozen=True)
class GroupProfile:
    """The comparison groups that apply to one organisation, with the reasons for missing ones."""

    sector: str | None
    size: str | None
    province: str | None
    notes: tuple[str, ...] = field(default=())


def profile_groups(*, sbi_code: str | None, employees: int | None, province: str) -> GroupProfile:
    """Map an organisation's profile onto the monitor's groups."""
    notes: list[str] = []
    sector = sector_group(sbi_code) if sbi_code else None
    size = size_class(employees) if employees is not None else None
    prov = province_group(province)
    if employees is not None and size is None:
        # DESIGN section 3: below five, Noord-Nederland and the sector only. A province group
        # holds firms of five and more, like every other group of the monitor.
        notes.append(
            str(
                _(
                    "The monitor surveyed organisations with at least %(min)s employees, so there "
                    "is no size class to compare with. You see Noord-Nederland and your sector."
                )
                % {"min": MIN_SURVEYED_EMPLOYEES}
            )
        )
        return GroupProfile(sector=sector, size=None, province=None, notes=tuple(notes))
    if prov is None:
        notes.append(
            str(
                _(
                    "The monitor covers Drenthe, Fryslân and Groningen. Your organisation is "
                    "compared with Noord-Nederland as a whole, not with a province."
                )
            )
        )
    return GroupProfile(sector=sector, size=size, province=prov, notes=tuple(notes))
