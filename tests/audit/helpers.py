"""Asserting the history a service leaves behind."""

from audit.models import Event


def the_event(action: str, **lookup) -> Event:
    """The one event with this action code (and lookup); fails with the events there are when not exactly one."""
    events = list(Event.objects.filter(action=action, **lookup))
    assert len(events) == 1, [(event.action, event.object_label) for event in Event.objects.all()]
    return events[0]


def assert_event(action: str, *, by, house, changes: dict | None = None, **lookup) -> Event:
    """The event of `action` exists once, names `by` (a user, or "schedule"/"system") and `house`, and holds
    at least `changes` (as {field: [old, new]})."""
    event = the_event(action, **lookup)
    if isinstance(by, str):
        assert (event.actor_kind, event.actor) == (by, None)
    else:
        assert (event.actor_kind, event.actor) == ("user", by)
    assert event.house == house
    for field, value in (changes or {}).items():
        assert event.changes.get(field) == value, (field, event.changes)
    return event
