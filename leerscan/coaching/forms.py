"""Forms of the coaching side. Every text a person types is checked here and by the database;
each error is a plain sentence next to its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarks.vocabulary import KNOWLEDGE_INSTITUTION_WISHES
from leerscan.advisers.forms import code_field
from leerscan.advisers.services import join_code_normalise
from leerscan.coaching.models import ActionItem, ShareCode
from leerscan.coaching.services import CLIENT_FIELDS
from leerscan.constants import JOIN_CODE_ALPHABET, SHARE_CODE_LENGTH
from leerscan.scans.forms import ProfileForm

# Longer input is cut off before it is shown again in the code field (a code has eight characters).
SHARE_FORMAT_MESSAGE = _(
    "A share code has eight letters and digits, for example K7M4QXAD. Check what you typed."
)
SHARE_UNKNOWN_MESSAGE = _("There is no coach with this share code. Check the code with your coach.")
DATE_MESSAGE = _("Fill in a date, for example 15-03-2027.")
# Dates as people type them in Dutch (day first), and as a browser's date field sends them.
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d %m %Y"]
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ClientForm(ProfileForm):
    """A client's name, contact and profile: the scan's step 1 fields and checks (sector or SBI
    code, which must exist and agree; the number of employees), without the owner's consent."""

    organisation_name = None
    respondent_role = None
    consent = None
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=120,
        error_messages={"required": _("Fill in the name of the organisation.")},
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_email = forms.EmailField(
        label=_("E-mail address of the contact"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": _("Fill in a valid e-mail address, for example naam@bedrijf.nl.")
        },
    )

    field_order = list(CLIENT_FIELDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sbi_section"].help_text = _(
            "The client's sector, or the SBI code from its KvK extract below."
        )
        self.fields["sbi_code"].help_text = _(
            "For example 6201. It is on the client's KvK extract."
        )
        self.fields["employees"].required = False
        self.fields["employees"].help_text = _("Optional: the client confirms it in the scan.")
        province = self.fields["province"]
        province.required = False
        province.label = _("Province")
        province.choices = [("", _("Not known yet")), *province.choices]
        province.widget = forms.Select(choices=province.choices)


class ShareCodeForm(forms.Form):
    """The coach's share code, as the owner types it."""

    code = code_field(
        label=_("Share code of your coach"),
        help_text=_("Eight characters, for example K7M4QXAD. Your coach gives it to you."),
        required_message=_("Fill in the share code your coach gave you."),
        format_message=SHARE_FORMAT_MESSAGE,
    )

    def clean_code(self) -> ShareCode:
        code = join_code_normalise(self.cleaned_data["code"])
        if len(code) != SHARE_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
            raise forms.ValidationError(SHARE_FORMAT_MESSAGE, code="format")
        share_code = (
            ShareCode.objects.select_related("adviser__organisation").filter(code=code).first()
        )
        if share_code is None:
            raise forms.ValidationError(SHARE_UNKNOWN_MESSAGE, code="unknown")
        return share_code


class IntakeForm(forms.Form):
    """The intake checklist: what the client wishes from a knowledge institution (Box 5.2) and
    its own training questions."""

    wishes = forms.MultipleChoiceField(
        label=_("What would help your organisation from a school, college or university?"),
        choices=list(KNOWLEDGE_INSTITUTION_WISHES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    training_questions = forms.CharField(
        label=_("Your own training questions, in a few words"),
        help_text=_(
            "For example: planning for the bakers, Excel for the office. At most 300 characters."
        ),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"),
        help_text=_("Only you and your colleagues see notes; the client never does."),
        max_length=2000,
        error_messages={"required": _("Write something in the note.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class DutchDateField(forms.DateField):
    """A date typed day first (15-3-2027) or sent by the browser's date field, within reason."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        date = super().to_python(value)
        if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
            raise forms.ValidationError(DATE_MESSAGE, code="invalid")
        return date


class ActionItemForm(forms.ModelForm):
    """A line of the action plan."""

    due = DutchDateField(
        label=_("When"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = ActionItem
        fields = ["what", "who", "due", "status"]
        error_messages = {
            "what": {"required": _("Fill in what is going to happen.")},
            "status": {"invalid_choice": _("Choose a status from the list.")},
        }
        help_texts = {"who": _("A name or a role, for example: the owner.")}
        widgets = {"what": forms.Textarea(attrs={"rows": 2, "maxlength": 200})}


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=ActionItem.Status.choices,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
