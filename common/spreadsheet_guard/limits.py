"""What an import reads at most (`ImportLimits`, chosen per import), and the limits Excel itself has."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
EXCEL_MAX_CELL_CHARS = 32_767  # Excel's own limit: a longer cell was not written by a spreadsheet program
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class ImportLimits:
    """What one kind of import reads at most. Sizes are of the unpacked parts, in bytes."""

    max_rows: int  # rows with a value, after the header row
    max_columns: int  # columns read from the left; whatever stands to their right is not read
    max_blank_rows: int  # rows present in the file without a value (formatted, or holding only spaces)
    max_sheet_elements: int  # XML elements of the sheet read (rows, cells, values), empty formatted ones too
    max_sheet_bytes: int  # every worksheet, and every part no parser opens (images, printer settings)
    max_shared_strings_bytes: int
    max_shared_strings: int
    max_styles_bytes: int
    max_styles_elements: int
    max_part_bytes: int  # the other parts openpyxl parses whole: content types, workbook, its relationships
    max_part_elements: int
    max_sheets: int
    max_line_chars: int  # one CSV line
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS
