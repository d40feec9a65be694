"""Workbooks written part by part for bench/import_hostile.py: every part is ours, so each can be as hostile
as a case needs, and large parts are streamed into the archive instead of built in memory."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

MB = 1024 * 1024
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
    overrides = [
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>',
        f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>',
    ]
    overrides += [
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CT}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    ]
    rels = [
        f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    ]
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


def random_hex(length: int) -> str:
    return os.urandom(length // 2 + 1).hex()[:length]
