"""Output columns of each command (a stable contract) and the one CSV writer.

The command line and the dashboard's downloads both write CSV through :func:`csv_text`, so a
download holds exactly what ``policydata COMMAND --format csv`` prints for the same filter;
other tables the dashboard offers as CSV go through :func:`frame_csv`.

Every CSV is safe to open in a spreadsheet (OWASP's "CSV injection"): a text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a NUL, which a spreadsheet would
run as a formula, is written with a single quote ``'`` before it, unless the whole cell is a
plain number (``-2.5``); numeric columns are never changed. A field holding a line break of any
kind (``\\n`` or a lone ``\\r``) is quoted, so it cannot split its row.
"""

from __future__ import annotations

import re
from typing import Any

#: Invisible and direction-changing characters: every format character of Unicode (category
#: Cf: zero-width spaces and joiners, the soft hyphen, bidirectional marks, embeddings,
#: overrides and isolates, the byte-order mark, tag characters) but the few drawn as signs
#: (:data:`SHOWN_FORMAT`), the line and paragraph separators (U+2028, U+2029), and the
#: invisible letters and marks that are not Cf: the Hangul fillers (letters:
#: ``digital\u3164economy`` is one word that looks like two), variation selectors and the
#: combining grapheme joiner. Shown as ``[U+202E]``, not obeyed, wherever corpus text is shown
#: (terminal and dashboard), so a title cannot read differently from what it holds: a soft
#: hyphen splits a word (``digi\u00adtal`` is two tokens) that reads as one. (Written out, as
#: of Unicode 15.1; a test checks it against the running Python's Unicode data.)
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u180b-\u180f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\U000e0100-\U000e01ef]")
#: Format characters drawn as visible signs (Unicode's prepended concatenation marks: the
#: Arabic number sign, end of ayah, Syriac abbreviation mark, Kaithi number signs): shown as
#: they are.
SHOWN_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891"
                         "\u08e2\U000110bd\U000110cd")


def reveal(value: str) -> str:
    """Invisible and direction-changing characters (:data:`INVISIBLE`) written as codes.

    >>> reveal("evil\u202etxt.exe")
    'evil[U+202E]txt.exe'
    >>> reveal("digital\u3164economy, digi\u00adtal")
    'digital[U+3164]economy, digi[U+00AD]tal'
    """
    return INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


#: Control characters: written as codes (``\x1b``) by :func:`printable`; the second keeps
#: line breaks and tabs (text laid out in paragraphs).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: Any, *, lines: bool = False) -> str:
    r"""Text for a terminal or a chart label: control characters (escape sequences, line
    breaks, bells) written as codes, so a title or file name cannot move the cursor or forge a
    line, and invisible or direction-changing characters as ``[U+202E]`` (see :func:`reveal`).
    With ``lines``, line breaks and tabs stay as they are (an article's body).

    >>> print(printable("a\x1b[2Jb\nc"))
    a\x1b[2Jb\nc
    >>> print(printable("txt.\u202eexe\u200b"))
    txt.[U+202E]exe[U+200B]
    >>> print(printable("a\x1b[31mb\nc", lines=True))
    a\x1b[31mb
    c
    """
    control = _CONTROL_BUT_LINES if lines else _CONTROL
    return reveal(control.sub(lambda m: repr(m.group())[1:-1], str(value)))


#: Most words of context each side of a keyword-in-context line (``kwic``'s ``window``): a
#: sentence or two; a wider window would copy whole articles into every line.
MAX_WINDOW = 50

COLUMNS: dict[str, list[str]] = {
    "trend": ["period", "term", "count", "docs", "words", "per_10k"],
    "themes": ["period", "theme", "count", "docs"],
    "top": ["term", "count", "docs", "score"],
    "kwic": ["id", "date", "title", "left", "match", "right"],
    "articles": ["id", "date", "title", "source", "words", "hits", "themes"],
}

#: First characters that make a spreadsheet read a cell as a formula (OWASP, ASVS 1.2.10).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: ``'`` before a text that starts like a formula.

    Values that are not text, and texts that are plain numbers, are returned as they are.

    >>> neutralise('=HYPERLINK("https://evil.example/","Click")')
    '\\'=HYPERLINK("https://evil.example/","Click")'
    >>> neutralise("-2.5"), neutralise("-2+3"), neutralise(-3), neutralise("a=b")
    ('-2.5', "'-2+3", -3, 'a=b')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not (
            _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def csv_text(frame: Any, command: str) -> str:
    """The CSV of ``frame`` with exactly the columns of ``command``, header first.

    >>> import pandas as pd
    >>> csv_text(pd.DataFrame({"term": ["a"], "count": [1], "docs": [1], "score": [1.5],
    ...                        "extra": [0]}), "top")
    'term,count,docs,score\\na,1,1,1.5\\n'
    """
    return frame_csv(frame[COLUMNS[command]])


def frame_csv(frame: Any) -> str:
    """The CSV of any table (all its columns, no index), as :func:`csv_text` writes it.

    Text cells that a spreadsheet would run as formulas get a ``'`` before them (see
    :func:`neutralise`); a field holding ``\\n`` or ``\\r`` is quoted; lines end with ``\\n``.

    >>> import pandas as pd
    >>> print(frame_csv(pd.DataFrame({"title": ["@SUM(1+1)", "-2.5", "a\\rb", "a\\0b"],
    ...                               "change": [-2, 3, 4, 5]})), end="")
    title,change
    '@SUM(1+1),-2
    -2.5,3
    "a\rb",4
    a\\x00b,5
    """
    risky = [c for c in frame.columns if not _numeric(frame[c].dtype) and _risky(frame[c])]
    if risky:
        frame = frame.copy()
        for column in risky:
            frame[column] = frame[column].map(lambda v: neutralise(_no_nul(v)))
    # Written with "\r\n" so that the csv module quotes every field holding "\r" or "\n" (with
    # "\n" alone it leaves a lone "\r" bare, which readers take for a line end); then each row
    # end, the "\r\n" outside quotes, becomes "\n". Outside quotes means an even number of '"'
    # before it: quotes inside a field are doubled.
    written = frame.to_csv(index=False, lineterminator="\r\n")
    parts = written.split('"')
    parts[::2] = [part.replace("\r\n", "\n") for part in parts[::2]]
    return '"'.join(parts)


def _no_nul(value: Any) -> Any:
    """A NUL character written as ``\\x00`` (as the command line's tables write it): spreadsheets
    and CSV readers cut a field, or refuse the file, at a NUL."""
    return value.replace("\0", "\\x00") if isinstance(value, str) else value


def _numeric(dtype: Any) -> bool:
    return getattr(dtype, "kind", "O") in "biufcmM"  # numbers, booleans, dates, durations


def _risky(column: Any) -> bool:
    """Whether a column may hold a text cell starting like a formula, or a NUL (a quick look
    first)."""
    try:
        return bool(column.str.startswith(FORMULA_STARTS, na=False).any()
                    or column.str.contains("\0", regex=False, na=False).any())
    except AttributeError:  # not a column of text (dates, lists): each value is looked at
        return any(isinstance(v, str) and (v.startswith(FORMULA_STARTS) or "\0" in v)
                   for v in column)
