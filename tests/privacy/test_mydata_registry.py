"""The download cannot forget a model: every field pointing at the user model is in the registry."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from privacy.selectors.mydata import LINKS, link_for


def _user_links():
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                yield model, field


def test_every_field_linking_to_a_user_is_in_the_registry():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in _user_links()
        if link_for(model._meta.label, field.name) is None
    ]
    assert not missing, (
        "These fields point at the user but are not in privacy.selectors.mydata.LINKS: "
        + ", ".join(missing)
        + ". Add a Link for each: the fields the person's download holds, or why it holds none."
    )


def test_there_are_many_links_to_walk():
    assert len(list(_user_links())) >= 35


@pytest.mark.parametrize("link", LINKS, ids=lambda link: f"{link.model}.{link.path}")
def test_each_link_exports_fields_or_says_why_not(link):
    assert link.exported or link.why
    if link.exported:
        assert link.section
    try:
        model = apps.get_model(link.model)
    except LookupError:  # an app not installed yet (allauth's mfa, usersessions): its link waits for it
        return
    # Every exported field and the path exist (a query is built, not run).
    str(model.objects.filter(**{link.path: 1}).values(*link.fields).query)
