"""Widgets more than one evaluation form uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The version a page was opened at travels in a hidden field: nobody types it, so a bad one means the page itself
# is broken or stale, and that is what the person is told (above the form; a hidden field has no place beside it).
STALE_PAGE = _("This page is out of date; open it again and redo your change.")


def version_field(**kwargs: Any) -> forms.IntegerField:
    messages = dict.fromkeys(("required", "invalid", "min_value", "max_value"), STALE_PAGE)
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, error_messages=messages, **kwargs
    )
