"""The progress reports: each plan of `stories.REPORT_PLANS` played out period by period through the services.

Idempotent: an existing report (programme, agency, year, period) or library entry (agency, title) is skipped,
so a second load calls no service and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from evidence.models import Evidence
from evidence.services import evidence_upload
from masterplan.models.plan import Masterplan, PeriodType, Programme
from masterplan.models.reports import PERIODS_PER_YEAR, ProgressReport
from masterplan.services.reports import (
    report_approve,
    report_reopen,
    report_return,
    report_start,
    report_submit,
    report_update,
)
from smartcity.demo.figures import budget, number, realisation, rupiah
from smartcity.demo.people import COORDINATOR, REPORT_OPERATORS
from smartcity.demo.report_documents import report_library
from smartcity.demo.stories import (
    BOUNCED,
    DONE,
    DRAFT,
    LATE,
    REOPEN_REASON,
    REOPENED,
    REPORT_PLANS,
    RETURNED,
    STEADY,
    ReportPlan,
    story_for,
)

ROMAN = ("I", "II", "III", "IV")


# --- Periods ---------------------------------------------------------------------------------------------


def report_years(masterplan: Masterplan, today: dt.date) -> list[int]:
    """Last year and this year, or the masterplan's last two years once it has ended (within its years)."""
    last = min(today.year, masterplan.end_year)
    return [year for year in (last - 1, last) if year in masterplan.years]


def report_periods(masterplan: Masterplan, today: dt.date) -> list[tuple[int, int]]:
    """(year, period) of the demo years whose period has begun, oldest first (as report_slots counts them)."""
    periods = PERIODS_PER_YEAR[masterplan.period_type]
    months = 12 // periods
    return [
        (year, period)
        for year in report_years(masterplan, today)
        for period in range(1, periods + 1)
        if dt.date(year, months * (period - 1) + 1, 1) <= today
    ]


def outcomes(profile: str, count: int) -> list[str]:
    """The fate of each of `count` periods, oldest first: approved unless the profile says otherwise."""
    fates = ["approved"] * count
    if count >= 3 and profile == BOUNCED:
        fates[-3] = "bounced"
    if count >= 3 and profile == REOPENED:
        fates[-3] = "reopened"
    if profile == LATE:
        for index in range(max(0, count - 2), count):
            fates[index] = "missing"
    elif count:
        fates[-1] = {
            STEADY: "submitted",
            BOUNCED: "submitted",
            RETURNED: "returned",
            DRAFT: "draft",
            REOPENED: "draft",
            DONE: "approved",
        }[profile]
    return fates


def period_words(period_type: str, year: int, period: int) -> str:
    if period_type == PeriodType.QUARTERLY:
        return f"triwulan {ROMAN[period - 1]} {year}"
    if period_type == PeriodType.SEMESTER:
        return f"semester {ROMAN[period - 1]} {year}"
    return f"tahun {year}"


# --- Writing ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    masterplan: Masterplan
    agencies: dict[str, Agency]
    today: dt.date
    created: Callable[[str, object], None]
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)
    evidence: dict[tuple[str, tuple[str, int]], Evidence] = field(default_factory=dict)


def load_reports(
    *,
    masterplan: Masterplan,
    agencies: dict[str, Agency],
    today: dt.date,
    created: Callable[[str, object], None],
) -> None:
    """Create the missing evidence entries and reports of REPORT_PLANS; existing ones are left as they are."""
    periods = report_periods(masterplan, today)
    if not periods:
        return
    ctx = _Context(masterplan, agencies, today, created)
    usernames = {COORDINATOR, *REPORT_OPERATORS.values()}
    ctx.users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    years = sorted({year for year, _ in periods})
    _libraries(ctx, years)
    programmes = {
        p.code: p
        for p in Programme.objects.filter(masterplan=masterplan, code__in={plan.code for plan in REPORT_PLANS})
        .select_related("masterplan__region")
        .prefetch_related("indicators__targets")
    }
    existing = set(
        ProgressReport.objects.filter(programme__in=programmes.values()).values_list(
            "programme_id", "agency_id", "year", "period"
        )
    )
    for plan in REPORT_PLANS:
        programme = programmes[plan.code]
        agency = agencies[plan.agency]
        own = [(year, period) for year, period in periods if year in programme.years]
        for (year, period), fate in zip(own, outcomes(plan.profile, len(own)), strict=True):
            if fate == "missing" or (programme.pk, agency.pk, year, period) in existing:
                continue
            _report(ctx, plan, programme, agency, year, period, fate)


def _libraries(ctx: _Context, years: list[int]) -> None:
    acronyms = sorted({plan.agency for plan in REPORT_PLANS})
    have = {
        (e.agency_id, e.title): e
        for e in Evidence.objects.filter(agency__in=[ctx.agencies[a] for a in acronyms]).select_related("agency")
    }
    for acronym in acronyms:
        agency = ctx.agencies[acronym]
        code = next(plan.code for plan in REPORT_PLANS if plan.agency == acronym)
        uploader = ctx.users.get(REPORT_OPERATORS[acronym])
        for spec in report_library(agency, code, years, ctx.today):
            evidence = have.get((agency.pk, spec.title))
            if evidence is None:
                upload = SimpleUploadedFile(spec.filename, spec.make())
                result = evidence_upload(agency=agency, by=uploader, upload=upload, data=spec.data)
                evidence = result.evidence
                if result.created:
                    ctx.created("evidence", evidence)
            ctx.evidence[(acronym, spec.key)] = evidence


