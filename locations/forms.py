from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SignalReaders

RADIO = {"class": "utrecht-radio-button utrecht-radio-button--html-input"}


class SignalReadersForm(forms.Form):
    """Who sees the signals of a house: the house's page and the admin's action use this same form."""

    signal_readers = forms.ChoiceField(
        label=_("Who sees the signals"),
        choices=SignalReaders.choices,
        widget=forms.RadioSelect(attrs=RADIO),
        help_text=_(
            "By management type: in social management the house's coordinators, in self-management the "
            "professional of the social wijkteam (not the resident board members)."
        ),
        error_messages={
            "required": _("Choose who sees the signals."),
            "invalid_choice": _("Choose who sees the signals from the list."),
        },
    )
