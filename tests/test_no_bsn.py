"""No BSN, ever (the AVG and the Autoriteit Persoonsgegevens' line on the social domain): no model, form or
database column may hold a citizen service number (burgerservicenummer, formerly sofinummer) under any name.
Help texts are not checked: they may say "do not write a BSN here" (the signal form does).

Three walks, so a field added later is caught wherever it is added: every model (field names, database columns and
verbose names, in English and in Dutch), every Form class in the modules of our apps (declared
fields and their labels), and every column of every table of the test database as it really is (migrations
included). A failure names the model, form or table and column."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import translation

# Words for the number, split on anything that is not a letter (so "resident_bsn" and "BSN-nummer" are caught,
# "absent" is not).
FORBIDDEN = re.compile(
    r"(?<![a-z])(bsn|burger\s*service\s*nummer|sofi\s*nummer|sofi|citizen\s*service\s*number|social\s*security)"
    r"(?![a-z])"
)


def forbidden(text) -> bool:
    return bool(FORBIDDEN.search(re.sub(r"[^a-z]+", " ", str(text or "").lower()).replace("  ", " ")))


def our_app_configs():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts and "site-packages" not in path.parts:
            yield config


def texts_of_field(field) -> list[str]:
    texts = [field.name, getattr(field, "attname", ""), getattr(field, "db_column", "") or ""]
    if getattr(field, "column", None):
        texts.append(field.column)
    for language in ("en", "nl"):
        with translation.override(language):
            texts.append(str(getattr(field, "verbose_name", "") or ""))
    return texts


def test_the_check_catches_every_way_of_writing_it():
    for name in (
        "bsn",
        "resident_bsn",
        "BSN-nummer",
        "burgerservicenummer",
        "Burger service nummer",
        "sofinummer",
        "sofi_number",
        "citizen_service_number",
        "Social security number",
    ):
        assert forbidden(name), name
    for name in ("absent", "subsidy", "jobs_nearby", "email", "sofa", "social index"):
        assert not forbidden(name), name


def test_no_model_has_a_bsn_field():
    found = []
    for model in apps.get_models(include_auto_created=True):
        model_texts = [model.__name__, model._meta.db_table]
        for language in ("en", "nl"):
            with translation.override(language):
                model_texts += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
        found += [f"{model._meta.label}: {text!r}" for text in model_texts if forbidden(text)]
        for field in model._meta.get_fields(include_hidden=True):
            found += [
                f"{model._meta.label}.{field.name}: {text!r}" for text in texts_of_field(field) if forbidden(text)
            ]
    assert not found, "A BSN field in a model: " + "; ".join(found)


def _form_classes():
    """Every Form class defined in a module of our apps (walked, so a new forms module is included)."""
    seen = {}
    for config in our_app_configs():
        package = importlib.import_module(config.name)
        modules = [package]
        if hasattr(package, "__path__"):
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
                if ".migrations" in info.name or info.name.endswith(".tests") or ".management." in info.name:
                    continue
                modules.append(importlib.import_module(info.name))
        for module in modules:
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__.split(".")[0] == config.name
                ):
                    seen[f"{value.__module__}.{value.__qualname__}"] = value
    return seen


def test_the_walk_finds_the_forms_of_every_app():
    names = _form_classes()
    for expected in ("activities.forms.SignalForm", "locations.forms.SignalReadersForm", "bookings.forms."):
        assert any(name.startswith(expected) for name in names), expected
    assert len(names) > 20


@pytest.mark.django_db
def test_no_form_has_a_bsn_field():
    found = []
    for name, form_class in sorted(_form_classes().items()):
        for field_name, field in getattr(form_class, "base_fields", {}).items():
            texts = [field_name]
            for language in ("en", "nl"):
                with translation.override(language):
                    texts.append(str(field.label or ""))
            found += [f"{name}.{field_name}: {text!r}" for text in texts if forbidden(text)]
    assert not found, "A BSN field in a form: " + "; ".join(found)


@pytest.mark.django_db
def test_no_database_column_holds_a_bsn():
    found = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert "locations_house" in tables
        for table in tables:
            if forbidden(table):
                found.append(table)
            for column in connection.introspection.get_table_description(cursor, table):
                if forbidden(column.name):
                    found.append(f"{table}.{column.name}")
    assert not found, "A BSN column in the database: " + ", ".join(found)
