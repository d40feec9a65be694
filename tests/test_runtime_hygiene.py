"""Runtime code carries no test tools, and the demo's made-up history mails no one.

Read from the source with `ast` like tests/test_layers.py, so an import in a function body counts too.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from agencies.notifications import mail_held, notify

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_PACKAGES = ("common", "agencies", "masterplan", "evaluations", "evidence", "smartcity")
# Test runners, settings overrides and fakes belong to tests/ (and bench/, which drives the app like a test).
TEST_TOOLS = ("django.test", "unittest", "mock", "pytest", "pytest_django", "freezegun")


def imported_test_tools(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found |= {name for name in names for tool in TEST_TOOLS if name == tool or name.startswith(f"{tool}.")}
    return found


def _runtime_modules() -> list[Path]:
    return [path for package in RUNTIME_PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize("path", _runtime_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_runtime_code_imports_no_test_tool(path: Path) -> None:
    assert imported_test_tools(path.read_text()) == set(), path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from django.test.utils import override_settings", {"django.test.utils"}),
        ("def load():\n    from django.test import override_settings\n", {"django.test"}),
        ("import unittest.mock", {"unittest.mock"}),
        ("from unittest import mock", {"unittest"}),
        ("from django.utils import timezone\nimport mockingbird", set()),
    ],
)
def test_the_check_catches_each_test_tool(source: str, expected: set[str]) -> None:
    assert imported_test_tools(source) == expected


def test_notify_queues_the_mail_once_the_write_commits(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(template="window_extension", recipients=["op@example.org"], context=_extension_context())

    assert len(callbacks) == 1 and len(mail.outbox) == 1


def test_inside_mail_held_notify_queues_nothing(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, mail_held():
        notify(template="window_extension", recipients=["op@example.org"], context=_extension_context())

    assert callbacks == [] and mail.outbox == []


def test_mail_held_ends_with_its_block_even_after_an_error(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with pytest.raises(RuntimeError), mail_held():
        raise RuntimeError("the demo failed halfway")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(template="window_extension", recipients=["op@example.org"], context=_extension_context())

    assert len(callbacks) == 1


def _extension_context() -> dict[str, object]:
    return {
        "cycle": "2024 Tahap I",
        "agency": {"name": "Dinas Kesehatan"},
        "closes_on": dt.date(2024, 6, 14),
        "previous": None,
        "reason": "Rekap data belum selesai.",
        "revoked": False,
    }


def test_a_web_process_never_loads_the_pdf_renderer() -> None:
    # WeasyPrint (and Pango) cost half a second at start-up; only a worker building a package needs them.
    import os
    import subprocess
    import sys

    code = (
        "import django, sys; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "import evaluations.tasks; print('weasyprint' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "smartcity.settings", "DJANGO_DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    assert result.stdout.strip() == "False"
