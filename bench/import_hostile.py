"""Hostile spreadsheets against every import: each must be refused, or imported, in < 10 s and < 150 MB.

    .venv/bin/python bench/import_hostile.py [--only SUBSTRING] [--keep DIR] [--project DIR]

The script writes a corpus of hostile files (none over the 25 MB upload limit) into a temporary directory,
builds a throwaway SQLite database with the Banjar demo (migrate + load_demo, about a minute), then sends each
file, in a fresh subprocess, through Django's real request path: a multipart body on disk, parsed by
HashingUploadHandler, then the questionnaire import view (as the DKISP coordinator) or the admin's import page
(agencies or programmes, as the superuser). A file the admin previews without errors is then confirmed, and
that request (the import itself) is measured too.

Per request it prints the outcome, the server time (wall clock and CPU) and the growth of peak RSS: VmHWM from
/proc/self/status after the request, minus VmRSS before it, with the high-water mark reset through
/proc/self/clear_refs first; a warm-up request of a small valid file has already loaded every module and
template. `--project DIR` runs the requests against another checkout (e.g. `git archive HEAD | tar -x -C DIR`
for the figures before a change); there each request is stopped after 120 s or 3 GB. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import html
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
BOUNDARY = "----smartcity-bench-import-5d1e"
TIME_GOAL = 10.0
MEMORY_GOAL = 150.0
RUN_TIMEOUT = 120
RUN_ADDRESS_SPACE = 3 * 1024 * MB  # only for --project: a runaway request fails instead of starving the machine

QUESTIONNAIRE_COLUMNS = [
    "kode", "dimensi", "elemen", "lensa", "urutan", "pertanyaan", "bantuan", "jenis", "pilihan",
    "level_1", "level_2", "level_3", "level_4", "level_5", "wajib_bukti", "bobot",
]  # fmt: skip
AGENCY_COLUMNS = ["region", "acronym", "name", "kind", "email", "is_active", "predecessor"]
PROGRAMME_COLUMNS = [
    "region", "masterplan", "code", "element", "name", "description", "term", "is_quick_win", "lead_agency",
    "supporting_agencies", "start_year", "end_year", "funding_sources", "status",
]  # fmt: skip
MASTERPLAN = "Masterplan Smart City Kabupaten Banjar 2021–2025"


def question_row(number: int) -> list[Any]:
    return [f"SG-X-{number:04d}", "governance", "public-policy", "baseline", number,
            f"Apakah kebijakan nomor {number} telah ditetapkan dengan Peraturan Bupati?", "Unggah dokumen.",
            "yes_no", "", "", "", "", "", "", "ya", 1]  # fmt: skip


def agency_row(number: int) -> list[Any]:
    return ["6303", f"BENCH{number}", f"Badan Uji Beban {number}", "badan", f"bench{number}@example.org", "1", ""]


def programme_row(number: int) -> list[Any]:
    return ["6303", MASTERPLAN, f"BEN-{number:04d}", "waste", f"Program uji beban {number}", "", "medium", "0",
            "DKISP", "DINKES, DISDIK", 2022, 2024, "apbd", "planned"]  # fmt: skip


TARGETS: dict[str, tuple[list[str], Callable[[int], list[Any]]]] = {
    "questionnaire": (QUESTIONNAIRE_COLUMNS, question_row),
    "agencies": (AGENCY_COLUMNS, agency_row),
    "programmes": (PROGRAMME_COLUMNS, programme_row),
}


# --- Writing workbooks by hand: every part is ours, so each one can be made as hostile as needed.

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CELL_XFS = '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
MINIMAL_STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    f'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>{CELL_XFS}'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
).encode()


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_xml(row: int, column: int, value: Any) -> str:
    ref = f"{column_letter(column)}{row}"
    if value is None or value == "":
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def row_xml(row: int, values: Iterable[Any]) -> str:
    return f'<row r="{row}">' + "".join(cell_xml(row, c, v) for c, v in enumerate(values, start=1)) + "</row>"


def write_xlsx(
    path: Path,
    sheet: Callable[[IO[bytes]], None],
    *,
    strings: Callable[[IO[bytes]], None] | None = None,
    styles: bytes | Callable[[IO[bytes]], None] = MINIMAL_STYLES,
    sheets: int = 1,
    names: str = "",
) -> None:
    """A workbook whose first sheet (and shared strings, styles) are streamed in by the given writers."""
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>',
                 f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>']  # fmt: skip
    overrides += [
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CT}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    ]
    rels = [f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, sheets + 1)]  # fmt: skip
    rels.append(f'<Relationship Id="rIdS" Type="{REL_NS}/styles" Target="styles.xml"/>')
    if strings is not None:
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>')
        rels.append(f'<Relationship Id="rIdT" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    package = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{package}/content-types"><Default Extension="rels" '
            f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{"".join(overrides)}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_list = "".join(f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{sheet_list}</sheets>{names}</workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}/relationships">{"".join(rels)}</Relationships>',
        )
        with archive.open("xl/styles.xml", "w", force_zip64=True) as out:
            if isinstance(styles, bytes):
                out.write(styles)
            else:
                styles(out)
        if strings is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                strings(out)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            sheet(out)
        for n in range(2, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", f'<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>')


def sheet_writer(
    rows: Iterable[str], *, before: str = "", prolog: str = "", size: int | None = None
) -> Callable[[IO[bytes]], None]:
    """A worksheet of the given row XML; with `size`, rows are taken until the part reaches that many bytes."""

    def write(out: IO[bytes]) -> None:
        out.write(f'{prolog}<worksheet xmlns="{MAIN_NS}">{before}<sheetData>'.encode())
        written = 0
        buffer: list[str] = []
        for row in rows:
            buffer.append(row)
            written += len(row)
            if len(buffer) >= 2000:
                out.write("".join(buffer).encode())
                buffer.clear()
            if size is not None and written >= size:
                break
        out.write("".join(buffer).encode())
        out.write(b"</sheetData></worksheet>")

    return write


def header_and(target: str, rows: Iterable[str]) -> Iterator[str]:
    yield row_xml(1, TARGETS[target][0])
    yield from rows


def valid_rows(target: str, count: int, first_row: int = 2) -> Iterator[str]:
    make = TARGETS[target][1]
    for number in range(count):
        yield row_xml(first_row + number, make(number + 1))


def random_hex(length: int) -> str:
    return os.urandom(length // 2 + 1).hex()[:length]


# --- The corpus: (file name, target, format, builder, what it is).


@dataclass(frozen=True)
class Case:
    name: str
    target: str  # questionnaire, agencies, programmes
    build: Callable[[Path], None]
    what: str

    @property
    def fmt(self) -> str:
        return self.name.rsplit(".", 1)[1]


def xlsx_cases(target: str, max_rows: int) -> list[Case]:
    prefix = "q" if target == "questionnaire" else "a"
    columns, make = TARGETS[target]

    def case(name: str, build: Callable[[Path], None], what: str) -> Case:
        return Case(f"{prefix}-{name}.xlsx", target, build, what)

    def strings_huge(path: Path) -> None:
        def strings(out: IO[bytes]) -> None:
            out.write(f'<sst xmlns="{MAIN_NS}">'.encode())
            for _block in range(220):  # 44 MB of random text: compresses to ~23 MB, under the zip-bomb ratio
                out.write("".join(f"<si><t>{random_hex(190)}</t></si>" for _ in range(1000)).encode())
            out.write(b"</sst>")

        write_xlsx(path, sheet_writer(header_and(target, [])), strings=strings)

    def strings_many(path: Path) -> None:
        def strings(out: IO[bytes]) -> None:
            out.write(f'<sst xmlns="{MAIN_NS}">'.encode())
            out.write("".join(f"<si><t>{number:x}</t></si>" for number in range(450_000)).encode())
            out.write(b"</sst>")

        write_xlsx(path, sheet_writer(header_and(target, [])), strings=strings)

    def strings_at_limit(path: Path) -> None:
        def strings(out: IO[bytes]) -> None:  # 49,000 strings of 190 characters: 9.9 MB, just under both caps
            out.write(f'<sst xmlns="{MAIN_NS}">'.encode())
            for _block in range(49):
                out.write("".join(f"<si><t>{random_hex(190)}</t></si>" for _ in range(1000)).encode())
            out.write(b"</sst>")

        rows = [row_xml(1, columns), *(f'<row r="{r}"><c r="A{r}" t="s"><v>{r}</v></c></row>' for r in range(2, 12))]
        write_xlsx(path, sheet_writer(rows), strings=strings)

    def long_shared_string(path: Path) -> None:
        def strings(out: IO[bytes]) -> None:
            out.write(f'<sst xmlns="{MAIN_NS}"><si><t>'.encode())
            for _block in range(9):
                out.write(random_hex(MB).encode())
            out.write(b"</t></si></sst>")

        write_xlsx(path, sheet_writer(header_and(target, [])), strings=strings)

    def dimension_sparse(path: Path) -> None:
        far = ('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>far away</t></is></c>'
               '<c r="XFD1048576"><v>1</v></c></row>')  # fmt: skip
        rows = header_and(target, [row_xml(2, make(1)), far])
        write_xlsx(path, sheet_writer(rows, before='<dimension ref="A1:XFD1048576"/>'))

    def empty_rows(path: Path) -> None:
        rows = (f'<row r="{r}" s="0" customFormat="1"/>' for r in range(2, 2_000_000))
        write_xlsx(path, sheet_writer(header_and(target, rows), size=19 * MB))

    def empty_cells(path: Path) -> None:
        def rows() -> Iterator[str]:
            for r in range(2, 1_048_576):
                yield (
                    f'<row r="{r}">' + "".join(f'<c r="{column_letter(c)}{r}" s="0"/>' for c in range(1, 60)) + "</row>"
                )

        write_xlsx(path, sheet_writer(header_and(target, rows()), size=19 * MB))

    def wide_row(path: Path) -> None:
        # 200,000 empty cells in one row: 800 KB, under the 1 MB below which no zip-bomb ratio is checked.
        write_xlsx(path, sheet_writer(header_and(target, ['<row r="2">' + "<c/>" * 200_000 + "</row>"])))

    def styles_huge(path: Path) -> None:
        xfs = "<xf/>" * 199_000  # 1 MB of cell formats, just under the size the zip-bomb ratio is checked from
        styles = MINIMAL_STYLES.replace(CELL_XFS.encode(), f"<cellXfs>{xfs}</cellXfs>".encode())
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, 5))), styles=styles)

    def styles_at_limit(path: Path) -> None:
        # Varied, as a real file's formats are (identical ones compress past the zip-bomb ratio); the first, which
        # unstyled cells use, stays "General".
        xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' + "".join(
            f'<xf numFmtId="{random.randrange(50)}" fontId="0" fillId="0" borderId="0" xfId="0" '
            f'applyNumberFormat="{random.randrange(2)}"/>' for _ in range(48_999))  # fmt: skip
        styles = MINIMAL_STYLES.replace(CELL_XFS.encode(), f"<cellXfs>{xfs}</cellXfs>".encode())
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, 5))), styles=styles)

    def many_sheets(path: Path) -> None:
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, 5))), sheets=990)

    def defined_names(path: Path) -> None:
        names = "".join(f'<definedName name="n{n}">Sheet1!$A${n + 1}</definedName>' for n in range(30_000))
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, 5))),
                   names=f"<definedNames>{names}</definedNames>")  # fmt: skip

    def zip_bomb(path: Path) -> None:
        filler = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{" " * MB}</t></is></c></row>'
        write_xlsx(path, sheet_writer(header_and(target, iter(lambda: filler, None)), size=150 * MB))

    def long_cell(path: Path) -> None:
        def write(out: IO[bytes]) -> None:
            out.write(f'<worksheet xmlns="{MAIN_NS}"><sheetData>{row_xml(1, columns)}'.encode())
            out.write(b'<row r="2"><c r="F2" t="inlineStr"><is><t>')
            for _block in range(19):  # 19 MB of text in one cell: random, so it compresses only 2:1
                out.write(random_hex(MB).encode())
            out.write(b"</t></is></c></row></sheetData></worksheet>")

        write_xlsx(path, write)

    def deep_nesting(path: Path) -> None:
        write_xlsx(path, sheet_writer(header_and(target, ["<x>" * 100_000 + "</x>" * 100_000])))

    def entity_expansion(path: Path) -> None:
        entities = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 9))
        bomb = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"&a8;" * 50}</t></is></c></row>'
        write_xlsx(path, sheet_writer(header_and(target, [bomb]), prolog=f"<!DOCTYPE worksheet [{entities}]>"))

    def rows_over(path: Path) -> None:
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, max_rows + 1))))

    def wrong_columns(path: Path) -> None:
        wrong = [f"{column}_x" if index % 2 else column for index, column in enumerate(columns)]
        write_xlsx(path, sheet_writer([row_xml(1, wrong), *valid_rows(target, 5)]))

    return [
        case("strings-huge", strings_huge, "shared strings: 44 MB of unique random text"),
        case("strings-many", strings_many, "shared strings: 450,000 tiny unique texts (9 MB)"),
        case("strings-at-limit", strings_at_limit, "shared strings: 49,000 texts, 9.9 MB: just under both caps"),
        case("long-shared-string", long_shared_string, "one shared string of 9 MB"),
        case("dimension-sparse", dimension_sparse, '<dimension ref="A1:XFD1048576">, cells at row 1,048,576'),
        case("empty-rows", empty_rows, "19 MB sheet of ~1 million formatted empty rows"),
        case("empty-cells", empty_cells, "19 MB sheet of formatted empty cells, 59 a row"),
        case("wide-row", wide_row, "one row of 200,000 empty cells"),
        case("styles-huge", styles_huge, "styles.xml of 199,000 cell formats"),
        case("styles-at-limit", styles_at_limit, "styles.xml of 49,000 cell formats: just under the cap"),
        case("many-sheets", many_sheets, "990 sheets"),
        case("defined-names", defined_names, "workbook.xml with 30,000 defined names (1.4 MB)"),
        case("zip-bomb", zip_bomb, "a 150 MB sheet of spaces (ratio over 1000:1)"),
        case("long-cell", long_cell, "one inline cell of 19 MB"),
        case("deep-nesting", deep_nesting, "100,000 nested elements in a row"),
        case("entity-expansion", entity_expansion, "a DOCTYPE declaring a billion-laughs entity"),
        case(f"rows-{max_rows + 1}", rows_over, f"{max_rows + 1:,} valid rows: one over the cap"),
        case("wrong-columns", wrong_columns, "half the headers misspelt"),
    ]


def csv_cases(max_rows: int) -> list[Case]:
    header = ",".join(AGENCY_COLUMNS) + "\r\n"

    def write_lines(path: Path, lines: Iterable[str], *, size: int | None = None, encoding: str = "utf-8") -> None:
        with path.open("w", encoding=encoding, newline="") as out:
            written = 0
            for line in lines:
                out.write(line)
                written += len(line)
                if size is not None and written >= size:
                    break

    def agency_lines(count: int) -> Iterator[str]:
        for number in range(1, count + 1):
            yield ",".join(str(value) for value in agency_row(number)) + "\r\n"

    def case(name: str, build: Callable[[Path], None], what: str) -> Case:
        return Case(f"a-{name}.csv", "agencies", build, what)

    return [
        case(f"valid-{max_rows}", lambda p: write_lines(p, [header, *agency_lines(max_rows)]),
             f"{max_rows:,} new agencies: the most an import takes"),
        case(f"rows-{max_rows + 1}", lambda p: write_lines(p, [header, *agency_lines(max_rows + 1)]),
             f"{max_rows + 1:,} agencies: one over the cap"),
        case("millions-of-rows", lambda p: write_lines(p, [header, *agency_lines(10**7)], size=24 * MB),
             "24 MB of valid rows (~350,000)"),
        case("giant-line", lambda p: write_lines(p, [header, "a," * (12 * MB)]), "one line of 24 MB"),
        case("blank-lines", lambda p: write_lines(p, [header, "\r\n" * (12 * MB - 100)]), "12 million blank lines"),
        case("long-field", lambda p: write_lines(p, [header, '6303,"' + ("x" * 99 + "\n") * (200_000) + '"\r\n']),
             "a quoted field of 20 MB over 200,000 lines"),
        case("cp1252", lambda p: write_lines(p, [header, *agency_lines(5), "6303,SÉ,Dinas é,badan,,1,\r\n"],
                                             encoding="cp1252"), "Windows-1252 text, not UTF-8"),
        case("wrong-columns", lambda p: write_lines(p, ["region,akronim,nama\r\n", "6303,X,Y\r\n"]),
             "Indonesian headers"),
    ]  # fmt: skip


def corpus(questionnaire_rows: int, admin_rows: int) -> list[Case]:
    def valid(target: str, count: int) -> Callable[[Path], None]:
        return lambda path: write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, count))))

    return [
        Case(f"q-valid-{questionnaire_rows}.xlsx", "questionnaire", valid("questionnaire", questionnaire_rows),
             f"{questionnaire_rows:,} valid questions: the most the import takes"),
        *xlsx_cases("questionnaire", questionnaire_rows),
        Case(f"a-valid-{admin_rows}.xlsx", "agencies", valid("agencies", admin_rows),
             f"{admin_rows:,} new agencies: the most an admin import takes"),
        Case(f"a-programmes-{admin_rows}.xlsx", "programmes", valid("programmes", admin_rows),
             f"{admin_rows:,} new programmes with supporting agencies (the slowest rows)"),
        *xlsx_cases("agencies", admin_rows),
        *csv_cases(admin_rows),
    ]  # fmt: skip


# --- One request, measured in a fresh process.


def memory_mb(key: str) -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def reset_peak() -> None:
    # Linux 4.0+: writing 5 resets VmHWM to the current RSS.
    Path("/proc/self/clear_refs").write_text("5")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def multipart(out: IO[bytes], fields: dict[str, str], file_field: str, path: Path) -> None:
    for key, value in fields.items():
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
    )
    with path.open("rb") as source:
        shutil.copyfileobj(source, out, MB)
    out.write(f"\r\n--{BOUNDARY}--\r\n".encode())


def run_one(target: str, path: Path, warm_up: Path) -> None:
    """Send `path` to its import (after a warm-up with `warm_up`); print one JSON line per measured request."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AbstractBaseUser
    from django.test import Client
    from django.test.client import ClientHandler
    from django.test.signals import template_rendered
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # rendered templates report their context (as for the test client)
    contexts: list[Any] = []
    template_rendered.connect(lambda sender, template, context, **kwargs: contexts.append(context), weak=False)
    handler = ClientHandler(enforce_csrf_checks=False)

    def log_in(username: str) -> str:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())

    if target == "questionnaire":
        from evaluations.models import EvaluationCycle

        cookie = log_in("dkisp")
        cycle = EvaluationCycle.objects.order_by("-year").first()
        assert cycle is not None
        url = reverse("evaluations:questionnaire_import", args=[cycle.pk])
        fields, file_field = {"name": ""}, "file"
    else:
        from django.contrib import admin

        user: AbstractBaseUser = get_user_model().objects.filter(is_superuser=True).first()  # type: ignore[assignment]
        cookie = log_in(user.get_username())
        model = {"agencies": "agencies_agency", "programmes": "masterplan_programme"}[target]
        url = reverse(f"admin:{model}_import")
        model_admin = next(
            a for m, a in admin.site._registry.items() if f"{m._meta.app_label}_{m._meta.model_name}" == model
        )
        titles = [fmt().get_title() for fmt in model_admin.get_import_formats()]
        fields, file_field = {"resource": "0", "format": str(titles.index(path.suffix[1:]))}, "import_file"

    def post(url: str, body_fields: dict[str, str], upload: Path | None) -> Any:
        with tempfile.TemporaryFile() as body:
            if upload is None:
                body.write("&".join(f"{k}={v}" for k, v in body_fields.items()).encode())
                content_type = "application/x-www-form-urlencoded"
            else:
                multipart(body, body_fields, file_field, upload)
                content_type = f"multipart/form-data; boundary={BOUNDARY}"
            length = body.tell()
            body.seek(0)
            environ = {
                "REQUEST_METHOD": "POST", "PATH_INFO": url, "QUERY_STRING": "", "SERVER_NAME": "testserver",
                "SERVER_PORT": "443", "wsgi.url_scheme": "https", "wsgi.input": body, "CONTENT_TYPE": content_type,
                "CONTENT_LENGTH": str(length), "HTTP_COOKIE": cookie, "REMOTE_ADDR": "127.0.0.1",
            }  # fmt: skip
            contexts.clear()
            response = handler(environ)
            response.content  # noqa: B018 - rendered inside the measurement
            return response

    post(url, fields, warm_up)

    def measured(label: str, action: Callable[[], Any], outcome_after: Callable[[Any], str] | None = None) -> Any:
        gc.collect()
        reset_peak()
        rss_before = memory_mb("VmRSS")
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        response = action()
        wall = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        growth = memory_mb("VmHWM") - rss_before
        outcome = outcome_after(response) if outcome_after else describe(target, response, contexts)
        print(json.dumps({"step": label, "outcome": outcome, "wall": wall, "cpu": cpu, "rss": growth}), flush=True)
        return response

    measured("upload", lambda: post(url, fields, path))
    if target == "questionnaire":
        preview = next((c["result"] for c in contexts if c.get("result") is not None), None)
        if preview is not None and preview.ok and preview.rows:
            confirm_url = reverse("evaluations:questionnaire_import_confirm", args=[cycle.pk])

            def imported(response: Any) -> str:
                # The page the coordinator is sent to next says what happened ("53 questions imported as ...").
                page = Client()
                page.cookies.load(cookie)
                page.cookies.update(response.cookies)  # the message travels in a cookie
                body = page.get(reverse("evaluations:questionnaire", args=[cycle.pk]), secure=True).content.decode()
                alerts = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', body, re.DOTALL)
                return "; ".join(re.sub(r"<[^>]+>|\s+", " ", alert).strip() for alert in alerts) or "no message"

            measured("confirm", lambda: post(confirm_url, {}, None), imported)
        return
    confirm = next((c.get("confirm_form") for c in contexts if c.get("confirm_form") is not None), None)
    if confirm is not None:
        process_url = url.replace("/import/", "/process_import/")
        measured("confirm", lambda: post(process_url, {k: str(v) for k, v in confirm.initial.items()}, None))


