"""Saving a corpus uploaded through the browser, safely.

Uploads are untrusted: a zip may hold ``../`` or absolute paths, links, millions of entries or a
few kilobytes that expand to gigabytes. :func:`save_upload` writes only inside the folder it is
given, refuses what breaks a limit with a message saying which, and never trusts the sizes a
zip claims: it counts the bytes it actually writes.

Uploads also outlive the sessions that made them unless they are removed: each goes in its own
``policydata-upload-*`` folder (:func:`new_upload_folder`) that its session marks as in use on
every run (:func:`touch_upload`); :func:`sweep_uploads` removes the folders left unused for
:data:`UPLOAD_MAX_IDLE_SECONDS`, and :func:`check_upload_room` refuses a new upload while the
upload folders already hold :attr:`Limits.all_uploads_mb`.

Examples
--------
>>> import io, tempfile, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("../evil.txt", "x")
>>> save_upload([("corpus.zip", buffer.getvalue())], Path(tempfile.mkdtemp()))
Traceback (most recent call last):
...
policydata.uploads.UploadError: corpus.zip: '../evil.txt' points outside the upload ...
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import io
import lzma
import os
import shutil
import stat
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO


@dataclass(frozen=True)
class Limits:
    """What one upload may hold, and what all uploads on the server may hold together."""

    upload_mb: int = 50  # bytes sent, all files together
    expanded_mb: int = 400  # bytes after unzipping
    files: int = 20_000  # files after unzipping
    ratio: int = 100  # largest compression ratio of a zip member (zip bombs)
    all_uploads_mb: int = 4096  # bytes in all upload folders, above which uploads are refused


UPLOAD_LIMITS = Limits()

UPLOAD_PREFIX = "policydata-upload-"
"""How the name of every upload folder starts (in the system's temporary folder)."""

UPLOAD_MAX_IDLE_SECONDS = 2 * 60 * 60
"""How long an upload folder may go unused (no :func:`touch_upload`) before it is swept."""


class UploadError(ValueError):
    """An upload that is refused as a whole; the message says why."""


@dataclass(frozen=True)
class UploadNote:
    """What the load report says of one file of an upload that was left out or saved
    otherwise than it came (a link, macOS metadata, a name taken or too long).

    ``path`` names the file as the user knows it (``scrape.zip: xinhua/a.txt``); ``saved``
    tells a file left out (not loaded: the load report lists it with the files the corpus
    could not load) from one saved with a caveat.

    >>> str(UploadNote("scrape.zip: evil", "a symbolic link; not saved", saved=False))
    'scrape.zip: evil: a symbolic link; not saved'
    """

    path: str
    reason: str
    saved: bool

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _safe_name(name: str) -> str | None:
    """A relative POSIX path inside the upload, or None if the name points outside it."""
    name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    if any(part == ".." for part in path.parts):
        return None
    parts = [p for p in path.parts if p not in ("", ".")]
    return "/".join(parts) if parts else None


def save_upload(files: list[tuple[str, bytes]], folder: Path,
                limits: Limits = UPLOAD_LIMITS) -> list[UploadNote]:
    """Write uploaded files (and the contents of zips) under ``folder``.

    Where files go decides their source (the first folder level under the corpus root, see
    :mod:`policydata.corpus`), so a zip is unpacked as its author sees it, not in a folder of
    its own:

    * a zip is unpacked at the root of ``folder`` after dropping the folders that hold all of
      its files (a zip of a folder has one: ``corpus/xinhua/a.txt`` and ``corpus/miit/b.txt``
      are saved as ``xinhua/a.txt`` and ``miit/b.txt``, sources ``xinhua`` and ``miit``);
    * a zip whose files would then all sit at the root keeps them in one folder, the innermost
      folder holding them (``mine/a.txt`` stays ``mine/a.txt``), else a folder named after the
      zip, so its articles have that name as their source rather than the root folder's name;
    * every other file (CSV, JSON Lines, Parquet, text) is saved at the root, where its source
      is the root folder's name unless its rows give one.

    The rule is the same whether a zip comes alone or with other files, so several zips holding
    the same source folders (``2023.zip`` and ``2024.zip`` of ``xinhua/`` and ``miit/``) add up
    to those sources. Hidden files and ``__MACOSX/`` (macOS metadata, not saved) are left out
    when looking for the folders that hold all files.

    A clash never refuses the upload: a file whose path is already taken (a zip holding a name
    twice, two uploads of one name, a file named like a folder, names that differ only in case)
    is saved as ``a (2).txt`` with a note, and a file or folder name too long for the file
    system is shortened (its start and a short hash of the whole name) with a note. A file the
    file system still refuses for its name is left out with a note. No message names the
    folder written to, only paths inside the upload.

    A zip's file names are read as UTF-8 where the zip says so; where it does not (zips made
    on Windows), as UTF-8 if they all are, else as GB18030 (what a Chinese Windows writes)
    with a note, else as code page 437 (the zip standard's default) with a note. Links,
    macOS metadata and zips inside a zip (not unpacked) are left out with a note; an upload
    with no file to save, or a password-protected zip, is refused.

    Parameters
    ----------
    files : list of (str, bytes)
        Each uploaded file's name (as the browser gives it; only its last part is used) and
        content.
    folder : Path
        Where to write; created if missing, and must be empty if it exists.
    limits : Limits
        What the upload may hold.

    Returns
    -------
    list of UploadNote
        Notes for the load report: entries left out (links, macOS metadata, zips in a zip,
        names the file system refuses) and files saved otherwise than they came (another
        name, names read in a legacy encoding).

    Raises
    ------
    UploadError
        When a limit is broken or a zip is malformed or hostile; nothing is left behind.
    ValueError
        When ``folder`` exists and is not empty.

    Examples
    --------
    >>> import tempfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("corpus/xinhua/a.txt", " date 2023-09-02 A\\n\\nText.")
    ...     z.writestr("corpus/miit/b.txt", " date 2023-09-03 B\\n\\nText.")
    >>> folder = Path(tempfile.mkdtemp())
    >>> save_upload([("corpus.zip", buffer.getvalue())], folder)
    []
    >>> sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))
    ['miit/b.txt', 'xinhua/a.txt']
    >>> shutil.rmtree(folder)
    """
    total = sum(len(data) for _, data in files)
    if total > limits.upload_mb * 1024 * 1024:
        raise UploadError(f"{total / 1048576:.1f} MB uploaded; the limit is {limits.upload_mb} MB")
    folder = Path(folder)
    if folder.is_dir() and any(folder.iterdir()):
        raise ValueError(f"save_upload needs a new or empty folder, not {folder}")
    notes: list[UploadNote] = []
    with contextlib.ExitStack() as stack:
        entries: list[_Entry] = []
        for name, data in files:
            safe = _safe_name(os.path.basename(name.replace("\\", "/")))
            if safe is None:
                raise UploadError(f"{name!r} is not a usable file name")
            if safe.lower().endswith(".zip"):
                listed = _zip_entry_count(data)
                if listed is not None and listed > 2 * limits.files:  # (files and folders)
                    # (said before the zip is opened: Python reads its whole table of
                    # contents first, 8 s and 340 MB for 300,000 empty entries)
                    raise UploadError(f"{safe}: {listed:,} entries; the limit is "
                                      f"{limits.files:,} files; nothing was saved")
                archive = stack.enter_context(_open_zip(safe, data, notes))
                entries += _zip_entries(safe, archive, limits, notes)
            else:
                entries.append(_Entry(_brief(safe), (safe,), data=data))
        if len(entries) > limits.files:
            raise UploadError(f"{len(entries):,} files; the limit is {limits.files:,} files; "
                              "nothing was saved")
        entries = _plan(entries, notes)
        if not entries:
            left_out = "; ".join(str(note) for note in notes if not note.saved)
            left_out = left_out if len(left_out) <= 300 else left_out[:299] + "…"
            raise UploadError("the upload holds no file to load (" +
                              (left_out or "an empty zip?") + "); nothing was saved")
        budget = [limits.expanded_mb * 1024 * 1024]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for entry in entries:
                _write(folder, entry, budget, limits, notes)
        except (UploadError, OSError) as error:
            shutil.rmtree(folder, ignore_errors=True)
            if isinstance(error, UploadError):
                raise
            # str(error) would show the server's folder: only the reason is shown
            reason = error.strerror or type(error).__name__
            raise UploadError(f"the upload could not be saved ({reason}); "
                              "nothing was saved") from None
    return notes


@dataclass(frozen=True)
class _Entry:
    """One file to write: what messages call it, where it goes, where its bytes come from."""

    label: str  # "more.csv", or "scrape.zip: corpus/a.txt"; long names cut (see _brief)
    parts: tuple[str, ...]  # its path under the upload folder
    archive: zipfile.ZipFile | None = None
    member: zipfile.ZipInfo | None = None
    data: bytes = b""

    def open(self) -> IO[bytes]:
        if self.archive is None or self.member is None:
            return io.BytesIO(self.data)
        try:
            return self.archive.open(self.member)
        except _READ_ERRORS as error:
            raise UploadError(f"{self.label} cannot be read ({error}); "
                              "nothing was saved") from None


# What reading a damaged or unusual zip member can raise (CRC, truncation, a codec's own error,
# encryption, an unsupported compression method).
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
                RuntimeError, NotImplementedError, ValueError)


