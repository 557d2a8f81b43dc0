"""Forms of the advisers' side. Every text a person types is checked here and by the database."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from leerscan.advisers.models import Leertafel

# A typed code (a leertafel's join code, a coach's share code) is shown again in its field at most
# this long, without control characters, whatever was pasted.
CODE_SHOWN_MAX = 40


def code_field(*, label, help_text, required_message, format_message) -> forms.CharField:
    """The field for a code people type from a projector, a card or an e-mail: no max_length (a
    long paste gets the same message as any other wrong code), and no autocorrect on phones."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        error_messages={
            "required": required_message,
            # Django refuses a NUL byte before clean_code sees it: the same message as any typo.
            "null_characters_not_allowed": format_message,
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": CODE_SHOWN_MAX,
            }
        ),
    )


def code_shown(raw: str) -> str:
    """What was typed, fit to show again in the field: no control characters, not too long."""
    return "".join(ch for ch in raw if ch.isprintable())[:CODE_SHOWN_MAX]


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
