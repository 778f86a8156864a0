"""Writes of reporting: targets (resultaatafspraken), their CSV import, and the coordinators' explanations.

Every write takes its actor as `by` and records an audit event in its own transaction, as the other apps do.
"""

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.services import diff, event_record, snapshot, user_of
from huizen.csv_upload import CsvRefused, ImportResult, LineError, not_a_number, parse_number, read_csv
from huizen.text import plain_text
from locations.models import House

from .indicators import BY_CODE, Aggregation, Indicator, Unit
from .models import Explanation, Target
from .selectors import Period

FIRST_YEAR, LAST_YEAR = 2000, 2099
CENT = Decimal("0.01")
LARGEST = Decimal("999999999999.99")  # what Target's fields hold (14 digits, 2 decimals)
HUNDRED = Decimal(100)
QUARTERS = ("q1", "q2", "q3", "q4")
TARGET_FIELDS = ["value", *QUARTERS]
NETWORK = "netwerk"  # the house column (and the page address) of a network-wide target


# --- Targets ------------------------------------------------------------------------------------------------


def shown(value: Decimal) -> str:
    """A target as people read it: 1000, 12,5 (in Dutch)."""
    if value == value.to_integral_value():
        return formats.number_format(int(value))
    value = value.quantize(CENT)
    return formats.number_format(value, 1 if value == value.quantize(Decimal("0.1")) else 2)


def step_of(indicator: Indicator) -> Decimal:
    """The smallest part a target is split into: a count in whole visits or sessions, hours and euros in cents."""
    return Decimal(1) if indicator.unit == Unit.COUNT else CENT


def split_evenly(indicator: Indicator, value: Decimal) -> list[Decimal]:
    """The year's target over the four quarters. A percentage (a ratio) is the same every quarter. A sum is split
    in equal parts (whole numbers for counts, cents otherwise); what remains goes to the last quarters, one step
    each, so the four add up exactly to the year: 1001 visits are 250, 250, 250 and 251; 1002 are 250, 250, 251,
    251. A number of distinct people is split the same way (a quarter's share of the year's people)."""
    if indicator.aggregation == Aggregation.RATIO:
        return [value] * 4
    step = step_of(indicator)
    steps = int((value / step).to_integral_value(rounding=ROUND_DOWN))
    base, rest = divmod(steps, 4)
    return [((base + (1 if quarter >= 4 - rest else 0)) * step).quantize(CENT) for quarter in range(4)]


def _amount_problem(indicator: Indicator, value: Decimal) -> str | None:
    """What is wrong with `value` as a target (of the year or of a quarter) of `indicator`, if anything."""
    if not value.is_finite():
        return _("This is not a number.")
    if value < 0:
        return _("A target cannot be negative.")
    if value > LARGEST:
        return _("This number is too large.")
    if value != value.quantize(CENT):
        return _("Use at most two decimals.")
    if indicator.unit == Unit.PERCENT and value > HUNDRED:
        return _("A percentage is at most 100.")
    if indicator.unit == Unit.COUNT and value != value.to_integral_value():
        return _("This indicator counts: use a whole number.")
    return None


def target_check(
    *, indicator: str, year: int, value: Decimal, quarters: Sequence[Decimal] | None
) -> tuple[Indicator, Decimal, list[Decimal]]:
    """Check a target and work out its quarters: (the indicator, the year's value, the four quarters), or a
    ValidationError with every problem, keyed by field: indicator, year, value, q1 … q4 (and the quarters that do
    not add up as a general error)."""
    errors: dict[str, list[str]] = {}
    definition = BY_CODE.get(indicator)
    if definition is None:
        raise ValidationError({"indicator": _("Unknown indicator “%(code)s”.") % {"code": str(indicator)[:40]}})
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [_("Choose a year between 2000 and 2099.")]
    value = Decimal(value)
    if problem := _amount_problem(definition, value):
        errors["value"] = [problem]
    if quarters is None:
        if "value" not in errors:
            quarters = split_evenly(definition, value)
    else:
        quarters = [Decimal(quarter) for quarter in quarters]
        if len(quarters) != 4:
            raise ValueError("A year has four quarters.")
        for name, quarter in zip(QUARTERS, quarters, strict=True):
            if problem := _amount_problem(definition, quarter):
                errors[name] = [problem]
        if not errors:
            if definition.aggregation == Aggregation.SUM and sum(quarters) != value:
                errors[NON_FIELD_ERRORS] = [
                    _(
                        "The four quarters add up to %(sum)s, not to the year's %(value)s. Make them add up, or "
                        "split the year evenly."
                    )
                    % {"sum": shown(sum(quarters)), "value": shown(value)}
                ]
            elif definition.aggregation == Aggregation.DISTINCT:
                for name, quarter in zip(QUARTERS, quarters, strict=True):
                    if quarter > value:
                        errors[name] = [
                            _("A quarter cannot have more people than the year: each person counts once a year.")
                        ]
    if errors:
        raise ValidationError(errors)
    return definition, value.quantize(CENT), [quarter.quantize(CENT) for quarter in quarters]


