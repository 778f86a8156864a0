"""Forms of privacy: retention. The administrator's form for one category's period; the limits are checked by
the service (`retention_period_set`), which names them in its error."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RetentionPeriodForm(forms.Form):
    days = forms.IntegerField(
        label=_("Keep for (days)"),
        error_messages={"invalid": _("Fill in a whole number of days."), "required": _("Fill in a number of days.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["days"]
        field.widget.attrs.update({"min": category.min_days, "max": category.max_days})
        field.help_text = _("From %(min)d to %(max)d days. %(why)s") % {
            "min": category.min_days,
            "max": category.max_days,
            "why": category.limits,
        }
