"""Forms of the targets pages and the explanations. They read and check input; the services decide and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huizen.forms import PlainText

from .indicators import INDICATORS, Aggregation, Indicator, Unit
from .services import EXPLANATION_MAX_LENGTH, FIRST_YEAR, LAST_YEAR, NETWORK, QUARTERS, split_evenly


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR,
            error_messages={
                "invalid": _("Choose a year between 2000 and 2099."),
                "min_value": _("Choose a year between 2000 and 2099."),
                "max_value": _("Choose a year between 2000 and 2099."),
            },
            **kwargs,
        )


class TargetFilterForm(forms.Form):
    """The year (and, for many houses, one house or the network) of the targets page."""

    jaar = YearField(label=_("Year"), required=False)
    huis = forms.ChoiceField(label=_("House"), required=False)

    def __init__(self, *args, houses, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All houses"))]
        if network:
            choices.append((NETWORK, _("The whole network")))
        choices += [(house.slug, house.name) for house in houses]
        self.fields["huis"].choices = choices
        self.fields["jaar"].widget.attrs.update({"inputmode": "numeric"})

    def year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("jaar"):
            return self.cleaned_data["jaar"]
        return timezone.localdate().year

    def house_slug(self) -> str:
        return self.cleaned_data.get("huis", "") if self.is_bound and self.is_valid() else ""


class AmountField(forms.DecimalField):
    """A target: typed as people do (12,5 in Dutch), at most two decimals."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, localize=True, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class TargetForm(forms.Form):
    EVENLY, BY_HAND = "evenly", "by_hand"

    value = AmountField(label=_("Target for the year"))
    split = forms.ChoiceField(
        label=_("Quarters"),
        choices=[(EVENLY, _("Split the year evenly over the quarters")), (BY_HAND, _("Give the four quarters"))],
        widget=forms.RadioSelect,
        initial=EVENLY,
    )
    q1 = AmountField(label=_("First quarter"), required=False)
    q2 = AmountField(label=_("Second quarter"), required=False)
    q3 = AmountField(label=_("Third quarter"), required=False)
    q4 = AmountField(label=_("Fourth quarter"), required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.unit == Unit.PERCENT:
            self.fields["value"].help_text = _("A percentage, at most 100.")
        if indicator.aggregation == Aggregation.RATIO:
            self.fields["split"].choices = [
                (self.EVENLY, _("The same percentage every quarter")),
                (self.BY_HAND, _("Give the four quarters")),
            ]

    def clean(self):
        data = super().clean()
        if data.get("split") == self.BY_HAND:
            for name in QUARTERS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Fill in this quarter, or split the year evenly."))
        return data

    def quarters(self):
        if self.cleaned_data["split"] == self.EVENLY:
            return None
        return [self.cleaned_data[name] for name in QUARTERS]

    @classmethod
    def initial_for(cls, target, indicator: Indicator) -> dict:
        if target is None:
            return {"split": cls.EVENLY}
        quarters = [target.q1, target.q2, target.q3, target.q4]
        evenly = quarters == split_evenly(indicator, target.value)
        return {
            "value": target.value,
            "split": cls.EVENLY if evenly else cls.BY_HAND,
            **dict(zip(QUARTERS, quarters, strict=True)),
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("At most 1 MB, UTF-8, separated by semicolons or commas (as Excel saves 'CSV UTF-8')."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ExplanationsForm(PlainText, forms.Form):
    """One text per indicator for one quarter of one house."""

    def __init__(self, *args, indicators: tuple[Indicator, ...] = INDICATORS, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[indicator.code] = forms.CharField(
                label=indicator.name,
                required=False,
                help_text=indicator.definition,
                # The service counts a line break as one character; the browser's limit is a help, not the check.
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": EXPLANATION_MAX_LENGTH}),
            )