# What creating a file can raise because of its name rather than the disk: the file is left
# out with a note instead of refusing the upload.
_NAME_ERRORS = frozenset({errno.ENAMETOOLONG, errno.EILSEQ, errno.EINVAL, errno.EEXIST,
                          errno.ENOTDIR, errno.EISDIR})


def _write(folder: Path, entry: _Entry, budget: list[int], limits: Limits,
           notes: list[UploadNote]) -> None:
    target = folder.joinpath(*entry.parts)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = open(target, "xb")  # noqa: SIM115 (closed below)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        if isinstance(error, OSError) and error.errno not in _NAME_ERRORS:
            raise
        reason = error.strerror if isinstance(error, OSError) else "the name holds a NUL"
        notes.append(UploadNote(entry.label, f"the file system refused its name ({reason}); "
                                "not saved", saved=False))
        return
    with out, entry.open() as stream:
        while True:
            try:
                chunk = stream.read(1 << 20)
            except _READ_ERRORS as error:
                raise UploadError(f"{entry.label} cannot be read ({error}); "
                                  "nothing was saved") from None
            if not chunk:
                break
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise UploadError("the upload expands to more than "
                                  f"{limits.expanded_mb} MB; nothing was saved")
            out.write(chunk)


_NAME_BYTES = 255  # longest name ext4, XFS, Btrfs, tmpfs and APFS take, in bytes (UTF-8)