def _label(definition: Indicator, year: int, house: House | None) -> str:
    where = house.name if house is not None else _("the whole network")
    return f"{definition.name} {year}, {where}"


def _target_write(
    *, house: House | None, indicator: str, year: int, value: Decimal, quarters: Sequence[Decimal] | None, by
) -> tuple[Target, bool]:
    definition, value, quarters = target_check(indicator=indicator, year=year, value=value, quarters=quarters)
    new = dict(zip(TARGET_FIELDS, [value, *quarters], strict=True))
    with transaction.atomic():
        lookup = {"house": house, "indicator": indicator, "year": year}
        target = Target.objects.select_for_update().filter(**lookup).first()
        before = {} if target is None else snapshot(target, TARGET_FIELDS)
        if target is not None and not diff(before, new):
            return target, False
        stamp = {"updated_at": timezone.now(), "updated_by": user_of(by)}
        if target is None:
            try:
                with transaction.atomic():
                    target = Target.objects.create(**lookup, **new, **stamp)
            except IntegrityError:  # set by someone else at the same moment: change theirs
                target = Target.objects.select_for_update().get(**lookup)
                before = snapshot(target, TARGET_FIELDS)
                if not diff(before, new):
                    return target, False
        if before:
            for name, amount in {**new, **stamp}.items():
                setattr(target, name, amount)
            target.save(update_fields=[*TARGET_FIELDS, "updated_at", "updated_by"])
        event_record(
            by=by,
            action="target.set",
            obj=target,
            house=house,
            label=_label(definition, year, house),
            changes=diff(before, new),
        )
    return target, True


def target_set(
    *,
    house: House | None,
    indicator: str,
    year: int,
    value: Decimal,
    quarters: Sequence[Decimal] | None = None,
    by,
) -> Target:
    """Set the target of `house` (None: the whole network) for `indicator` in `year`. Without `quarters` the year
    is split evenly (`split_evenly`); given by hand, the four quarters of a sum must add up to the year. A
    percentage is at most 100. Records "target.set" with the old and new values; setting the same values again
    changes and records nothing."""
    target, _changed = _target_write(house=house, indicator=indicator, year=year, value=value, quarters=quarters, by=by)
    return target


TARGET_COLUMNS = ("huis", "indicator", "jaar", "doel")
QUARTER_COLUMNS = ("k1", "k2", "k3", "k4")
FIELD_COLUMNS = {
    "indicator": "indicator",
    "year": "jaar",
    "value": "doel",
    **dict(zip(QUARTERS, QUARTER_COLUMNS, strict=True)),
}


def _unknown_target_column(name: str) -> str | None:
    if len(name) == 2 and name[0] in "kq" and name[1].isdecimal():
        return _("There is no quarter “%(name)s”: a year has the quarters k1, k2, k3 and k4.") % {"name": name}
    return None


