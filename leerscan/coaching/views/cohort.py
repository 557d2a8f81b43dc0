"""The cohort page of a coaching organisation (leerscan/coaching/cohort.py): its clients' latest
scans against the monitor, the change since the intake and the bundled demand, with filters as a
plain GET form (works without JavaScript). A coach sees only their own organisation's clients."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from benchmarks.selectors import RECOMMENDATION_KEYS, TWO_MEASURES_KEY, monitor_sentences
from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_1_6, SCALE_MAX, SCALE_MIN
from leerscan.advisers.access import adviser_required
from leerscan.advisers.models import Adviser
from leerscan.coaching.cohort import CohortFilters, cohort_view, filter_choices, filter_labels


class CohortFilterForm(forms.Form):
    """The cohort's filters; a value that is not one of the choices is an error (a 400)."""

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    grootte = forms.ChoiceField(label=_("Size class"), required=False)
    provincie = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        everyone = [("", _("All"))]
        self.fields["sector"].choices = everyone + choices["sector"]
        self.fields["grootte"].choices = everyone + choices["size"]
        self.fields["provincie"].choices = everyone + choices["province"]

    def filters(self) -> CohortFilters:
        data = self.cleaned_data
        return CohortFilters(
            sector=data.get("sector") or None,
            size=data.get("grootte") or None,
            province=data.get("provincie") or None,
        )


@require_GET
@adviser_required
def cohort_page(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    """The cohort of the coach's organisation, within the filters of the query string."""
    form = CohortFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "coaching/cohort.html", {"form": form, "cohort": None}, status=400)
    filters = form.filters() if request.GET else CohortFilters()
    cohort = cohort_view(organisation=adviser.organisation, filters=filters)
    somewhat, clearly = DIFFERENCE_THRESHOLDS[SCALE_1_6]
    return render(
        request,
        "coaching/cohort.html",
        {
            "form": form,
            "cohort": cohort,
            "filter_labels": filter_labels(filters),
            "scale_points": range(SCALE_MIN, SCALE_MAX + 1),
            "somewhat": somewhat,
            "clearly": clearly,
            # The monitor's recommendations 1-3 and its Box 4.2, from the edition of the figures.
            "monitor": monitor_sentences(
                keys=(*RECOMMENDATION_KEYS, TWO_MEASURES_KEY),
                language=get_language() or "nl",
                slug=cohort.benchmark_slug if cohort else "",
            ),
        },
    )