#: Folders a saved file may lie in, one inside another (creating 1,500 of them overflowed
#: Python's stack: ``Path.mkdir(parents=True)`` recurses once per folder).
MAX_FOLDER_DEPTH = 64


def _plan(entries: list[_Entry], notes: list[UploadNote]) -> list[_Entry]:
    """Give every file a path of its own that the file system takes; note each change.

    Names too long are shortened first; folders keep their names (they are sources) and a file
    whose path is taken, by an earlier file or by a folder, gets the first free ``name (n)``.
    Paths are compared as a case-insensitive file system would (case and Unicode form).
    """
    fitted: list[tuple[_Entry, tuple[str, ...]]] = []
    for entry in entries:
        if len(entry.parts) - 1 > MAX_FOLDER_DEPTH:  # (no scrape nests so; a hostile zip)
            notes.append(UploadNote(entry.label, f"inside {len(entry.parts) - 1:,} nested "
                                    f"folders (the limit is {MAX_FOLDER_DEPTH}); not saved",
                                    saved=False))
            continue
        parts = tuple(_fit(part, file=i == len(entry.parts) - 1)
                      for i, part in enumerate(entry.parts))
        if parts != entry.parts:
            notes.append(UploadNote(entry.label, "a name too long for the file system; saved "
                                    f"as {_brief('/'.join(parts))}", saved=True))
        fitted.append((entry, parts))
    folders = {_key(parts[:i]) for _, parts in fitted for i in range(1, len(parts))}
    files: set[tuple[str, ...]] = set()
    # The last number given for each name taken: the next clash goes on from there (from 1
    # each time, 20,000 copies of one name in a small zip took some ten minutes of a core).
    numbered: dict[tuple[str, ...], int] = {}
    planned = []
    for entry, parts in fitted:
        wanted = parts
        number = numbered.get(_key(wanted), 1)
        while _key(parts) in files or _key(parts) in folders:
            number += 1
            parts = wanted[:-1] + (_tagged(wanted[-1], f" ({number})", file=True),)
        if parts != wanted:
            numbered[_key(wanted)] = number
        if parts != wanted:
            holder = "a folder" if _key(wanted) in folders else "another file"
            notes.append(UploadNote(entry.label, f"saved as {_brief('/'.join(parts))} because "
                                    f"{_brief('/'.join(wanted))} was taken by {holder}",
                                    saved=True))
        files.add(_key(parts))
        planned.append(dataclasses.replace(entry, parts=parts))
    return planned