def describe(target: str, response: Any, contexts: list[Any]) -> str:
    """What the person who uploaded the file would see, in a few words."""
    body = response.content.decode(errors="replace")
    note = " [TRACEBACK SHOWN]" if "Traceback" in body else ""
    if response.status_code >= 500:
        return f"server error {response.status_code}{note}"
    if response.status_code in (301, 302):
        return f"imported (redirect){note}"
    # The first template rendered is the page itself (the test signal fires before a template renders).
    context = next((c for c in contexts if c.get("form") is not None or c.get("result") is not None), None)
    if context is None:
        return f"status {response.status_code}{note}"
    if target == "questionnaire":
        result = context.get("result")
        form = context.get("form")
        if result is None:
            return "refused: " + "; ".join(str(e) for errors in form.errors.values() for e in errors) + note
        file_errors = [e.message for e in result.errors if e.line is None]
        if file_errors:
            return f"refused: {file_errors[0]}{note}"
        return f"preview: {len(result.rows)} rows, {len(result.errors)} row errors{note}"
    form = context.get("form")
    if form is not None and form.errors:
        return "refused: " + "; ".join(str(e) for errors in form.errors.values() for e in errors) + note
    result = context.get("result")
    if result is None:
        return f"status {response.status_code}{note}"
    totals = result.totals
    invalid = len(result.invalid_rows) + len(result.row_errors())
    return (
        f"preview: {totals['new']} new, {totals['update']} updated, {totals['skip']} unchanged, {invalid} rows with "
        f"errors{note}"
    )


