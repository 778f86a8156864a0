import django_filters
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS
from .models import Event


class EventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=sorted(ACTIONS.items(), key=lambda item: str(item[1])), empty_label=_("All actions")
    )

    class Meta:
        model = Event
        fields = ["action"]
