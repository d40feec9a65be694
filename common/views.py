"""View helpers shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def act_and_redirect(request: HttpRequest, action: Callable[[], object], *, success: str, to: Any) -> HttpResponse:
    """Run one service call for a button: its refusal becomes error messages, else `success`; then go to `to`."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(to)


def report_bulk_outcome(request: HttpRequest, done: list[Any], refused: list[tuple[Any, str]], success: str) -> None:
    """Say how many succeeded (`success` has %(n)s) and, for each refused item, why."""
    if done:
        messages.success(request, success % {"n": len(done)})
    for item, why in refused:
        messages.warning(request, f"{item}: {why}")
