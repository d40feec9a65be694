"""The hostile corpus of bench/import_hostile.py: for each import (questionnaire, agencies, programmes), files
that are too large, too many, too deep, too wide, or not what they claim, and the valid files at the caps."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hostile_xlsx import (
    CELL_XFS,
    MAIN_NS,
    MB,
    MINIMAL_STYLES,
    column_letter,
    random_hex,
    row_xml,
    sheet_writer,
    write_xlsx,
)

QUESTIONNAIRE_COLUMNS = [
    "kode",
    "dimensi",
    "elemen",
    "lensa",
    "urutan",
    "pertanyaan",
    "bantuan",
    "jenis",
    "pilihan",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
    "wajib_bukti",
    "bobot",
]
AGENCY_COLUMNS = ["region", "acronym", "name", "kind", "email", "is_active", "predecessor"]
PROGRAMME_COLUMNS = [
    "region",
    "masterplan",
    "code",
    "element",
    "name",
    "description",
    "term",
    "is_quick_win",
    "lead_agency",
    "supporting_agencies",
    "start_year",
    "end_year",
    "funding_sources",
    "status",
]
MASTERPLAN = "Masterplan Smart City Kabupaten Banjar 2021–2025"


def question_row(number: int) -> list[Any]:
    cells = {
        "kode": f"SG-X-{number:04d}",
        "dimensi": "governance",
        "elemen": "public-policy",
        "lensa": "baseline",
        "urutan": number,
        "pertanyaan": f"Apakah kebijakan nomor {number} telah ditetapkan dengan Peraturan Bupati?",
        "bantuan": "Unggah dokumen.",
        "jenis": "yes_no",
        "wajib_bukti": "ya",
        "bobot": 1,
    }
    return [cells.get(column, "") for column in QUESTIONNAIRE_COLUMNS]


def agency_row(number: int) -> list[Any]:
    return ["6303", f"BENCH{number}", f"Badan Uji Beban {number}", "badan", f"bench{number}@example.org", "1", ""]


def programme_row(number: int) -> list[Any]:
    cells = {
        "region": "6303",
        "masterplan": MASTERPLAN,
        "code": f"BEN-{number:04d}",
        "element": "waste",
        "name": f"Program uji beban {number}",
        "term": "medium",
        "is_quick_win": "0",
        "lead_agency": "DKISP",
        "supporting_agencies": "DINKES, DISDIK",
        "start_year": 2022,
        "end_year": 2024,
        "funding_sources": "apbd",
        "status": "planned",
    }
    return [cells.get(column, "") for column in PROGRAMME_COLUMNS]


TARGETS: dict[str, tuple[list[str], Callable[[int], list[Any]]]] = {
    "questionnaire": (QUESTIONNAIRE_COLUMNS, question_row),
    "agencies": (AGENCY_COLUMNS, agency_row),
    "programmes": (PROGRAMME_COLUMNS, programme_row),
}


def header_and(target: str, rows: Iterable[str]) -> Iterator[str]:
    yield row_xml(1, TARGETS[target][0])
    yield from rows


def valid_rows(target: str, count: int, first_row: int = 2) -> Iterator[str]:
    make = TARGETS[target][1]
    for number in range(count):
        yield row_xml(first_row + number, make(number + 1))


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
        far = (
            '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>far away</t></is></c>'
            '<c r="XFD1048576"><v>1</v></c></row>'
        )
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
        varied = "".join(
            f'<xf numFmtId="{random.randrange(50)}" fontId="0" fillId="0" borderId="0" xfId="0" '
            f'applyNumberFormat="{random.randrange(2)}"/>'
            for _ in range(48_999)
        )
        xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' + varied
        styles = MINIMAL_STYLES.replace(CELL_XFS.encode(), f"<cellXfs>{xfs}</cellXfs>".encode())
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, 5))), styles=styles)

    def many_sheets(path: Path) -> None:
        write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, 5))), sheets=990)

    def defined_names(path: Path) -> None:
        names = "".join(f'<definedName name="n{n}">Sheet1!$A${n + 1}</definedName>' for n in range(30_000))
        sheet = sheet_writer(header_and(target, valid_rows(target, 5)))
        write_xlsx(path, sheet, names=f"<definedNames>{names}</definedNames>")

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
        case(
            f"valid-{max_rows}",
            lambda p: write_lines(p, [header, *agency_lines(max_rows)]),
            f"{max_rows:,} new agencies: the most an import takes",
        ),
        case(
            f"rows-{max_rows + 1}",
            lambda p: write_lines(p, [header, *agency_lines(max_rows + 1)]),
            f"{max_rows + 1:,} agencies: one over the cap",
        ),
        case(
            "millions-of-rows",
            lambda p: write_lines(p, [header, *agency_lines(10**7)], size=24 * MB),
            "24 MB of valid rows (~350,000)",
        ),
        case("giant-line", lambda p: write_lines(p, [header, "a," * (12 * MB)]), "one line of 24 MB"),
        case("blank-lines", lambda p: write_lines(p, [header, "\r\n" * (12 * MB - 100)]), "12 million blank lines"),
        case(
            "long-field",
            lambda p: write_lines(p, [header, '6303,"' + ("x" * 99 + "\n") * (200_000) + '"\r\n']),
            "a quoted field of 20 MB over 200,000 lines",
        ),
        case(
            "cp1252",
            lambda p: write_lines(p, [header, *agency_lines(5), "6303,SÉ,Dinas é,badan,,1,\r\n"], encoding="cp1252"),
            "Windows-1252 text, not UTF-8",
        ),
        case(
            "wrong-columns", lambda p: write_lines(p, ["region,akronim,nama\r\n", "6303,X,Y\r\n"]), "Indonesian headers"
        ),
    ]


def corpus(questionnaire_rows: int, admin_rows: int) -> list[Case]:
    def valid(target: str, count: int) -> Callable[[Path], None]:
        return lambda path: write_xlsx(path, sheet_writer(header_and(target, valid_rows(target, count))))

    return [
        Case(
            f"q-valid-{questionnaire_rows}.xlsx",
            "questionnaire",
            valid("questionnaire", questionnaire_rows),
            f"{questionnaire_rows:,} valid questions: the most the import takes",
        ),
        *xlsx_cases("questionnaire", questionnaire_rows),
        Case(
            f"a-valid-{admin_rows}.xlsx",
            "agencies",
            valid("agencies", admin_rows),
            f"{admin_rows:,} new agencies: the most an admin import takes",
        ),
        Case(
            f"a-programmes-{admin_rows}.xlsx",
            "programmes",
            valid("programmes", admin_rows),
            f"{admin_rows:,} new programmes with supporting agencies (the slowest rows)",
        ),
        *xlsx_cases("agencies", admin_rows),
        *csv_cases(admin_rows),
    ]
