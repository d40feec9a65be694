"""Gates declared on views (pretix's `@event_permission_required`): who may call a view reads from its decorator.

Stack `@requires` under `@login_required` and any method decorator (`@require_POST`), so an anonymous visitor is
sent to log in and a wrong method is a 405 before the policy is asked anything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from agencies.permissions import User, can_anywhere, can_in_region, sees_national

View = Callable[..., HttpResponseBase]
# A `get_<thing>_for_user(user, pk, action)` helper: the object through the policy (404, 403 or NotNow).
Fetch = Callable[[User, int, str], models.Model]


def requires(
    action: str, *, on: type[models.Model] | None = None, fetch: Fetch | None = None, anywhere: bool = False
) -> Callable[[View], View]:
    """Let the view run only when the policy allows `action`.

    `on=Model`, for a page about no one object (a list, a form for a new one): the user's roles in the current
    region must allow `action` on `Model`, or the answer is 403.
    `on=Model, anywhere=True`, for a list across the user's regions (the assessor's queue): the roles in any of
    the user's regions count, whichever is current in the header.
    `fetch=get_<thing>_for_user`, for a page about one object: the URL's `pk` is fetched through the policy for
    `action` (404 for what the user may not see, 403 for what their role may not do, NotNow for what the object's
    state forbids now) and the object is passed to the view in the pk's place.
    """
    if fetch is not None and on is None:
        return _fetching(action, fetch)
    if on is not None and fetch is None:
        return _anywhere(action, on) if anywhere else _in_region(action, on)
    raise TypeError("requires() takes either on= (a page about no one object) or fetch= (about one object).")


def _fetching(action: str, fetch: Fetch) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return view(request, fetch(request.user, kwargs.pop("pk"), action), *args, **kwargs)

        return gated

    return decorate


def _in_region(action: str, model: type[models.Model]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            # The region the middleware resolved for this request (None for someone with no role anywhere).
            if not can_in_region(request.user, action, model, getattr(request, "region", None)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return gated

    return decorate


def _anywhere(action: str, model: type[models.Model]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not can_anywhere(request.user, action, model):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return gated

    return decorate


def national_required(view: View) -> View:
    """Let only national programme staff (and superusers) in: the national pages read every region's aggregates,
    which no regional role may (403 for them, whatever region they work in)."""

    @wraps(view)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sees_national(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return gated
