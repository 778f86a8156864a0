"""E-mail to a person in their own language, naming the site by SITE_NAME and linking back to it.

Every e-mail the apps send goes through `send_templated_mail`; django-allauth's e-mails go through
`accounts.adapter.AccountAdapter`, which uses `recipient_language` too.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from huizen.text import one_line

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def absolute_url(path: str) -> str:
    """`path` (from `reverse`) as a full address on SITE_URL, for links in e-mails sent outside a request."""
    return settings.SITE_URL + path


def reverse_absolute(viewname: str, *args, **kwargs) -> str:
    """`reverse(viewname, args=args, kwargs=kwargs)` as a full address on SITE_URL."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def recipient_language(user=None) -> str:
    """The language to write to `user` in: their preferred language, else the site's default (Dutch)."""
    language = getattr(user, "language", None)
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def send_templated_mail(*, to, template: str, context: dict, language: str | None = None) -> None:
    """Send `<template>_subject.txt` and `<template>.txt`, rendered in the recipient's language, to `to`.

    `to` is a user (their e-mail address and preferred language) or a plain e-mail address (for people without an
    account, such as the contact of a booking made by phone: then `language`, default the site's language). The
    templates get `context` plus `SITE_NAME` and `SITE_URL`; put the link the e-mail is about in `context` with
    `reverse_absolute`. Plain text: write the templates with `{% autoescape off %}`. The subject is made one line.
    A user is greeted by their first name (`recipient_name`; `{% include "fragments/email_greeting.txt" %}`).
    """
    if isinstance(to, str):
        address, language = to, language if language in LANGUAGES else settings.LANGUAGE_CODE
        name = ""
    else:
        address, language, name = to.email, recipient_language(to), to.first_name
    if not address:
        return
    with translation.override(language):
        context = {"recipient_name": name, **context, "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
        subject = one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [address])
