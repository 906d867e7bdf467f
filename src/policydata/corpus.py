"""Reading a corpus folder: every supported file format, and a report of what was not read.

A corpus is a folder, read recursively. Each file gives zero or more documents:

* the scraped text format of the seed: a first line `` date YYYY-MM-DD Title`` (also
  ``date YYYY-MM`` and ``date YYYY``; the precision is recorded), then the body;
* Markdown or text with YAML front matter (``date``, ``title``, optional ``source``, ``url``,
  ``id``);
* CSV, JSON Lines and Parquet with columns ``date``, ``title``, ``text`` and optional ``id``,
  ``source``, ``url``: one document per row (CSV fields separated by commas, semicolons or
  tabs, told from the header; ``.tsv`` files too); ``.json`` files holding an array of such
  objects (one document per item) or one object.

``source`` defaults to the first folder level under the corpus root (the root folder's own name
for files that sit directly in it). Nothing is dropped silently: a file or row that is not
loaded is a :class:`Problem` in the :class:`LoadReport` with its path and the reason, and so is
anything loaded with a caveat (a guessed encoding, a title with no body, a renamed duplicate id).

Examples
--------
>>> from pathlib import Path
>>> docs, problems = read_file(Path("seeds"), "000_362ffc007b938720.txt")
>>> docs[0].date, docs[0].precision, docs[0].title[:31]
(datetime.date(2023, 9, 2), 'day', 'Vigorously Promote the Deep Int')
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import dataclasses
import datetime as dt
import errno
import functools
import hashlib
import io
import json
import math
import operator
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

import numpy as np

from policydata.columns import INVISIBLE, reveal

#: File name endings read as documents, by reader.
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", "")
TABLE_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet")
SUFFIXES = frozenset(TEXT_SUFFIXES + TABLE_SUFFIXES)
SUPPORTED = ", ".join(s for s in TEXT_SUFFIXES + TABLE_SUFFIXES if s)

#: Dates outside these years are refused as implausible (a scraper's 0999 or 2999).
MIN_YEAR = 1000
MAX_YEAR_AHEAD = 1  # years after the current one

FOOTER = re.compile(r"^[ \t]*Share this:", re.MULTILINE)
#: The scraped format's header: `` date 2023-09-02 Title`` (``date`` in any case, or
#: ``date:``, as other scrapers write it).
_DATE_WORD = r"^[ \t]*(?i:date)(?:[ \t]*:[ \t]*|[ \t]+)"
HEADER = re.compile(_DATE_WORD + r"(\S+)(?:[ \t]+(.*))?$")
#: A header whose date is written as Chinese sources write it, spaced or not, the title
#: after it with or without a space (`` date 2023 年 9 月 2 日 标题``).
_HAN_HEADER = re.compile(_DATE_WORD + r"(\d{4}[ \t]*年(?:[ \t]*\d{1,2}[ \t]*月"
                         r"(?:[ \t]*\d{1,2}[ \t]*日)?)?)[ \t]*(.*)$")


#: A header's title that starts with a time of day (`` date 2023-09-02 23:30 Title``).
_TIME_FIRST = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?!\S)")


#: Only white space and invisible characters, to the end: a text with something to see fails
#: at its first visible character (an article's body is not read through).
_BLANK = re.compile(rf"[\s{INVISIBLE.pattern[1:-1]}]*\Z")


def blank(value: str) -> bool:
    """Whether a title or text has nothing to see: only white space and invisible characters
    (zero-width spaces, direction marks: :data:`policydata.columns.INVISIBLE`).

    >>> blank(" \u00a0\u3000\u200b"), blank("\u200bx"), blank("")
    (True, False, True)
    """
    return _BLANK.match(value) is not None


def _invisible_only(value: str) -> str:
    """What a blank title that is not empty holds, said for the load report."""
    return f" (only {reveal(value.strip())})" if value.strip() else ""


#: How the load report's reason for an exact duplicate starts (``is_duplicate`` tells them).
DUPLICATE = "exact duplicate of "


def is_duplicate(reason: str) -> bool:
    """Whether a load report's reason is that of an exact duplicate (loaded and counted
    once, under the first copy) rather than of a file or row that could not be read.

    >>> is_duplicate("exact duplicate of 'a' (a.txt); counted once"), is_duplicate("no date")
    (True, False)
    """
    return reason.startswith(DUPLICATE)


#: How the load report names a row of a table file, by the file's type (its number is the
#: one in the ids of the file's rows, ``path#N``).
ROW_NAMES = {".csv": "row", ".tsv": "row", ".parquet": "row", ".jsonl": "line",
             ".ndjson": "line", ".json": "item"}


def why_not_loaded(skipped: Sequence[Mapping[str, str]], doc_id: str) -> str:
    """Why a load report's ``skipped`` entries (``{path, reason}``) say the article
    ``doc_id`` was not loaded: its file, or its row of a table file (ids ``path#N``); ""
    when they do not name it.

    >>> skipped = [{"path": "a.txt", "reason": "no date"},
    ...            {"path": "t.csv", "reason": "row 2 (line 3): missing date"}]
    >>> why_not_loaded(skipped, "a"), why_not_loaded(skipped, "t#2")
    ('its file a.txt was not loaded (no date)', 'in its file t.csv, row 2 (line 3): missing date')
    >>> why_not_loaded(skipped, "t"), why_not_loaded(skipped, "t#3"), why_not_loaded(skipped, "t#(")
    ('', '', '')
    """
    stem, mark, number = doc_id.rpartition("#")
    for entry in skipped:
        path, reason = entry["path"], entry["reason"]
        base, suffix = os.path.splitext(path)
        named = ROW_NAMES.get(suffix.lower())
        row_level = bool(named and re.match(rf"{named} \d+\b", reason))
        if (mark and number.isdigit() and base == stem and row_level
                and re.match(rf"{named} {int(number)}\b", reason)):
            return f"in its file {path}, {reason}"
        if not row_level and doc_id in (path, base):
            return f"its file {path} was not loaded ({reason})"
    return ""


#: Bumped whenever files are read differently (a new format, date form or separator): a cache
#: made by another version is rebuilt, so files it could not read are read again.
LOADER_VERSION = 12  # 12: the footer starts at the last 'Share this:' line, not the first,
# and front matter without a title gives no title (its file name was counted); 11: 'DATE
# 2023-09-02 Title' and 'Date: 2023-09-02 Title' headers are read, a file of one article
# over 256 MB is refused unread; 10: after a broken CSV row,
# lines where no row of the file starts are taken as its rest, not read as rows ('2008, the
# year...' in its text is none), GB18030 English text with curly quotes is read, a time after
# a named date is ignored; 9: a list in a text field is read as paragraphs, not as its written
# form (8: a CSV line read again after
# a broken row is reported when it cannot be loaded, a CSV text holding lines shaped like rows
# gets a caveat, a second byte-order mark is dropped, YYYYMMDD and 2023年9月2日 are dates (7: a
# title of invisible characters is no title; 6: a JSON name given twice is a caveat; 5: a date
# alone is skipped))


@dataclass(frozen=True)
class Document:
    """One dated article.

    ``text`` is what the counting rules count: the title, a blank line, then the body.
    """

    id: str
    date: dt.date
    precision: str  # "day", "month" or "year"
    title: str
    body: str
    source: str
    path: str
    url: str = ""

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.body}"

    @property
    def content_hash(self) -> str:
        """SHA-256 of :attr:`text`: documents with equal hashes are exact duplicates."""
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """The :attr:`Document.content_hash` of a document whose :attr:`Document.text` is given."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """A file or row that was not loaded (``skipped``) or was loaded with a caveat."""

    path: str
    reason: str


@dataclass
class LoadReport:
    """What a corpus load did: files seen, documents loaded, and every problem.

    ``skipped`` lists everything not loaded, each with its path and the reason; ``warnings``
    lists what was loaded with a caveat.
    """

    files: int = 0
    documents: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "documents": self.documents,
            "skipped": [{"path": p.path, "reason": p.reason} for p in self.skipped],
            "warnings": [{"path": p.path, "reason": p.reason} for p in self.warnings],
        }


class Unreadable(Exception):
    """A file (or row) that cannot be loaded; the message is the reason shown to users."""


# --------------------------------------------------------------------------- scanning


class FileEntry(NamedTuple):
    """A candidate file found by :func:`scan`: path relative to the root, size, and the times
    of its last content change (``mtime_ns``, which tools may set back) and last status change
    (``ctime_ns``, which only the system sets: a rewrite moves it even when ``mtime`` is kept).

    (A named tuple: a corpus may hold hundreds of thousands, made on every start.)
    """

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int


_S_IFREG, _S_IFDIR = stat.S_IFREG, stat.S_IFDIR
_SCANDIR_FD = os.scandir in os.supports_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_PATH = operator.itemgetter(0)


#: File system types that hold no documents: a link into one (``/proc/self`` leads to the whole
#: file system, ``/proc/kmsg`` blocks a reader forever) is reported and not followed.
PSEUDO_FILE_SYSTEMS = frozenset((
    "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs",
    "securityfs", "configfs", "fusectl", "pstore", "bpf", "mqueue", "binfmt_misc",
    "efivarfs", "selinuxfs", "hugetlbfs", "rpc_pipefs", "nsfs"))


@functools.lru_cache(maxsize=1)
def _pseudo_mounts() -> tuple[str, ...]:
    """Mount points of pseudo file systems (from ``/proc/self/mounts``; else the usual)."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ("/proc", "/sys", "/dev")
    points = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and fields[2] in PSEUDO_FILE_SYSTEMS:
            # (spaces and the like in a mount point are written as octal escapes)
            points.append(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1]))
    return tuple(p for p in points if p != "/")


def _system_devices() -> dict[int, str]:
    """The device number of each pseudo file system, with its mount point.

    A file's device number says which file system holds it, whatever path leads there: a link's
    target is checked with the ``stat`` the scan makes anyway, and ``/dev/shm`` (an ordinary
    memory file system mounted under ``/dev``) is not mistaken for ``/dev``.
    """
    devices: dict[int, str] = {}
    for point in _pseudo_mounts():
        with contextlib.suppress(OSError):
            device = os.stat(point).st_dev
            # Only a mount point: without /proc/self/mounts the usual names are guessed, and
            # an unmounted /proc is a folder of the root file system, not a system one.
            if device != os.stat(os.path.dirname(point.rstrip("/")) or "/").st_dev:
                devices.setdefault(device, point)
    return devices


def _ancestors(folder: str) -> set[tuple[int, int]]:
    """The (device, inode) of every folder above ``folder`` (a real path), up to ``/``."""
    keys = set()
    parent = os.path.dirname(folder)
    while True:
        with contextlib.suppress(OSError):
            info = os.stat(parent)
            keys.add((info.st_dev, info.st_ino))
        if parent == os.path.dirname(parent):
            return keys
        parent = os.path.dirname(parent)


def _link_problem(path: str, info: os.stat_result, system: dict[int, str],
                  above: set[tuple[int, int]]) -> str | None:
    """Why a symbolic link found in the corpus is not followed, or None to follow it.

    ``info`` is the stat of the link's target; ``system`` the pseudo file systems' devices
    (:func:`_system_devices`); ``above`` the folders holding the corpus (:func:`_ancestors`).
    """
    point = system.get(info.st_dev)
    is_dir = info.st_mode & 0o170000 == _S_IFDIR
    if point is None and not (is_dir and (info.st_dev, info.st_ino) in above):
        return None
    try:  # (the link as written, for the message only)
        written = _shown_name(os.readlink(path))
    except OSError:
        written = os.path.realpath(path)
    if point is not None:
        return (f"symbolic link to {written!r}, on a system file system ({point}); "
                "not followed")
    return (f"symbolic link to {written!r}, a folder holding the corpus itself; not "
            "followed (it would read the corpus again and everything beside it)")


