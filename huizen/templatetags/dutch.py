"""Content that people type in (titles, descriptions, reasons, signals) is Dutch, whatever the interface language.

`{{ activity.title|dutch }}` marks it as Dutch with `<span lang="nl">` when the page is in another language, so a
screen reader reads it with a Dutch voice; in the Dutch interface the page's own `lang` already says so."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language

register = template.Library()

CONTENT_LANGUAGE = "nl"


@register.filter(needs_autoescape=True)
def dutch(value, autoescape=True):
    text = conditional_escape(value) if autoescape else value
    if value is None or value == "":
        return text
    if (get_language() or CONTENT_LANGUAGE).split("-")[0] == CONTENT_LANGUAGE:
        return text
    return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, text)
