"""Forms of volunteering: people. Signing up, registering someone, decisions, editing, certificates, the house's
settings and the list's filters. The forms read and check input; the services decide."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huizen.forms import CHECKBOX, DateField, DateInput, PlainText

from ..models import CertificateKind, HouseVolunteering, Volunteer, VolunteerRole

DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
PARTS = [
    ("morning", pgettext_lazy("day part", "morning")),
    ("afternoon", pgettext_lazy("day part", "afternoon")),
    ("evening", pgettext_lazy("day part", "evening")),
]
# The day parts a volunteer can say they are usually available: "mon_morning" ... "sun_evening".
DAY_PARTS = [
    (f"{day}_{part}", format_lazy("{} {}", day_label, part_label))
    for day, day_label in DAYS
    for part, part_label in PARTS
]
DAY_PART_LABELS = dict(DAY_PARTS)


def day_part_label(code: str) -> str:
    return str(DAY_PART_LABELS.get(code, code))


class BirthDateField(forms.DateField):
    """A date of birth: in the past, from 1900 on."""

    def __init__(self, **kwargs):
        super().__init__(widget=DateInput(), **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and not dt.date(1900, 1, 1) <= value <= timezone.localdate():
            raise ValidationError(_("Fill in a date of birth in the past, after 1900."), code="out_of_range")


def _roles_field(**kwargs):
    return forms.MultipleChoiceField(
        label=_("What would you like to do?"),
        choices=VolunteerRole.choices,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
        error_messages={"required": _("Choose at least one thing you would like to do.")},
        **kwargs,
    )


class VolunteerQuestions(PlainText, forms.Form):
    """The questions of signing up, online and on paper."""

    roles = _roles_field()
    skills = forms.CharField(
        label=_("What are you good at?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: cooking for groups, languages you speak, odd jobs, working with children."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually available?"),
        choices=DAY_PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
    )
    availability_note = forms.CharField(
        label=_("Anything else about when you are available?"),
        required=False,
        max_length=300,
        help_text=_("For example: every other week, not in school holidays."),
    )
    motivation = forms.CharField(
        label=_("Why would you like to volunteer?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=20)
    date_of_birth = BirthDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("Only needed for the volunteer allowance: under 21 a lower amount per hour applies."),
    )


class SignUpForm(VolunteerQuestions):
    """A resident signs up online: name, e-mail and language come from their account."""


class RegisterForm(VolunteerQuestions):
    """The house registers someone (from the paper form, at the desk). No e-mail address needed."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Surname"), required=False, max_length=100)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Without an e-mail address the volunteer gets no e-mails: tell them yourself."),
    )
    language = forms.ChoiceField(label=_("Language for e-mails"), choices=settings.LANGUAGES, initial="nl")
    accept = forms.BooleanField(
        label=_("Accept them now as a volunteer"), required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
    start_date = DateField(label=_("Volunteer from"), required=False, help_text=_("Leave empty for today."))

    field_order = ["first_name", "last_name", "email", "phone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].label = _("Roles")
        self.fields["skills"].label = _("Skills")
        self.fields["availability"].label = _("Usually available")
        self.fields["availability_note"].label = _("About when they are available")
        self.fields["motivation"].label = _("Motivation")


class DecideForm(PlainText, forms.Form):
    DECISIONS = [
        ("accept", _("Accept")),
        ("on_hold", _("Put on hold")),
        ("decline", _("Decline")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    start_date = DateField(label=_("Volunteer from"), required=False, help_text=_("When accepting; empty: today."))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Needed when you put the application on hold. The volunteer reads it in the e-mail."),
    )


class StopForm(PlainText, forms.Form):
    end_date = DateField(label=_("Last day as a volunteer"), required=False, help_text=_("Leave empty for today."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class VolunteerEditForm(PlainText, forms.Form):
    roles = _roles_field()
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Surname"), required=False, max_length=100)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=20)
    language = forms.ChoiceField(label=_("Language for e-mails"), choices=settings.LANGUAGES)
    agreement_signed_on = DateField(label=_("Volunteer agreement signed on"), required=False)
    date_of_birth = BirthDateField(
        label=_("Date of birth"), required=False, help_text=_("Only for the volunteer allowance.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].label = _("Roles")

    @classmethod
    def initial_for(cls, volunteer: Volunteer) -> dict:
        return {
            "roles": [choice.role for choice in volunteer.roles.all()],
            **{
                field: getattr(volunteer, field)
                for field in (
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "language",
                    "agreement_signed_on",
                    "date_of_birth",
                )
            },
        }


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Certificate"), choices=CertificateKind.choices)
    issued_on = DateField(label=_("Date issued"), help_text=_("The date on the certificate."))


class HouseSettingsForm(forms.Form):
    certificate_renewal_years = forms.IntegerField(
        label=_("Renew certificates after (years)"),
        min_value=1,
        max_value=10,
        error_messages={
            "invalid": _("Enter a whole number of years from 1 to 10."),
            "min_value": _("Enter a whole number of years from 1 to 10."),
            "max_value": _("Enter a whole number of years from 1 to 10."),
        },
        help_text=_("A certificate is valid until the day before this many years have passed. From 1 to 10."),
    )
    idle_after_days = forms.IntegerField(
        label=_("Mark as not rostered for long after (days)"),
        min_value=7,
        max_value=730,
        error_messages={
            "invalid": _("Enter a whole number of days from 7 to 730."),
            "min_value": _("Enter a whole number of days from 7 to 730."),
            "max_value": _("Enter a whole number of days from 7 to 730."),
        },
        help_text=_("From 7 to 730 days."),
    )

    @classmethod
    def initial_for(cls, settings_row: HouseVolunteering) -> dict:
        return {
            "certificate_renewal_years": settings_row.certificate_renewal_years,
            "idle_after_days": settings_row.idle_after_days,
        }


class VolunteerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Volunteer.Status.choices)
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All"))] + list(VolunteerRole.choices))
    due = forms.BooleanField(
        label=_("Certificate due within 60 days"), required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
    idle = forms.BooleanField(
        label=_("Not rostered for long"), required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
