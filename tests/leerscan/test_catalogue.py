"""The Dutch catalogue is complete, so no English msgid leaks onto a Dutch page."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str, bool]]:
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[-1]))
        msgstr = (
            "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[-1]))
            if "msgstr" in block
            else ""
        )
        if "msgid" in block:
            entries.append((msgid, msgstr, fuzzy))
    return entries


def test_every_message_has_a_dutch_translation() -> None:
    entries = _entries()
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, _ in entries if msgid and not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries if is_fuzzy]
    assert missing == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_used() -> None:
    with translation.override("nl"):
        assert translation.gettext("Start the scan") == "Start de scan"
        assert translation.gettext("Business Services") == "Zakelijke Dienstverlening"
    with translation.override("en"):
        assert translation.gettext("Start the scan") == "Start the scan"
