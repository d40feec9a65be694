"""`SpreadsheetRefused`, and the refusals more than one reader gives; a reader's own refusals live with it.

Each message names the file (`display_name`) and says what to do.
"""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.uploads.names import clean_filename


class SpreadsheetRefused(ValidationError):
    """A spreadsheet that is not read, with a message for whoever uploaded it."""


def display_name(upload: File) -> str:
    """The uploaded file's name as messages show it."""
    return clean_filename(getattr(upload, "name", "") or "")


def refuse_damaged(name: str, cause: BaseException | None = None) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” cannot be read as a spreadsheet; open it in Excel, save it again and upload it again.")
        % {"name": name},
        code="damaged",
    ) from cause


def refuse_rows(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” has more than %(max)s rows of data; this import reads at most %(max)s. Split the file.")
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="too_many_rows",
    )


def refuse_blank_rows(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” has more than %(max)s empty or formatted rows; delete the rows below and between your "
            "data and upload it again."
        )
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="too_many_blank_rows",
    )


def refuse_long_text(name: str, where: str | None, limit: int) -> NoReturn:
    params = {"name": name, "where": where, "max": number_format(limit, force_grouping=True)}
    if where is None:
        message = _("“%(name)s” holds a text longer than %(max)s characters, the most a cell can hold.")
    else:
        # `where` is a cell reference (B12) in a workbook, "line 12" in a CSV file.
        message = _("A cell (%(where)s) of “%(name)s” is longer than %(max)s characters, the most a cell can hold.")
    raise SpreadsheetRefused(message % params, code="long_text")
