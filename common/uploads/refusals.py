"""The refusals more than one check gives (each message names the file); a check's own refusals live with it."""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.uploads.kinds import ALLOWED_LABEL


def refuse_script(name: str) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” is a web page, SVG or XML document, which can run scripts in a browser; it is not accepted.")
        % {"name": name},
        code="script",
    )


def refuse_corrupt(name: str, cause: BaseException) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” is damaged or incomplete and cannot be read.") % {"name": name}, code="corrupt"
    ) from cause


def refuse_not_allowed(name: str) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” is not an allowed file type; allowed: %(allowed)s.") % {"name": name, "allowed": ALLOWED_LABEL},
        code="not_allowed",
    )