def _read_target_line(number: int, values: dict[str, str], houses: dict[str, House], seen: dict) -> tuple:
    """(the target of one line as keyword arguments of target_set, its errors)."""
    errors: list[LineError] = []
    slug = values["huis"].lower()
    house = None
    if not slug:  # a forgotten house must not quietly change the network's target
        errors.append(LineError(number, _("Fill in the house, or “netwerk” for the whole network."), "huis"))
    elif slug != NETWORK:
        house = houses.get(slug)
        if house is None:
            errors.append(LineError(number, _("Unknown house “%(slug)s”.") % {"slug": values["huis"][:60]}, "huis"))
    code = values["indicator"].lower()
    if code not in BY_CODE:
        errors.append(
            LineError(
                number,
                _("Unknown indicator “%(code)s”. The codes are in the example file and on this page.")
                % {"code": values["indicator"][:60]},
                "indicator",
            )
        )
    year = None
    if not re.fullmatch(r"[0-9]{4}", values["jaar"]) or not FIRST_YEAR <= int(values["jaar"]) <= LAST_YEAR:
        errors.append(LineError(number, _("Choose a year between 2000 and 2099."), "jaar"))
    else:
        year = int(values["jaar"])
    amounts = {}
    for column in ("doel", *QUARTER_COLUMNS):
        text = values.get(column, "")
        if column != "doel" and not text:
            continue
        if not text:
            errors.append(LineError(number, _("Fill in the target for the year."), column))
            continue
        try:
            amounts[column] = parse_number(text, decimals=2)
        except ValueError:
            errors.append(LineError(number, not_a_number(text, decimals=2), column))
    given = [column for column in QUARTER_COLUMNS if values.get(column, "")]
    if given and len(given) != 4:
        errors.append(
            LineError(number, _("Fill in all four quarters (k1 to k4), or none to split the year evenly."), "")
        )
    house_known = house is not None or slug == NETWORK
    if house_known and code in BY_CODE and year is not None:
        key = (house.pk if house else None, code, year)
        if key in seen:
            errors.append(LineError(number, _("This target is on line %(line)d already.") % {"line": seen[key]}))
        seen.setdefault(key, number)
    quarters_read = all(column in amounts for column in QUARTER_COLUMNS)
    arguments = {
        "house": house,
        "indicator": code,
        "year": year,
        "value": amounts.get("doel"),
        "quarters": [amounts[column] for column in QUARTER_COLUMNS] if quarters_read else None,
    }
    if code in BY_CODE and "doel" in amounts and (quarters_read or not given):
        try:
            target_check(indicator=code, year=year or FIRST_YEAR, value=amounts["doel"], quarters=arguments["quarters"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = FIELD_COLUMNS.get(name, "")
                errors.extend(LineError(number, message, column) for message in messages)
    return arguments, errors


def targets_import(*, file, by) -> ImportResult:
    """Set targets from a CSV file (columns huis, indicator, jaar, doel and optionally k1 … k4; see the README).
    All or nothing: the result lists every problem with its line number and then nothing is saved. Each target
    that changes is set through `target_set` (one "target.set" event each), and one "target.import" event
    sums the import up."""
    try:
        table = read_csv(file, required=TARGET_COLUMNS, optional=QUARTER_COLUMNS, unknown_column=_unknown_target_column)
    except CsvRefused as refused:
        return ImportResult(errors=refused.errors)
    has_quarters = [column for column in QUARTER_COLUMNS if column in table.columns]
    if has_quarters and len(has_quarters) != 4:
        missing = ", ".join(column for column in QUARTER_COLUMNS if column not in table.columns)
        return ImportResult(
            errors=[LineError(1, _("Give all four quarter columns (k1 to k4), or none. Missing: %s.") % missing)]
        )
    houses = {house.slug.lower(): house for house in House.objects.only("pk", "slug", "name")}
    rows, errors, seen = [], [], {}
    for number, values in table.rows:
        arguments, line_errors = _read_target_line(number, values, houses, seen)
        rows.append(arguments)
        errors.extend(line_errors)
    if errors:
        return ImportResult(errors=errors, lines=len(table.rows))
    result = ImportResult(lines=len(rows), years=sorted({row["year"] for row in rows}))
    with transaction.atomic():
        existing = set(
            Target.objects.filter(year__in={row["year"] for row in rows}).values_list("house_id", "indicator", "year")
        )
        for row in rows:
            _target, changed = _target_write(**row, by=by)
            if not changed:
                result.unchanged += 1
            elif (row["house"].pk if row["house"] else None, row["indicator"], row["year"]) in existing:
                result.changed += 1
            else:
                result.created += 1
        event_record(
            by=by,
            action="target.import",
            label=_("Targets from a CSV file"),
            changes={
                "lines": result.lines,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
            },
        )
    return result


# --- Explanations -------------------------------------------------------------------------------------------

EXPLANATION_MAX_LENGTH = 2000
EXPLANATION_DAYS_AFTER = 10  # the final report is built on the 11th day after the quarter


def explanation_window(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """From the quarter's first day until ten days after its last: the days a coordinator can explain it (the
    final report, built on the eleventh day, carries what they wrote)."""
    period = Period.quarter(year, quarter)
    first, last = period.start, period.end
    return first, last + dt.timedelta(days=EXPLANATION_DAYS_AFTER)


def explanation_open(year: int, quarter: int, today: dt.date | None = None) -> bool:
    first, last = explanation_window(year, quarter)
    return first <= (today or timezone.localdate()) <= last


def _explanation_text(text: str | None) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    try:
        plain_text(text)
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    if len(text) > EXPLANATION_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep the explanation to %(limit)d characters at most (now %(length)d).")
                % {"limit": EXPLANATION_MAX_LENGTH, "length": len(text)}
            },
            code="max_length",
        )
    return text


def _explanation_checks(*, indicator: str, year: int, quarter: int) -> Indicator:
    definition = BY_CODE.get(indicator)
    if definition is None:
        raise ValidationError({"indicator": _("Unknown indicator “%(code)s”.") % {"code": str(indicator)[:40]}})
    if not FIRST_YEAR <= year <= LAST_YEAR or quarter not in (1, 2, 3, 4):
        raise ValidationError(_("There is no such quarter."))
    first, last = explanation_window(year, quarter)
    today = timezone.localdate()
    if today < first:
        raise ValidationError(_("This quarter has not started yet: explain it once it runs."), code="too_early")
    if today > last:
        raise ValidationError(
            _(
                "Explanations of this quarter could be written until %(last)s, ten days after it ended; its final "
                "report has been made."
            )
            % {"last": formats.date_format(last, "j F Y")},
            code="too_late",
        )
    return definition


def _explanation_write(*, house: House, indicator: str, year: int, quarter: int, text: str, by) -> Explanation | None:
    definition = _explanation_checks(indicator=indicator, year=year, quarter=quarter)
    text = _explanation_text(text)
    label = f"{definition.name}, {year}Q{quarter}"
    lookup = {"house": house, "indicator": indicator, "year": year, "quarter": quarter}
    explanation = Explanation.objects.select_for_update().filter(**lookup).first()
    old = explanation.text if explanation is not None else ""
    if old == text:
        return explanation
    # The history says that the text changed and how long it is, not what it says: an explanation is the
    # house's own words to its financier, and it may mention people.
    changes = {"characters": [len(old) if old else None, len(text) if text else None]}
    if not text:
        event_record(by=by, action="explanation.set", obj=explanation, house=house, label=label, changes=changes)
        explanation.delete()
        return None
    stamp = {"text": text, "updated_at": timezone.now(), "updated_by": user_of(by)}
    if explanation is None:
        explanation = Explanation.objects.create(**lookup, **stamp)
    else:
        for name, value in stamp.items():
            setattr(explanation, name, value)
        explanation.save(update_fields=list(stamp))
    event_record(by=by, action="explanation.set", obj=explanation, house=house, label=label, changes=changes)
    return explanation


def explanation_set(*, house: House, indicator: str, year: int, quarter: int, text: str, by) -> Explanation | None:
    """The coordinator's explanation (toelichting) of `indicator` at `house` in a quarter: plain text of at most
    2,000 characters; empty text deletes it (and returns None). Allowed from the quarter's first day until ten
    days after its last (`explanation_window`); before or after, a ValidationError says why. Records
    "explanation.set" (with the length of the text, not the text); the same text again records nothing."""
    with transaction.atomic():
        return _explanation_write(house=house, indicator=indicator, year=year, quarter=quarter, text=text, by=by)


def explanations_set(*, house: House, year: int, quarter: int, texts: dict[str, str], by) -> int:
    """Set several explanations of one quarter at once (the page's form): all or nothing. Errors are keyed by
    indicator code. Returns how many changed."""
    errors: dict[str, list[str]] = {}
    changed = 0
    with transaction.atomic():
        current = {
            explanation.indicator: explanation.text
            for explanation in Explanation.objects.filter(house=house, year=year, quarter=quarter)
        }
        for indicator, text in texts.items():
            if _explanation_text_or_none(text) == current.get(indicator, ""):
                continue
            try:
                _explanation_write(house=house, indicator=indicator, year=year, quarter=quarter, text=text, by=by)
                changed += 1
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for messages in error.message_dict.values():
                        errors.setdefault(indicator, []).extend(messages)
                else:
                    errors.setdefault(NON_FIELD_ERRORS, []).extend(
                        message for message in error.messages if message not in errors.get(NON_FIELD_ERRORS, [])
                    )
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
    return changed


def _explanation_text_or_none(text: str | None) -> str | None:
    """The text as it would be stored, or None when it would be refused (so the write reports why)."""
    try:
        return _explanation_text(text)
    except ValidationError:
        return None
