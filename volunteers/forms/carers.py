"""Forms of volunteering: carers. The forms only read and check input; the services decide and save."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huizen.forms import DateField, PlainText

from ..models import Carer, SupportKind
from ..services.carers import DEFAULT_CONSENT_TEXT, NOTE_MAX

NAME_ERRORS = {"max_length": _("Keep this to %(limit_value)d characters at most.")}


class SearchForm(PlainText, forms.Form):
    zoek = forms.CharField(label=_("Search by name"), max_length=100, required=False)


class CarerForm(PlainText, forms.Form):
    """A carer's details; `with_consent` adds the consent (registering) or leaves it out (editing)."""

    first_name = forms.CharField(label=_("First name"), max_length=100, error_messages=NAME_ERRORS)
    last_name = forms.CharField(label=_("Surname"), max_length=100, required=False, error_messages=NAME_ERRORS)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("A phone number, an e-mail address or both."),
        error_messages=NAME_ERRORS,
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES, initial="nl")
    relation = forms.ChoiceField(label=_("Relation to the person cared for"), choices=Carer.Relation.choices)
    hours_band = forms.ChoiceField(label=_("Hours of care a week"), choices=Carer.HoursBand.choices)
    caring_since = DateField(label=_("Caring since"))
    consent = forms.BooleanField(
        label=_("The carer agreed that we keep these details"),
        error_messages={"required": _("Tick this only when the carer agreed: without consent we keep nothing.")},
    )
    consent_given_on = DateField(label=_("Consent given on"))
    consent_text = forms.CharField(
        label=_("What was agreed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=NAME_ERRORS,
    )

    def __init__(self, *args, with_consent: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_consent:
            self.fields["consent_given_on"].initial = timezone.localdate()
            self.fields["consent_text"].initial = str(DEFAULT_CONSENT_TEXT)
        else:
            for name in ("consent", "consent_given_on", "consent_text"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("Fill in a phone number or an e-mail address, so we can reach them."))
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("consent", None)
        return data


class SupportContactForm(PlainText, forms.Form):
    date = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    note = forms.CharField(
        label=_("Short note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No medical details and nothing about the person cared for."),
        error_messages=NAME_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class EndForm(forms.Form):
    ended_on = DateField(label=_("Support ended on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class WaarderingApplyForm(PlainText, forms.Form):
    payee_name = forms.CharField(
        label=_("Name of the account holder"), max_length=150, required=False, error_messages=NAME_ERRORS
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=40,
        required=False,
        help_text=_("For example NL91 ABNA 0417 1643 00."),
        error_messages=NAME_ERRORS,
    )
    taken_at_desk = forms.BooleanField(label=_("Taken at the desk of the house"), required=False, initial=True)

    def __init__(self, *args, in_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        if in_kind:  # the rules pay in kind: there is no account to pay into, so nothing to ask about it
            del self.fields["payee_name"]
            del self.fields["iban"]


class WaarderingDecideForm(PlainText, forms.Form):
    AWARD, REFUSE = "award", "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(AWARD, _("Award")), (REFUSE, _("Refuse"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Needed when you refuse. The carer reads it in the e-mail."),
        error_messages=NAME_ERRORS,
    )
