"""Forms of privacy: mydata. Erasing your own account asks your password and a tick."""

from django import forms
from django.utils.translation import gettext_lazy as _

PASSWORD_MAX_LENGTH = 4096  # longer is no password of ours; refused before hashing


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": _("Enter your password."),
            "max_length": _("That is not your password. Nothing was deleted."),
            "null_characters_not_allowed": _("That is not your password. Nothing was deleted."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Yes, delete my account. I know this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing was deleted."), code="wrong")
        return password
