"""Forms of the advisers' side. Every text a person types is checked here and by the database."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from leerscan.advisers.models import Leertafel


class AdviserLoginForm(AuthenticationForm):
    """Django's login form with the e-mail address as user name (case does not matter)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class LeertafelForm(forms.ModelForm):
    class Meta:
        model = Leertafel
        fields = ["name", "date", "place", "approach", "theme", "short_mode"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "approach": forms.RadioSelect,
        }
        help_texts = {
            "name": _("For example: Leertafel techniek Emmen."),
            "theme": _("Optional: what the table will talk about, in a few words."),
            "short_mode": _(
                "The participants answer the core statements only (no deepening), "
                "so the scan takes about 8 minutes."
            ),
        }


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"), max_length=254)
