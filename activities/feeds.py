"""iCalendar (RFC 5545) feeds of the agenda: public data only, never who registered."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from huizen import ical

from .models import Category, Organiser, Session

# How often calendar apps are asked to fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=6)
CONTENT_TYPE = ical.CONTENT_TYPE

# What one feed holds, however large the programme grows: sessions that started in the past week (so what just
# happened stays in the calendar a while) up to eight weeks ahead, and never more than MAX_EVENTS of them, the
# earliest first. A feed of the whole network is the one that reaches the maximum; a filtered feed rarely does.
FEED_PAST = dt.timedelta(days=7)
FEED_AHEAD = dt.timedelta(weeks=8)
MAX_EVENTS = 1000
# A built feed is kept this long in the cache (per filters, language and site address) and in calendar apps'
# and proxies' caches (Cache-Control max-age): a change to the programme shows within this time.
CACHE_SECONDS = 10 * 60


def feed_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The sessions an agenda feed holds start in this window (and are at most MAX_EVENTS)."""
    return now - FEED_PAST, now + FEED_AHEAD


def cache_key(*, scope: str, filters: Iterable[tuple[str, str]], language: str, base_url: str) -> str:
    """The cache key of one feed: which agenda (`scope`: the network or a house's slug), its filter values, the
    language and the site address its links point to. Hashed, so what a visitor types cannot shape the key."""
    parts = [scope, language, base_url, sorted(filters)]
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    return f"agenda-feed:{digest}"


def session_uid(session: Session, domain: str) -> str:
    """Stable for as long as the session exists, whatever changes to it: calendar apps update the event."""
    return f"session-{session.pk}@{domain or 'huizen'}"


def session_location(session: Session) -> str:
    place = session.activity.place
    parts = [place.name, f"{place.street} {place.house_number}", f"{place.postcode} {place.city}"]
    if session.room_id:
        parts.insert(1, session.room.name)
    return ", ".join(parts)


def _price(session: Session) -> str:
    activity = session.activity
    if activity.is_free:
        return _("Free")
    return _("Price: € %(price)s") % {"price": f"{activity.price:.2f}".replace(".", ",")}


def session_description(session: Session, url: str) -> str:
    """The text of the event: the activity, who organises it, the price and registration; public facts only."""
    activity = session.activity
    lines = []
    if session.status == Session.Status.CANCELLED:
        lines.append(_("Cancelled: %(reason)s") % {"reason": session.change_reason})
    elif session.moved_from is not None:
        lines.append(_("Moved: %(reason)s") % {"reason": session.change_reason})
    if activity.description:
        lines.append(activity.description)
    organiser = activity.partner_name if activity.organiser == Organiser.PARTNER else activity.get_organiser_display()
    lines.append(_("Organised by: %(organiser)s") % {"organiser": organiser})
    lines.append(_("House: %(house)s") % {"house": activity.house.name})
    lines.append(_price(session))
    if activity.registration_required:
        lines.append(_("Registration needed: %(url)s") % {"url": url})
    else:
        lines.append(url)
    return "\n".join(lines)


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    domain: str,
    url_for: Callable[[Session], str],
    window: tuple[dt.datetime, dt.datetime],
    now: dt.datetime | None = None,
) -> bytes:
    """An iCalendar document of `sessions`: one VEVENT each, times in Europe/Amsterdam with its VTIMEZONE."""
    now = now or timezone.now()
    calendar = ical.new_calendar(name=name, product="Agenda", refresh=REFRESH_INTERVAL)
    stamp = now.astimezone(dt.UTC)
    categories = {value: str(label) for value, label in Category.choices}  # translated once, not per event
    for session in sessions:
        activity = session.activity
        url = url_for(session)
        cancelled = session.status == Session.Status.CANCELLED
        event = ical.new_event(uid=session_uid(session, domain), start=session.start, end=session.end, stamp=stamp)
        summary = activity.title
        if cancelled:
            summary = _("Cancelled: %(title)s") % {"title": activity.title}
        event.add("summary", summary)
        event.add("location", session_location(session))
        event.add("description", session_description(session, url))
        event.add("categories", [categories.get(activity.category, activity.category)])
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("url", url)
        place = activity.place
        if place.latitude is not None and place.longitude is not None:
            event.add("geo", (float(place.latitude), float(place.longitude)))
        calendar.add_component(event)
    first, last = window
    return ical.finish(calendar, first, last)