def scan(root: Path, seen: Callable[[int, int], Any] | None = None, *,
         skip: Sequence[Path] = ()) -> tuple[list[FileEntry], list[Problem]]:
    """List the files under ``root`` that may hold documents, and what was passed over.

    Folders are read recursively, following symbolic links but never around a loop, into a
    system file system (``/proc``, ``/sys``, ``/dev``) or up to a folder holding the corpus.
    Hidden files and folders (names starting with ``.``), unsupported file types, broken links,
    links not followed and unreadable folders are reported, never silently ignored.

    Parameters
    ----------
    root : Path
        A folder, or a single file.
    seen : callable, optional
        Called now and then with the number and total size of the files found so far.
    skip : sequence of Path, optional
        Folders not to read (the index cache, when it lies inside the corpus); reported.

    Returns
    -------
    files : list of FileEntry
        Sorted by path.
    problems : list of Problem
        Everything under ``root`` that will not be read, with the reason.
    """
    root = Path(root)
    if not root.exists():
        raise FileNotFoundError(f"corpus path {str(root)!r} does not exist")
    if root.is_file():
        info = root.stat()
        return [FileEntry(root.name, info.st_size, info.st_mtime_ns, info.st_ctime_ns)], []
    if not root.is_dir():
        raise FileNotFoundError(f"corpus path {str(root)!r} is not a folder or a file (a "
                                "device, pipe or socket)")
    files: list[FileEntry] = []
    size = 0
    problems: list[Problem] = []
    seen_dirs: dict[tuple[int, int], str] = {}
    links: dict[str, tuple[int, int]] = {}  # files reached through a link: their file's key
    system, above = _system_devices(), _ancestors(os.path.realpath(root))
    skip_keys = set()
    for path in skip:
        try:
            skipped = os.stat(path)
            skip_keys.add((skipped.st_dev, skipped.st_ino))
        except OSError:
            pass
    # An explicit stack rather than recursion: a deeply nested tree cannot overflow Python's
    # stack. Folders are pushed in reverse order so they are read in sorted order. Folders
    # reached through a link wait until every real folder is read: a link to a folder of the
    # corpus ('latest' -> 'xinhua') is then the second way to it, and the folder keeps its own
    # name as its articles' source and ids, whichever name sorts first.
    stack: list[tuple[str, str]] = [(str(root), "")]
    linked: list[tuple[str, str]] = []
    while stack or linked:
        if not stack:
            stack, linked = sorted(linked, reverse=True), []
        folder, rel = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            problems.append(Problem(rel, f"cannot open folder: {error.strerror}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            problems.append(Problem(
                rel, f"folder already read as {seen_dirs[key]!r} (symbolic link loop "
                "or second link to it); not read again"))
            continue
        seen_dirs[key] = rel or "."
        prefix = f"{rel}/" if rel else ""
        # Listing a folder through a descriptor makes each entry's stat relative to it (the
        # system does not walk the whole path again for each of 100,000 files).
        try:
            handle = os.open(folder, _FOLDER_FLAGS) if _SCANDIR_FD else None
        except OSError as error:
            problems.append(Problem(rel or ".", f"cannot list folder: {error.strerror}"))
            continue
        try:
            with os.scandir(folder if handle is None else handle) as listing:
                entries = list(listing)
        except OSError as error:
            if handle is not None:
                os.close(handle)
            problems.append(Problem(rel or ".", f"cannot list folder: {error.strerror}"))
            continue
        folders: list[tuple[str, str]] = []
        try:
            for entry in entries:  # (hot: one pass per file of the corpus on every start)
                base = entry.name
                if not base.isascii() and not _utf8(base):
                    kind = "folder" if entry.is_dir() else "file"
                    problems.append(Problem(
                        prefix + _shown_name(base), f"{kind} name is not valid UTF-8 (the "
                        "system gave undecodable bytes, shown as \\x..); rename it to read it"))
                    continue
                if base[0] == ".":
                    kind = "folder" if entry.is_dir() else "file"
                    problems.append(Problem(prefix + base,
                                            f"hidden {kind} (name starts with '.'); not read"))
                    continue
                try:
                    info = entry.stat()  # follows links
                except OSError as error:
                    problems.append(Problem(prefix + base, _stat_failure(folder, entry, error)))
                    continue
                kind_bits = info.st_mode & 0o170000
                link = entry.is_symlink()
                if link:
                    why = _link_problem(os.path.join(folder, base), info, system, above)
                    if why:
                        problems.append(Problem(prefix + base, why))
                        continue
                if kind_bits == _S_IFREG:
                    dot = base.rfind(".")
                    suffix = base[dot:].lower() if dot > 0 else ""
                    if suffix in SUFFIXES:
                        if link:
                            links[prefix + base] = (info.st_dev, info.st_ino)
                        files.append(FileEntry(prefix + base, info.st_size, info.st_mtime_ns,
                                               info.st_ctime_ns))
                        size += info.st_size
                        if seen is not None and not len(files) % 1024:
                            seen(len(files), size)
                    else:
                        problems.append(Problem(prefix + base, f"unsupported file type "
                                                               f"{suffix!r} (read: {SUPPORTED})"))
                elif kind_bits == _S_IFDIR:
                    if (info.st_dev, info.st_ino) in skip_keys:
                        problems.append(Problem(prefix + base, "the index cache (--cache-dir), "
                                                               "inside the corpus; not read"))
                        continue
                    (linked if link else folders).append((os.path.join(folder, base),
                                                          prefix + base))
                else:
                    problems.append(Problem(prefix + base, "not a regular file or folder (a "
                                                           "device, pipe or socket); not read"))
        finally:
            if handle is not None:
                os.close(handle)
        folders.sort(reverse=True)
        stack.extend(folders)
    if links:
        # A link to a file of the corpus is that file read a second time: it would be the
        # duplicate kept (the first path) and take the article to its own folder's source.
        # (Told by a second look at the files, only in a corpus that holds links to files.)
        real: dict[tuple[int, int], str] = {}
        for f in files:
            if f.path not in links:
                try:
                    info = os.stat(root / f.path)
                except OSError:
                    continue
                real.setdefault((info.st_dev, info.st_ino), f.path)
        twice = {path: real[key] for path, key in links.items() if key in real}
        files = [f for f in files if f.path not in twice]
        problems += [Problem(path, f"symbolic link to {target!r}, which is read as itself; "
                                   "not read again") for path, target in twice.items()]
    files.sort(key=_PATH)  # by path (unique): comparing the strings alone is twice as fast
    problems.sort(key=lambda p: p.path)
    return files, problems


def _utf8(value: str) -> bool:
    """Whether a string is valid text: undecodable bytes of a file name come as surrogates, as
    do JSON escapes such as ``\\ud800``. (ASCII, the usual case, is told without a copy.)"""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown_name(name: str) -> str:
    """A file name with its undecodable bytes written as ``\\xff``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _stat_failure(folder: str, entry: os.DirEntry[str], error: OSError) -> str:
    """Why a folder entry cannot be read: a broken or looping link, or the system's error."""
    if not entry.is_symlink():
        return f"cannot read: {error.strerror}"
    try:
        target = os.readlink(os.path.join(folder, entry.name))
    except OSError:
        target = "?"
    if error.errno == errno.ELOOP:
        return f"symbolic link loop (link to {target!r} leads back to itself); not read"
    return f"broken symbolic link (its target {target!r} does not exist); not read"


def source_of(relpath: str, root_name: str) -> str:
    """Default source: the first folder level under the root, else the root's own name.

    >>> source_of("xinhua/2023/a.txt", "corpus"), source_of("a.txt", "seeds")
    ('xinhua', 'seeds')
    """
    first, sep, _ = relpath.partition("/")
    return first if sep else root_name


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SIGNATURES = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip file"),
    (b"PAR1", "a Parquet file with the wrong name ending"),
)
_BOM_STARTS = tuple(bom for bom, _ in _BOMS)
_SIGNATURE_STARTS = tuple(sig for sig, _ in _SIGNATURES)
_LATIN_PUNCTUATION = set("’‘“”–—…«»°£€©®·•´¨¡¿ºª×÷§¶±²³µ½¼¾")


#: Punctuation that GB2312 (and so GBK and GB18030) holds beside the Han characters, and
#: that English-language text from Chinese sources uses: curly quotes, dashes, the ellipsis.
_GB_PUNCTUATION = set("‘’“”—–…·")


