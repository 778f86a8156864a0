"""Filters of the public agenda and its iCalendar feeds."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huizen.dates import days_between
from huizen.forms import DateFilter, DateInput
from locations.filters import limit_neighbourhoods
from locations.models import District, House, Neighbourhood

from .models import ActivityTargetGroup, Category, Registration, Session, TargetGroup

DEFAULT_DAYS = 14
MAX_DAYS = 366


class Period:
    TODAY = "today"
    WEEK = "week"
    CHOICES = [(TODAY, _("Today")), (WEEK, _("This week"))]


class SessionFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last:
            if last < first:
                self.add_error("date_to", _("The end date must be on or after the start date."))
            elif (last - first).days >= MAX_DAYS:
                self.add_error("date_to", _("Choose at most a year at a time."))
        return cleaned


class SessionFilter(django_filters.FilterSet):
    """Filters of the agenda, on `selectors.agenda_sessions()`.

    The period: 'today', 'this week' (today up to and including Sunday), or the dates from and until; without
    any, the next 14 days from today. Only sessions that have not yet ended are shown. The feeds use the same
    filters without the period (`with_period=False`): they cover a fixed window instead."""

    period = django_filters.ChoiceFilter(
        choices=Period.CHOICES,
        method="filter_nothing",
        label=_("When"),
        empty_label=_("The next 14 days, or the dates below"),
    )
    date_from = DateFilter(method="filter_nothing", label=_("From"), widget=DateInput)
    date_to = DateFilter(method="filter_nothing", label=_("Until"), widget=DateInput)
    district = django_filters.ModelChoiceFilter(
        field_name="activity__house__neighbourhood__district",
        queryset=District.objects.all(),
        to_field_name="slug",
        label=_("District"),
        empty_label=_("All districts"),
    )
    neighbourhood = django_filters.ModelChoiceFilter(
        field_name="activity__house__neighbourhood",
        queryset=Neighbourhood.objects.all(),
        to_field_name="slug",
        label=_("Neighbourhood"),
        empty_label=_("All neighbourhoods"),
    )
    house = django_filters.ModelChoiceFilter(
        field_name="activity__house",
        queryset=House.objects.all(),
        to_field_name="slug",
        label=_("House"),
        empty_label=_("All houses"),
    )
    category = django_filters.ChoiceFilter(
        field_name="activity__category",
        choices=Category.choices,
        label=_("Category"),
        empty_label=_("All categories"),
    )
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroup.choices,
        method="filter_target_group",
        label=_("For whom"),
        empty_label=_("Everyone and every group"),
        help_text=_("Activities for everyone are included."),
    )
    free = django_filters.BooleanFilter(
        field_name="activity__price", label=_("Free of charge only"), widget=forms.CheckboxInput, method="filter_free"
    )
    registration = django_filters.BooleanFilter(
        label=_("Registration needed"),
        widget=forms.CheckboxInput,
        method="filter_registration",
    )
    places_left = django_filters.BooleanFilter(
        label=_("Places left (no waiting list)"),
        widget=forms.CheckboxInput,
        method="filter_places_left",
        help_text=_("Activities without registration always have room."),
    )

    PERIOD_FIELDS = ("period", "date_from", "date_to")
    HOUSE_FIELDS = ("district", "neighbourhood", "house")

    class Meta:
        model = Session
        fields: list[str] = []
        form = SessionFilterForm

    def __init__(self, data=None, queryset=None, *, house=None, with_period=True, now=None, **kwargs):
        data = data.copy() if data is not None else None
        super().__init__(data, queryset, **kwargs)
        self.now = now or timezone.now()
        self.with_period = with_period
        # One house's agenda: the house is fixed, so choosing a district, wijk or house makes no sense.
        for name in (self.HOUSE_FIELDS if house is not None else ()) + (() if with_period else self.PERIOD_FIELDS):
            del self.filters[name]
        limit_neighbourhoods(self, data)

    def filter_nothing(self, queryset, name, value):
        """The period fields act together, in `filter_queryset`."""
        return queryset

    def filter_target_group(self, queryset, name, value):
        groups = {value, TargetGroup.EVERYONE}
        return queryset.filter(
            Exists(ActivityTargetGroup.objects.filter(activity_id=OuterRef("activity_id"), group__in=groups))
        )

    def filter_free(self, queryset, name, value):
        """A ticked box narrows the list; an unticked box does not mean 'only paid activities'."""
        return queryset.filter(activity__price=0) if value else queryset

    def filter_registration(self, queryset, name, value):
        """Only activities that ask you to register (a ticked box narrows; unticked shows all)."""
        return queryset.filter(activity__registration_required=True) if value else queryset

    def filter_places_left(self, queryset, name, value):
        """Only sessions you can still join without the waiting list: no registration, no limit, or a place
        left. Counts the confirmed registrations in the database, so the feeds use it too."""
        if not value:
            return queryset
        confirmed = (
            Registration.objects.filter(session=OuterRef("pk"), status=Registration.Status.CONFIRMED)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return queryset.annotate(_confirmed=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0)).filter(
            Q(activity__registration_required=False)
            | Q(activity__capacity__isnull=True)
            | Q(activity__capacity__gt=F("_confirmed")),
            ~Q(status=Session.Status.CANCELLED),
        )

    def period_days(self) -> tuple[dt.date, dt.date]:
        """The first and last day (inclusive) of the chosen period; call after validation."""
        data = self.form.cleaned_data
        today = timezone.localdate(self.now)
        period = data.get("period")
        if period == Period.TODAY:
            return today, today
        if period == Period.WEEK:
            return today, today + dt.timedelta(days=6 - today.weekday())
        first, last = data.get("date_from"), data.get("date_to")
        if first is None and last is None:
            return today, today + dt.timedelta(days=DEFAULT_DAYS - 1)
        if first is None:
            first = min(today, last)
        if last is None:
            last = first + dt.timedelta(days=DEFAULT_DAYS - 1)
        return first, last

    def filter_queryset(self, queryset):
        if self.with_period:
            first, last = self.period_days()
            start, end = days_between(first, last)
            queryset = queryset.filter(start__gte=start, start__lt=end, end__gt=self.now)
        return super().filter_queryset(queryset)
