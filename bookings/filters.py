"""Filters of the room search: when, where, for how many people, with what, and how accessible."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huizen.forms import CHECKBOX, DateFilter, DateInput, TimeInput  # noqa: F401 - the forms import them from here
from locations.models import District, Facility, House, Neighbourhood, Room, RoomFacility

from . import selectors

# Accessibility is searched on its own (the place, or the room itself); the other facilities are a list of boxes.
ACCESSIBILITY_FACILITIES = {Facility.ACCESSIBLE_TOILET, Facility.HEARING_LOOP}
FACILITY_CHOICES = [(value, label) for value, label in Facility.choices if value not in ACCESSIBILITY_FACILITIES]


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


class RoomFilterForm(forms.Form):
    """The date and times act together: a time needs a date, an end needs a start, and the end comes after it."""

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if (start or end) and not day:
            self.add_error("date", _("Choose a date to search by time."))
        elif start and not end:
            self.add_error("end", _("Enter an end time too, or leave both times empty."))
        elif end and not start:
            self.add_error("start", _("Enter a start time too, or leave both times empty."))
        elif start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        elif day and start and local_datetime(day, start) <= self.now:
            self.add_error("start", _("Choose a time in the future."))
        elif day and not start and day < timezone.localdate(self.now):
            self.add_error("date", _("Choose today or a later date."))
        return cleaned


class RoomFilter(django_filters.FilterSet):
    """Filters of the room search, on `selectors.resident_rooms()`.

    With a date and a start and end time only rooms a resident could book then are left: free (no booking or
    activity), the place open (unless the room may be used outside opening hours) and not closed, a duration
    and a date the room allows. With only a date: rooms whose place is open that day."""

    date = DateFilter(method="filter_nothing", label=_("Date"))  # 2000-2099: a far date has no next day
    start = django_filters.TimeFilter(method="filter_nothing", label=_("From"), widget=TimeInput)
    end = django_filters.TimeFilter(method="filter_nothing", label=_("Until"), widget=TimeInput)
    district = django_filters.ModelChoiceFilter(
        field_name="place__house__neighbourhood__district",
        queryset=District.objects.all(),
        to_field_name="slug",
        label=_("District"),
        empty_label=_("All districts"),
    )
    neighbourhood = django_filters.ModelChoiceFilter(
        field_name="place__house__neighbourhood",
        queryset=Neighbourhood.objects.all(),
        to_field_name="slug",
        label=_("Neighbourhood"),
        empty_label=_("All neighbourhoods"),
    )
    house = django_filters.ModelChoiceFilter(
        field_name="place__house",
        queryset=House.objects.all(),
        to_field_name="slug",
        label=_("House"),
        empty_label=_("All houses"),
    )
    people = IntegerFilter(
        field_name="capacity",
        lookup_expr="gte",
        label=_("Number of people"),
        min_value=1,
        max_value=10000,
        help_text=_("Rooms where at least this many people fit."),
    )
    facilities = django_filters.MultipleChoiceFilter(
        choices=FACILITY_CHOICES,
        method="filter_facilities",
        label=_("Facilities"),
        help_text=_("Rooms that have everything you tick."),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
    )
    step_free = django_filters.BooleanFilter(
        field_name="place__step_free_entrance",
        label=_("Step-free entrance"),
        widget=forms.CheckboxInput,
        method="filter_checked",
    )
    accessible_toilet = django_filters.BooleanFilter(
        field_name=Facility.ACCESSIBLE_TOILET,
        label=_("Accessible toilet"),
        widget=forms.CheckboxInput,
        method="filter_place_or_room",
    )
    hearing_loop = django_filters.BooleanFilter(
        field_name=Facility.HEARING_LOOP,
        label=_("Hearing loop"),
        widget=forms.CheckboxInput,
        method="filter_place_or_room",
    )

    TIME_FIELDS = ("date", "start", "end")

    class Meta:
        model = Room
        fields: list[str] = []
        form = RoomFilterForm

    def __init__(self, data=None, queryset=None, *, now=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.now = now or timezone.now()
        self.form.now = self.now

    def filter_nothing(self, queryset, name, value):
        """Date and times act together, in `filter_queryset`."""
        return queryset

    def filter_checked(self, queryset, name, value):
        """A ticked box narrows the list; an unticked box does not mean 'only rooms without it'."""
        return queryset.filter(**{name: True}) if value else queryset

    def filter_place_or_room(self, queryset, name, value):
        """The place has it (an accessible toilet, a hearing loop), or the room itself lists it."""
        if not value:
            return queryset
        in_room = Exists(RoomFacility.objects.filter(room_id=OuterRef("pk"), facility=name))
        return queryset.filter(Q(**{f"place__{name}": True}) | in_room)

    def filter_facilities(self, queryset, name, value):
        for facility in value:
            queryset = queryset.filter(Exists(RoomFacility.objects.filter(room_id=OuterRef("pk"), facility=facility)))
        return queryset

    def when(self) -> tuple[dt.datetime, dt.datetime] | None:
        """The start and end searched for (aware), or None; call after validation."""
        data = self.form.cleaned_data
        if data.get("date") and data.get("start") and data.get("end"):
            return local_datetime(data["date"], data["start"]), local_datetime(data["date"], data["end"])
        return None

    def filter_queryset(self, queryset):
        when = self.when()
        day = self.form.cleaned_data.get("date")
        if when is not None:
            queryset = selectors.resident_bookable_between(queryset, *when, now=self.now)
        elif day is not None:
            queryset = selectors.resident_open_on(queryset, day)
        return super().filter_queryset(queryset)
