"""Saving a corpus uploaded through the browser, safely.

Uploads are untrusted: a zip may hold ``../`` or absolute paths, links, millions of entries or a
few kilobytes that expand to gigabytes. :func:`save_upload` writes only inside the folder it is
given, refuses what breaks a limit with a message saying which, and never trusts the sizes a
zip claims: it counts the bytes it actually writes.

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

import io
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Limits:
    """What one upload may hold."""

    upload_mb: int = 50  # bytes sent, all files together
    expanded_mb: int = 400  # bytes after unzipping
    files: int = 20_000  # files after unzipping
    ratio: int = 100  # largest compression ratio of a zip member (zip bombs)


UPLOAD_LIMITS = Limits()


class UploadError(ValueError):
    """An upload that is refused as a whole; the message says why."""


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
                limits: Limits = UPLOAD_LIMITS) -> list[str]:
    """Write uploaded files (and the contents of zips) under ``folder``.

    Returns
    -------
    list of str
        Notes on entries that were passed over (folders, links, unsupported names).

    Raises
    ------
    UploadError
        When a limit is broken or a zip is malformed or hostile; nothing is left behind.
    """
    total = sum(len(data) for _, data in files)
    if total > limits.upload_mb * 1024 * 1024:
        raise UploadError(f"{total / 1048576:.1f} MB uploaded; the limit is {limits.upload_mb} MB")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    budget = [limits.expanded_mb * 1024 * 1024, limits.files]
    try:
        for name, data in files:
            safe = _safe_name(os.path.basename(name.replace("\\", "/")))
            if safe is None:
                raise UploadError(f"{name!r} is not a usable file name")
            if safe.lower().endswith(".zip"):
                _unzip(safe, data, folder / PurePosixPath(safe).stem, limits, budget, notes)
            else:
                _write(folder / safe, io.BytesIO(data), len(data), safe, budget)
    except (UploadError, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, UploadError):
            raise
        raise UploadError(f"the upload could not be saved: {error}") from None
    return notes


def _write(target: Path, stream: io.IOBase, expected: int, label: str,
           budget: list[int]) -> None:
    budget[1] -= 1
    if budget[1] < 0:
        raise UploadError(f"more than {UPLOAD_LIMITS.files:,} files; nothing was saved")
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "xb") as out:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            written += len(chunk)
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise UploadError("the upload expands to more than "
                                  f"{UPLOAD_LIMITS.expanded_mb} MB; nothing was saved")
            out.write(chunk)


def _unzip(name: str, data: bytes, target: Path, limits: Limits, budget: list[int],
           notes: list[str]) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError(f"{name}: not a valid zip file; nothing was saved") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.files:
            raise UploadError(f"{name}: {len(members):,} entries; the limit is "
                              f"{limits.files:,} files; nothing was saved")
        claimed = sum(m.file_size for m in members)
        if claimed > limits.expanded_mb * 1024 * 1024:
            raise UploadError(f"{name}: expands to {claimed / 1048576:.0f} MB; the limit is "
                              f"{limits.expanded_mb} MB; nothing was saved")
        for member in members:
            safe = _safe_name(member.filename)
            if safe is None:
                raise UploadError(f"{name}: {member.filename!r} points outside the upload "
                                  "(.. or an absolute path); nothing was saved")
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                notes.append(f"{name}: {member.filename} is a symbolic link; not saved")
                continue
            if member.is_dir():
                continue
            if member.file_size > 1024 and member.compress_size and (
                    member.file_size / member.compress_size > limits.ratio):
                raise UploadError(f"{name}: {member.filename!r} is compressed "
                                  f"{member.file_size // max(member.compress_size, 1)}:1, "
                                  f"more than {limits.ratio}:1 (a zip bomb?); nothing was saved")
            try:
                with archive.open(member) as stream:
                    _write(target / safe, stream, member.file_size, safe, budget)  # type: ignore[arg-type]
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
                raise UploadError(f"{name}: {member.filename!r} cannot be read ({error}); "
                                  "nothing was saved") from None
