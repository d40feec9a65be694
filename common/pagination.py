"""Pagination shared by every list page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Page, str]:
    """The requested page (a bad page number gives the nearest valid page) and the query string without `page`,
    so the pagination links keep the list's filters."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
