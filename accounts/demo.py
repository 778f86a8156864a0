"""Demo logins: one person per role, on top of the demo network of `locations.demo`.

Idempotent: a user is created only when missing and an existing password is never reset, so a second run
changes nothing. The names are fictional.

Staff log in with a second factor: the demo staff have an authenticator app with one public demo secret
(DEMO_TOTP_SECRET; add it to an app, or read the current code on the demo's code page, shown in demo mode only).
One extra coordinator (nieuw@demo.huizen.nl) has none yet, to walk through setting it up.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from .models import HOUSE_ROLES, Role, RoleAssignment, User

DEMO_PASSWORD = "huizen-demo-2026"
# The authenticator app secret of every demo staff login (base32). Public: never use it outside the demo.
DEMO_TOTP_SECRET = "KRUGKIDEMOHUIZENAAAAAAAAAAAAAAAA"
NEW_COORDINATOR_EMAIL = "nieuw@demo.huizen.nl"

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
    # No second factor yet: logging in leads straight to setting one up.
    ("Coördinator (nog zonder tweede stap)", NEW_COORDINATOR_EMAIL, "Noor", "Hendriks",
     Role.COORDINATOR, SOCIAL_HOUSE, False),
]  # fmt: skip


def demo_emails() -> frozenset[str]:
    return frozenset(person[1] for person in PEOPLE)


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
        if (role not in (None, Role.HOST) or administrator) and email != NEW_COORDINATOR_EMAIL:
            _give_second_factor(user)
        rows.append((label, email, DEMO_PASSWORD))
    return rows


def _assign(user: User, role: str, scope: str, network: dict) -> None:
    if role in HOUSE_ROLES:
        scope_fields = {"house": network["houses"][scope], "organisation": None}
    else:
        scope_fields = {"house": None, "organisation": network["organisations"][scope]}
    RoleAssignment(user=user, role=role, **scope_fields).clean()  # the scope fits the role
    RoleAssignment.objects.get_or_create(user=user, role=role, **scope_fields)


def _give_second_factor(user: User) -> None:
    """The demo authenticator app (DEMO_TOTP_SECRET), unless the user has one already."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
