"""The smart-city masterplan: six national dimensions, their elements, and a region's programmes."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from common.uploads import validate_pdf

YEAR_VALIDATORS = [
    MinValueValidator(2000, _("Enter a year from 2000 onwards.")),
    MaxValueValidator(2100, _("Enter a year no later than 2100.")),
]


class PeriodType(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Half-yearly")
    ANNUAL = "annual", _("Yearly")


def masterplan_document_path(instance: Masterplan, filename: str) -> str:
    # Generated names only: the uploaded name never becomes a path on our disk.
    return f"masterplan/{instance.region_id}/{secrets.token_hex(16)}.pdf"


class Masterplan(models.Model):
    """A region's masterplan (Buku I/II), about five years, adopted by a Perbup."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="masterplans", verbose_name=_("region"))
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    perbup_number = models.CharField(_("Perbup number"), max_length=100, blank=True)
    perbup_date = models.DateField(_("Perbup date"), null=True, blank=True)
    document = models.FileField(
        _("document (PDF)"), upload_to=masterplan_document_path, blank=True, validators=[validate_pdf]
    )
    period_type = models.CharField(
        _("reporting period"), max_length=20, choices=PeriodType.choices, default=PeriodType.QUARTERLY
    )
    is_active = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplans")
        ordering: ClassVar = ["region", "-start_year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class _Bilingual(models.Model):
    """National vocabulary kept in both languages in the database, so it is data, not a translation."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Dimension(_Bilingual):
    """One of the six smart-city dimensions of the national framework (created by a data migration)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=4, unique=True)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering: ClassVar = ["order"]

    def get_absolute_url(self) -> str:
        return reverse("masterplan:dimension", args=[self.code])


class Element(_Bilingual):
    """One of the three elements of a dimension (created by a data migration)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="elements")
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering: ClassVar = ["dimension__order", "order"]


class Programme(models.Model):
    """A programme or innovation of the masterplan, led by one SKPD and supported by others."""

    class Term(models.TextChoices):
        SHORT = "short", _("Short term")
        MEDIUM = "medium", _("Medium term")
        LONG = "long", _("Long term")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        DONE = "done", _("Completed")
        POSTPONED = "postponed", _("Postponed")

    class Funding(models.TextChoices):
        APBD = "apbd", _("APBD (regency budget)")
        APBD_PROV = "apbd_prov", _("APBD Provinsi (provincial budget)")
        APBN = "apbn", _("APBN (national budget)")
        DAK = "dak", _("DAK (special allocation fund)")
        CSR = "csr", _("CSR")
        PRIVATE = "private", _("Private sector")
        COMMUNITY = "community", _("Community")
        OTHER = "other", _("Other")

    masterplan = models.ForeignKey(
        Masterplan, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("masterplan")
    )
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("element"))
    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("Short code unique within the masterplan, e.g. GOV-01."),
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    term = models.CharField(_("term"), max_length=10, choices=Term.choices)
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="led_programmes", verbose_name=_("lead SKPD")
    )
    supporting_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="supported_programmes", verbose_name=_("supporting SKPDs")
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("end year"), validators=YEAR_VALIDATORS)
    funding_sources = models.JSONField(_("funding sources"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering: ClassVar = ["element__dimension__order", "element__order", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["masterplan", "code"], name="programme_code_unique_in_masterplan"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="programme_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterplan:programme", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The end year cannot be before the start year.")
        unknown = set(self.funding_sources or []) - set(self.Funding.values)
        if unknown:
            errors["funding_sources"] = _("Unknown funding source: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        if self.masterplan_id and self.lead_agency_id and self.lead_agency.region_id != self.masterplan.region_id:
            errors["lead_agency"] = _("The lead SKPD must belong to the masterplan's region.")
        if errors:
            raise ValidationError(errors)

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def get_funding_labels(self) -> list[str]:
        labels = dict(self.Funding.choices)
        return [str(labels.get(code, code)) for code in self.funding_sources or []]


class Indicator(models.Model):
    """A measurable indicator of a programme: a baseline and one target per year."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    name = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("E.g. %, unit, people, km."))
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering: ClassVar = ["programme", "order", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["programme", "name"], name="indicator_name_unique_in_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.name}"


class IndicatorTarget(models.Model):
    """The target value of an indicator for one year."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering: ClassVar = ["indicator", "year"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"
