"""Pagination shared by every list page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int, count: int | None = None) -> tuple[Page, str]:
    """The requested page (a bad page number gives the nearest valid page) and the query string without `page`,
    so the pagination links keep the list's filters. `count`: the number of items when the caller already knows
    it, so the list is not counted by a query of its own."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached_property: this is the value it would cache
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
