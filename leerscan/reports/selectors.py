"""Selectors of the reports app: the current instrument library and a scan's advice."""

from __future__ import annotations

from leerscan.reports.advice import Advice, advise
from leerscan.reports.models import Instrument, InstrumentLibrary, RegionalSupport


def library_current() -> InstrumentLibrary:
    """The most recently loaded instrument library."""
    library = InstrumentLibrary.objects.order_by("-loaded_at", "-id").first()
    if library is None:
        raise InstrumentLibrary.DoesNotExist(
            "Load the instruments first: manage.py instrument_library_load"
        )
    return library


def library_instruments(*, library: InstrumentLibrary) -> list[Instrument]:
    """The library's instruments in their order."""
    return list(Instrument.objects.filter(library=library).order_by("position"))


def library_regional_support(*, library: InstrumentLibrary) -> list[RegionalSupport]:
    """The library's regional support entries in their order."""
    return list(RegionalSupport.objects.filter(library=library).order_by("position"))


def scan_advice(*, results, library: InstrumentLibrary | None = None) -> Advice:
    """The advice for a scan's results, from the current (or given) library."""
    library = library or library_current()
    return advise(
        results=results,
        library=library_instruments(library=library),
        support=library_regional_support(library=library),
    )
