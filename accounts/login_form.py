"""allauth's login form without the "forgotten password" link in the password field's help text.

allauth puts that link between the e-mail and password fields in reading order, so Tab from the e-mail field
reached the link before the password. templates/account/login.html shows the link after the submit button.
Kept apart from accounts/forms.py: allauth's forms module imports that one (ACCOUNT_SIGNUP_FORM_CLASS)."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
