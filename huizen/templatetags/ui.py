"""Template helpers for NL Design System (Utrecht) markup."""

from django import forms, template
from django.urls import reverse
from django.utils.translation import ngettext_lazy

register = template.Library()

CONTROL_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


def _is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.inclusion_tag("fragments/form_field.html")
def form_field(field, mark_optional=True):
    """One field with its label, help text and errors; the input points at both with aria-describedby.

    Optional fields say so in their label (as the NL Design System advises); filter forms, where every
    field is optional, pass mark_optional=False."""
    widget = field.field.widget
    base_class = next(
        (css for widget_class, css in CONTROL_CLASSES.items() if isinstance(widget, widget_class)),
        "utrecht-textbox utrecht-textbox--html-input",
    )
    auto_id = field.auto_id or f"id_{field.html_name}"
    described_by = []
    attrs = {"class": base_class}
    if field.help_text:
        described_by.append(f"{auto_id}_helptext")
    if field.errors:
        described_by.append(f"{auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " utrecht-textbox--invalid utrecht-select--invalid utrecht-textarea--invalid"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return {
        "field": field,
        "widget_html": field.as_widget(attrs=attrs),
        "auto_id": auto_id,
        "is_checkbox": _is_checkbox(field),
        "mark_optional": mark_optional and not field.field.required and not _is_checkbox(field),
    }


@register.filter
def management_label(value):
    """The Dutch (or English) label of a management type code from an annotation."""
    from locations.models import ManagementType

    return ManagementType(value).label if value in ManagementType.values else ""


@register.simple_tag
def place_and_house(place, house) -> str:
    """'Buurtplek Heemraadssingel, Huis van de Wijk Middelland', or only the house when the place has its name."""
    return house.name if place.name == house.name else f"{place.name}, {house.name}"


# What a filtered list found, per kind of result (the number goes in as `counter`).
FOUND = {
    "house": ngettext_lazy("%(counter)s house found", "%(counter)s houses found", "counter"),
    "activity": ngettext_lazy("%(counter)s activity found", "%(counter)s activities found", "counter"),
    "room": ngettext_lazy("%(counter)s room found", "%(counter)s rooms found", "counter"),
}


@register.simple_tag
def found(kind: str, count: int) -> str:
    """'12 rooms found': the result count of a filtered list (fragments/result_count.html)."""
    return FOUND[kind] % {"counter": count}


@register.inclusion_tag("fragments/breadcrumb.html", takes_context=True)
def breadcrumb(context, *links, current=""):
    """The trail to a page: `links` are pairs of a link (a URL, or the name of a view without arguments) and
    its label; `current` is the label of the page itself, linked to itself and marked as the current page."""
    items = [
        (link if link.startswith("/") else reverse(link), label)
        for link, label in zip(links[::2], links[1::2], strict=True)
    ]
    return {"items": items, "current": current, "here": context["request"].path}