def _attached(ctx: _Context, acronym: str, year: int, period: int, *, complete: bool) -> list[Evidence]:
    """The year's evidence for a report; an incomplete set (what DKISP returns) has only the SK and the photo."""
    kinds = ["sk", "photo"]
    if complete:
        kinds += ["minutes", "attendance"]
        if period == 1:
            kinds.append("dpa")  # the first report of the year shows the budget it works with
        if period == PERIODS_PER_YEAR[ctx.masterplan.period_type]:
            kinds.append("report")
    found = [ctx.evidence.get((acronym, (kind, year))) for kind in kinds]
    if complete and acronym == "DKISP":
        found.append(ctx.evidence.get((acronym, ("perbup", 0))))
    return [e for e in found if e is not None]


def _values(
    programme: Programme,
    agency: Agency,
    year: int,
    period: int,
    *,
    skew: Decimal = Decimal(1),
    only_first: bool = False,
) -> tuple[dict[int, tuple[Decimal | None, str]], list[str]]:
    """Realisations for the report, and a sentence per indicator for the narrative."""
    periods = PERIODS_PER_YEAR[programme.masterplan.period_type]
    lead = programme.lead_agency_id == agency.pk
    values: dict[int, tuple[Decimal | None, str]] = {}
    sentences = []
    indicators = sorted(programme.indicators.all(), key=lambda i: (i.order, i.pk))
    for position, indicator in enumerate(indicators):
        if only_first and position:
            break
        targets = {t.year: t.value for t in indicator.targets.all()}
        value = realisation(indicator, targets, year, period, periods, lead=lead, skew=skew)
        if value is None:
            continue
        note = "" if lead else f"Kontribusi {agency.acronym}"
        values[indicator.pk] = (value, note)
        sentences.append(
            f"{indicator.name} mencapai {number(value)} {indicator.unit} dari target {number(targets[year])} "
            f"{indicator.unit} tahun {year}."
        )
    return values, sentences


def _texts(
    programme: Programme, agency: Agency, year: int, period: int, sentences: Iterable[str], index: int
) -> dict[str, object]:
    story = story_for(programme.code, agency.acronym)
    periods = PERIODS_PER_YEAR[programme.masterplan.period_type]
    words = period_words(programme.masterplan.period_type, year, period)
    plan, spent = budget(
        programme.code, agency.acronym, year, period, periods, lead=programme.lead_agency_id == agency.pk
    )
    activity = story.activities[index % len(story.activities)]
    return {
        "narrative": f"Pada {words}: {activity}. "
        + " ".join(sentences)
        + f" Realisasi anggaran sampai akhir periode {rupiah(spent)} dari pagu {rupiah(plan)}.",
        "obstacles": story.obstacles[index % len(story.obstacles)],
        "follow_up": story.follow_up[index % len(story.follow_up)],
        "budget_plan": plan,
        "budget_realisation": spent,
    }


def _report(
    ctx: _Context, plan: ReportPlan, programme: Programme, agency: Agency, year: int, period: int, fate: str
) -> None:
    operator = ctx.users.get(REPORT_OPERATORS[plan.agency])
    coordinator = ctx.users.get(COORDINATOR)
    index = year * 4 + period
    report = report_start(programme=programme, agency=agency, year=year, period=period, by=operator)
    ctx.created("reports", report)

    def save(*, complete: bool = True, skew: Decimal = Decimal(1), draft: bool = False) -> None:
        nonlocal report
        values, sentences = _values(programme, agency, year, period, skew=skew, only_first=draft)
        data = _texts(programme, agency, year, period, sentences, index)
        if draft:  # half-written: no spending figure, no evidence yet
            data["narrative"] = f"{data['narrative']} (draf, masih dilengkapi)"
            data["budget_realisation"] = None
        evidence = [] if draft else _attached(ctx, plan.agency, year, period, complete=complete)
        report = report_update(
            report=report,
            by=operator,
            expected_version=report.version,
            data=data,
            realisations=values,
            evidence=evidence,
        )

    if fate == "draft":
        save(draft=True)
        return
    if fate in {"returned", "bounced"}:
        save(complete=False)
        report = report_submit(report=report, by=operator)
        report = report_return(report=report, by=coordinator, reason=plan.reason)
        if fate == "returned":
            return
    if fate == "reopened":
        save(skew=Decimal("1.35"))  # the slip that the coordinator catches later
        report = report_submit(report=report, by=operator)
        report = report_approve(report=report, by=coordinator)
        report = report_reopen(report=report, by=coordinator, reason=REOPEN_REASON)
    save()
    report = report_submit(report=report, by=operator)
    if fate in {"approved", "bounced"}:
        report_approve(report=report, by=coordinator)