def _han_share(text: str) -> float:
    """The share of the characters beyond ASCII that GB18030 text is made of: Han characters,
    CJK punctuation and full-width forms, and the quotes and dashes of ``_GB_PUNCTUATION``."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    han = sum(1 for c in wide if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"
              or c in _GB_PUNCTUATION)
    return han / len(wide)


def _latin_share(text: str) -> float:
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    good = sum(1 for c in wide if ("\u00c0" <= c <= "\u024f" and c not in "×÷")
               or c in _LATIN_PUNCTUATION or c == "\u00a0")
    return good / len(wide)


def decode(data: bytes, *, rows: bool = False) -> tuple[str, str | None]:
    """Decode a file's bytes, detecting the encoding only where it is unambiguous.

    Returns the text with line endings unified to ``\\n`` and any byte-order mark removed, and
    a note naming the encoding when it was not plain UTF-8 and saying how many NUL characters
    the text holds, whatever decoded it (``None`` when there is neither).

    With ``rows`` (a file of one article per row or line: CSV, JSON Lines, JSON) whose first
    line is clean text, one bad row does not cost the others: NUL bytes and control codes do
    not make it binary, and text whose encoding cannot be told is decoded as UTF-8 with each
    byte that is not UTF-8 kept as a lone surrogate (``surrogateescape``), for
    :func:`has_undecodable` to find in the rows that hold them.

    Raises
    ------
    Unreadable
        For empty or binary files (NUL in over 1% of the first 8 KB and more than 8 of them
        or over 10%; control codes in over 10%), for text whose encoding cannot be told for
        sure, and for UTF-16 without a byte-order mark (named as such when it reads as text in
        one byte order only).

    Examples
    --------
    >>> decode("caf\u00e9\\r\\n".encode("utf-8"))
    ('café\\n', None)
    >>> decode("caf\u00e9 au lait".encode("latin-1"))[1]
    'decoded as Windows-1252 (Latin-1): the file is not UTF-8'
    >>> text, note = decode(b'{"title": "ok"}\\n{"title": "caf\\x81"}', rows=True)
    >>> [has_undecodable(line) for line in text.split("\\n")]
    [False, True]
    """
    if not data or data.isspace():
        raise Unreadable("empty file" + (" (only whitespace)" if data else ""))
    note = None
    for bom, encoding in _BOMS if data.startswith(_BOM_STARTS) else ():
        if data.startswith(bom):
            try:
                # (a file saved twice by a tool that adds a mark may hold a second one)
                text = data[len(bom):].decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as error:
                raise Unreadable(f"starts with a {encoding} byte-order mark but is not "
                                 f"valid {encoding} (byte {error.start + len(bom)})") from None
            if not text.strip():
                raise Unreadable("empty file (only a byte-order mark and whitespace)")
            start = text[:_HEAD]  # (characters: in UTF-16 text every ASCII letter has a NUL byte)
            nuls = start.count("\x00")
            if nuls * 100 > len(start) and (nuls > _STRAY_NULS or nuls * 10 > len(start)):
                raise Unreadable(f"binary file (holds NUL characters after a {encoding} "
                                 "byte-order mark)")
            if encoding != "utf-8":
                note = f"decoded as {encoding.upper()} (byte-order mark)"
            return _unify_newlines(text), _with_nuls(
                note, text, "byte" if encoding == "utf-8" else "character")
    head = data[:_HEAD]
    _refuse_binary(head, rows=rows)
    nuls = head.count(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
    else:
        return _unify_newlines(text), _with_nuls(None, text)
    # Not UTF-8: the slow path. Guess only where one answer is clearly right.
    utf16 = _utf16_without_bom(data)
    if utf16:  # (Han text in UTF-16 has few NUL bytes, and may read as Latin-1 garbage)
        raise Unreadable(_utf16_reason(f"not valid UTF-8 (first bad byte at offset {bad})",
                                       utf16))
    rows = rows and _clean_first_line(data)
    if nuls * 100 > len(head) and not rows:  # (a few stray NULs pass in UTF-8 text only, not
        raise _nul_binary(nuls, len(head))  # in bytes that are not UTF-8 either: a small binary)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls * 10 > len(head) and not rows:
        raise Unreadable(f"binary file ({controls * 100 // len(head)}% of the first "
                         f"{len(head)} bytes are control codes), not text")
    replaced = data.decode("utf-8", "replace")
    damaged = replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = (len(replaced) - len(replaced.encode("ascii", "ignore"))
             - replaced.count("\ufffd"))
    if valid >= 20 * damaged:
        # Invalid sequences are rare among many valid multi-byte ones: UTF-8 with a few
        # damaged bytes (a cut or a stray byte), not another encoding.
        return _unify_newlines(replaced), _with_nuls(
            f"not valid UTF-8 at byte {bad} ({damaged} damaged byte sequence"
            f"{'s' if damaged > 1 else ''} in otherwise UTF-8 text); decoded as UTF-8 with "
            "U+FFFD in their place", replaced)
    # In Latin-1 text the bytes above 127 stand alone between ASCII letters (an accented
    # letter); in GBK/GB18030 text they come in pairs or longer runs (Han characters).
    alone = _alone_share(data[:_SAMPLE])
    candidates = []
    other = ""
    if alone < 0.2:
        try:
            gb = data.decode("gb18030")
            if _han_share(gb[:_SAMPLE]) >= 0.6:
                # (Big5 and EUC-KR bytes read as GB18030 too, as Han characters that make no
                # sense: the characters' frequencies tell them apart)
                other = _other_double_byte(data)
                if not other:
                    candidates.append(("GB18030", gb))
        except UnicodeDecodeError:
            pass
    if alone > 0.5:
        try:
            latin = data.decode("cp1252")
            if _latin_share(latin[:_SAMPLE]) >= 0.9:
                candidates.append(("Windows-1252 (Latin-1)", latin))
        except UnicodeDecodeError:
            pass
    if len(candidates) == 1:
        name, text = candidates[0]
        return _unify_newlines(text), _with_nuls(f"decoded as {name}: the file is not UTF-8",
                                                 text)  # (0x00 is U+0000 in both)
    what = (f"it reads as {other} rather than GB18030" if other and not candidates
            else "neither clearly GB18030 nor clearly Latin-1")
    if rows:
        text = data.decode("utf-8", "surrogateescape")
        return _unify_newlines(text), _with_nuls(
            f"not valid UTF-8 (first bad byte at offset {bad}) and the encoding cannot be told "
            f"for sure ({what}): each row holding bytes that are not UTF-8 is reported, the "
            "others are loaded; save the file as UTF-8", text)
    raise Unreadable(f"not valid UTF-8 (first bad byte at offset {bad}) and the encoding "
                     f"cannot be told for sure ({what}); save it as UTF-8")


def _clean_first_line(data: bytes) -> bool:
    """Whether a file's first line (a CSV header, a JSON object) is text: no control codes
    and UTF-8. A file of rows that starts so is judged row by row, not taken for binary."""
    first = data[:_HEAD].split(b"\n", 1)[0].rstrip(b"\r")
    if not first.strip() or first != first.translate(None, _CONTROL_BYTES):
        return False
    try:
        first.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_SURROGATE = re.compile("[\udc80-\udcff]")


def has_undecodable(value: Any) -> bool:
    """Whether a value read from a row (a string, or lists and mappings of them) holds a byte
    that was not UTF-8 (see :func:`decode` with ``rows``).

    >>> has_undecodable({"title": ["ok", "caf\\udce9"]}), has_undecodable("café")
    (True, False)
    """
    return _holds(value, _SURROGATE)


def _row_damage(fields: dict[str, Any]) -> str:
    """Why a row read from a file of rows is damaged beyond loading, or "": it holds bytes that
    were not UTF-8, or is mostly NUL characters (over 8 of them and over 10% of its text; a
    stray few load, with the file's caveat, as in any text).

    >>> _row_damage({"title": "B", "text": "\\x00" * 12}), _row_damage({"text": "bo\\x00dy"})
    ('holds NUL characters (damaged data) in text', '')
    """
    if _holds(fields, _SURROGATE):
        columns = [k for k, v in fields.items() if _holds(v, _SURROGATE)]
        return f"holds bytes that are not UTF-8 in {', '.join(columns) or 'a column name'}"
    texts = [v for v in fields.values() if isinstance(v, str)]
    nuls = sum(v.count("\x00") for v in texts)
    if nuls > _STRAY_NULS and nuls * 10 > sum(map(len, texts)):
        columns = [k for k, v in fields.items() if isinstance(v, str) and "\x00" in v]
        return f"holds NUL characters (damaged data) in {', '.join(columns)}"
    return ""


def _holds(value: Any, pattern: re.Pattern[str]) -> bool:
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(_holds(k, pattern) or _holds(v, pattern) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds(v, pattern) for v in value)
    return False


#: Double-byte encodings whose text also decodes as GB18030, by charset_normalizer's names.
_OTHER_DOUBLE_BYTE = {"big5": "Big5 (traditional Chinese)", "big5hkscs": "Big5-HKSCS",
                      "cp950": "Big5 (traditional Chinese)", "cp949": "EUC-KR (Korean)",
                      "euc_kr": "EUC-KR (Korean)", "johab": "Johab (Korean)",
                      "euc_jp": "EUC-JP (Japanese)", "euc_jis_2004": "EUC-JP (Japanese)",
                      "euc_jisx0213": "EUC-JP (Japanese)", "shift_jis": "Shift JIS (Japanese)",
                      "cp932": "Shift JIS (Japanese)", "shift_jis_2004": "Shift JIS (Japanese)",
                      "shift_jisx0213": "Shift JIS (Japanese)"}


def _other_double_byte(data: bytes) -> str:
    """The name of another East Asian encoding that ``data`` (valid GB18030) is more likely
    in, or "" when GB18030 is the likeliest (charset_normalizer's judgement on a sample).

    >>> _other_double_byte("推動實體經濟和數字經濟深度融合，加快建設現代化產業體系".encode("big5"))
    'Big5 (traditional Chinese)'
    >>> _other_double_byte(" date 2023-01-03 Big5 text\\n數字經濟和實體經濟深度融合。"
    ...                    "數字經濟是新的經濟形態。\\n".encode("big5"))
    'Big5 (traditional Chinese)'
    >>> _other_double_byte("デジタル経済と実体経済の深い融合を推進する。".encode("shift_jis"))
    'Shift JIS (Japanese)'
    >>> _other_double_byte("디지털 경제와 실물 경제의 심층 융합을 추진한다.".encode("euc-kr"))
    'EUC-KR (Korean)'
    >>> _other_double_byte("推动实体经济和数字经济深度融合，加快建设现代化产业体系。".encode("gbk"))
    ''
    """
    import charset_normalizer

    sample = data[:_GUESS]
    if len(data) > _GUESS and sample.rfind(b"\n") > 0:  # (not cut inside a character)
        sample = sample[:sample.rfind(b"\n")]
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    if best is None or any(m.encoding in ("gb18030", "gbk", "gb2312") and m.chaos <= best.chaos
                           for m in results):  # (GB18030 as likely as any: short texts)
        return ""
    name = _OTHER_DOUBLE_BYTE.get(best.encoding, "")
    if "Japanese" in name and not _KANA.search(str(best)):
        # (Japanese text without kana is unlikely; a short Big5 text is taken for Shift JIS)
        try:
            sample.decode("big5")
            return _OTHER_DOUBLE_BYTE["big5"]
        except UnicodeDecodeError:
            pass
    return name


_GUESS = 65_536  # bytes charset_normalizer judges
_KANA = re.compile("[\u3041-\u30ff]")  # hiragana and katakana

#: Bytes that do not occur in text (C0 controls other than tab, newlines, form feed, escape).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1a\x1b")
_HEAD = 8192  # bytes (characters after a byte-order mark) judged for NUL and control codes
_STRAY_NULS = 8  # NUL bytes that may be stray in a short text (under 10% of it)
_SAMPLE = 200_000  # bytes or characters looked at to judge an encoding
_UTF16_UNITS = 16  # fewest characters judged as UTF-16 without a byte-order mark
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_SPACES = re.compile(r"\s+")
_UTF16_SHOWN = re.compile("[\x00-\xff]+")  # (one byte of each is NUL in UTF-16)
_HAN = re.compile("[\u4e00-\u9fff]")
#: Characters of the text a corpus holds: ASCII, Latin, Greek and Cyrillic letters, quotes and
#: dashes, CJK punctuation, kana, the CJK Unified Ideographs (not Extension A) and full-width
#: forms. Hangul is left out: GB2312 Han read as UTF-16-BE is Hangul syllables.
_UTF16_TEXT = re.compile("[\t\n\r\x20-\x7e\xa0-\u024f\u0370-\u04ff\u2010-\u2027"
                         "\u2030-\u205e\u3000-\u30ff\u4e00-\u9fff\uff01-\uffef]+")


def _refuse_binary(head: bytes, *, rows: bool) -> None:
    """Raise :class:`Unreadable` when a file whose first :data:`_HEAD` bytes are ``head`` (and
    that has no byte-order mark) is binary: a known file signature, or NUL in over 1% of the
    bytes and more than a stray few (a short article with one NUL is text with a caveat)
    unless they are over 10%. The start decides, so a huge file is judged before it is read.

    >>> _refuse_binary(b"%PDF-1.7 ...", rows=False)
    Traceback (most recent call last):
    policydata.corpus.Unreadable: binary file: a PDF file, not text
    >>> _refuse_binary(b"Title\\n\\nText with one stray \\x00 NUL.", rows=False) is None
    True
    """
    for signature, what in _SIGNATURES if head.startswith(_SIGNATURE_STARTS) else ():
        if head.startswith(signature):
            raise Unreadable(f"binary file: {what}, not text")
    nuls = head.count(b"\x00")
    if (nuls * 100 > len(head) and (nuls > _STRAY_NULS or nuls * 10 > len(head))
            and not (rows and _clean_first_line(head))):
        utf16 = _utf16_without_bom(head)
        if utf16:
            raise Unreadable(_utf16_reason("not UTF-8 (holds NUL bytes)", utf16))
        raise _nul_binary(nuls, len(head))


def _nul_binary(nuls: int, judged: int) -> Unreadable:
    return Unreadable(f"binary file (holds NUL bytes: {nuls:,} of the first {judged:,} bytes)")


def _with_nuls(note: str | None, text: str, unit: str = "byte") -> str | None:
    """``note`` with a caveat added when ``text`` holds NUL characters (whatever decoded it).

    >>> _with_nuls("decoded as GB18030: the file is not UTF-8", "a\\x00b")[:70]
    'decoded as GB18030: the file is not UTF-8; holds 1 NUL byte (as from a'
    """
    nuls = text.count("\x00")
    if not nuls:
        return note
    caveat = (f"holds {nuls:,} NUL {unit}{'s' if nuls > 1 else ''} (as from a damaged "
              "download); a NUL separates words as any character that is not a letter or digit "
              "does")
    return f"{note}; {caveat}" if note else caveat


def _utf16_without_bom(data: bytes) -> str | None:
    """``"UTF-16-LE"`` or ``"UTF-16-BE"`` when the start of ``data`` (up to :data:`_HEAD`
    bytes) reads as text in that byte order and not in the other, else None.

    Text here means strictly valid UTF-16 of at least :data:`_UTF16_UNITS` characters, at least
    95% of them in :data:`_UTF16_TEXT` (which holds no control codes but tab and newlines),
    letters or digits for at least half of what is not whitespace, and at least 20% of them
    showing their encoding: characters below U+0100 (one byte of each is NUL, which 8-bit text
    does not hold) and CJK characters whose low byte is above 127 (8-bit Latin text read as
    UTF-16 pairs ASCII letters into CJK characters, but with ASCII low bytes). Han text read in
    the wrong byte order fails: its low bytes, spread over 0 to 255, make control codes, lone
    surrogates, Hangul or private-use characters; so does ASCII text, whose spaces become
    U+2000.

    >>> _utf16_without_bom("数字经济".encode("utf-16-le") * 4)
    'UTF-16-LE'
    >>> _utf16_without_bom(" date 2023-09-02 Title".encode("utf-16-be"))
    'UTF-16-BE'
    >>> _utf16_without_bom("数字经济和实体经济".encode("gbk") * 3) is None
    True
    """
    found = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:  # (not final: the sample may cut a character or a surrogate pair)
            text = codecs.getincrementaldecoder(encoding)().decode(data[:_HEAD], False)
        except UnicodeDecodeError:
            continue
        if len(text) < _UTF16_UNITS:
            return None  # (too short to tell)
        # (the cheap test first: most files that are not UTF-16 fail it)
        if (len(text) - len(_UTF16_TEXT.sub("", text))) * 100 < 95 * len(text):
            continue
        visible = len(_SPACES.sub("", text))
        letters = sum(map(str.isalnum, text))
        shown = len(text) - len(_UTF16_SHOWN.sub("", text))
        shown += sum(1 for c in _HAN.findall(text) if ord(c) & 0x80)
        if letters * 2 >= visible > 0 and shown * 5 >= len(text):
            found.append(encoding.upper())
    return found[0] if len(found) == 1 else None


def _utf16_reason(why: str, encoding: str) -> str:
    """Why a file that looks like UTF-16 without a byte-order mark is not read."""
    return (f"{why}: it looks like {encoding} text without a byte-order mark, which is not "
            "read; save it as UTF-8, or as UTF-16 with a byte-order mark")


def _alone_share(data: bytes) -> float:
    """Share of the bytes above 127 that have no such byte on either side."""
    runs = _HIGH_RUN.findall(data)
    total = sum(map(len, runs))
    return sum(1 for run in runs if len(run) == 1) / total if total else 0.0


def _unify_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --------------------------------------------------------------------------- dates

_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ][0-9:.+\-Z ]*)?$")
#: ISO 8601's basic form, 20230902 (a number of 8 digits is no epoch time: see _number_date).
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: A date as Chinese sources write it: 2023年9月2日, 2023年9月, 2023年.
_HAN_DATE = re.compile(r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?$")


def parse_date(value: Any, *, today: dt.date | None = None) -> tuple[dt.date, str]:
    """Parse a document date and its precision.

    Accepts ``YYYY-MM-DD`` (also with ``/`` or ``.`` and an optional time, which is ignored),
    ``YYYY-MM`` and ``YYYY``, dates with an English month name (``September 2, 2023``,
    ``2 Sept. 2023``, ``September 2023``: see :func:`_named_date`), the forms of Chinese
    sources (``2023年9月2日``, ``2023年9月``, ``2023年``), and date objects. Month
    and year precision dates are placed on the first day of their month or year. A number (an
    integer, an integral float, or digits as text) of up to 4 digits is a year; of 8 digits,
    ``YYYYMMDD`` (ISO 8601's basic form); from 12 digits
    it is epoch milliseconds (what pandas' ``to_json`` writes), from 9 digits epoch seconds,
    read as a UTC day (see :func:`_number_date`).

    Raises
    ------
    ValueError
        Naming the value, for anything else, impossible dates (2023-02-30) and implausible years.

    Examples
    --------
    >>> parse_date("2023-09")
    (datetime.date(2023, 9, 1), 'month')
    >>> parse_date("2023-02-30")
    Traceback (most recent call last):
    ...
    ValueError: impossible date '2023-02-30' (day is out of range for month)
    >>> parse_date(1693612800000)
    (datetime.date(2023, 9, 2), 'day')
    """
    if value is None or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, float) and value != value):  # None, "" or NaN
        raise ValueError("missing date (the date is empty)")
    if isinstance(value, dt.datetime):
        date, precision = value.date(), "day"
    elif isinstance(value, dt.date):
        date, precision = value, "day"
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10 ** _LONGEST_NUMBER:  # (str() of 4,300 digits or more fails)
            raise ValueError(_long_number(f"about {int(value.bit_length() * 0.30103)}"))
        date, precision = _number_date(value, str(value))
    elif isinstance(value, float) and value.is_integer():  # 1693612800000.0 (NaN in the column)
        date, precision = _number_date(int(value), str(value))
    elif isinstance(value, str):
        text = value.strip()
        number = _NUMBER.fullmatch(text)
        if number and len(number.group(1).lstrip("-+0")) > _LONGEST_NUMBER:
            raise ValueError(_long_number(str(len(number.group(1).lstrip("-+0")))))
        if number:  # a table's number column written as text (CSV has no types)
            date, precision = _number_date(int(number.group(1)), text)
        else:
            date, precision = _text_date(text)
    else:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "..."
        raise ValueError(f"unrecognised date {shown}, {_kind(value)} (use YYYY-MM-DD, "
                         "YYYY-MM or YYYY)")
    today = today or dt.date.today()
    if not MIN_YEAR <= date.year <= today.year + MAX_YEAR_AHEAD:
        raise ValueError(f"implausible date {str(value)!r} (years {MIN_YEAR} to "
                         f"{today.year + MAX_YEAR_AHEAD} are accepted)")
    return date, precision


def _kind(value: Any) -> str:
    """What a date that is neither text nor a number is, in a reader's words.

    >>> _kind({"$date": "2023-09-02"})
    "an object (MongoDB's extended JSON: export dates as text)"
    >>> _kind(1693612800.5), _kind(float("inf")), _kind([2023, 9, 2])
    ('a number with a fraction', 'not a finite number', 'a list')
    >>> print(_kind({"0": "1790-01-01", "1": "1791-01-01"}))
    an object (a table of columns, as pandas' to_json writes by default: write orient='records')
    """
    if isinstance(value, dict):
        keys = list(value)
        if any(str(k).startswith("$") for k in keys):
            return "an object (MongoDB's extended JSON: export dates as text)"
        if keys and all(str(k).isdigit() for k in keys):
            return ("an object (a table of columns, as pandas' to_json writes by default: "
                    "write orient='records')")
        return "an object"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float):
        return "a number with a fraction" if math.isfinite(value) else "not a finite number"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"of type {type(value).__name__}"


@functools.lru_cache(maxsize=1 << 16)
def _text_date(text: str) -> tuple[dt.date, str]:
    """A date written as text and its precision (cached: a corpus repeats its dates)."""
    m = _DATE.match(text) or _COMPACT_DATE.match(text) or _HAN_DATE.match(text)
    if not m:
        named = _named_date(text)
        if named:
            return named
        # A time of day after the date (with a zone, as RSS's pubDate writes it): the date
        # is the day as written, as with an ISO time above.
        bare = _TRAILING_TIME.sub("", text) if len(text) <= 64 else text  # (dates are short:
        # bounded, the pattern cannot take long over a long cell of spaces and commas)
        if bare != text and bare:
            with contextlib.suppress(ValueError):
                return _text_date(bare)
        shown = text if len(text) <= 40 else text[:40] + "..."
        hint = ""
        if _NUMERIC_DMY.match(text):
            first, second = (int(n) for n in re.split(r"[-/.]", text)[:2])
            hint = (f"; day/month order cannot be told in {shown}" if first <= 12 >= second
                    else "; dates with the day or the month first are not read, even where "
                         "the order is clear, since others in the same file may not be")
        raise ValueError(f"unrecognised date {shown!r} (use YYYY-MM-DD, YYYY-MM or YYYY"
                         f"{hint})")
    year, month, day = m.groups()
    precision = "day" if day else "month" if month else "year"
    return _make_date(text, int(year), int(month or 1), int(day or 1)), precision


_MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_WEEKDAYS = {name: number for number, names in enumerate([
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
    ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
    ("sunday", "sun")]) for name in names}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = r"(?:(?P<weekday>[a-z]+)\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_NAMED_DATES = (
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})"),  # September 2, 2023
    re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}})"),  # 2 September 2023
    re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})"),  # September 2023
)
#: A time of day ending a date written some other way than ISO's: "Sat, 02 Sep 2023 08:00:00
#: +0800", "2023年09月02日 08:00", "2 Sep 2023 8:00 pm UTC".
_TRAILING_TIME = re.compile(r"(?<=\S)[T ,]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                            r"(?:\s*[AaPp]\.?[Mm]\.?)?"
                            r"(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z]{2,5}))?\s*$")
_NUMERIC_DMY = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")  # 02/09/2023: which is the month?


def _named_date(text: str) -> tuple[dt.date, str] | None:
    """A date with an English month name, or None: ``September 2, 2023``, ``Sep 2, 2023``,
    ``2 Sept. 2023``, ``Saturday, September 2, 2023`` (the weekday must be right) and
    ``September 2023`` (precision ``month``), in any case.

    >>> _named_date("Sat, 2 Sept. 2023"), _named_date("SEPTEMBER 2023")
    ((datetime.date(2023, 9, 2), 'day'), (datetime.date(2023, 9, 1), 'month'))
    """
    lower = text.lower()
    for pattern in _NAMED_DATES:
        m = pattern.fullmatch(lower)
        if not m or m["month"] not in _MONTHS:
            continue
        fields = m.groupdict()
        if "day" not in fields:
            return _make_date(text, int(m["year"]), _MONTHS[m["month"]], 1), "month"
        date = _make_date(text, int(m["year"]), _MONTHS[m["month"]], int(m["day"]))
        weekday = fields["weekday"]
        if weekday is not None:
            if weekday not in _WEEKDAYS:
                return None
            if _WEEKDAYS[weekday] != date.weekday():
                raise ValueError(f"impossible date {text!r} ({date} is a "
                                 f"{_DAY_NAMES[date.weekday()]})")
        return date, "day"
    return None


#: A number written as text: ``2023``, ``1693612800000``, ``-14182980000``, ``1693612800.0``.
_NUMBER = re.compile(r"([-+]?\d+)(?:\.0*)?")
_EPOCH = dt.date(1970, 1, 1)
#: Numbers of at least this size (in absolute value) are epoch milliseconds, seconds.
EPOCH_MS = 10**11
EPOCH_S = 10**8


#: Most digits a number read as a date may have (epoch milliseconds have 13).
_LONGEST_NUMBER = 30


def _long_number(digits: str) -> str:
    """Why a number far too long to be a date is not one."""
    return (f"unrecognised date: a number of {digits} digits (a year has 4, epoch "
            "milliseconds 13; use YYYY-MM-DD, YYYY-MM or YYYY)")


def _number_date(value: int, text: str) -> tuple[dt.date, str]:
    """A date given as a number: a year (4 digits), else a time since 1970-01-01 UTC.

    Values of at least :data:`EPOCH_MS` in absolute value are epoch milliseconds (what pandas'
    ``to_json`` writes), from :data:`EPOCH_S` they are epoch seconds; the date is the UTC day
    (precision ``day``). (So a date between 1966-10-30 and 1973-03-03 written in milliseconds
    reads as seconds, and is then refused as implausible or, before 1970, misread: write those
    as text.)

    >>> _number_date(1693612800000, "1693612800000"), _number_date(2023, "2023")
    ((datetime.date(2023, 9, 2), 'day'), (datetime.date(2023, 1, 1), 'year'))
    >>> _number_date(20230902, "20230902")
    (datetime.date(2023, 9, 2), 'day')
    """
    size = abs(value)
    if size < 10_000:
        return _make_date(text, value, 1, 1), "year"
    if 10_000_000 <= value < 100_000_000:  # 20230902, as spreadsheets and Stata write dates
        try:
            return _text_date(str(value))
        except ValueError as error:
            raise ValueError(f"{error}: a number of 8 digits is read as YYYYMMDD") from None
    if size >= EPOCH_MS:
        unit, per_day = "epoch milliseconds", 86_400_000
    elif size >= EPOCH_S:
        unit, per_day = "epoch seconds", 86_400
    else:
        raise ValueError(f"unrecognised date {_shown(text)!r} (a number is read as a year of 4 "
                         "digits, YYYYMMDD of 8, epoch seconds of 9 to 11 digits or epoch "
                         "milliseconds of 12 or more; use YYYY-MM-DD, YYYY-MM or YYYY)")
    try:  # (floor division: -1 ms is 1969-12-31)
        return _EPOCH + dt.timedelta(days=value // per_day), "day"
    except OverflowError:
        raise ValueError(f"implausible date {_shown(text)!r} (as {unit} it is not a date of "
                         "years 1 to 9999)") from None


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def _make_date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"impossible date {text!r} ({error})") from None


# --------------------------------------------------------------------------- readers


def strip_footer(body: str) -> str:
    """Remove the scraper's trailing ``Share this:`` footer (counting rule 1).

    The footer starts at the last line that starts with ``Share this:``; share buttons above
    the article (more than :data:`FOOTER_WORDS` words after that line, and more than before
    it) are not a trailing footer, and nothing is cut.

    >>> strip_footer("Text.\\n\\nShare this: Twitter\\n\\nFacebook\\n")
    'Text.'
    >>> strip_footer("By a reporter\\nShare this: Twitter\\n\\nText.\\n\\nShare this: Twitter\\n")
    'By a reporter\\nShare this: Twitter\\n\\nText.'
    """
    return body[:_footer_start(body)[0]].strip()


#: A footer cut that removes more words than this is reported (a caveat in the load report):
#: the seed's footer is three words; a longer one may be article text after a quoted line.
#: A ``Share this:`` line with more words than this after it, and more after it than before
#: it, is share buttons above the article: no footer, and nothing is cut.
FOOTER_WORDS = 100
#: A cut of more words than this that leaves fewer than it cuts is reported too (share buttons
#: above a short article); the share bar of a scraped page is a dozen words.
SHARE_BAR_WORDS = 20


def _footer_start(body: str) -> tuple[int, int]:
    """Where the ``Share this:`` footer starts (the length of ``body`` when it has none), and
    where the last line starting ``Share this:`` is (-1 when there is none)."""
    # (str.rfind, then a look at the start of the line: the regex FOOTER, without scanning
    # every line start of a long text.)
    at = body.rfind("Share this:")
    while at != -1:
        line = body.rfind("\n", 0, at) + 1
        if not body[line:at].strip(" \t"):
            after = len(body[line:].split())
            if after > FOOTER_WORDS and after > len(body[:line].split()):
                return len(body), line  # (share buttons above the article)
            return line, line
        at = body.rfind("Share this:", 0, at)
    return len(body), -1


def footer_caveat(body: str) -> str | None:
    """A note when the ``Share this:`` footer rule cuts more than :data:`FOOTER_WORDS` words
    (whitespace-separated) from ``body``, or more than :data:`SHARE_BAR_WORDS` and more than
    it keeps: the cut follows counting rule
    1, but such a footer may be article text, which the user should see rather than lose
    unseen; or when a ``Share this:`` line is read as share buttons above the article, and
    nothing is cut.

    >>> footer_caveat("Text.\\n\\nShare this: Twitter\\n\\nFacebook\\n") is None
    True
    >>> intro = "An intro of some length.\\n" * 40
    >>> footer_caveat(intro + "Share this: a quote\\n" + "word " * 150)[-34:]
    'leaving out the 154 words after it'
    >>> footer_caveat("Intro.\\nShare this: Twitter\\n" + "word " * 150)[-45:]
    'not a trailing footer (counting rule 1): kept'
    """
    return _footer_note(body, *_footer_start(body))


def _cut_footer(body: str) -> tuple[str, str | None]:
    """:func:`strip_footer` and :func:`footer_caveat` of ``body``, finding the footer once.

    >>> _cut_footer("Text.\\n\\nShare this: Twitter\\n")
    ('Text.', None)
    """
    start, line = _footer_start(body)
    return body[:start].strip(), _footer_note(body, start, line)


def _footer_note(body: str, start: int, line: int) -> str | None:
    """:func:`footer_caveat` of ``body``, whose footer starts at ``start`` and whose last line
    starting ``Share this:`` is at ``line``."""
    if line == -1:
        return None
    number = body.count("\n", 0, line) + 1
    words = len(body[line:].split())
    if start == len(body):
        return (f"a line starting 'Share this:' (line {number}) has {words:,} words after it, "
                "more than before it: read as share buttons above the article, not a trailing "
                "footer (counting rule 1): kept")
    if words <= SHARE_BAR_WORDS or (  # (the body's words counted only for a long cut)
            words <= FOOTER_WORDS and words <= len(body[:start].split())):
        return None
    return (f"a line starting 'Share this:' (line {number}) ends the body by counting rule 1, "
            f"leaving out the {words:,} words after it")


def read_file(root: Path, relpath: str, data: bytes | None = None,
              ) -> tuple[list[Document], list[tuple[Problem, bool]]]:
    """Read one file under ``root`` (``data``: its bytes, when already read).

    Never raises for what a file holds: anything that cannot be read is a problem.

    Returns
    -------
    documents : list of Document
    problems : list of (Problem, skipped)
        ``skipped`` is True for what was not loaded, False for a caveat on what was.
    """
    root_str = os.fspath(root)
    is_dir = relpath != os.path.basename(root_str) or os.path.isdir(root_str)
    path = os.path.join(root_str, relpath) if is_dir else root_str
    suffix = os.path.splitext(relpath)[1].lower()
    source = source_of(relpath, _root_name(root_str, is_dir))
    try:
        return _read_file(path, relpath, suffix, source, data)
    except Unreadable as error:
        return [], [(Problem(relpath, _one_line(str(error))), True)]
    except OSError as error:
        return [], [(Problem(relpath, f"cannot read: {error.strerror or error}"), True)]
    except RecursionError:
        return [], [(Problem(relpath, "nested too deeply to be read"), True)]
    except Exception as error:  # a last guard: one odd file must not stop a whole load
        return [], [(Problem(relpath, _one_line(
            f"could not be read ({type(error).__name__}: {error})")), True)]


#: Largest file read as one article (a 50 MB article is read; a disk image or a log of
#: gigabytes named ``.txt`` is refused before it is read, not loaded into memory).
MAX_ARTICLE_BYTES = 256 * 2**20
_BIG = 16 * 2**20  # files this large are judged binary from their start before being read


def open_regular(path: str | os.PathLike[str]) -> io.BufferedReader:
    """``path`` opened to read, if it is a regular file (or a link to one).

    A file replaced by a named pipe (or a device) while a corpus is read would make a plain
    ``open`` wait for a writer, or read forever; this one is opened without waiting and
    refused.

    Raises
    ------
    OSError
        When ``path`` cannot be opened, or is not a regular file (``EINVAL``).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str], suffix: str = "") -> bytes:
    """The bytes of a corpus file whose name ends in ``suffix`` (a regular file only: see
    :func:`open_regular`).

    A file of one article larger than :data:`MAX_ARTICLE_BYTES`, and a large file whose start
    is binary, are refused before the rest of it is read.

    Raises
    ------
    Unreadable
        For those two, with the reason.
    OSError
        When the file cannot be read.
    """
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_ARTICLE_BYTES and suffix not in TABLE_SUFFIXES:
            raise Unreadable(f"too large for one article ({size / 2**20:,.0f} MB; at most "
                             f"{MAX_ARTICLE_BYTES // 2**20} MB are read from a file of "
                             "one article): split it, or give its articles as rows of a CSV, "
                             "JSON Lines or Parquet file")
        if size > _BIG and suffix != ".parquet":
            head = handle.read(_HEAD)
            if not head.startswith(_BOM_STARTS):
                _refuse_binary(head, rows=suffix in TABLE_SUFFIXES)
            return head + handle.read()
        return handle.read()


def _read_file(path: str, relpath: str, suffix: str, source: str, data: bytes | None,
               ) -> tuple[list[Document], list[tuple[Problem, bool]]]:
    if data is None:
        data = read_bytes(path, suffix)
    if suffix == ".parquet":
        return _read_parquet(data, relpath, source)
    table = suffix in (".csv", ".tsv", ".jsonl", ".ndjson", ".json")
    text, note = decode(data, rows=table)
    problems: list[tuple[Problem, bool]] = []
    if note:
        problems.append((Problem(relpath, note), False))
    if suffix in (".csv", ".tsv"):
        docs, more = _read_rows(_csv_rows(text, "\t" if suffix == ".tsv" else ","), relpath,
                                source)
    elif suffix in (".jsonl", ".ndjson"):
        docs, more = _read_rows(_jsonl_rows(text), relpath, source)
    elif suffix == ".json":
        docs, more = _read_rows(_json_rows(text), relpath, source)
    else:
        try:
            doc, caveats = _read_text(text, relpath, source)
        except Unreadable as error:
            return [], [*problems, (Problem(relpath, _one_line(str(error))), True)]
        docs, more = [doc], [(Problem(relpath, c), False) for c in caveats]
    return docs, problems + more


def _one_line(message: str) -> str:
    """A reason shown on one line (messages from other libraries may hold line breaks)."""
    if "\n" in message or "\r" in message:
        message = " ".join(message.split())
    return message


@functools.lru_cache(maxsize=64)
def _root_name(root: str, is_dir: bool) -> str:
    """Name of the corpus folder (the source of files directly in it), as text: bytes of a
    name that are not UTF-8 are written as escapes.

    >>> _root_name(os.fsdecode(b"/data/caf\\xe9"), True), _root_name("/data/xinhua/a", False)
    ('caf\\\\xe9', 'xinhua')
    """
    absolute = os.path.abspath(root)
    name = os.path.basename(absolute if is_dir else os.path.dirname(absolute))
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _stem_id(relpath: str) -> str:
    return os.path.splitext(relpath)[0]


_FRONT_OPEN = re.compile(r"---[ \t]*\n")
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\n")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _yaml_loader() -> Any:
    """A safe YAML loader that keeps every value as written, so :func:`parse_date` judges
    dates and a title, id or source is never turned into something else (YAML 1.1 reads
    ``12:30`` as 750, ``0012`` as 10, ``yes`` as True and ``3.10`` as 3.1); only an empty value
    (``~``, ``null``) means none. It lists the mapping keys given twice in ``duplicates``.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[valid-type,misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicates: list[str] = []
            self.top: Any = None

        def construct_document(self, node: Any) -> Any:
            self.top = node
            return super().construct_document(node)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if node is self.top:  # (a key repeated inside a nested value is not a field's)
                names = collections.Counter(str(k.value).strip().lower() for k, _ in node.value
                                            if isinstance(k, yaml.ScalarNode))
                self.duplicates += [name for name, n in names.items() if n > 1]
            return super().construct_mapping(node, deep)

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in base.yaml_implicit_resolvers.items()}
    return Loader


#: A front matter line whose unquoted value YAML reads otherwise than it looks: ``#`` after a
#: space starts a comment, a leading ``&`` names an anchor. (The spaces are taken possessively:
#: a value of many spaces is not tried once per way to split them.)
_YAML_SURPRISE = re.compile(r"^([A-Za-z_]+)[ \t]*:[ \t]++(?![\"'|>])(&\S*|#|.*?[ \t]#)",
                            re.MULTILINE)


def _indicator_hint(yaml_text: str, line: int) -> str:
    """A hint when the YAML line an error is on has a value starting with a character YAML
    reads as syntax (``title: [Draft] report``, ``title: *Important* news``).

    >>> _indicator_hint("date: 2023\\ntitle: [Draft] report\\n", 1)
    " (a value starting with '[' must be quoted)"
    """
    lines = yaml_text.split("\n")
    found = re.match(r"\s*[^:#]+:[ \t]+(\S)", lines[line]) if 0 <= line < len(lines) else None
    if found and found.group(1) in "*&!|>@`%[]{}\"',":
        return f" (a value starting with {found.group(1)!r} must be quoted)"
    return ""


def _yaml_caveats(yaml_text: str, duplicates: list[str]) -> list[str]:
    """Caveats on front matter that loaded, but maybe not as its author meant.

    >>> _yaml_caveats("title: Issue #5 of the review\\ndate: 2023-09-02\\n", ["date"])
    ["front matter gives 'date' more than once; the last is used", \
"front matter 'title': ' #' starts a YAML comment, so part of the value is not read; quote the \
value to keep all of it"]
    """
    out = [f"front matter gives {name!r} more than once; the last is used"
           for name in duplicates if name in _FRONT_FIELDS]
    for m in _YAML_SURPRISE.finditer(yaml_text):
        if m.group(1).lower() in _FRONT_FIELDS:
            what = ("a leading '&' names a YAML anchor" if m.group(2).startswith("&")
                    else "' #' starts a YAML comment")
            out.append(f"front matter {m.group(1).lower()!r}: {what}, so part of the value is "
                       "not read; quote the value to keep all of it")
    return out


_FRONT_FIELDS = ("date", "title", "id", "source", "url")


def _has_yaml_alias(text: str) -> bool:
    """Whether YAML text refers back to an anchor (parsed as events, never built)."""
    import yaml

    try:
        return any(isinstance(event, yaml.AliasEvent)
                   for event in yaml.parse(text, Loader=_yaml_loader()))
    except yaml.YAMLError:
        return False  # reported when it is loaded


def _read_text(text: str, relpath: str, source: str) -> tuple[Document, list[str]]:
    caveats: list[str] = []
    stripped = text.lstrip()
    meta: dict[str, Any]
    front = _FRONT_OPEN.match(stripped)
    if front:
        import yaml  # only needed for front matter

        offset = text[: len(text) - len(stripped)].count("\n") + 2  # file line of YAML line 0
        end = _FRONT_CLOSE.search(stripped, front.end())
        if not end:
            raise Unreadable(f"front matter opened with '---' on line {offset - 1} "
                             "is never closed with a '---' line")
        yaml_text = stripped[front.end(): end.start()]
        if "*" in yaml_text and _has_yaml_alias(yaml_text):
            raise Unreadable("front matter uses YAML aliases ('*name'), which are refused: "
                             "a few bytes of them can expand to gigabytes")
        loader = _yaml_loader()(yaml_text)
        try:
            meta = loader.get_single_data()
            caveats += _yaml_caveats(yaml_text, loader.duplicates)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + offset})" if mark else ""
            problem = getattr(error, "problem", None) or ""
            if problem.startswith("mapping values are not allowed"):  # title: Inflation: a view
                problem += " (a value holding ': ' must be quoted)"
            elif mark is not None:
                problem += _indicator_hint(yaml_text, mark.line)
            raise Unreadable(f"front matter is not valid YAML{where}"
                             + (f": {problem}" if problem else "")) from None
        except ValueError as error:  # an explicitly tagged value that cannot be built
            raise Unreadable(f"front matter holds an impossible value ({error})") from None
        finally:
            loader.dispose()
        meta = meta or {}
        if not isinstance(meta, dict):
            raise Unreadable("front matter is not a mapping of fields "
                             f"(found {type(meta).__name__})")
        # Field names match in any case, as table columns do (Date:, Title:).
        meta = {str(k).strip().lower(): v for k, v in meta.items()}
        body = stripped[end.end():]
        if "date" not in meta:
            raise Unreadable("front matter has no 'date'")
        date_value = meta["date"]
        title = meta.get("title")
        untitled = title is None or blank(_text(title))
        if untitled:  # (as a header without a title: no words that are not the file's)
            caveats.append(f"front matter has no 'title'{_invisible_only(_text(title))}")
            title = ""
        title = _text(title).strip()
        where = "front matter"
    elif _TOML_OPEN.match(stripped):
        raise Unreadable("front matter between '+++' lines is TOML; only YAML front matter, "
                         "between '---' lines, is read")
    else:
        first, _, body = stripped.partition("\n")
        m = _HAN_HEADER.match(first) or HEADER.match(first)
        if not m:
            shown = first.strip()
            shown = shown if len(shown) <= 40 else shown[:40] + "..."
            raise Unreadable(f"no date: the first line {shown!r} is not ' date YYYY-MM-DD "
                             "Title' and the file has no YAML front matter with a date"
                             + _table_hint(first))
        date_value, title = m.group(1), (m.group(2) or "").strip()
        if not date_value[0].isdigit():
            raise Unreadable(f"header has no date: 'date' is followed by {date_value!r}, "
                             "not YYYY-MM-DD, YYYY-MM or YYYY" + _table_hint(first))
        meta = {}
        untitled = blank(title)
        if untitled:
            caveats.append(f"header has a date but no title{_invisible_only(title)}")
        time = _TIME_FIRST.match(title)
        if time:
            caveats.append(f"the title starts with what looks like a time of day "
                           f"({time.group()!r}), kept in the title: the header's date is "
                           f"{date_value!r}")
        where = "header"
    try:
        date, precision = parse_date(date_value)
    except ValueError as error:
        raise Unreadable(f"{where}: {error}") from None
    body, cut = _cut_footer(body)
    if cut:
        caveats.append(cut)
    no_body = blank(body)
    if no_body and untitled:  # (an article of no words, as the rows of a table are not)
        raise Unreadable(f"{where} has a date but the file has no title and no text"
                         + (f" ({cut})" if cut else ""))
    if no_body:
        caveats.append("title with no body: only the title is counted")
    caveats += _not_text(meta, ("title", "id", "source", "url"), "front matter")
    doc = Document(
        id=_text(meta.get("id")).strip() or _stem_id(relpath),
        date=date,
        precision=precision,
        title=title,
        body=body,
        source=_text(meta.get("source")).strip() or source,
        path=relpath,
        url=_text(meta.get("url")).strip(),
    )
    return doc, caveats


def _not_text(fields: dict[str, Any], names: tuple[str, ...], where: str) -> list[str]:
    """Caveats for fields that hold a list or a mapping where text is expected (read as
    :func:`_text` reads them, so nothing is lost, but it is said).

    >>> _not_text({"title": ["a", "b"], "id": 7}, ("title", "id"), "line 1")
    ["line 1: 'title' is a list of 2 items, not text; they are joined by '; '"]
    >>> _not_text({"text": {"en": "x", "zh": "y"}}, ("text",), "line 2")
    ["line 2: 'text' is a mapping, not text; its 2 values are read as paragraphs, one after \
the other (its keys 'en', 'zh' are not read)"]
    """
    out = []
    for name in names:
        value = fields.get(name)
        if _is_map(value):
            value = dict(value)
        if isinstance(value, (list, dict)):
            joined = "read as paragraphs, one after the other" if name == "text" else (
                "joined by '; '")
            if not value:
                said, how = ("an empty list" if isinstance(value, list) else "an empty mapping",
                             "it is read as no text")
            elif isinstance(value, list):
                said = f"a list of {len(value):,} item{'' if len(value) == 1 else 's'}"
                how = f"they are {joined}" if len(value) != 1 else "it is read as the text"
            else:
                keys = ", ".join(repr(str(k)) for k in list(value)[:5]) + (
                    ", ..." if len(value) > 5 else "")
                said = "a mapping"
                how = (f"its {len(value):,} values are {joined} (its keys {keys} are not "
                       "read)" if len(value) > 1 else
                       f"its value is used (its key {keys} is not)")
            out.append(f"{where}: {name!r} is {said}, not text; {how}")
        elif (name in ("title", "text") and isinstance(value, (bool, int, float))
              and value == value):
            # (a number or true/false where words are expected: JSON's Infinity, true)
            kind = "true or false" if isinstance(value, bool) else "a number"
            out.append(f"{where}: {name!r} is {kind}, not text; it is used as {_text(value)!r}")
        elif isinstance(value, (bytes, bytearray)) and not _utf8_bytes(bytes(value)):
            out.append(f"{where}: {name!r} holds bytes that are not UTF-8; each is read as "
                       "U+FFFD (the replacement character)")
    return out


#: (number, fields or None, error or caveat, where): ``number`` names the document
#: (``file#number``); the third is why a row without fields is not loaded, or a caveat on a
#: loaded one;
#: ``where`` says where it is for messages (``row 3 (line 4)``, ``line 7``).
Row = tuple[int, "dict[str, Any] | None", str, str]


class _Lines:
    """The lines of a text for :func:`csv.reader`, with a position that can be moved back."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        if self.lines and not self.lines[-1]:
            self.lines.pop()
        self.pos = 0  # lines handed out so far

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        pos = self.pos
        if pos >= len(self.lines):
            raise StopIteration
        self.pos = pos + 1
        return self.lines[pos] + "\n"


#: Field separators a CSV file may use, by name: Excel writes ';' where the decimal mark is a
#: comma, and tabs in its "Unicode text" (UTF-16) files.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_TAB = "'\t'"  # (as the csv module's messages quote it)


def _header_line(lines: _Lines) -> tuple[int, str | None]:
    """The line a CSV header is on, after blank lines and Excel's ``sep=;`` line, and the
    separator that line names (None without one).

    >>> _header_line(_Lines("\\n sep=;\\ndate;title;text\\n"))
    (2, ';')
    """
    sep = None
    for number, line in enumerate(lines.lines):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        named = re.fullmatch(r"sep=([,;])", stripped) if sep is None else None
        if named:
            sep = named.group(1)
            continue
        return number, sep
    return len(lines.lines), sep


def _csv_header(lines: _Lines, first: str = ",") -> tuple[str, list[str]]:
    """The field separator of a CSV text and its column names (lower case).

    The separator is the one (``,``, ``;`` or tab, ``first`` tried first) whose header holds
    the columns date, title and text; failing that, the one that splits the header into most
    fields, so the missing columns are named.

    >>> _csv_header(_Lines("Date;Title;Text\\n2023-09-02;T;body\\n"))
    (';', ['date', 'title', 'text'])
    """
    start, sep = _header_line(lines)
    candidates = [sep] if sep else [first, *(d for d in DELIMITERS if d != first)]
    best: tuple[str, list[str]] | None = None
    error: csv.Error | None = None
    for delimiter in candidates:
        lines.pos = start
        try:
            header = next(csv.reader(lines, delimiter=delimiter, strict=True))
        except StopIteration:
            raise Unreadable("empty CSV file") from None
        except csv.Error as exc:
            error = error or exc
            continue
        names = [h.strip().lower().lstrip("\ufeff") for h in header]
        if {"date", "title", "text"} <= set(names):
            return delimiter, names
        if best is None or len(names) > len(best[1]):
            best = delimiter, names
    if best is None:
        raise Unreadable(f"CSV header cannot be read: {error}")
    return best


@functools.lru_cache(maxsize=1 << 12)
def _date_shape(value: str) -> str:
    """The form of a date as written, digits and letters left out: ``2023-09-02`` and
    ``2023-9-2`` are ``9-9-9``, ``2008`` is ``9``, ``September 2, 2023`` is ``a 9, 9``.

    >>> _date_shape(" 2023-9-02 "), _date_shape("2008"), _date_shape("Sept. 2, 2023")
    ('9-9-9', '9', 'a. 9, 9')
    """
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "9", value.strip()))


def _field(line: str, delimiter: str, column: int) -> str:
    """Field ``column`` of one line read as a CSV row on its own ("" when it has fewer)."""
    try:
        values = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        values = line.split(delimiter)
    return values[column] if len(values) > column else ""


def _table_hint(first: str) -> str:
    """For a text file whose first line is a table's header (Excel's "Unicode text" export is
    a tab-separated ``.txt``), what to name it; else "".

    >>> _table_hint("date\\ttitle\\ttext")[-29:]
    'name it .tsv to read its rows'
    >>> _table_hint("A plain first line")
    ''
    """
    if not {"date", "title", "text"} <= {n.strip().lower() for n in re.split(r"[\t,;]", first)}:
        return ""
    sep = "\t" if "\t" in first else ";" if ";" in first else ","
    return (f"; it looks like a table with {DELIMITERS[sep]}-separated columns (its first "
            f"line names date, title and text): name it {'.tsv' if sep == chr(9) else '.csv'} "
            "to read its rows")


def _is_date(value: str, *, day: bool = False) -> bool:
    """Whether ``value`` reads as a date (with ``day``, one to the day).

    >>> _is_date("2008"), _is_date("2008", day=True), _is_date("Sept. 2, 2008", day=True)
    (True, False, True)
    """
    try:
        return parse_date(value)[1] == "day" or not day
    except (ValueError, TypeError, OverflowError):
        return False


class _Broken:
    """A broken CSV row while reading resumes after it: the lines taken as its rest (no row
    of the file starts on them), and the lines after it that start like a row of the file but
    are broken in their own way (reported after it, each with its reason)."""

    def __init__(self, row: int, start: int, end: int, message: str) -> None:
        self.row, self.start, self.end, self.message = row, start, end, message
        self.rest: tuple[int, int] | None = None
        self.later: list[Row] = []

    def take(self, first: int, last: int) -> None:
        self.rest = (self.rest[0] if self.rest else first, last)

    def rows(self) -> list[Row]:
        message = self.message
        if self.rest:
            first, last = self.rest
            if self.end == self.start:  # (from the line after it: blank lines are its too)
                first = self.start + 1
            lines, are = ((f"line {first}", "is") if first == last else
                          (f"lines {first} to {last}", "are"))
            message += (f"; {lines}, where no row of this file starts (a date of the form "
                        f"of its other rows, then its other fields), {are} taken as the rest "
                        "of this row, not loaded")
        return [(self.row, None, message, f"line {self.start}"), *self.later]


def _csv_rows(text: str, first: str = ",") -> Iterator[Row]:
    """Rows of a CSV text, recovering after broken quoting.

    The field separator is told from the header (see :func:`_csv_header`). A row whose quoting
    is broken, or that runs over several lines with the wrong number of fields, a line break in
    its date or a later row inside its title (the marks of an unclosed quote), is reported by
    the line it starts on, and reading resumes on the next line: the next line where a row of
    the file starts (as many fields, and a date written in a form of the rows read so far, or
    any date to the day) is read as a row, so good rows the broken quote swallowed still load,
    while the lines before it are taken as the rest of the broken row (a paragraph of its text
    starting "2008, the year..." is not a row), and named in its report.
    """
    csv.field_size_limit(1 << 30)
    lines = _Lines(text)
    delimiter, names = _csv_header(lines, first)
    _check_columns(names)
    column = names.index("date")
    lines.pos = _header_line(lines)[0]
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    next(reader)  # the header, read above
    row = 0
    shapes: set[str] = set()  # the forms of the dates of the rows read so far
    broken: _Broken | None = None  # the latest broken row, while reading resumes after it
    empty: list[int] = []  # lines of rows whose every field is empty (",,")
    while True:
        start = lines.pos + 1  # the line this row starts on
        try:
            values = next(reader)
            problem = ""
        except StopIteration:
            if broken:
                yield from broken.rows()
            if empty:
                shown = ", ".join(map(str, empty[:10])) + (", ..." if len(empty) > 10 else "")
                yield (row, None, f"{len(empty)} row{'s' if len(empty) > 1 else ''} with every "
                       f"field empty (line{'s' if len(empty) > 1 else ''} {shown}); not loaded",
                       f"line {empty[0]}")
            return
        except csv.Error as exc:
            values, problem = [], f"broken CSV quoting ({str(exc).replace(_TAB, 'tab')})"
        end = lines.pos  # the line it ends on
        if broken is not None:
            if not (problem or values):
                continue  # (a blank line: no row, whatever it is part of)
            # Reading on after a broken row: does a row of the file start on this line?
            date = _field(lines.lines[start - 1], delimiter, column)
            # (a date of a form the file's rows use, or any full date: a paragraph may well
            # start "2008, ..." but seldom with a whole date and as many fields as a row)
            if not date.strip() or not (_date_shape(date) in shapes or _is_date(
                    date, day=bool(shapes))):
                broken.take(start, start)  # (no: the broken row's rest; on to the next line)
                lines.pos = start
                continue
            if not problem and len(values) == len(names) and end == start:
                yield from broken.rows()  # (yes, a whole one: the broken row ended above)
                broken = None
        row += 1
        if not problem:
            if not values:
                continue  # a blank line
            if all(not v.strip() for v in values):
                empty.append(start)
                continue
            if len(values) == len(names):
                fields = dict(zip(names, values, strict=True))
                if end == start or not ("\n" in fields["date"]
                                        or _holds_rows(fields["title"], names, delimiter)):
                    if broken is not None:  # (a row over several lines ends the broken one)
                        yield from broken.rows()
                        broken = None
                    # A text over several lines is common; some of them shaped like whole
                    # rows of this file (a date, as many fields) are the mark of a quote
                    # closed too late: loaded as written, with a caveat naming them.
                    rows_inside = (_whole_rows(fields["text"], names, delimiter)
                                   if end > start else [])
                    caveat = ""
                    if rows_inside:
                        at = ", ".join(str(start + i) for i in rows_inside[:5]) + (
                            ", ..." if len(rows_inside) > 5 else "")
                        caveat = (f"row {row} (line {start}): its text runs on to line {end} "
                                  f"and holds {len(rows_inside)} line"
                                  f"{'s' if len(rows_inside) > 1 else ''} shaped like a row "
                                  f"of this file (line{'s' if len(rows_inside) > 1 else ''} "
                                  f"{at}): an unclosed quote? They are loaded as part of this "
                                  "row's text, not as rows of their own")
                    shapes.add(_date_shape(fields["date"]))
                    yield row, fields, caveat, f"row {row} (line {start})"
                    continue
                # A quote closed too late: the rows it swallowed end up in the title.
                problem = ("the date holds a line break" if "\n" in fields["date"] else
                           "the title runs over a line shaped like a row of its own")
            else:
                problem = (f"{len(values)} field{'s' if len(values) != 1 else ''} where the "
                           f"header has {len(names)}")
                if end == start:
                    problem += f" (a stray {DELIMITERS[delimiter]} or a missing field?)"
        again = ""
        if end > start:  # it ran on over later lines: resume on the line after its first
            problem += f"; the row runs on to line {end} (an unclosed quote?)"
            again = (f" (line {end} is read again on its own)" if end == start + 1 else
                     f" (lines {start + 1} to {end} are read again, each on its own)")
            lines.pos = start
        if broken is not None and start <= broken.end:
            # A line the broken row ran over, read again, that starts like a row of the file
            # but is broken in its own way: reported with its own reason, after that row.
            broken.later.append((row, None, f"line {start} (read again after line "
                                            f"{broken.start}): {problem}; row not loaded"
                                            f"{again}", f"line {start}"))
            broken.end = max(broken.end, end)
            continue
        if broken is not None:
            yield from broken.rows()
        broken = _Broken(row, start, end, f"line {start}: {problem}; row not loaded{again}")


def _whole_rows(text: str, names: Sequence[str], delimiter: str = ",") -> list[int]:
    """The lines of a field running over several lines (numbered from its first, 0) that read
    as a whole row of the file: as many fields as the header, a date in the date column.

    >>> names = ["date", "title", "text"]
    >>> _whole_rows("unclosed\\n2023-09-05,G4,good\\n2023-09-06,two\\nend", names)
    [1]
    >>> _whole_rows("A text\\nover lines, in Beijing\\n", names)
    []
    """
    column = names.index("date")
    return [number for number, values in _later_lines(text, delimiter)
            if len(values) == len(names) and _DATE.match(values[column].strip())]


def _later_lines(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The lines after the first of a field that runs over several lines (numbered from its
    first, 0), each read as a CSV row on its own; lines that cannot be are passed over."""
    for number, line in enumerate(text.split("\n")[1:], start=1):
        try:
            yield number, next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue


def _holds_rows(title: str, names: Sequence[str], delimiter: str = ",") -> bool:
    """Whether a title that runs over several lines holds what looks like other rows: a later
    line whose field in the date column is a date followed by another field, or, when the date
    is the last column, a line of as many fields ending in a date with a month. (A title may
    hold a line break: scraped headlines do; rows swallowed by an unclosed quote must not pass
    as one.)

    >>> names = ["date", "title", "text"]
    >>> _holds_rows("Annual review\\n2023", names), _holds_rows("Broken\\n2023-09-02,T,B", names)
    (False, True)
    >>> last = ["title", "text", "date"]
    >>> _holds_rows("Broken\\nT,B,2023-09-02", last)
    True
    >>> _holds_rows("Forum opens\\nBeijing, China, 2023", last)  # (a headline's year)
    False
    """
    if "\n" not in title:
        return False
    column = names.index("date")
    last = column == len(names) - 1
    for _, values in _later_lines(title, delimiter):
        if last:  # (a headline may end in "Beijing, 2023": a row's date has a month too)
            date = _DATE.match(values[-1].strip()) if len(values) == len(names) else None
            if date and date.group(2):
                return True
        elif len(values) > column + 1 and _DATE.match(values[column].strip()):
            return True
    return False


def _json_error(error: json.JSONDecodeError, *, lines: bool = False) -> str:
    """A JSON parser's message with where it stopped, read as a sentence.

    >>> try:
    ...     json.loads('{"title": "unterminated')
    ... except json.JSONDecodeError as error:
    ...     print(_json_error(error))
    Unterminated string starting at column 11
    """
    where = f"line {error.lineno} column {error.colno}" if lines else f"column {error.colno}"
    return f"{error.msg} {where}" if error.msg.endswith(" at") else f"{error.msg}, {where}"


def _jsonl_rows(text: str) -> Iterator[Row]:
    """Objects of a JSON Lines text, one per line; a file that is one JSON document instead
    (pretty-printed, as ``jq`` writes it) is read as a ``.json`` file is."""
    first = True
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            value = json.loads(line, object_pairs_hook=_JsonObject.of, parse_int=_json_int)
        except json.JSONDecodeError as error:
            if first and line.strip()[:1] in ("{", "[") and _one_document(text):
                yield from _json_rows(text)
                return
            yield number, None, (f"{where}: invalid JSON ({_json_error(error)}); line not "
                                 "loaded"), where
            continue
        except (ValueError, RecursionError) as error:
            reason = ("nested too deeply" if isinstance(error, RecursionError)
                      else _one_line(str(error)))
            yield number, None, f"{where}: invalid JSON ({reason}); line not loaded", where
            continue
        first = False
        if not isinstance(value, dict):
            yield number, None, (f"{where}: not a JSON object (found {_json_kind(value)}; each "
                                 "line must be an object with date, title, text)"), where
            continue
        # Field names match in any case, as CSV headers and Parquet columns do (a name that
        # appears twice in different cases keeps its last value, as JSON itself does, said).
        yield number, *_lowered(value, where), where


class _JsonObject(dict):
    """A JSON object that remembers the names it gives more than once (JSON keeps the last
    value, and the others would be lost unsaid)."""

    repeated: tuple[str, ...] = ()

    @classmethod
    def of(cls, pairs: list[tuple[str, Any]]) -> _JsonObject:
        value = cls(pairs)
        if len(value) < len(pairs):  # (one count of all names: an object may hold thousands)
            times = collections.Counter(name for name, _ in pairs)
            value.repeated = tuple(name for name, n in times.items() if n > 1)
        return value


def _json_int(text: str) -> int | str:
    """A JSON integer; one too long for Python to read (it refuses over 4,300 digits) stays
    text, so the field holding it is refused with its own reason, not the line or file.

    >>> _json_int("2023"), len(_json_int("9" * 5000))
    (2023, 5000)
    """
    return int(text) if len(text.lstrip("-")) <= 4000 else text


def _one_document(text: str) -> bool:
    """Whether a text is a single JSON document."""
    try:
        json.loads(text, parse_int=_json_int)
        return True
    except (ValueError, RecursionError):
        return False


def _json_kind(value: Any) -> str:
    return {list: "a list", dict: "an object", str: "a string", int: "a number",
            float: "a number", bool: "true/false"}.get(type(value), "null")


def _json_rows(text: str) -> Iterator[Row]:
    """Items of a ``.json`` file: an array of objects (what Scrapy's ``-o items.json`` writes),
    each one article named ``item N``, or a single object (``item 1``). A file of one object per
    line (JSON Lines named ``.json``) is read as JSON Lines."""
    try:
        value = json.loads(text, object_pairs_hook=_JsonObject.of, parse_int=_json_int)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from _jsonl_rows(text)
            return
        raise Unreadable(f"invalid JSON ({_json_error(error, lines=True)})") from None
    except (ValueError, RecursionError) as error:
        reason = ("nested too deeply" if isinstance(error, RecursionError)
                  else _one_line(str(error)))
        raise Unreadable(f"invalid JSON ({reason})") from None
    if isinstance(value, dict):
        # An object wrapping the list of articles ({"articles": [...]}, as many APIs return):
        # that list, when it is the only list of objects and the object is not an article.
        lists = [v for v in value.values()
                 if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
        fields = {str(k).strip().lower() for k in value}
        value = lists[0] if len(lists) == 1 and not fields & {"date", "text"} else [value]
    elif not isinstance(value, list):
        raise Unreadable(f"not a JSON array of articles (found {_json_kind(value)}; a .json "
                         "file holds an array of objects with date, title, text, or one such "
                         "object)")
    elif not value:
        raise Unreadable("an empty JSON array: no articles")
    for number, item in enumerate(value, start=1):
        where = f"item {number}"
        if not isinstance(item, dict):
            yield number, None, (f"{where}: not a JSON object (found {_json_kind(item)}; each "
                                 "item must be an object with date, title, text)"), where
            continue
        yield number, *_lowered(item, where), where


def _lowered(value: dict[Any, Any], where: str) -> tuple[dict[str, Any], str]:
    """A JSON object's fields by name in lower case, and a caveat when several of its names
    stand for one field (``title`` and ``TITLE``), or one of them is given twice: the last is
    used, as JSON does for a repeated name.

    >>> fields, caveat = _lowered({"Title": "a", "TITLE ": "b", "text": "c"}, "line 1")
    >>> fields
    {'title': 'b', 'text': 'c'}
    >>> print(caveat)
    line 1: 'Title' and 'TITLE ' both name the field title; the last, 'TITLE ', is used
    """
    fields: dict[str, Any] = {}
    names: dict[str, list[str]] = {}
    for key, item in value.items():
        name = str(key).strip().lower()
        fields[name] = item
        names.setdefault(name, []).append(str(key))
    clashes = [(name, keys) for name, keys in names.items()
               if len(keys) > 1 and name in _COLUMNS]
    caveats = [
        f"{' and '.join(repr(k) for k in keys)} {'both' if len(keys) == 2 else 'all'} name "
        f"the field {name}; the last, "
        f"{keys[-1]!r}, is used" for name, keys in clashes]
    caveats += [f"{key!r} is given more than once; the last is used"
                for key in getattr(value, "repeated", ()) if key.strip().lower() in _COLUMNS]
    caveat = "; ".join(caveats)
    return fields, f"{where}: {caveat}" if caveat else ""


#: The columns a table may give (others are ignored).
_COLUMNS = ("date", "title", "text", "id", "source", "url")


def _check_columns(names: Sequence[str]) -> None:
    """Refuse a table whose columns leave a field missing or ambiguous (a column the reader
    does not use may be unnamed or repeated: trailing separators, notes).

    >>> _check_columns(["date", "title", "text", "", "", "note", "Note"])
    >>> _check_columns(["date", "title", "title", "text"])
    Traceback (most recent call last):
    policydata.corpus.Unreadable: column title appears more than once (names are compared \
without case)
    """
    found = set(names)
    twice = sorted(n for n, times in collections.Counter(names).items()
                   if times > 1 and n in _COLUMNS) if len(found) < len(names) else []
    if twice:
        raise Unreadable(f"column{'s' if len(twice) > 1 else ''} {', '.join(twice)} "
                         f"appear{'' if len(twice) > 1 else 's'} more than once (names are "
                         "compared without case)")
    missing = [c for c in ("date", "title", "text") if c not in found]
    if missing:
        hint = ""
        if len(names) == 1 and any(sep in names[0] for sep in "|:^"):
            hint = "; the file seems to use another separator than ',', ';' or a tab"
        shown = ", ".join(names) or "none"
        shown = shown if len(shown) <= 80 else shown[:80] + "..."
        raise Unreadable(f"missing column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)} (found: {shown}; "
                         f"needed: date, title, text; optional: id, source, url){hint}")


def _read_rows(rows: Iterator[Row], relpath: str, source: str,
               ) -> tuple[list[Document], list[tuple[Problem, bool]]]:
    docs: list[Document] = []
    problems: list[tuple[Problem, bool]] = []
    try:
        for number, fields, said, where in rows:
            if fields is None:
                problems.append((Problem(relpath, said), True))
                continue
            damage = _row_damage(fields)
            if damage:
                problems.append((Problem(relpath, f"{where}: {damage}; not loaded"), True))
                continue
            try:
                doc = _row_document(number, fields, where, relpath, source, problems)
            except Exception as error:  # a last guard: one odd row must not drop its file
                doc = None
                problems.append((Problem(relpath, _one_line(
                    f"{where}: could not be read ({type(error).__name__}: {error}); "
                    "not loaded")), True))
            if doc is not None:
                docs.append(doc)
                if said:  # (loaded, with a caveat on its fields)
                    problems.append((Problem(f"{relpath}#{number}", _one_line(said)), False))
    except Unreadable as error:
        return [], [(Problem(relpath, _one_line(str(error))), True)]
    if not docs and not problems:
        problems.append((Problem(relpath, "no rows: only a header or nothing"), True))
    return docs, problems


def _row_document(number: int, fields: dict[str, Any], where: str, relpath: str, source: str,
                  problems: list[tuple[Problem, bool]]) -> Document | None:
    """The document of one table row, or None with the reason added to ``problems``."""
    missing = [c for c in ("date", "title", "text") if c not in fields]
    if missing:
        problems.append((Problem(relpath, f"{where}: missing {', '.join(missing)}; "
                                          "not loaded"), True))
        return None
    unreadable = [(c, v) for c, v in fields.items() if isinstance(v, _Unconvertible)]
    if unreadable:
        name, value = unreadable[0]
        problems.append((Problem(relpath, f"{where}: {name} cannot be read ({value.reason}); "
                                          "not loaded"), True))
        return None
    try:
        date, precision = parse_date(_scalar(fields["date"]))
    except ValueError as error:
        problems.append((Problem(relpath, f"{where}: {error}"), True))
        return None
    broken = [c for c in ("title", "text", "id", "source", "url")
              if not _utf8(_text(fields.get(c)))]
    if broken:
        problems.append((Problem(relpath, f"{where}: {', '.join(broken)} holds a lone "
                                          "surrogate (such as \\ud800), which is not text; "
                                          "not loaded"), True))
        return None
    title = _text(fields["title"]).strip()
    text = _text(fields["text"], "\n\n")
    body, cut = _cut_footer(text)
    if blank(title) and blank(body):
        problems.append((Problem(relpath, f"{where}: no title and no text"), True))
        return None
    path = f"{relpath}#{number}"
    problems += [(Problem(path, _one_line(caveat)), False) for caveat in _not_text(
        fields, ("title", "text", "id", "source", "url"), where)]
    if cut:
        problems.append((Problem(path, f"{where}: {cut}"), False))
    if blank(body):
        problems.append((Problem(path, f"{where}: title with no text: "
                                       "only the title is counted"), False))
    elif blank(title):
        problems.append((Problem(path, f"{where}: no title{_invisible_only(title)}"), False))
    doc_id = _text(fields.get("id")).strip() or f"{_stem_id(relpath)}#{number}"
    return Document(
        id=doc_id, date=date, precision=precision, title=title, body=body,
        source=_text(fields.get("source")).strip() or source, path=path,
        url=_text(fields.get("url")).strip(),
    )


class _Unconvertible(NamedTuple):
    """A Parquet value that has no Python form (a timestamp beyond year 9999...)."""

    reason: str


def _column_values(column: Any) -> list[Any]:
    """A Parquet column's values; those that cannot be converted become :class:`_Unconvertible`
    (so one bad value costs its row, not the file)."""
    import pyarrow as pa

    try:
        return list(column.to_pylist())
    except (pa.ArrowException, ValueError, OverflowError):
        pass
    values: list[Any] = []
    for item in column:
        try:
            values.append(item.as_py())
        except (pa.ArrowException, ValueError, OverflowError) as error:
            values.append(_Unconvertible(
                "a value outside years 1 to 9999" if isinstance(error, OverflowError)
                or "out of range" in str(error) else _one_line(str(error))))
    return values


def _scalar(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (AttributeError, ValueError):
            return value
    return value


def _utf8_bytes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _text(value: Any, items: str = "; ") -> str:
    """A field's value as text. A list's items (a mapping's values) are joined by ``items``:
    a blank line for an article's text, whose items are its paragraphs (Scrapy's item files
    hold them so), so that no phrase runs from one into the next (rule 4).

    >>> _text(["The new", "industry"], "\\n\\n"), _text({"en": "Real", "fr": ["Réel", 2]})
    ('The new\\n\\nindustry', 'Real; Réel; 2')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from a table reader
        return ""
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    if _is_map(value):  # (Parquet's map values come as (key, value) pairs)
        value = [v for _, v in value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        # (an empty or null item adds nothing: no "A; ; B")
        return items.join(t for t in (_text(item, items) for item in value) if not blank(t))
    return _unify_newlines(str(value))


def _is_map(value: Any) -> TypeGuard[list[tuple[Any, Any]]]:
    """Whether ``value`` is a Parquet map as pyarrow gives it: a list of (key, value) tuples
    (JSON has no tuples, so a JSON list is never one)."""
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, tuple) and len(v) == 2 for v in value))


def arrow_bytes(data: bytes) -> Any:
    """A copy of ``data`` that Arrow owns: a Parquet read of Python bytes can abort the
    process at exit (see :func:`policydata.store.arrow_file_bytes`)."""
    import pyarrow as pa

    owned = pa.allocate_buffer(len(data))
    memoryview(owned).cast("B")[:] = data
    return owned


def _read_parquet(data: bytes, relpath: str, source: str,
                  ) -> tuple[list[Document], list[tuple[Problem, bool]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not data:
        raise Unreadable("empty file")
    owned = arrow_bytes(data)
    damaged: list[tuple[Problem, bool]] = []
    try:
        table = pq.read_table(pa.BufferReader(owned))
        first_rows = [1]  # (the row number of each piece's first row)
        pieces = [table]
    except (pa.ArrowException, OSError) as error:
        # A damaged page costs its row group only: the others are read one by one.
        try:
            parquet = pq.ParquetFile(pa.BufferReader(owned))
        except (pa.ArrowException, OSError):
            raise Unreadable(f"not a readable Parquet file ({error})") from None
        pieces, first_rows, row = [], [], 1
        for group in range(parquet.num_row_groups):
            size = parquet.metadata.row_group(group).num_rows
            try:
                pieces.append(parquet.read_row_group(group))
                first_rows.append(row)
            except (pa.ArrowException, OSError) as group_error:
                damaged.append((Problem(relpath, _one_line(
                    f"rows {row}-{row + size - 1} (row group {group + 1} of "
                    f"{parquet.num_row_groups}) are damaged ({str(group_error).strip()}); "
                    "not loaded")),
                    True))
            row += size
        if not pieces:
            raise Unreadable(f"not a readable Parquet file ({error})") from None
    names = [n.strip().lower().lstrip("\ufeff") for n in pieces[0].column_names]  # (as CSV's)
    _check_columns(names)
    wanted = [c for c in ("date", "title", "text", "id", "source", "url") if c in names]

    def rows() -> Iterator[Row]:
        for piece, first in zip(pieces, first_rows):
            piece = piece.rename_columns(names)
            columns = {name: _column_values(piece.column(name)) for name in wanted}
            for i in range(piece.num_rows):
                yield (first + i, {name: values[i] for name, values in columns.items()}, "",
                       f"row {first + i}")

    docs, problems = _read_rows(rows(), relpath, source)
    return docs, damaged + problems


# --------------------------------------------------------------------------- whole corpus


def resolve(paths: Sequence[str], hashes: Sequence[str], ids: Sequence[str],
            dates: Sequence[object] | None = None,
            ) -> tuple[np.ndarray, list[str], list[Problem], list[Problem]]:
    """Find exact duplicate texts and make ids unique, reporting both.

    Documents are taken in path order (file path, then row number, so ``a.csv#9`` comes before
    ``a.csv#10``); the first of several identical texts is kept and the others are skipped as
    duplicates of it. A repeated id on a different text is kept under the id with ``~2``,
    ``~3``... appended.

    Parameters
    ----------
    paths, hashes, ids : sequence of str
        One entry per document: its path, :attr:`Document.content_hash` and id.
    dates : sequence, optional
        The documents' dates: a duplicate dated otherwise than the text it repeats says so.

    Returns
    -------
    keep : bool array
        False for duplicates.
    ids : list of str
        Unique ids, in the input order.
    skipped, warnings : list of Problem

    Examples
    --------
    >>> keep, ids, skipped, _ = resolve(["b.txt", "a.txt"], ["h1", "h1"], ["b", "a"])
    >>> keep.tolist(), skipped[0].reason
    ([False, True], "exact duplicate of 'a' (a.txt); counted once")
    >>> resolve(["b.txt", "a.txt"], ["h1", "h1"], ["b", "a"], ["2023-04-06", "2023-09-09"]
    ...         )[2][0].reason
    "exact duplicate of 'a' (a.txt); counted once, on its date 2023-09-09, not 2023-04-06"
    """
    paths, hashes, ids = list(paths), list(hashes), list(ids)
    # One pass in Python over the documents in path order: simpler and faster than a frame.
    if any("#" in p for p in paths):
        split = [_file_and_row(p) for p in paths]
        order = sorted(range(len(paths)), key=split.__getitem__)
    else:
        order = sorted(range(len(paths)), key=paths.__getitem__)
    keep = np.ones(len(paths), dtype=bool)
    skipped: list[Problem] = []
    warnings: list[Problem] = []
    first_of: dict[str, int] = {}
    kept: list[int] = []
    for i in order:
        first = first_of.setdefault(hashes[i], i)
        if first == i:
            kept.append(i)
        else:
            keep[i] = False
            moved = (f", on its date {dates[first]}, not {dates[i]}"
                     if dates is not None and dates[i] != dates[first] else "")
            skipped.append(Problem(paths[i], f"{DUPLICATE}{ids[first]!r} "
                                             f"({paths[first]}); counted once{moved}"))
    unique = list(ids)
    times: dict[str, int] = {}
    repeated: list[tuple[int, int]] = []
    for i in kept:
        n = times.get(ids[i], 0)
        times[ids[i]] = n + 1
        if n:
            repeated.append((i, n))
    used = {ids[i] for i in kept} if repeated else set()
    for i, n in repeated:
        new_id = f"{ids[i]}~{n + 1}"
        while new_id in used:  # another document may already be called "a~2"
            n += 1
            new_id = f"{ids[i]}~{n + 1}"
        used.add(new_id)
        unique[i] = new_id
        warnings.append(Problem(paths[i], f"id {ids[i]!r} is used before; loaded as "
                                          f"{new_id!r}"))
    return keep, unique, skipped, warnings


def _file_and_row(path: str) -> tuple[str, int]:
    """Split a document path ``file#row`` (a file name may itself hold ``#``)."""
    file, sep, row = path.rpartition("#")
    if sep and row.isascii() and row.isdigit():
        return file, int(row)
    return path, 0


def load_corpus(root: Path | str) -> tuple[list[Document], LoadReport]:
    """Read every document under ``root`` (no index, no cache): for tests and small corpora.

    Examples
    --------
    >>> docs, report = load_corpus("seeds")
    >>> len(docs), report.skipped
    (1, [])
    """
    root = Path(root)
    entries, problems = scan(root)
    report = LoadReport(files=len(entries), skipped=list(problems))
    documents: list[Document] = []
    for entry in entries:
        docs, file_problems = read_file(root, entry.path)
        documents.extend(docs)
        for problem, skipped in file_problems:
            (report.skipped if skipped else report.warnings).append(problem)
    keep, ids, duplicates, renamed = resolve(
        [d.path for d in documents], [d.content_hash for d in documents],
        [d.id for d in documents], [d.date for d in documents])
    report.skipped.extend(duplicates)
    report.warnings.extend(renamed)
    kept = [dataclasses.replace(d, id=i) for d, i, k in zip(documents, ids, keep, strict=True) if k]
    report.documents = len(kept)
    return kept, report
