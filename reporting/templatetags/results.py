"""Template helpers of the results pages: figures formatted the Dutch way per unit, the status of a figure as text
with an icon, and a bar chart drawn as SVG on the server (its numbers always in a table beside it)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from reporting.indicators import Indicator, Unit

register = template.Library()

DECIMALS = {Unit.COUNT: 0, Unit.PERCENT: 1, Unit.HOURS: 1, Unit.EUROS: 2}


def format_figure(value, unit) -> str:
    if value is None or value == "":
        return "–"
    number = number_format(Decimal(value), decimal_pos=DECIMALS.get(unit, 1), use_l10n=True, force_grouping=True)
    if unit == Unit.PERCENT:
        return f"{number}%"
    if unit == Unit.EUROS:
        return f"€ {number}"
    return number


@register.filter
def figure(value, indicator: Indicator) -> str:
    """A figure of `indicator` for people: 1.234 visits, 45,3%, 12,5 hours, € 1.234,50; a dash when there is none."""
    return format_figure(value, indicator.unit)


@register.filter
def count(value) -> str:
    """A whole number with Dutch grouping (12.345)."""
    return format_figure(value, Unit.COUNT)


@register.filter
def index_figure(value) -> str:
    """A social index (98,5)."""
    if value is None:
        return "–"
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 1
    return number_format(Decimal(value), decimal_pos=decimals, use_l10n=True)


@register.inclusion_tag("reporting/dashboard/fragments/status.html")
def status(progress):
    """The status of a figure against its target (a `selectors.Progress`) as words, with an icon of its own shape
    (never colour alone)."""
    return {"code": str(progress.status.value), "label": progress.label}


CHART_WIDTH = 640
CHART_HEIGHT = 240
TOP = 24  # room for the value above the highest bar
BOTTOM = 44  # room for the month and year below the bars
SIDE = 8


@register.inclusion_tag("reporting/dashboard/fragments/bar_chart.html")
def bar_chart(bars, indicator: Indicator, title: str, table_id: str):
    """A bar chart of `bars` (dicts with "label" and "value"), scaled to the highest value. The chart is an image
    for screen readers with a short description; its numbers are in the table `table_id` beside it."""
    values = [bar["value"] for bar in bars if bar["value"] is not None]
    highest = max(values, default=Decimal(0))
    plot_height = CHART_HEIGHT - TOP - BOTTOM
    slot = (CHART_WIDTH - 2 * SIDE) / max(len(bars), 1)
    width = slot * 0.68
    drawn = []
    for position, bar in enumerate(bars):
        value = bar["value"] or Decimal(0)
        height = float(value) / float(highest) * plot_height if highest else 0
        x = SIDE + position * slot + (slot - width) / 2
        label = str(bar["label"])
        month, _space, year = label.partition(" ")
        drawn.append(
            {
                "x": round(x, 1),
                "y": round(TOP + plot_height - height, 1),
                "width": round(width, 1),
                "height": round(height, 1),
                "centre": round(x + width / 2, 1),
                "value_y": round(TOP + plot_height - height - 6, 1),
                "text": format_figure(bar["value"], indicator.unit),
                "line1": month,
                "line2": year,
                "label_y": CHART_HEIGHT - BOTTOM + 16,
            }
        )
    return {
        "bars": drawn,
        "title": title,
        "table_id": table_id,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": TOP + plot_height,
        "right": CHART_WIDTH - SIDE,
        "side": SIDE,
    }


ROW_HEIGHT = 28
LABEL_WIDTH = 230
LABEL_CHARACTERS = 32


@register.inclusion_tag("reporting/dashboard/fragments/hbar_chart.html")
def hbar_chart(bars, indicator: Indicator, title: str, table_id: str):
    """Horizontal bars for named parts (places, categories): a label on the left, the bar, its value at the end. Long
    labels are shortened here; the table `table_id` beside it has them in full."""
    values = [bar["value"] for bar in bars if bar["value"] is not None]
    highest = max(values, default=Decimal(0))
    plot_width = CHART_WIDTH - LABEL_WIDTH - 70
    drawn = []
    for position, bar in enumerate(bars):
        value = bar["value"] or Decimal(0)
        length = float(value) / float(highest) * plot_width if highest else 0
        label = str(bar["label"])
        if len(label) > LABEL_CHARACTERS:
            label = label[: LABEL_CHARACTERS - 1].rstrip() + "…"
        top = SIDE + position * ROW_HEIGHT
        drawn.append(
            {
                "y": top + 4,
                "text_y": top + ROW_HEIGHT / 2 + 5,
                "length": round(length, 1),
                "value_x": round(LABEL_WIDTH + length + 6, 1),
                "label": label,
                "text": format_figure(bar["value"], indicator.unit),
            }
        )
    return {
        "bars": drawn,
        "title": title,
        "table_id": table_id,
        "width": CHART_WIDTH,
        "height": 2 * SIDE + max(len(bars), 1) * ROW_HEIGHT,
        "bar_height": ROW_HEIGHT - 8,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }
