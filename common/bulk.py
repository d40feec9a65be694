"""Bulk actions: run a service on each item on its own, so one refusal does not undo the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError

T = TypeVar("T")


def apply_each(items: Iterable[T], action: Callable[[T], T]) -> tuple[list[T], list[tuple[T, str]]]:
    """Return (done, [(refused item, why)]); each call runs in the service's own transaction."""
    done: list[T] = []
    refused: list[tuple[T, str]] = []
    for item in items:
        try:
            done.append(action(item))
        except ValidationError as error:
            refused.append((item, " ".join(error.messages)))
    return done, refused
