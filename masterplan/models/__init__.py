"""Masterplan models: the plan itself, the evidence library and the progress reports."""

from masterplan.models.evidence import Evidence, StoredFile, stored_file_path
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
    "Evidence",
    "Indicator",
    "IndicatorRealisation",
    "IndicatorTarget",
    "Masterplan",
    "PeriodType",
    "Programme",
    "ProgressReport",
    "ReportEvidence",
    "StoredFile",
    "masterplan_document_path",
    "period_end",
    "period_label",
    "stored_file_path",
]
