"""A resident's name and preferred language: asked at sign-up, changed later on "My details"."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from huizen.forms import PlainText

NAME_MAX_LENGTH = 150  # User.first_name and User.last_name


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own words ("Nederlands", "English"), so it can be found whatever the page's language."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class NameAndLanguageForm(PlainText, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("The host at the door ticks you off by this name."),
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Surname or initial"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=language_choices,
        help_text=_("The language of the e-mails we send you."),
        error_messages={"invalid_choice": _("Choose one of the languages in the list.")},
    )

    def clean_first_name(self):
        first_name = self.cleaned_data["first_name"].strip()
        if not first_name:
            raise forms.ValidationError(_("Enter your first name."), code="required")
        return first_name

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()


class SignupForm(NameAndLanguageForm):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS). The language starts as the language
    the page is shown in. `accounts.adapter.AccountAdapter.save_user` stores name and language with the user."""

    field_order = ["first_name", "last_name", "email", "password1", "password2", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = translation.get_language()
        self.fields["language"].initial = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def signup(self, request, user):
        """allauth's hook after saving the new user: nothing left to do, the adapter saved everything."""


class ProfileForm(NameAndLanguageForm):
    """My details: the same fields, filled with what the user has now."""


class FirstNameForm(PlainText, forms.Form):
    """Asked when someone without a first name (an account from before sign-up asked for it) registers for a
    session, so the host at the door can tick them off by name."""

    first_name = NameAndLanguageForm.base_fields["first_name"]

    def clean_first_name(self):
        return NameAndLanguageForm.clean_first_name(self)
