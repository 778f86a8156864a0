"""Writes to the network. Views, admin actions, commands and tasks all call these functions."""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff, event_record, snapshot
from huizen.csv_upload import CsvRefused, ImportResult, LineError, not_a_number, parse_number, read_csv
from huizen.forms import FIRST_DAY, LAST_DAY

from .models import (
    House,
    HouseManagement,
    Neighbourhood,
    NeighbourhoodIndex,
    Organisation,
    RenterTier,
    Room,
    RoomOccupancy,
    RoomRate,
    SignalReaders,
    StaleDay,
)
from .selectors import claims_overlapping, managements_on


def house_management_change(
    *, house: House, management_type: str, operator: Organisation, starts_on: dt.date, by
) -> HouseManagement:
    """Hand a house to another operator or management type from `starts_on`; the running period ends that day.

    The history is kept: earlier periods stay as they were, so reports over past quarters stay right. A start
    outside 2000-2099 is a typing error (0001-01-01 or 9999-12-31 was once stored) and is refused.
    """
    if not FIRST_DAY <= starts_on <= LAST_DAY:
        raise ValidationError(
            {"starts_on": _("A management period starts between 2000 and 2099.")}, code="out_of_range"
        )
    with transaction.atomic():
        House.objects.select_for_update().filter(pk=house.pk).first()  # one change per house at a time
        if HouseManagement.objects.filter(house=house, valid_from__gte=starts_on).exists():
            raise ValidationError(
                _("A management period of this house already starts on or after this date. Change that one instead.")
            )
        running = managements_on(starts_on).filter(house=house).select_related("operator").first()
        before = {}
        if running is not None:
            before = {"management_type": running.management_type, "operator": running.operator.name}
            running.valid_until = starts_on
            running.full_clean()
            running.save(update_fields=["valid_until"])
        period = HouseManagement(house=house, management_type=management_type, operator=operator, valid_from=starts_on)
        period.full_clean()
        period.save()
        event_record(
            by=by,
            action="house_management.change",
            obj=period,
            house=house,
            label=house.name,
            changes={
                **diff(before, {"management_type": management_type, "operator": operator.name}),
                "valid_from": starts_on,
                "previous_until": starts_on if running is not None else None,
            },
        )
    return period


def house_signal_readers_set(*, house: House, signal_readers: str, by) -> bool:
    """Name who sees the signals noted in `house` (`SignalReaders`). Returns whether it changed; an unchanged
    choice records nothing. Who may call it is the policy's Action.SET_SIGNAL_READERS."""
    if signal_readers not in SignalReaders.values:
        raise ValidationError({"signal_readers": _("Choose who sees the signals from the list.")}, code="invalid")
    with transaction.atomic():
        stored = House.objects.select_for_update().get(pk=house.pk)
        before = stored.signal_readers
        house.signal_readers = signal_readers
        if before == signal_readers:
            return False
        stored.signal_readers = signal_readers
        stored.save(update_fields=["signal_readers"])
        event_record(
            by=by,
            action="house.signal_readers",
            obj=stored,
            house=stored,
            changes={"signal_readers": [before, signal_readers]},
        )
    return True


class RoomTaken(ValidationError):
    """The room is already claimed for (part of) that time."""


def _check_room_free(*, room: Room, start: dt.datetime, end: dt.datetime, ignore: RoomOccupancy | None = None):
    if end <= start:
        raise ValidationError(_("The end must be after the start."))
    clashes = claims_overlapping(RoomOccupancy.objects.filter(room=room), start=start, end=end)
    if ignore is not None:
        clashes = clashes.exclude(pk=ignore.pk)
    if clashes.exists():
        raise RoomTaken(_("%(room)s is already in use at that time.") % {"room": room.name}, code="room_taken")


def room_claim(*, room: Room, start: dt.datetime, end: dt.datetime, kind: str) -> RoomOccupancy:
    """Claim `room` from `start` to `end`, or raise RoomTaken. Call inside the caller's transaction.

    The room row is locked first, so two claims on one room are checked one after the other (SQLite takes its
    write lock at the start of the transaction); PostgreSQL's exclusion constraint is the last line of defence.
    """
    Room.objects.select_for_update().filter(pk=room.pk).first()
    _check_room_free(room=room, start=start, end=end)
    try:
        with transaction.atomic():
            return RoomOccupancy.objects.create(room=room, start=start, end=end, kind=kind)
    except IntegrityError:  # the exclusion constraint caught what the check could not see
        raise RoomTaken(
            _("%(room)s is already in use at that time.") % {"room": room.name}, code="room_taken"
        ) from None


