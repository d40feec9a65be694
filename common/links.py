"""reverse() and static() cheaply enough for every row of a list (one object's page) and every page (the navigation)."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A number no id reaches; a view's path is reversed once with it, then each id replaces it.
_MARK = "918273645546372819"
# (script prefix, urlconf, language, view name) -> the view's path with the marker, or None when the marker cannot
# stand in for an id (a pattern that does not take any whole number as it is).
_patterns: dict[tuple[str, object, str | None, str], str | None] = {}


def reverse_pk(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])` for a view taking one id, about twenty times faster once warm.

    Lists link every row to its object's page (50 reports in the review queue, 25 entries of the evidence library),
    and reverse() cost ~25 µs a link. The path is reversed once per view with a marker for the id, and kept only
    when the marker comes back exactly once and replacing it gives what reverse() gives for the first real id. The
    script prefix, the request's urlconf and the language are part of the key (a site mounted under a prefix, or
    paths translated some day, are reversed anew).
    """
    if type(pk) is not int or pk < 0:  # reverse() says what is wrong with anything else
        return reverse(viewname, args=[pk])
    key = (get_script_prefix(), get_urlconf(), get_language(), viewname)
    pattern = _patterns.get(key, "")
    if pattern:
        return pattern.replace(_MARK, str(pk))
    path = reverse(viewname, args=[pk])
    if pattern == "":  # not tried yet
        marked = reverse(viewname, args=[int(_MARK)])
        usable = marked.count(_MARK) == 1 and marked.replace(_MARK, str(pk)) == path
        _patterns[key] = marked if usable else None
    return path


_paths: dict[tuple[str, object, str | None, str], str] = {}  # (prefix, urlconf, language, view name) -> path


def reverse_fixed(viewname: str) -> str:
    """`reverse(viewname)` for a view without arguments, reversed once per script prefix and urlconf.

    The navigation of base.html links some fifteen such views on every page (~25 µs each through `{% url %}`)."""
    key = (get_script_prefix(), get_urlconf(), get_language(), viewname)
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = reverse(viewname)
    return path


_static_urls: dict[str, str] = {}  # path -> its URL


def static_url(path: str) -> str:
    """`static(path)`, looked up once per path: the static files' names and hashes are read once per process anyway
    (the manifest), and every page links the same seven (~35 µs each through `{% static %}`)."""
    url = _static_urls.get(path)
    if url is None:
        url = _static_urls[path] = static(path)
    return url


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    """A test that changes these settings (override_settings) gets URLs worked out anew, as Django's own do."""
    if setting == "ROOT_URLCONF":
        _patterns.clear()
        _paths.clear()
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS"}:
        _static_urls.clear()
