"""Forms of burenhulp: a request (by the resident, or on someone's behalf), the coordinator's match, the
volunteer's answer and "did it happen?". The rules live in `volunteers.services.help`; these only parse."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from huizen.forms import DateField, PlainText
from locations.models import House

from ..models import HelpKind, Volunteer

# The service asks for an address for exactly these kinds (services.help.ADDRESS_KINDS): the label says so.
ADDRESS_LABEL = _("Address (needed for groceries, a lift or a small job)")
ADDRESS_HELP = _("Where the volunteer comes to. Not needed for company or something else.")


class HelpRequestForm(PlainText, forms.Form):
    """A resident asks for help for themselves."""

    house = forms.ModelChoiceField(
        label=_("Which house is near you?"),
        queryset=House.objects.order_by("name"),
        empty_label=_("Choose a house"),
        error_messages={"required": _("Choose the house near you."), "invalid_choice": _("Choose the house near you.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of help do you need?"),
        choices=HelpKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of help you need.")},
    )
    description = forms.CharField(
        label=_("What do you need?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the groceries for this week from the supermarket on the corner. At most 1000 characters."
        ),
    )
    wanted_on = DateField(label=_("On which day?"), help_text=_("From today up to 60 days ahead."))
    wanted_time = forms.CharField(
        label=_("What time?"), max_length=100, required=False, help_text=_("For example: in the morning, or 14:00.")
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("The volunteer who helps you calls you. Only they and the coordinator see it."),
    )
    address = forms.CharField(label=ADDRESS_LABEL, max_length=200, required=False, help_text=ADDRESS_HELP)


class OnBehalfForm(HelpRequestForm):
    """A professional or coordinator posts a request for someone else (who has no account here)."""

    requester_name = forms.CharField(label=_("Name of the person who needs help"), max_length=150)
    email = forms.EmailField(label=_("Their e-mail address"), max_length=254, required=False)
    requester_language = forms.ChoiceField(
        label=_("Their language"),
        choices=settings.LANGUAGES,
        initial="nl",
        help_text=_("The e-mails to them are in this language."),
        error_messages={
            "required": _("Choose a language from the list."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )
    field_order = [
        "requester_name",
        "phone",
        "email",
        "requester_language",
        "kind",
        "description",
        "wanted_on",
        "wanted_time",
        "address",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["house"]
        self.fields["phone"].label = _("Their phone number")
        self.fields["phone"].help_text = _("Give a phone number or an e-mail address.")
        # A professional fills this in for someone else: the questions speak about that person.
        self.fields["kind"].label = _("What kind of help does this person need?")
        self.fields["kind"].error_messages["required"] = _("Choose what kind of help this person needs.")
        self.fields["description"].label = _("What does this person need?")
        self.fields["description"].help_text = _(
            "For example: their groceries for this week from the supermarket on the corner. At most 1000 characters."
        )
        self.fields["address"].help_text = _("Where the volunteer goes to. Not needed for company or something else.")


class OfferForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=Volunteer.objects.none(),
        empty_label=_("Choose a volunteer"),
        error_messages={"required": _("Choose a volunteer."), "invalid_choice": _("Choose a volunteer from the list.")},
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Yes, I will help")), ("decline", _("No, I cannot"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )


class CloseForm(forms.Form):
    happened = forms.ChoiceField(
        label=_("Did it happen?"),
        choices=[("yes", _("Yes, I helped")), ("no", _("No, it did not happen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    minutes = forms.IntegerField(
        label=_("How long did it take (in minutes)?"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Only when it happened. For example 90 for an hour and a half."),
        error_messages={"invalid": _("Give a whole number of minutes, such as 90.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("happened") == "yes" and not data.get("minutes") and "minutes" not in self.errors:
            self.add_error("minutes", _("Give the time it took: at least 1 minute, at most 24 hours."))
        return data
