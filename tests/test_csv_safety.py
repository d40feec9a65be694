"""CSV exports show no live formula however they are opened (with "," or ";" as the separator) and import
back unchanged."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

import pytest
import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agencies.models import Agency
from agencies.resources import AgencyResource
from agencies.services import agency_create
from common.spreadsheets import SafeCSV, SafeSemicolonCSV, is_formula_like, neutralise_text, restore_text
from tests.conftest import PASSWORD, World

FORMATS = [SafeCSV, SafeSemicolonCSV]

# Formula triggers in every disguise, and the separators a spreadsheet may split a value at.
HOSTILE = [
    "=1+2",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "   =1+1",
    "\t=cmd|' /C calc'!A0",
    '\r=HYPERLINK("http://evil")',
    "\n=1+1",
    "\r\n=1+1",
    "\u200b=1+1",  # zero-width space
    "\u200c\u200d=1+1",  # zero-width (non-)joiner
    "\u2060=1+1",  # word joiner
    "\ufeff=1+1",  # byte-order mark
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "\uff1d1+1",  # full-width =
    "\uff0b1+1",  # full-width +
    "\uff0d1+1",  # full-width -
    "\uff20SUM(1)",  # full-width @
    "\ufe621+1",  # small +
    '"=1+1"',
    "a;=1+1",
    "a; =1+1",
    "a;\u200b=1+1",
    "a,=1+1",
    "baris satu\n=1+1",
    "baris satu\r\n+1",
    'a";=1+1',
    'x";"=1+1',
    "'=already quoted",
    "''=twice",
    "' =spaced",
    "a;'=1",
    "'\r=x",
    "=",
    ";",
    ";;=1",
]
# A vertical tab (Word's line break, pasted) is escaped too; the import refuses such a file as not plain text.
CONTROL = ["\x0b=1+1"]
# Ordinary text that must not change at all.
PLAIN = ["Dinas Kesehatan", "Satu Data Banjar – tahap 1", "a=b", "x-y", "e-mail@example.org", "Rp 1.000", "2025"]
BREAKS = ",;\r\n"


def _hides(ch: str) -> bool:
    # What a spreadsheet skips or never shows before a cell's first visible character.
    return ch == '"' or ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def live_formula(cell: str) -> bool:
    """Whether a spreadsheet could take this parsed cell for a formula once it skips what it does not show.

    (A cell of line breaks only, as the writer's own line end read inside a wrongly opened quote, is none.)
    """
    visible = cell.lstrip("".join(ch for ch in set(cell) if _hides(ch)))
    return unicodedata.normalize("NFKC", visible[:1])[:1] in ("=", "+", "-", "@")


def cells(data: str, delimiter: str) -> list[str]:
    """Every cell of the file as Python's csv module reads it with `delimiter` (non-strict, like Excel)."""
    return [
        cell
        for row in csv.reader(io.StringIO(data.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
        for cell in row
    ]


def hostile_dataset() -> tablib.Dataset:
    # Each value in the first column, in the middle and last, after fields holding separators and quotes.
    rows = [[value, 'kutip "x";y,z', value, f"{value};{value}", value] for value in HOSTILE + PLAIN]
    return tablib.Dataset(*rows, headers=["=nama", "catatan", "nilai;=x", "gabung", "akhir"])


@pytest.mark.parametrize("fmt", FORMATS, ids=["comma", "semicolon"])
@pytest.mark.parametrize("delimiter", [",", ";"], ids=["opened-with-comma", "opened-with-semicolon"])
def test_no_cell_is_a_live_formula_under_either_separator(fmt: type[SafeCSV], delimiter: str) -> None:
    data = fmt().export_data(hostile_dataset())

    parsed = cells(data, delimiter)

    assert len(parsed) > len(HOSTILE)
    assert [cell for cell in parsed if live_formula(cell)] == []


@pytest.mark.parametrize("fmt", FORMATS, ids=["comma", "semicolon"])
def test_every_field_is_quoted(fmt: type[SafeCSV]) -> None:
    dataset = tablib.Dataset(["a", 2025, "1250.50", None], headers=["teks", "tahun", "anggaran", "kosong"])
    lines = fmt().export_data(dataset).removeprefix("\ufeff").splitlines()
    sep = fmt.DELIMITER
    assert lines == [
        sep.join(['"teks"', '"tahun"', '"anggaran"', '"kosong"']),
        sep.join(['"a"', '"2025"', '"1250.50"', '""']),
    ]


@pytest.mark.parametrize("fmt", FORMATS, ids=["comma", "semicolon"])
def test_an_export_reads_back_exactly(fmt: type[SafeCSV]) -> None:
    dataset = hostile_dataset()
    back = fmt().create_dataset(fmt().export_data(dataset))
    assert back.headers == dataset.headers
    assert [list(row) for row in back] == [list(row) for row in dataset]


@pytest.mark.parametrize("value", HOSTILE + CONTROL + PLAIN)
def test_the_escape_is_undone_exactly(value: str) -> None:
    assert restore_text(neutralise_text(value)) == value
    # A hand-made file with the apostrophes already there also comes back as written.
    assert restore_text(neutralise_text("'" + value)) == "'" + value


def test_plain_text_is_left_alone_and_hostile_text_is_flagged() -> None:
    assert [neutralise_text(v) for v in PLAIN] == PLAIN
    assert not any(is_formula_like(v) for v in PLAIN)
    assert all(is_formula_like(v) for v in HOSTILE if v not in ("'=already quoted", "''=twice", "a;'=1", ";"))
    assert neutralise_text("a; =1+1") == "a;' =1+1"
    assert neutralise_text("\uff1d1+1") == "'\uff1d1+1"
    assert neutralise_text("\x0b=1+1") == "'\x0b=1+1"


def test_the_semicolon_file_starts_with_a_byte_order_mark_for_excel() -> None:
    data = SafeSemicolonCSV().export_data(tablib.Dataset(["Sekretariat Daerah – Bagian Organisasi"], headers=["nama"]))
    assert data.startswith('\ufeff"nama"\r\n')
    assert SafeSemicolonCSV().get_title() == "csv (;)" and SafeSemicolonCSV().get_extension() == "csv"


# --- Through the admin: export -> import leaves everything as it was -----------------------------------------


@pytest.fixture
def hostile_agencies(world: World) -> World:
    for n, value in enumerate(HOSTILE):
        agency_create(by=None, region=world.region, name=value, acronym=f"H{n:02d}")
    return world


@pytest.fixture
def admin(db: None) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def agencies_state() -> list[dict[str, Any]]:
    return list(Agency.objects.order_by("pk").values())


def test_the_admin_offers_the_semicolon_csv_and_it_imports_back_unchanged(
    hostile_agencies: World, admin: Client
) -> None:
    page = admin.get(reverse("admin:agencies_agency_export")).content.decode()
    assert "csv (;)" in page
    before = agencies_state()

    exported = admin.post(reverse("admin:agencies_agency_export"), {"format": "2", "resource": "0"})

    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert exported["Content-Disposition"].endswith('.csv"')
    data = exported.getvalue()
    assert data.startswith("\ufeff".encode())
    assert [cell for cell in cells(data.decode(), ",") + cells(data.decode(), ";") if live_formula(cell)] == []

    preview = admin.post(
        reverse("admin:agencies_agency_import"),
        {"resource": "0", "format": "2", "import_file": SimpleUploadedFile("a.csv", data)},
    )
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    admin.post(reverse("admin:agencies_agency_process_import"), preview.context["confirm_form"].initial)
    assert agencies_state() == before


@pytest.mark.parametrize("fmt", FORMATS, ids=["comma", "semicolon"])
def test_a_resource_round_trip_changes_nothing(hostile_agencies: World, fmt: type[SafeCSV]) -> None:
    before = agencies_state()
    data = fmt().export_data(AgencyResource().export())

    result = AgencyResource().import_data(fmt().create_dataset(data), dry_run=False, file_name="agencies.csv")

    assert {row.import_type for row in result.rows} == {"skip"}
    assert agencies_state() == before
    assert set(HOSTILE) <= set(Agency.objects.values_list("name", flat=True))
