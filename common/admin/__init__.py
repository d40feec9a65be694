"""Shared admin and import/export helpers: strict widgets, natural-key loading, the spreadsheet admin base.

Nothing here knows the project's models; region-aware pieces live in `agencies.resources`/`agencies.admin`.
`widgets` holds the strict widgets and the natural-key instance loader the resources use, `spreadsheet` the
import/export admin base (`SpreadsheetAdminMixin`: the import page's checks, the streamed temporary file, only
formula-safe formats), and `read_only` the admin for workflow data that only the app's pages change.
"""

from __future__ import annotations

from common.admin.read_only import ReadOnlyAdmin
from common.admin.spreadsheet import (
    NewlinePreservingTempStorage,
    SpreadsheetAdminMixin,
    SpreadsheetImportForm,
    column_problem,
)
from common.admin.widgets import (
    BooleanWidget,
    ChoiceListWidget,
    CodeWidget,
    ExactDecimalWidget,
    LookupWidget,
    NaturalKeyInstanceLoader,
    TextWidget,
    WholeNumberWidget,
    cell_text,
    is_native,
)

__all__ = [
    "BooleanWidget",
    "ChoiceListWidget",
    "CodeWidget",
    "ExactDecimalWidget",
    "LookupWidget",
    "NaturalKeyInstanceLoader",
    "NewlinePreservingTempStorage",
    "ReadOnlyAdmin",
    "SpreadsheetAdminMixin",
    "SpreadsheetImportForm",
    "TextWidget",
    "WholeNumberWidget",
    "cell_text",
    "column_problem",
    "is_native",
]
