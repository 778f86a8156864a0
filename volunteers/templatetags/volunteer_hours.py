"""Template filters of volunteer hours."""

from django import template

register = template.Library()


@register.filter
def hm(minutes) -> str:
    """Minutes as hours and minutes: 195 → "3:15"."""
    minutes = int(minutes or 0)
    return f"{minutes // 60}:{minutes % 60:02d}"
