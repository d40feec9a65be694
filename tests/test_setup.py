"""A new machine: the quick start installs without a compiler, PostgreSQL's driver comes only when it is named,
and every system package make needs is installed (as root) or named in one apt-get line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = "/usr/bin/make"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/smartcity"


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=<>~!\[; ]", line)[0].lower())
    return names


def make(*args: str, env: dict[str, str] | None = None, path: str | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MAKEFLAGS", "MFLAGS"}}
    environment.update(env or {})
    if path is not None:
        environment["PATH"] = path
    return subprocess.run(  # noqa: S603 - fixed binary, arguments from this file
        [MAKE, "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def fake_venv(tmp_path: Path, *stamps: str) -> Path:
    """A venv directory make believes is set up, with the given stamps newer than every requirements file."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    for stamp in stamps:
        (venv / stamp).write_text("")
    return venv


def tool_dir(tmp_path: Path, *, uid: int) -> Path:
    """A PATH with make and sh's helpers but no compiler, pg_config or Chromium; apt-get only records its call."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").symlink_to(MAKE)
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$*" >> {tmp_path / "apt-get.log"}\n')
    for tool in ("id", "apt-get"):
        (bin_dir / tool).chmod(0o755)
    return bin_dir


def probe(packages: str) -> str:
    return f"--eval=probe: ; $(call system_packages,To build the PostgreSQL driver psycopg2,{packages})"


def test_the_quick_start_set_has_no_postgresql_driver_and_production_adds_it() -> None:
    quick_start = requirement_names(ROOT / "requirements.txt")
    assert not quick_start & {"psycopg2", "psycopg", "psycopg2-binary", "psycopg-binary"}
    postgres = (ROOT / "requirements-postgres.txt").read_text()
    assert "-r requirements.txt" in postgres.splitlines()
    assert re.search(r"^psycopg2==[\d.]+$", postgres, re.MULTILINE)  # the source build, pinned
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()


@pytest.mark.parametrize(
    ("database_url", "installs"),
    [
        ("", "requirements.txt"),
        ("sqlite:////tmp/db.sqlite3", "requirements.txt"),
        (POSTGRES_URL, "requirements-postgres.txt"),
        ("postgresql://u@db/smartcity", "requirements-postgres.txt"),
        ("postgis://u@db/smartcity", "requirements-postgres.txt"),
    ],
)
def test_make_installs_the_set_the_database_needs(tmp_path: Path, database_url: str, installs: str) -> None:
    result = make("-n", "install", f"VENV={tmp_path / 'venv'}", env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    pip_lines = [line for line in result.stdout.splitlines() if "pip install" in line and " -r " in line]
    assert pip_lines == [f"{tmp_path / 'venv'}/bin/pip install --quiet -r {installs}"]
    # Only the PostgreSQL set looks for a compiler and libpq.
    assert ("pg_config" in result.stdout) is (installs == "requirements-postgres.txt")


def test_switching_between_sqlite_and_postgresql_installs_what_the_new_one_lacks(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path, ".runtime-sqlite", ".dev-sqlite")
    sqlite_again = make("-n", "install-dev", f"VENV={venv}")
    assert "pip install" not in sqlite_again.stdout  # nothing changed: the stamps hold

    postgres = make("-n", "install-dev", f"VENV={venv}", env={"DATABASE_URL": POSTGRES_URL})
    assert "pip install --quiet -r requirements-postgres.txt" in postgres.stdout
    assert "pip install --quiet -r requirements-dev.txt" in postgres.stdout

    for stamp in (".runtime-postgres", ".dev-postgres"):
        (venv / stamp).write_text("")
    assert "pip install" not in make("-n", "install-dev", f"VENV={venv}", env={"DATABASE_URL": POSTGRES_URL}).stdout
    assert "pip install" not in make("-n", "install-dev", f"VENV={venv}").stdout


def test_without_root_missing_system_packages_are_named_in_one_apt_get_line(tmp_path: Path) -> None:
    bin_dir = tool_dir(tmp_path, uid=1000)
    result = make(probe("libpq-dev gcc python3-dev"), "probe", f"VENV={tmp_path / 'no-venv'}", path=str(bin_dir))
    assert result.returncode != 0
    assert "sudo apt-get install libpq-dev gcc python3-dev" in result.stderr
    assert result.stderr.count("apt-get") == 1
    assert not (tmp_path / "apt-get.log").exists()


def test_as_root_make_installs_the_missing_system_packages_with_apt_get(tmp_path: Path) -> None:
    bin_dir = tool_dir(tmp_path, uid=0)
    result = make(probe("libpq-dev gcc"), "probe", path=str(bin_dir))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "apt-get.log").read_text().splitlines() == ["update -qq", "install -y -qq libpq-dev gcc"]


def test_packages_already_there_are_not_installed_again(tmp_path: Path) -> None:
    bin_dir = tool_dir(tmp_path, uid=0)
    for tool in ("pg_config", "cc"):
        (bin_dir / tool).symlink_to("/bin/true")
    result = make(probe("libpq-dev gcc"), "probe", path=str(bin_dir))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "apt-get.log").exists()


def test_settings_say_how_to_install_the_driver_when_postgresql_is_named_without_it() -> None:
    # Blocking both driver modules in sys.modules makes them unimportable, as in a quick-start venv.
    code = "import sys; sys.modules['psycopg2'] = sys.modules['psycopg'] = None; import smartcity.settings"
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": POSTGRES_URL}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "DATABASE_URL names PostgreSQL, but its driver psycopg2 is not installed" in result.stderr
    assert "requirements-postgres.txt" in result.stderr

    env["DATABASE_URL"] = "sqlite:////tmp/quick-start.sqlite3"
    quick_start = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert quick_start.returncode == 0, quick_start.stderr


def test_ci_checks_that_the_quick_start_installs_from_wheels() -> None:
    assert "make check-wheels" in (ROOT / ".ci" / "run").read_text()
    recipe = make("-n", "check-wheels").stdout
    assert "--only-binary :all:" in recipe
    assert "-r requirements-dev.txt" in recipe  # which includes requirements.txt
