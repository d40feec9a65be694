"""Masterplan models: the plan itself and the progress reports (the evidence library is `evidence`)."""

from masterplan.models.plan import (
    YEAR_VALIDATORS,
    Dimension,
    Element,
    Indicator,
    IndicatorTarget,
    Masterplan,
    PeriodType,
    Programme,
    masterplan_document_path,
)
from masterplan.models.reminders import ReportReminder
from masterplan.models.reports import (
    PERIODS_PER_YEAR,
    IndicatorRealisation,
    ProgressReport,
    ReportEvidence,
    period_end,
    period_label,
)

__all__ = [
    "PERIODS_PER_YEAR",
    "YEAR_VALIDATORS",
    "Dimension",
    "Element",
    "Indicator",
    "IndicatorRealisation",
    "IndicatorTarget",
    "Masterplan",
    "PeriodType",
    "Programme",
    "ProgressReport",
    "ReportEvidence",
    "ReportReminder",
    "masterplan_document_path",
    "period_end",
    "period_label",
]
