"""Imports go only downward: common ← agencies ← evidence ← masterplan ← evaluations ← smartcity.

Read from the source with `ast` (no module is imported), so a forbidden import fails here even when it sits in a
function body or under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first; a package may import itself and anything before it.
LAYERS = ("common", "agencies", "evidence", "masterplan", "evaluations", "smartcity")


def _imported_packages(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def forbidden_imports(package: str, source: str) -> set[str]:
    """The packages above `package` that `source` imports."""
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    return _imported_packages(source) - allowed


def _modules() -> list[tuple[str, Path]]:
    return [
        (package, path)
        for package in LAYERS
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=lambda v: str(v).replace(str(ROOT) + "/", ""))
def test_module_imports_only_downward(package: str, path: Path) -> None:
    assert forbidden_imports(package, path.read_text()) == set(), path


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("common", "from agencies.models import Region", {"agencies"}),
        ("common", "import smartcity.settings", {"smartcity"}),
        ("agencies", "from masterplan.models import Programme", {"masterplan"}),
        ("agencies", "def f():\n    from evaluations import scoring\n", {"evaluations"}),
        ("evidence", "from masterplan.models import ReportEvidence", {"masterplan"}),
        ("evidence", "def f():\n    from evaluations.models import AnswerEvidence\n", {"evaluations"}),
        ("masterplan", "from evaluations.models import Answer", {"evaluations"}),
        ("masterplan", "from smartcity.middleware import TenancyMiddleware", {"smartcity"}),
        ("evaluations", "if TYPE_CHECKING:\n    from smartcity.demo import loader\n", {"smartcity"}),
    ],
)
def test_the_check_catches_each_upward_import(package: str, source: str, expected: set[str]) -> None:
    assert forbidden_imports(package, source) == expected


@pytest.mark.parametrize(
    ("package", "source"),
    [
        ("agencies", "from common.env import env_bool"),
        ("masterplan", "from agencies.models import Agency\nfrom common import forms"),
        ("evidence", "from agencies.permissions import visible\nfrom common.uploads import inspect_upload"),
        ("masterplan", "from evidence.registry import register"),
        ("evaluations", "from evidence.models import Evidence\nfrom .models import Answer"),
        ("smartcity", "from evaluations import scoring"),
    ],
)
def test_the_check_allows_downward_and_relative_imports(package: str, source: str) -> None:
    assert forbidden_imports(package, source) == set()
