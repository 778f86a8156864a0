"""Retention periods: changing one (within its legal limits) and applying every category (the daily task).
See `privacy.retention` for the definitions."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.services import event_record

from ..models import RetentionPeriod
from ..retention import BY_KEY, CATEGORIES
from ..selectors.retention import period_amount

logger = logging.getLogger(__name__)


def retention_days(key: str) -> int:
    """The period in force for category `key`: the administrator's choice, or the category's default."""
    category = BY_KEY[key]
    days = RetentionPeriod.objects.filter(category=key).values_list("days", flat=True).first()
    return category.default_days if days is None else days


def _whole_days(days) -> int:
    if isinstance(days, bool):
        raise ValidationError({"days": _("Fill in a whole number of days.")})
    if isinstance(days, int):
        return days
    try:
        return int(str(days).strip())
    except (TypeError, ValueError):
        raise ValidationError({"days": _("Fill in a whole number of days.")}) from None


def retention_period_set(*, category: str, days, by) -> RetentionPeriod:
    """Keep category `category` for `days` days from now on; refused (nothing saved) outside the category's legal
    limits. Recorded as "retention.set" with the old and new period."""
    if category not in BY_KEY:
        raise ValidationError({"category": _("This kind of data does not exist.")})
    definition = BY_KEY[category]
    days = _whole_days(days)
    if not definition.min_days <= days <= definition.max_days:
        raise ValidationError(
            {
                "days": _("Choose a period from %(min)d to %(max)d days (%(min_words)s to %(max_words)s): %(why)s")
                % {
                    "min": definition.min_days,
                    "max": definition.max_days,
                    "min_words": period_amount(definition.min_days),
                    "max_words": period_amount(definition.max_days),
                    "why": definition.limits,
                }
            }
        )
    with transaction.atomic():
        period = RetentionPeriod.objects.select_for_update().filter(category=category).first()
        created = False
        if period is None:
            # The first choice for the category. Two first saves at once: the later insert meets the unique category,
            # rolls back to its savepoint and changes the row the other one made instead.
            try:
                with transaction.atomic():
                    period = RetentionPeriod.objects.create(
                        category=category, days=days, changed_at=timezone.now(), changed_by=by
                    )
                created = True
            except IntegrityError:
                period = RetentionPeriod.objects.select_for_update().get(category=category)
        old = definition.default_days if created else period.days
        if not created:
            period.days, period.changed_at, period.changed_by = days, timezone.now(), by
            period.save(update_fields=["days", "changed_at", "changed_by"])
        event_record(
            by=by,
            action="retention.set",
            obj=period,
            label=str(definition.name),
            changes={"category": category, "days": [old, days]},
        )
    return period


def retention_apply(*, by, now: dt.datetime | None = None) -> dict[str, int | None]:
    """Apply every category with its period in force: each in its own transaction, so one that fails (logged at
    ERROR, its count None) does not stop the others. Records one "retention.apply" event with the count per
    category (how many records each removed or anonymised). Safe to run twice: the second run touches nothing."""
    now = now or timezone.now()
    chosen = dict(RetentionPeriod.objects.values_list("category", "days"))
    counts: dict[str, int | None] = {}
    for category in CATEGORIES:
        days = chosen.get(category.key, category.default_days)
        try:
            apply = import_string(category.apply)
            with transaction.atomic():
                counts[category.key] = apply(by=by, now=now, days=days)
        except Exception:
            logger.exception("Retention category %s (%s) failed", category.key, category.apply)
            counts[category.key] = None
    with transaction.atomic():
        event_record(
            by=by,
            action="retention.apply",
            changes={"counts": counts, "failed": [key for key, count in counts.items() if count is None]},
        )
    return counts