def room_claim_series(
    *, room: Room, ranges: list[tuple[dt.datetime, dt.datetime]], kind: str
) -> tuple[list[RoomOccupancy], list[tuple[dt.datetime, dt.datetime]]]:
    """Claim `room` for many ranges at once (a weekly series): one lock, one read, one insert.

    Returns (claims made, ranges refused because the room is taken or they overlap each other). Nothing is
    claimed when a caller treats any refusal as fatal and rolls its transaction back."""
    if not ranges:
        return [], []
    if any(end <= start for start, end in ranges):
        raise ValidationError(_("The end must be after the start."))
    Room.objects.select_for_update().filter(pk=room.pk).first()
    first, last = min(start for start, _end in ranges), max(end for _start, end in ranges)
    taken = list(
        claims_overlapping(RoomOccupancy.objects.filter(room=room), start=first, end=last).values_list("start", "end")
    )
    accepted, refused = [], []
    for start, end in sorted(ranges):
        if any(start < other_end and end > other_start for other_start, other_end in taken):
            refused.append((start, end))
        else:
            accepted.append((start, end))
            taken.append((start, end))
    claims = RoomOccupancy.objects.bulk_create(
        [RoomOccupancy(room=room, start=start, end=end, kind=kind) for start, end in accepted]
    )
    return claims, refused


def room_claim_move(*, occupancy: RoomOccupancy, room: Room, start: dt.datetime, end: dt.datetime) -> RoomOccupancy:
    """Move a claim to another time (or room), or raise RoomTaken and leave it where it was."""
    Room.objects.select_for_update().filter(pk=room.pk).first()
    _check_room_free(room=room, start=start, end=end, ignore=occupancy)
    occupancy.room, occupancy.start, occupancy.end = room, start, end
    occupancy.save(update_fields=["room", "start", "end"])
    return occupancy


def room_release(*, occupancy: RoomOccupancy) -> None:
    occupancy.delete()


HOUSE_RENTAL_FIELDS = ["cancellation_days", "party_deposit", "house_rules"]
ROOM_RENTAL_FIELDS = [
    "requires_approval",
    "evening_use",
    "min_booking_minutes",
    "max_booking_minutes",
    "book_ahead_days",
]


@transaction.atomic
def rental_terms_update(*, house: House, terms: dict, rooms: dict[int, dict], by) -> None:
    """The house's own rental terms and, per room, whether requests need approval, evening use, the shortest and
    longest booking and how far ahead. All or nothing: any invalid value raises and nothing is saved.

    The house is read again (and locked) before the change: the caller's `house` may already carry the new values
    (a validated ModelForm writes them onto its instance), so only the stored row says what they were before."""
    errors = {}
    changes = {}
    stored = House.objects.select_for_update().get(pk=house.pk)
    before = snapshot(stored, [field for field in terms if field in HOUSE_RENTAL_FIELDS])
    for field, value in terms.items():
        if field not in HOUSE_RENTAL_FIELDS:
            raise ValueError(field)
        setattr(stored, field, value)
    changes.update(diff(before, snapshot(stored, list(before))))
    try:
        stored.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    changed_rooms = []
    for room in Room.objects.filter(place__house=house, pk__in=list(rooms)):
        room_before = snapshot(room, ROOM_RENTAL_FIELDS)
        for field, value in rooms[room.pk].items():
            if field not in ROOM_RENTAL_FIELDS:
                raise ValueError(field)
            setattr(room, field, value)
        changes.update(
            {
                f"{room.name}: {field}": pair
                for field, pair in diff(room_before, snapshot(room, ROOM_RENTAL_FIELDS)).items()
            }
        )
        try:
            room.full_clean()
        except ValidationError as error:
            errors.update({f"room-{room.pk}-{field}": messages for field, messages in error.message_dict.items()})
        changed_rooms.append(room)
    if errors:
        raise ValidationError(errors)
    stored.save(update_fields=list(terms))
    for field in terms:
        setattr(house, field, getattr(stored, field))
    for room in changed_rooms:
        room.save(update_fields=ROOM_RENTAL_FIELDS)
    event_record(by=by, action="rental_terms.update", obj=stored, house=stored, changes=changes)


def days_changed(*, house_id: int, days) -> None:
    """Mark days of a house whose figures (visits, sessions, bookings, opening hours) changed, so the rollups
    derive them again. Call it inside the transaction of the change; marking a day twice is one mark."""
    now = timezone.now()
    marks = [StaleDay(house_id=house_id, day=day, marked_at=now) for day in sorted(set(days))]
    if marks:
        StaleDay.objects.bulk_create(
            marks, update_conflicts=True, unique_fields=["house", "day"], update_fields=["marked_at"]
        )


