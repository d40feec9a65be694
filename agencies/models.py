"""Regions, their agencies (SKPD), people's roles in them, and the audit log every write leaves."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PHONE = RegexValidator(
    r"^\+?[0-9(][0-9 ()\-.]{4,38}$", _("Enter a phone number of digits, spaces, ( ) - . and an optional leading +.")
)


class Region(models.Model):
    """A kabupaten or kota; everything regional hangs off one, so a deployment can serve many."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KABUPATEN)
    province = models.CharField(_("province"), max_length=120)
    bps_code = models.CharField(
        _("BPS code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("The BPS code has exactly four digits, e.g. 6303."))],
        help_text=_("Four-digit regency/city code from Statistics Indonesia (BPS), e.g. 6303."),
    )
    seat = models.CharField(_("seat of government"), max_length=120, blank=True)
    # Printed on the cover of the region's packages (PNG or JPEG, checked by Pillow when uploaded).
    logo = models.ImageField(_("logo"), upload_to="regions/logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Who hears of an SKPD still late after the last progress-report reminder, besides DKISP's digest: a named
    # official such as the Asisten or the Sekda. Optional; without an address only DKISP is told.
    escalation_name = models.CharField(
        _("escalation official"),
        max_length=200,
        blank=True,
        help_text=_("Name and position of the official told of SKPDs still late, e.g. Asisten Administrasi Umum."),
    )
    escalation_email = models.EmailField(_("escalation official's e-mail"), blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An SKPD/OPD. Agencies are renamed and merged over the years: deactivate and link, never delete."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Secretariat")
        DINAS = "dinas", _("Service (dinas)")
        BADAN = "badan", _("Agency (badan)")
        BAGIAN = "bagian", _("Division of the Regional Secretariat (bagian)")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        SATUAN = "satuan", _("Unit (satuan)")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
        RSUD = "rsud", _("Regional hospital (RSUD)")
        OTHER = "other", _("Other")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(
        _("acronym"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9 .&\-/]*$",
                _("Use letters, digits, spaces and . & - / only, starting with a letter or digit."),
            )
        ],
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    email = models.EmailField(_("official e-mail"), blank=True)
    phone = models.CharField(_("office phone"), max_length=40, blank=True, validators=[PHONE])
    is_active = models.BooleanField(_("active"), default=True)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessor"),
        help_text=_("The agency this one replaced after a rename or merger."),
    )

    class Meta:
        verbose_name = _("agency (SKPD)")
        verbose_name_plural = _("agencies (SKPD)")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["region", "acronym"], name="agency_acronym_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.acronym

    def clean(self) -> None:
        if self.predecessor_id and self.predecessor_id == self.pk:
            raise ValidationError({"predecessor": _("An agency cannot be its own predecessor.")})
        if self.predecessor_id and self.predecessor.region_id != self.region_id:
            raise ValidationError({"predecessor": _("The predecessor must belong to the same region.")})
        # An agency's programmes, reports, people and library belong to its region (the library even carries the
        # region on each entry): a reorganisation across regions is a new agency there, never a move.
        if self.pk and self.region_id:
            stored = Agency.objects.filter(pk=self.pk).values_list("region_id", flat=True).first()
            if stored is not None and stored != self.region_id:
                raise ValidationError(
                    {"region": _("An agency stays in its region: create a new agency in the other region instead.")}
                )


class Role(models.TextChoices):
    OPERATOR = "operator", _("SKPD operator")
    HEAD = "head", _("SKPD head")
    COORDINATOR = "coordinator", _("DKISP coordinator")
    ASSESSOR = "assessor", _("Assessor")


# Roles that act for one agency, and roles that act across their whole region.
AGENCY_ROLES = frozenset({Role.OPERATOR, Role.HEAD})
REGION_ROLES = frozenset({Role.COORDINATOR, Role.ASSESSOR})


class Membership(models.Model):
    """A person's role in a region, through an agency for SKPD roles (assessors belong to no agency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("region"))
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # How the SKPD's contacts are reached for this role (a work mobile or WhatsApp number), shown on the SKPD page.
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[PHONE])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering: ClassVar = ["region", "agency", "role"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=models.Q(agency__isnull=False),
                name="membership_unique_agency_role",
            ),
            # NULLs are distinct in a plain unique index, so region-only roles need their own constraint.
            models.UniqueConstraint(
                fields=["user", "region", "role"],
                condition=models.Q(agency__isnull=True),
                name="membership_unique_region_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency.acronym if self.agency_id else self.region.name
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        if self.role in (Role.OPERATOR, Role.HEAD, Role.COORDINATOR) and not self.agency_id:
            raise ValidationError({"agency": _("This role works for an agency: choose one.")})
        if self.role == Role.ASSESSOR and self.agency_id:
            raise ValidationError({"agency": _("Assessors are external and belong to no agency.")})
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the chosen region.")})


class NationalStaff(models.Model):
    """A person of the national programme (Kominfo / Ditjen Aptika) who compares every region's cycles side by
    side and assigns assessors to them.

    A row of its own, not a Role of Membership: a membership always belongs to one region, and every regional scope
    (the policy's rules, the tenancy middleware, `who_may`) is built from memberships. A national person has no
    membership through this row, so `visible()` still shows them no regional object and no rule had to change; the
    national pages read aggregates behind their own gate (`agencies.gates.national_required`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_staff", verbose_name=_("user")
    )
    unit = models.CharField(
        _("unit"), max_length=200, blank=True, help_text=_("E.g. Direktorat Tata Kelola Aptika, Ditjen Aptika.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("national programme staff")
        verbose_name_plural = _("national programme staff")
        ordering: ClassVar = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {_('National programme staff')}"


class AuditEvent(models.Model):
    """One write, told once: who did what to which object, with the changed fields and the reason.

    An explicit event log (rather than a row-history table) because users read it as a story of
    transitions ("returned: evidence missing"), and one table serves every history page.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["target_type", "target_id", "created_at"], name="audit_target_idx"),
            models.Index(fields=["region", "created_at"], name="audit_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
