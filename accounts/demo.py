"""Demo logins: one person per role, on top of the demo network of `locations.demo`.

Idempotent: a user is created only when missing and an existing password is never reset, so a second run
changes nothing. The names are fictional.
"""

from allauth.account.models import EmailAddress

from .models import HOUSE_ROLES, Role, RoleAssignment, User

DEMO_PASSWORD = "huizen-demo-2026"

WELFARE_ORGANISATION = "maaswijk-welzijn"  # the manager's organisation; it runs the coordinator's house
SOCIAL_HOUSE = "huis-van-de-wijk-het-klooster"
SELF_MANAGED_HOUSE = "huis-van-de-wijk-middelland"
MUNICIPALITY = "gemeente-rotterdam"

# (label, e-mail, first name, last name, role, scope: "house" or "organisation" slug, administrator)
PEOPLE = [
    ("Applicatiebeheerder", "beheerder@demo.huizen.nl", "Ruud", "Verhoeven", None, None, True),
    ("Gemeente (beleidsadviseur welzijn)", "gemeente@demo.huizen.nl", "Fatima", "El Amrani",
     Role.MUNICIPALITY, MUNICIPALITY, False),
    ("Manager welzijnsorganisatie", "manager@demo.huizen.nl", "Marieke", "van Dijk",
     Role.MANAGER, WELFARE_ORGANISATION, False),
    ("Coördinator (sociaal beheer)", "coordinator@demo.huizen.nl", "Orlando", "Martis",
     Role.COORDINATOR, SOCIAL_HOUSE, False),
    ("Gastvrouw", "gastvrouw@demo.huizen.nl", "Ans", "de Jong", Role.HOST, SOCIAL_HOUSE, False),
    ("Coördinator (zelfbeheer, bewoner)", "bewoner.middelland@demo.huizen.nl", "Youssef", "Bouzid",
     Role.COORDINATOR, SELF_MANAGED_HOUSE, False),
    ("Professional (mantelzorgconsulent)", "professional@demo.huizen.nl", "Lotte", "Brouwer",
     Role.PROFESSIONAL, SOCIAL_HOUSE, False),
    ("Bewoner", "bewoner@demo.huizen.nl", "Emma", "Janssen", None, None, False),
    # A resident who volunteers at the coordinator's house (made a volunteer by volunteers.demo).
    ("Vrijwilliger (bewoner)", "vrijwilliger@demo.huizen.nl", "Kees", "Vermeulen", None, None, False),
]  # fmt: skip


def seed_people(network: dict) -> list[tuple[str, str, str]]:
    """Create the demo logins; return (role label, e-mail, password) rows to print."""
    rows = []
    for label, email, first_name, last_name, role, scope, administrator in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                is_staff=administrator,
                is_superuser=administrator,
            )
        # Verified and primary, so the demo users can log in while e-mail verification is mandatory.
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if role is not None:
            _assign(user, role, scope, network)
        rows.append((label, email, DEMO_PASSWORD))
    return rows


def _assign(user: User, role: str, scope: str, network: dict) -> None:
    if role in HOUSE_ROLES:
        scope_fields = {"house": network["houses"][scope], "organisation": None}
    else:
        scope_fields = {"house": None, "organisation": network["organisations"][scope]}
    RoleAssignment(user=user, role=role, **scope_fields).clean()  # the scope fits the role
    RoleAssignment.objects.get_or_create(user=user, role=role, **scope_fields)