def _key(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", part).casefold() for part in parts)


def _fit(name: str, *, file: bool) -> str:
    """``name``, or if it is too long its start and a hash of the whole, in ``_NAME_BYTES``.

    >>> short = _fit("x" * 300 + ".txt", file=True)
    >>> _fit("a.txt", file=True), len(short), short[:3], short[-13], short[-4:]
    ('a.txt', 255, 'xxx', '~', '.txt')
    """
    if len(name.encode("utf-8", "surrogatepass")) <= _NAME_BYTES:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return _tagged(name, f"~{digest}", file=file)


def _tagged(name: str, tag: str, *, file: bool) -> str:
    """``name`` with ``tag`` before its extension, its start cut to fit ``_NAME_BYTES``."""
    stem, extension = os.path.splitext(name) if file else (name, "")
    if len(extension.encode("utf-8", "surrogatepass")) > 16:  # not an extension
        stem, extension = name, ""
    room = _NAME_BYTES - len((tag + extension).encode("utf-8", "surrogatepass"))
    stem = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
    return stem + tag + extension


def _brief(text: str) -> str:
    """``text`` cut in the middle where it is long (names over 60 characters, paths over 200).

    >>> _brief("a/" + "b" * 100 + "/c.txt")
    'a/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb…bbbbbbbbbbbbbbbbbbbbbbbb/c.txt'
    """
    text = "/".join(part if len(part) <= 60 else f"{part[:30]}…{part[-24:]}"
                    for part in text.split("/"))
    return text if len(text) <= 200 else f"{text[:100]}…{text[-80:]}"


def _zip_entry_count(data: bytes) -> int | None:
    """How many entries (files and folders) the zip ``data`` says it holds, read from its
    end-of-central-directory record (or its Zip64 record), or None where that cannot be read
    (the zip module then says what is wrong).

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     for i in range(3):
    ...         z.writestr(f"d/{i}.txt", "x")
    >>> _zip_entry_count(buffer.getvalue()), _zip_entry_count(b"not a zip")
    (3, None)
    """
    tail = data[-(65_535 + 22):]  # (the record and a comment of at most 65,535 bytes)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    total = int.from_bytes(tail[at + 10:at + 12], "little")
    if total != 0xFFFF:
        return total
    start = len(data) - len(tail) + at - 20  # the Zip64 locator, just before the record
    if start < 0 or data[start:start + 4] != b"PK\x06\x07":
        return None
    offset = int.from_bytes(data[start + 8:start + 16], "little")
    record = data[offset:offset + 56]
    if len(record) < 40 or record[:4] != b"PK\x06\x06":
        return None
    return int.from_bytes(record[32:40], "little")


def _open_zip(name: str, data: bytes, notes: list[UploadNote]) -> zipfile.ZipFile:
    """The zip ``data``, its file names decoded as :func:`save_upload` says."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        encoding = _name_encoding(archive)
        if encoding is None:
            return archive
        archive.close()
        archive = zipfile.ZipFile(io.BytesIO(data), metadata_encoding=encoding)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UploadError(f"{name}: not a valid zip file; nothing was saved") from None
    if encoding != "utf-8":
        example = next(m.filename for m in archive.infolist()
                       if not m.flag_bits & 0x800 and not m.filename.isascii())
        notes.append(UploadNote(name, f"its file names are not marked as Unicode; read as "
                                f"{_NAME_ENCODINGS[encoding]} (e.g. {_brief(example)})",
                                saved=True))
    return archive


#: How a zip's unmarked file names are tried, in order, after UTF-8.
_NAME_ENCODINGS = {"gb18030": "GB18030, the encoding of Chinese Windows",
                   "cp437": "code page 437, the zip standard's default: check them"}


def _name_encoding(archive: zipfile.ZipFile) -> str | None:
    """The encoding of the zip's file names that are not marked as UTF-8 (flag bit 11), or
    None when every name is marked or plain ASCII.

    Python reads unmarked names as code page 437, which maps every byte: encoding them back
    gives the bytes stored, which are tried as UTF-8 (what most tools write, marked or not),
    then as Chinese (:func:`_looks_chinese`), else left as code page 437 (what Windows in
    Western Europe writes: ``März``, ``Année``).
    """
    raw = [m.filename.encode("cp437") for m in archive.infolist()
           if not m.flag_bits & 0x800 and not m.filename.isascii()]
    if not raw:
        return None
    try:
        for name in raw:
            name.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return "gb18030" if all(_looks_chinese(name) for name in raw) else "cp437"


def _looks_chinese(name: bytes) -> bool:
    """Whether ``name`` reads as GB18030 with every two-byte character's second byte above
    ASCII, as in every character of GB2312 (the common Chinese characters). GB18030 also takes
    an accented letter of code page 437 followed by a letter (``ä`` then ``r``: ``M剅z``), which
    names written on Western Windows are full of.

    >>> _looks_chinese("新华社/数字经济.txt".encode("gbk")), _looks_chinese("März".encode("cp437"))
    (True, False)
    """
    try:
        name.decode("gb18030")
    except UnicodeDecodeError:
        return False
    at = 0
    while at < len(name):
        if name[at] < 0x80:
            at += 1
        elif 0x30 <= name[at + 1] <= 0x39:  # (a four-byte character)
            at += 4
        elif name[at + 1] < 0x80:
            return False
        else:
            at += 2
    return True


def _zip_entries(name: str, archive: zipfile.ZipFile, limits: Limits,
                 notes: list[UploadNote]) -> list[_Entry]:
    """The files of one zip, placed as :func:`save_upload` describes; refuses hostile zips."""
    members = [m for m in archive.infolist() if not m.is_dir()]  # (folders are no files)
    if len(members) > limits.files:
        raise UploadError(f"{name}: {len(members):,} files; the limit is "
                          f"{limits.files:,} files; nothing was saved")
    claimed = sum(m.file_size for m in members)
    if claimed > limits.expanded_mb * 1024 * 1024:
        raise UploadError(f"{name}: expands to {claimed / 1048576:.0f} MB; the limit is "
                          f"{limits.expanded_mb} MB; nothing was saved")
    kept: list[tuple[tuple[str, ...], zipfile.ZipInfo]] = []
    macos = False
    for member in members:
        safe = _safe_name(member.filename)
        if safe is None:
            raise UploadError(f"{name}: {member.filename!r} points outside the upload "
                              "(.. or an absolute path); nothing was saved")
        mode = member.external_attr >> 16
        label = f"{_brief(name)}: {_brief(member.filename)}"
        if stat.S_ISLNK(mode):
            notes.append(UploadNote(label, "a symbolic link; not saved", saved=False))
            continue
        parts = tuple(safe.split("/"))
        if parts[0] == "__MACOSX":
            macos = True
            continue
        if member.flag_bits & 0x1:
            raise UploadError(f"{name}: {member.filename!r} is password-protected; upload a "
                              "zip without a password; nothing was saved")
        if parts[-1].lower().endswith(".zip"):
            notes.append(UploadNote(label, "a zip inside the zip is not unpacked (upload it "
                                    "on its own); not saved", saved=False))
            continue
        if member.file_size > 1024 and member.compress_size and (
                member.file_size / member.compress_size > limits.ratio):
            raise UploadError(f"{name}: {member.filename!r} is compressed "
                              f"{member.file_size // max(member.compress_size, 1)}:1, "
                              f"more than {limits.ratio}:1 (a zip bomb?); nothing was saved")
        kept.append((parts, member))
    if macos:
        notes.append(UploadNote(f"{_brief(name)}: __MACOSX/", "macOS metadata, not articles; "
                                "not saved", saved=False))
    placed = _place([parts for parts, _ in kept], PurePosixPath(name).stem)
    return [_Entry(f"{_brief(name)}: {_brief(member.filename)}", parts, archive, member)
            for parts, (_, member) in zip(placed, kept)]


def _place(paths: list[tuple[str, ...]], zip_stem: str) -> list[tuple[str, ...]]:
    """Where a zip's files go under the upload folder (the rule of :func:`save_upload`).

    >>> _place([("corpus", "xinhua", "a.txt"), ("corpus", "miit", "b.txt")], "up")
    [('xinhua', 'a.txt'), ('miit', 'b.txt')]
    >>> _place([("home", "me", "mine", "a.txt"), ("home", "me", "mine", "b.txt")], "up")
    [('mine', 'a.txt'), ('mine', 'b.txt')]
    >>> _place([("a.txt",), ("b.txt",)], "up")
    [('up', 'a.txt'), ('up', 'b.txt')]
    """
    visible = [p for p in paths if not any(part.startswith(".") for part in p)]
    basis = visible or paths
    if not basis:
        return []
    common = basis[0][:-1]
    for path in basis[1:]:
        size = 0
        while size < min(len(common), len(path) - 1) and common[size] == path[size]:
            size += 1
        common = common[:size]
    if all(len(path) == len(common) + 1 for path in basis):  # no folder of their own
        drop, add = (common[:-1], ()) if common else ((), (zip_stem,))
    else:
        drop, add = common, ()
    return [add + (path[len(drop):] if path[:len(drop)] == drop else path) for path in paths]


# --------------------------------------------------------------------------- upload folders


#: The file of an upload folder naming the session it belongs to.
OWNER_FILE = "owner"


def new_upload_folder(*, owner: str | None = None, temp_root: Path | None = None) -> Path:
    """Create a private folder for one session's upload, marked as in use.

    Parameters
    ----------
    owner : str, optional
        The session the upload belongs to: :func:`sweep_uploads` removes the folder as soon
        as it is told that session has ended, not only after it has gone unused.
    temp_root : Path, optional
        Where upload folders live; the system's temporary folder by default.

    Returns
    -------
    Path
        A new ``policydata-upload-*`` folder, readable by its owner only.

    See Also
    --------
    touch_upload, sweep_uploads
    """
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=temp_root))
    if owner is not None:
        (folder / OWNER_FILE).write_text(owner, encoding="utf-8")
    return folder


def _owner(folder: Path) -> str | None:
    """The session an upload folder belongs to, if it names one (a small plain file)."""
    try:
        with open(folder / OWNER_FILE, "rb", opener=_no_follow) as handle:
            return handle.read(256).decode("utf-8", "replace") or None
    except OSError:
        return None


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def touch_upload(folder: Path) -> bool:
    """Mark an upload folder as in use now, so :func:`sweep_uploads` keeps it.

    Cheap (one ``stat`` and one ``utime``): call it on every run of the session using it.

    Parameters
    ----------
    folder : Path
        A folder made by :func:`new_upload_folder`.

    Returns
    -------
    bool
        False when the folder is gone (swept after going unused) or is not a folder: the
        session should drop its upload and say so.
    """
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        os.utime(folder)
    except OSError:
        return False
    return True


def sweep_uploads(max_age_seconds: float = UPLOAD_MAX_IDLE_SECONDS, *,
                  ended: Callable[[str], bool] | None = None, now: float | None = None,
                  temp_root: Path | None = None) -> list[Path]:
    """Delete the upload folders that have gone unused for longer than ``max_age_seconds``,
    and those whose session has ended.

    Only folders named ``policydata-upload-*`` directly in ``temp_root`` and owned by this
    process's user are considered, by their last mark (:func:`touch_upload`, i.e. their
    modification time); links are never followed, neither to a folder nor inside one. A folder
    that cannot be removed, in whole or in part, is passed over.

    Parameters
    ----------
    max_age_seconds : float
        Unused for longer than this, a folder is deleted; :data:`UPLOAD_MAX_IDLE_SECONDS`
        (2 hours) by default.
    ended : callable, optional
        Told the owner a folder names (:func:`new_upload_folder`), says whether that session
        has ended (closed, or reloaded: a new session), so that its upload, which no session
        can reach any more, is deleted at once.
    now : float, optional
        The time to measure from (seconds since the epoch); the current time by default.
    temp_root : Path, optional
        Where upload folders live; the system's temporary folder by default.

    Returns
    -------
    list of Path
        The folders deleted, sorted.

    Raises
    ------
    ValueError
        When ``max_age_seconds`` is negative.

    Examples
    --------
    >>> import time
    >>> root = Path(tempfile.mkdtemp())
    >>> folder = new_upload_folder(temp_root=root)
    >>> touch_upload(folder), sweep_uploads(temp_root=root)  # in use: kept
    (True, [])
    >>> sweep_uploads(now=time.time() + 3 * 3600, temp_root=root) == [folder]
    True
    >>> touch_upload(folder)  # gone: the session drops its upload
    False
    >>> mine = new_upload_folder(owner="session-1", temp_root=root)
    >>> sweep_uploads(ended=lambda owner: owner == "session-2", temp_root=root)
    []
    >>> sweep_uploads(ended=lambda owner: owner == "session-1", temp_root=root) == [mine]
    True
    >>> root.rmdir()
    """
    if max_age_seconds < 0:
        raise ValueError(f"max_age_seconds must be 0 or more, not {max_age_seconds!r}")
    now = time.time() if now is None else now
    removed = []
    for folder, info in _upload_folders(temp_root):
        if now - info.st_mtime <= max_age_seconds:
            owner = _owner(folder) if ended is not None else None
            if ended is None or owner is None or not ended(owner):
                continue
        try:
            shutil.rmtree(folder)  # never follows links (see shutil.rmtree.avoids_symlink_attacks)
        except OSError:
            continue
        removed.append(folder)
    return sorted(removed)


def uploads_size(*, temp_root: Path | None = None) -> int:
    """Bytes in the files of all upload folders; links are neither followed nor counted.

    Parameters
    ----------
    temp_root : Path, optional
        Where upload folders live; the system's temporary folder by default.

    Returns
    -------
    int
        The sum of the sizes of the files in every ``policydata-upload-*`` folder of this
        process's user, the index caches kept there included.
    """
    total = 0
    for folder, _ in _upload_folders(temp_root):
        for parent, _, names in os.walk(folder, onerror=lambda _: None):
            for name in names:
                with contextlib.suppress(OSError):  # removed meanwhile
                    info = os.lstat(os.path.join(parent, name))
                    total += info.st_size if stat.S_ISREG(info.st_mode) else 0
    return total


def check_upload_room(limits: Limits = UPLOAD_LIMITS, *, temp_root: Path | None = None) -> None:
    """Refuse a new upload while the upload folders already hold ``limits.all_uploads_mb``.

    Call :func:`sweep_uploads` first, so that only uploads in use count.

    Parameters
    ----------
    limits : Limits
        ``all_uploads_mb`` is the room for all uploads on the server.
    temp_root : Path, optional
        Where upload folders live; the system's temporary folder by default.

    Raises
    ------
    UploadError
        When there is no room; the message says how much is held and what to do.
    """
    held = uploads_size(temp_root=temp_root)
    room = limits.all_uploads_mb * 1024 * 1024
    if held >= room:
        hours = UPLOAD_MAX_IDLE_SECONDS / 3600
        raise UploadError(f"the server's room for uploads is full: uploads in use hold "
                          f"{_size(held)}, the limit is {_size(room)}; try again later (an "
                          f"upload is removed when its browser tab is closed, or {hours:g} "
                          "hours after its last use)")


def _upload_folders(temp_root: Path | None) -> Iterator[tuple[Path, os.stat_result]]:
    """Upload folders (not links) directly in ``temp_root`` owned by this user, with status."""
    root = Path(tempfile.gettempdir() if temp_root is None else temp_root)
    try:
        with os.scandir(root) as listing:
            entries = [entry for entry in listing if entry.name.startswith(UPLOAD_PREFIX)]
    except OSError:
        return
    user = os.getuid() if hasattr(os, "getuid") else None
    for entry in sorted(entries, key=lambda entry: entry.name):
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and (user is None or info.st_uid == user):
            yield Path(entry.path), info


def _size(size: int) -> str:
    """A size in bytes for a message, in MB or GB.

    >>> _size(1_572_864), _size(4 * 1024 ** 3)
    ('1.5 MB', '4.0 GB')
    """
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.1f} GB"
    return f"{size / 1024 ** 2:.1f} MB"