NEIGHBOURHOOD_COLUMNS = ("wijk", "jaar", "inwoners", "sociale_index")
LARGEST_POPULATION = 10_000_000
LARGEST_SOCIAL_INDEX = Decimal(300)


def _read_neighbourhood_line(number: int, values: dict[str, str], wijken: dict[str, Neighbourhood], seen: dict):
    """((neighbourhood, year, population or None, social index), errors) of one line of the file."""
    errors: list[LineError] = []
    wijk = wijken.get(values["wijk"].upper()) or wijken.get(values["wijk"].lower())
    if wijk is None:
        message = (
            _("Unknown wijk “%(wijk)s”: use its CBS code (WK059901) or the name in its address here (slug).")
            % {"wijk": values["wijk"][:60]}
            if values["wijk"]
            else _("Fill in the wijk: its CBS code (WK059901) or the name in its address here (slug).")
        )
        errors.append(LineError(number, message, "wijk"))
    year = None
    if not re.fullmatch(r"[0-9]{4}", values["jaar"]) or not 2000 <= int(values["jaar"]) <= 2099:
        errors.append(LineError(number, _("Choose a year between 2000 and 2099."), "jaar"))
    else:
        year = int(values["jaar"])
    population = None
    if values["inwoners"]:
        try:
            population = int(parse_number(values["inwoners"], decimals=0))
        except ValueError:
            errors.append(LineError(number, not_a_number(values["inwoners"], decimals=0), "inwoners"))
        else:
            if population < 0:
                errors.append(LineError(number, _("A number of inhabitants cannot be negative."), "inwoners"))
            elif population > LARGEST_POPULATION:
                errors.append(LineError(number, _("This number is too large for a wijk."), "inwoners"))
    social_index = None
    if not values["sociale_index"]:
        errors.append(LineError(number, _("Fill in the social index."), "sociale_index"))
    else:
        try:
            social_index = parse_number(values["sociale_index"], decimals=1)
        except ValueError:
            errors.append(LineError(number, not_a_number(values["sociale_index"], decimals=1), "sociale_index"))
        else:
            if not 0 <= social_index <= LARGEST_SOCIAL_INDEX:
                errors.append(LineError(number, _("A social index lies between 0 and 300."), "sociale_index"))
    if wijk is not None and year is not None:
        key = (wijk.pk, year)
        if key in seen:
            message = _("This wijk and year are on line %(line)d already.") % {"line": seen[key]}
            errors.append(LineError(number, message))
        seen.setdefault(key, number)
    return (wijk, year, population, social_index), errors


def neighbourhood_figures_import(*, file, by) -> ImportResult:
    """Population and social index per wijk per year from a CSV file (columns wijk, jaar, inwoners,
    sociale_index; the wijk by CBS code or slug; see the README). All or nothing: the result lists every problem
    with its line number and then nothing is saved. An empty `inwoners` leaves the stored number as it is. Each
    wijk's own population becomes that of its latest year with a number. One "neighbourhood_index.import" event
    sums it up."""
    try:
        table = read_csv(file, required=NEIGHBOURHOOD_COLUMNS)
    except CsvRefused as refused:
        return ImportResult(errors=refused.errors)
    wijken: dict[str, Neighbourhood] = {}
    for wijk in Neighbourhood.objects.only("pk", "slug", "cbs_code", "name", "population"):
        wijken[wijk.cbs_code.upper()] = wijk
        wijken[wijk.slug.lower()] = wijk
    rows, errors, seen = [], [], {}
    for number, values in table.rows:
        row, line_errors = _read_neighbourhood_line(number, values, wijken, seen)
        rows.append(row)
        errors.extend(line_errors)
    if errors:
        return ImportResult(errors=errors, lines=len(table.rows))
    result = ImportResult(lines=len(rows))
    with transaction.atomic():
        stored = {
            (index.neighbourhood_id, index.year): index
            for index in NeighbourhoodIndex.objects.select_for_update().filter(
                neighbourhood__in={wijk.pk for wijk, *_rest in rows}
            )
        }
        for wijk, year, population, social_index in rows:
            index = stored.get((wijk.pk, year))
            if index is None:
                index = NeighbourhoodIndex(
                    neighbourhood=wijk, year=year, population=population, social_index=social_index
                )
                index.full_clean()
                index.save()
                result.created += 1
                continue
            new = {"social_index": social_index}
            if population is not None:
                new["population"] = population
            if not diff(snapshot(index, list(new)), new):
                result.unchanged += 1
                continue
            for name, value in new.items():
                setattr(index, name, value)
            index.full_clean()
            index.save(update_fields=list(new))
            result.changed += 1
        touched = {wijk.pk: wijk for wijk, *_rest in rows}
        latest: dict[int, int] = {}
        for wijk_id, population in (
            NeighbourhoodIndex.objects.filter(neighbourhood__in=list(touched), population__isnull=False)
            .order_by("neighbourhood_id", "year")
            .values_list("neighbourhood_id", "population")
        ):
            latest[wijk_id] = population  # the last one read is the latest year
        populations = {}
        for wijk_id, population in latest.items():
            wijk = touched[wijk_id]
            if wijk.population != population:
                populations[wijk.cbs_code] = [wijk.population, population]
                Neighbourhood.objects.filter(pk=wijk_id).update(population=population)
        event_record(
            by=by,
            action="neighbourhood_index.import",
            label=_("Neighbourhood figures from a CSV file"),
            changes={
                "lines": result.lines,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "population": populations,
            },
        )
    return result