# --- The driver.


def setup_database(directory: Path, env: dict[str, str]) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"Building the demo database in {directory} (migrate + load_demo) ...", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    # --force: the demo logins are fine in a throwaway database that nothing serves.
    subprocess.run([*manage, "load_demo", "--force"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
    # With debug off (as in production) pages need the collected, hashed static files.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603


def limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (RUN_ADDRESS_SPACE, RUN_ADDRESS_SPACE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the files whose name contains this")
    parser.add_argument("--keep", type=Path, help="write corpus and database here and keep them")
    parser.add_argument("--project", type=Path, help="send the files to this checkout instead (figures before)")
    parser.add_argument("--run", nargs=3, metavar=("TARGET", "FILE", "WARM_UP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        os.chdir(os.environ.get("BENCH_PROJECT", str(ROOT)))
        sys.path.insert(0, str(Path.cwd()))
        run_one(args.run[0], Path(args.run[1]), Path(args.run[2]))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="import-hostile-"))
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    project = (args.project or ROOT).resolve()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartcity.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "BENCH_PROJECT": str(project),
    }
    if not (work / "db.sqlite3").exists():
        setup_database(work, env)
    # The caps the corpus is built around, read from this checkout.
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from common.spreadsheets import ADMIN_IMPORT_LIMITS
    from evaluations.questionnaire_io import MAX_ROWS

    cases = [case for case in corpus(MAX_ROWS, ADMIN_IMPORT_LIMITS.max_rows) if args.only in case.name]
    warm_ups = {}
    for target in TARGETS:
        for fmt in ("xlsx", "csv"):
            warm_up = work / "corpus" / f"warm-up-{target}.{fmt}"
            columns, make = TARGETS[target]
            if fmt == "xlsx":
                write_xlsx(warm_up, sheet_writer(header_and(target, valid_rows(target, 3))))
            else:
                lines = [",".join(columns), *(",".join(str(v) for v in make(n)) for n in range(1, 4))]
                warm_up.write_text("\r\n".join(lines) + "\r\n")
            warm_ups[target, fmt] = warm_up

    print(f"Requests go to {project}")
    print(f"{'file':<34} {'size':>8}  {'step':<8} {'wall s':>7} {'CPU s':>6} {'RSS +MB':>8}  outcome")
    worst_time = worst_memory = 0.0
    for case in cases:
        path = work / "corpus" / case.name
        if not path.exists():
            case.build(path)
        size = f"{path.stat().st_size / MB:.1f} MB"
        # Every file meets the demo as loaded: a confirmed import must not change what the next file finds.
        shutil.copyfile(work / "db.sqlite3", work / "run.sqlite3")
        command = [sys.executable, str(Path(__file__).resolve()), "--run", case.target, str(path),
                   str(warm_ups[case.target, case.fmt])]  # fmt: skip
        run_env = {**env, "DATABASE_URL": f"sqlite:///{work / 'run.sqlite3'}"}
        try:
            done = subprocess.run(  # noqa: S603
                command, env=run_env, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                preexec_fn=limit_child if args.project else None,
            )  # fmt: skip
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
            if not lines:
                error = (done.stderr.strip().splitlines() or ["no output"])[-1]
                lines = [{"step": "upload", "outcome": f"crashed: {error}", "wall": 0.0, "cpu": 0.0, "rss": 0.0}]
        except subprocess.TimeoutExpired:
            lines = [{"step": "upload", "outcome": f"stopped after {RUN_TIMEOUT} s", "wall": RUN_TIMEOUT,
                      "cpu": 0.0, "rss": 0.0}]  # fmt: skip
        for line in lines:
            worst_time = max(worst_time, line["cpu"])
            worst_memory = max(worst_memory, line["rss"])
            outcome = html.unescape(line["outcome"])
            outcome = outcome if len(outcome) <= 110 else outcome[:107] + "..."
            print(f"{case.name:<34} {size:>8}  {line['step']:<8} {line['wall']:7.2f} {line['cpu']:6.2f} "
                  f"{line['rss']:8.1f}  {outcome}", flush=True)  # fmt: skip
            size = ""
    print(f"\nworst CPU time {worst_time:.2f} s (goal < {TIME_GOAL:.0f} s), worst RSS growth {worst_memory:.1f} MB "
          f"(goal < {MEMORY_GOAL:.0f} MB)")  # fmt: skip
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
