"""Reads of privacy: retention. Every category of `privacy.retention.CATEGORIES` with the period in force (the
administrator's choice, or the default), read in one query, for the admin page, the privacy statement and the
register of processing activities alike."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import RetentionPeriod
from ..retention import CATEGORIES, YEAR, Category


@dataclass(frozen=True)
class CategoryPeriod:
    category: Category
    days: int
    changed: RetentionPeriod | None  # the administrator's choice, when there is one

    @property
    def is_default(self) -> bool:
        return self.changed is None

    @property
    def amount(self) -> str:
        return period_amount(self.days)

    @property
    def in_words(self) -> str:
        return period_in_words(self.days, self.category)

    @property
    def default_in_words(self) -> str:
        return period_amount(self.category.default_days)

    @property
    def limits_in_words(self) -> str:
        return _("from %(min)s to %(max)s") % {
            "min": period_amount(self.category.min_days),
            "max": period_amount(self.category.max_days),
        }


def period_amount(days: int) -> str:
    """ "7 jaar" for a whole number of years, else "400 dagen"."""
    if days % YEAR == 0:
        years = days // YEAR
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def period_in_words(days: int, category: Category) -> str:
    """ "400 dagen na de activiteit"."""
    return _("%(amount)s %(starts)s") % {"amount": period_amount(days), "starts": category.starts}


def category_periods() -> list[CategoryPeriod]:
    """Every category in the order of the registry, with its period in force (one query)."""
    chosen = {row.category: row for row in RetentionPeriod.objects.select_related("changed_by")}
    return [
        CategoryPeriod(
            category=category,
            days=chosen[category.key].days if category.key in chosen else category.default_days,
            changed=chosen.get(category.key),
        )
        for category in CATEGORIES
    ]
