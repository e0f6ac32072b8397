"""CSV files for spreadsheets, safe from formula injection (OWASP "CSV Injection").

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab, a
carriage return or NUL, which some trim first) as a formula: ``=cmd|' /C calc'!A0`` starts a
program, ``=HYPERLINK(...)`` leaks data. Checking only the first character of a field is not
enough: a reader splits a field again wherever it sees its own list separator, and Excel in
the locales of this workspace's users (French, Spanish, Portuguese, Italian) splits on ``;``,
so in ``x;=cmd|' /C calc'!A0;y`` the formula starts a cell of its own. OWASP asks to take
care of the field separators and quotes as well as of the first character.

The rule, applied to every field by :func:`safe_cell`:

- A *part* of a field is what follows the start of the field or any character a spreadsheet
  may split on: ``,`` and ``;`` (the list separators), tab, CR and LF (rows and TSV). ``|`` is
  no list separator (and Markdown tables use it), so it is not one.
- When a part, after any spaces and double quotes (which a reader may trim or take as the
  quotes of a cell), starts with ``=``, ``+``, ``-``, ``@``, tab, CR or NUL, a ``'`` is put
  right before that character: the part is text in every spreadsheet, and the rest of the text
  reads as before. (A ``'`` before the whole cell would guard only the first of the cells a
  spreadsheet makes of it; NUL is in OWASP ASVS's list.) Only those starts change: a ``-`` inside words (``well-known``, ``1-2``),
  ``a@b.org``, ISO dates and the text between separators stay as they are.
- Negative numbers and Markdown bullets at the start of a part get the ``'`` too (``-2`` ->
  ``'-2``, ``"Points:\\n- one"`` -> ``"Points:\\n'- one"``): ``-2+3+cmd|...`` starts like
  a number, and telling the two apart would mean parsing formulas.

:func:`writer` writes rows with every field quoted (``csv.QUOTE_ALL``, quotes doubled) and
every cell through :func:`safe_cell`; :func:`attachment` is the HTTP answer to write it to.
Every CSV export goes through them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

__all__ = ["DANGEROUS_STARTS", "SEPARATORS", "SafeWriter", "attachment", "safe_cell", "writer"]

DANGEROUS_STARTS = "=+-@\t\r\0"
SEPARATORS = ",;\t\r\n"


def _char_class(chars: str) -> str:
    return "[" + "".join(f"\\x{ord(c):02x}" for c in chars) + "]"


# At the start of the text or after a separator: spaces and double quotes, then a danger.
_PART_START = re.compile(
    rf"(?:^|(?<={_char_class(SEPARATORS)}))([ \"]*)(?={_char_class(DANGEROUS_STARTS)})"
)


def safe_cell(value: Any) -> str:
    """``value`` as text, with a ``'`` before every formula start of its parts (see above)."""
    text = "" if value is None else str(value)
    return _PART_START.sub(r"\1'", text)


class SafeWriter:
    """``csv.writer`` with every field quoted and every cell through :func:`safe_cell`."""

    def __init__(self, file) -> None:
        self._writer = csv.writer(file, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file) -> SafeWriter:
    """A :class:`SafeWriter` on ``file`` (anything with ``write``, an HttpResponse too)."""
    return SafeWriter(file)


def attachment(filename: str) -> HttpResponse:
    """An empty ``text/csv`` download named ``filename``, starting with a UTF-8 BOM (so that
    spreadsheets read it as UTF-8)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response
