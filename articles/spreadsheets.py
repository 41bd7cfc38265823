"""CSV that spreadsheet programs open safely: the one writer for the API's exports and the charts.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return as a formula (`=HYPERLINK(…)` in a participant's
name becomes a link that leaks the reader's data). Every cell from data passes
through `cell()`, which prefixes such text with an apostrophe; numbers stay numbers.
"""

import csv
import io

BOM = "\ufeff"
# Spreadsheet programs run a cell starting with one of these as a formula; a leading apostrophe stops that.
# The full-width forms are folded to these by some programs, so they are refused too.
FORMULA_PREFIXES = ("=", "+", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def cell(value):
    """`value` as the text of one CSV cell, never read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) or (text.startswith("-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_line(values):
    """One CSV record (CRLF, as RFC 4180 asks), every value through `cell()`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(value) for value in values])
    return buffer.getvalue()


def csv_document(columns, rows):
    """A whole CSV file as UTF-8 bytes with a byte-order mark, so spreadsheets read the Arabic right."""
    text = BOM + csv_line(columns) + "".join(csv_line(row) for row in rows)
    return text.encode("utf-8")
