"""People and their roles. What a role may do is decided in `accounts.policy`, nowhere else."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from locations.models import House, Organisation


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Everyone with an account logs in with an e-mail address. Without a role a user is a resident.

    An administrator is a superuser (`is_superuser`), who manages everything in the admin.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
        help_text=_("The language of the e-mails we send you."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    HOST = "host", _("host")
    COORDINATOR = "coordinator", _("coordinator")
    # A social worker or carers' consultant working from a house: supports informal carers and posts burenhulp
    # requests on someone's behalf; no door, programme or bookings.
    PROFESSIONAL = "professional", _("professional (social worker)")
    MANAGER = "manager", _("manager of an organisation")
    MUNICIPALITY = "municipality", _("municipality")


HOUSE_ROLES = (Role.HOST, Role.COORDINATOR, Role.PROFESSIONAL)


class RoleAssignment(models.Model):
    """A role a user holds: hosts and coordinators for a house, managers for an organisation,
    municipality staff for the whole network."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    house = models.ForeignKey(
        House,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("house"),
        help_text=_("For hosts, coordinators and professionals."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
        help_text=_("For managers: the organisation whose houses they see."),
    )
    email_booking_requests = models.BooleanField(
        _("e-mail me new booking requests"),
        default=True,
        help_text=_("For coordinators: an e-mail for each new booking request of the house."),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=HOUSE_ROLES, house__isnull=False, organisation__isnull=True)
                    | Q(role=Role.MANAGER, house__isnull=True, organisation__isnull=False)
                    | Q(role=Role.MUNICIPALITY, house__isnull=True)
                ),
                name="role_assignment_scope_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "house"], condition=Q(house__isnull=False), name="role_unique_per_house"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(house__isnull=True, organisation__isnull=True),
                name="role_unique_unscoped",
            ),
        ]

    def __str__(self):
        scope = self.house or self.organisation
        return f"{self.get_role_display()}: {scope}" if scope else str(self.get_role_display())

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in HOUSE_ROLES:
            if not self.house_id:
                raise ValidationError({"house": _("Choose the house for this role.")})
            if self.organisation_id:
                raise ValidationError(
                    {"organisation": _("A host or coordinator belongs to a house, not to an organisation.")}
                )
        elif self.role == Role.MANAGER:
            if not self.organisation_id:
                raise ValidationError({"organisation": _("Choose the organisation this manager works for.")})
            if self.house_id:
                raise ValidationError(
                    {"house": _("A manager sees all houses of the organisation; leave the house empty.")}
                )
        elif self.role == Role.MUNICIPALITY:
            if self.house_id:
                raise ValidationError({"house": _("Municipality staff see every house; leave the house empty.")})
            if self.organisation_id and self.organisation.kind != Organisation.Kind.MUNICIPALITY:
                raise ValidationError({"organisation": _("Choose a municipality, or leave the organisation empty.")})