# --- Rate cards (issue 9, coordinators) ---------------------------------------------------------------------

RATE_MAX = Decimal("10000")
RATE_FIELDS = ("per_hour", "per_day_part")


def _rate_problem(amount) -> str:
    """What is wrong with an amount of a rate card ('' when it is fine)."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return _("Enter an amount in euros, such as 12.50.")
    if amount < 0:
        return _("An amount cannot be below 0.")
    if amount > RATE_MAX:
        return _("Enter an amount of at most 10,000 euros.")
    if amount != amount.quantize(Decimal("0.01")):
        return _("Enter at most 2 decimals (whole cents).")
    return ""


@transaction.atomic
def room_rates_update(*, house: House, rates: dict[int, dict[str, tuple[Decimal, Decimal] | None]], by) -> int:
    """The rate cards of rooms of `house`: per room (by id) and renter tier the new (per hour, per day part), or
    None when the room is no longer rented to that tier; tiers left out stay as they are. All or nothing: a bad
    amount raises (keys "room-<id>-<tier>-per_hour" and "-per_day_part") and nothing is saved. One history event
    holds the old and new amounts. Bookings already made keep their price: each booking stores its own.
    Returns how many rates were added, changed or removed."""
    rooms = {
        room.pk: room
        for room in Room.objects.select_for_update(of=("self",))
        .select_related("place")
        .filter(place__house=house, pk__in=list(rates))
    }
    if set(rates) - set(rooms):
        raise ValidationError(_("This room is not one of this house's rooms."))
    stored = {(rate.room_id, rate.tier): rate for rate in RoomRate.objects.select_for_update().filter(room__in=rooms)}
    errors: dict[str, list[str]] = {}
    changes: dict[str, list] = {}
    create, update, delete = [], [], []
    for room_id, tiers in rates.items():
        room = rooms[room_id]
        for tier, amounts in tiers.items():
            if tier not in RenterTier.values:
                raise ValueError(tier)
            rate = stored.get((room_id, tier))
            old = (None, None) if rate is None else (rate.per_hour, rate.per_day_part)
            if amounts is None:
                new = (None, None)
                if rate is not None:
                    delete.append(rate.pk)
            else:
                for field, amount in zip(RATE_FIELDS, amounts, strict=True):
                    if problem := _rate_problem(amount):
                        errors.setdefault(f"room-{room_id}-{tier}-{field}", []).append(problem)
                if any(key.startswith(f"room-{room_id}-{tier}-") for key in errors):
                    continue
                new = tuple(amount.quantize(Decimal("0.01")) for amount in amounts)
                if rate is None:
                    create.append(RoomRate(room=room, tier=tier, per_hour=new[0], per_day_part=new[1]))
                elif old != new:
                    rate.per_hour, rate.per_day_part = new
                    update.append(rate)
            # As the history reads it: "Grote zaal (Het Klooster): social per hour: 10.00 -> 12.50".
            for field, before, after in zip(RATE_FIELDS, old, new, strict=True):
                if before != after:
                    changes[f"{room.name} ({room.place.name}): {tier} {field}"] = [before, after]
    if errors:
        raise ValidationError(errors)
    RoomRate.objects.filter(pk__in=delete).delete()
    for rate in update:
        rate.save(update_fields=["per_hour", "per_day_part"])
    RoomRate.objects.bulk_create(create)
    if changes:
        event_record(by=by, action="room_rates.update", obj=house, house=house, changes=changes)
    return len(create) + len(update) + len(delete)
