"""The on-disk index cache: build it, update it, verify it, load it.

One corpus folder has one cache folder (under ``--cache-dir``, ``$POLICYDATA_CACHE_DIR`` or the
platform's user cache directory, never inside the corpus). It holds the versioned Parquet files
and JSON manifest described in ``docs/INDEX.md``. :func:`open_index` is the one entry point:

* a first call reads and tokenises every file (in parallel) and writes the cache;
* later calls compare the corpus with the manifest (size, modification and status-change
  time, then content hash when those differ) and only read added or changed files: they form a
  new segment; the documents of changed and removed files are cut out of their segments
  without tokenising again;
* every cached file is checked against the CRC-32 and size in the manifest before use; a
  damaged, truncated or foreign cache is rebuilt, never trusted;
* builds take a lock and publish by atomic rename, so two processes building at once, or a build
  killed half way, leave one good cache;
* a cache location that cannot be written falls back to a temporary folder, with a warning in the
  log.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as cache:
...     index = open_index("seeds", cache_dir=cache)
...     again = open_index("seeds", cache_dir=cache)
>>> index.n_documents, again.build.tokenised
(1, 0)
"""

from __future__ import annotations

import atexit
import datetime as dt
import errno
import gc
import hashlib
import io
import json
import logging
import multiprocessing
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
import types
import uuid
import weakref
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from queue import Empty
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from . import corpus as corpus_mod
from .corpus import LOADER_VERSION, FileEntry, LoadReport, Problem
from .index import Index, Lexicon, Segment, compact
from .themes import ThemeDictionary, default_themes, parse_themes
from .tokens import RULES_VERSION, Vocabulary, encode_batch

log = logging.getLogger("policydata")

#: Bumped whenever the layout of the cache changes; other versions are rebuilt.
SCHEMA_VERSION = 5
#: Segments beyond this many are merged (without tokenising again) on the next update.
MAX_SEGMENTS = 8
#: Documents per row group of ``texts.parquet``: the unit read to show one article.
TEXT_ROW_GROUP = 256
BATCH_CHARS = 32 << 20  # text tokenised in one batch by a build worker
READ_AHEAD = 128  # files a build worker asks the system to read ahead of it
#: A file changed less than this long before a scan has its hash checked at the next one: a
#: file system's clock may not tell a second write within the same tick (FAT's is 2 s).
RACY_NS = 2_000_000_000

#: progress(stage, done, total); stages: "scan", "read", "index", "write".
Progress = Callable[[str, int, int], None]


class CacheError(Exception):
    """A cached index that is missing, damaged or from another version (it gets rebuilt)."""


@dataclass
class BuildInfo:
    """What the last :func:`open_index` did, for logs, the CLI and the benchmark."""

    cache: str = ""
    files: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    tokenised: int = 0  # documents tokenised in this run
    rebuilt: bool = False  # True when the whole cache was (re)built
    wrote: bool = False  # True when the cache on disk changed
    reason: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- locations


def default_cache_dir() -> Path:
    """``$POLICYDATA_CACHE_DIR``, else the platform's user cache directory."""
    env = os.environ.get("POLICYDATA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("policydata", appauthor=False))


def cache_folder(corpus: Path, cache_dir: Path | str | None = None) -> Path:
    """The cache folder of one corpus: named after the folder, keyed by its absolute path."""
    corpus = Path(corpus).resolve()
    key = hashlib.sha256(str(corpus).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in corpus.name)[:40]
    return Path(cache_dir or default_cache_dir()).expanduser() / f"{name}-{key}"


def _writable_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
        return folder
    except OSError as error:
        fallback = _private_temp_folder() / folder.name
        log.warning("cache location %s cannot be written (%s); using %s instead", folder,
                    error.strerror or error, fallback)
        fallback.mkdir(mode=0o700, exist_ok=True)
        return fallback


def _private_temp_folder() -> Path:
    """This user's folder for caches in the temporary folder: made private (0700), and used
    only if it is a real folder this user owns that no one else can write or read (caches hold
    the articles' texts); else a new private one."""
    base = Path(tempfile.gettempdir()) / f"policydata-cache-{os.getuid()}"
    with suppress(FileExistsError):
        base.mkdir(mode=0o700)
    info = os.lstat(base)
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid()
            or info.st_mode & 0o077):
        fresh = Path(tempfile.mkdtemp(prefix="policydata-cache-"))
        # (never found again by a later start: removed when this process ends, not left to
        # fill the temporary folder with a copy of the corpus per start)
        atexit.register(shutil.rmtree, fresh, ignore_errors=True)
        log.warning("%s is not a private folder of this user (a link, another owner or open "
                    "permissions): not used; %s is used until this process ends", base, fresh)
        return fresh
    return base


# --------------------------------------------------------------------------- verified I/O


def _write_parquet(table: pa.Table, path: Path, checksums: dict[str, list[int]],
                   folder: Path, **options: Any) -> None:
    options.setdefault("compression", "zstd")
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **options)
    data = sink.getvalue()  # checked in memory, then written once
    checksums[str(path.relative_to(folder))] = [data.size, zlib.crc32(data)]
    with open(path, "wb") as handle:
        handle.write(data)


def _read_parquet(path: Path, checksums: dict[str, list[int]], folder: Path,
                  columns: Sequence[str] | None = None) -> pa.Table:
    rel = str(path.relative_to(folder))
    expected = checksums.get(rel)
    if expected is None:
        raise CacheError(f"{rel} is not in the manifest")
    try:
        data = arrow_file_bytes(path)
    except OSError as error:
        _raise_if_exhausted(error)
        raise CacheError(f"{rel}: {error.strerror or error}") from None
    if [data.size, zlib.crc32(data)] != expected:
        raise CacheError(f"{rel} is damaged (size or checksum differs from the manifest)")
    try:
        return pq.read_table(pa.BufferReader(data), columns=columns)
    except (pa.ArrowException, OSError) as error:
        raise CacheError(f"{rel} cannot be read: {error}") from None


def arrow_file_bytes(path: Path) -> pa.Buffer:
    """The bytes of the file ``path``, held by Arrow rather than by a Python object.

    Arrow's reader threads can drop the last reference to the bytes they read after the read
    has returned. When those bytes are a Python object, dropping them takes the interpreter's
    lock; at the moment the interpreter exits that ends the thread mid-way, and the process
    aborts ("terminate called without an active exception", exit status 134) after its work is
    done. Bytes Arrow owns need no lock (see :func:`policydata.corpus.arrow_bytes` for bytes
    already read).
    """
    with corpus_mod.open_regular(path) as handle:
        return _arrow_read(handle)


def _arrow_read(handle: io.BufferedReader) -> pa.Buffer:
    """The bytes of an open file from its start, held by Arrow (:func:`arrow_file_bytes`)."""
    handle.seek(0)
    size = os.fstat(handle.fileno()).st_size
    data = pa.allocate_buffer(size)
    view, got = memoryview(data).cast("B"), 0
    while got < size and (n := handle.readinto(view[got:])):
        got += n
    return data if got == size else data.slice(0, got)  # (a file cut short since: damaged)


def _int_array(table: pa.Table, name: str, dtype: Any) -> np.ndarray:
    column = table.column(name)
    if column.null_count:
        raise CacheError(f"column {name} has missing values")
    return np.asarray(column.to_numpy(), dtype=dtype)


def _atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    body = json.dumps(data, indent=1, sort_keys=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(body, "utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


# --------------------------------------------------------------------------- building segments
# A build splits the files to read into a few groups, and each group becomes a segment built
# from start to finish by one worker process: read, tokenise (with the worker's own
# vocabulary), index and write every table but terms.parquet. The parent then gives each
# segment's terms their index-wide ids (terms.parquet) and publishes the segment folder.


@dataclass
class _SegmentData:
    """A segment with everything needed to write it."""

    name: str
    docs: pd.DataFrame  # one row per document, columns of documents.parquet
    bodies: list[str] | None  # None when texts.parquet is copied from an older segment
    segment: Segment
    theme_counts: np.ndarray  # documents x themes
    texts_from: Path | None = None
    texts_checksum: list[int] | None = None  # texts_from's size and CRC in the manifest


@dataclass
class _Built:
    """What a worker reports about the segment it wrote (all but terms.parquet)."""

    name: str
    tmp: str
    terms: list[str]  # text of each local term id
    post_len: np.ndarray
    pos_len: np.ndarray
    checksums: dict[str, list[int]]
    files: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    documents: int
    tokens: int


_PROGRESS: Any = None  # where a worker reports the bytes it has read


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while an update holds hundreds of thousands of
    objects that live until it ends (an entry per file, the cached file table): its full
    passes over them took about a tenth of adding 1,000 files to a cached index of 100,000.
    Reference counting still frees everything as usual; the collector runs again afterwards.
    (Not in the build processes: there it saved 6% of the time for 6% more memory.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            # What was made meanwhile is all in the youngest generation: free its cycles now
            # (some hold Arrow objects, which must not wait for the interpreter's exit).
            gc.collect(0)


def _init_worker(queue: Any) -> None:
    global _PROGRESS
    _PROGRESS = queue


def _read_ahead(paths: list[str]) -> None:
    """Ask the system to start reading these files now (when they are not in its cache yet,
    reading them one by one waits for the disk at every file: three times slower)."""
    if not hasattr(os, "posix_fadvise"):
        return
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # (a pipe: no wait)
        except OSError:
            continue  # reported when the file is read
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def _read_group(root: str, entries: list[FileEntry], vocabulary: Vocabulary,
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]],
                           list[str], np.ndarray, np.ndarray]:
    """Read and tokenise files: file rows, issues, document rows, bodies, token stream and
    document starts."""
    files: list[dict[str, Any]] = []
    issues: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    bodies: list[str] = []
    streams: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    texts: list[str] = []
    offset = 0
    read = 0
    single = not os.path.isdir(root)
    root_path = Path(root)
    pending = 0  # characters of text waiting to be tokenised

    def flush() -> None:
        nonlocal offset, read, pending
        pending = 0
        if texts:
            tokens, doc_start = encode_batch(texts, vocabulary)
            streams.append(tokens)
            starts.append(doc_start[:-1] + offset)
            offset += len(tokens)
            texts.clear()
        if _PROGRESS is not None and read:
            _PROGRESS.put(read)
        read = 0

    paths = [root] if single else [os.path.join(root, e.path) for e in entries]
    for k, entry in enumerate(entries):
        if k % READ_AHEAD == 0:
            _read_ahead(paths[k + READ_AHEAD:k + 2 * READ_AHEAD] if k else
                        paths[:2 * READ_AHEAD])
        try:
            data: bytes | None = corpus_mod.read_bytes(paths[0] if single else paths[k],
                                                       os.path.splitext(entry.path)[1].lower())
            digest = hashlib.sha256(data).hexdigest()  # type: ignore[arg-type]
        except (OSError, corpus_mod.Unreadable):  # (read_file says why)
            data, digest = None, ""
        documents, problems = corpus_mod.read_file(root_path, entry.path, data)
        files.append({"path": entry.path, "size": entry.size, "mtime_ns": entry.mtime_ns,
                      "ctime_ns": entry.ctime_ns,
                      "sha256": digest, "documents": len(documents)})
        issues.extend({"file": entry.path, "path": p.path, "reason": p.reason,
                       "skipped": skipped} for p, skipped in problems)
        for doc in documents:
            text = doc.text
            docs.append({"id": doc.id, "file": entry.path, "path": doc.path, "date": doc.date,
                         "precision": doc.precision, "title": doc.title, "source": doc.source,
                         "url": doc.url, "hash": corpus_mod.text_hash(text)})
            bodies.append(doc.body)
            texts.append(text)
            pending += len(text)
        read += entry.size
        # Larger batches look each distinct word up fewer times; the cap bounds memory.
        if pending >= BATCH_CHARS:
            flush()
    flush()
    tokens = np.concatenate(streams) if streams else np.zeros(0, dtype=np.int32)
    doc_start = np.append(np.concatenate(starts) if starts else np.zeros(0, np.int64),
                          len(tokens)).astype(np.int64)
    return files, issues, docs, bodies, tokens, doc_start


def _build_group(root: str, entries: list[FileEntry], folder: str, name: str,
                 themes_text: str) -> _Built:
    """Build one segment from files (in a worker, or in the parent for small builds)."""
    vocabulary = Vocabulary()
    files, issues, docs, bodies, tokens, doc_start = _read_group(root, entries, vocabulary)
    tmp = Path(folder) / "segments" / f".{name}.tmp-{uuid.uuid4().hex}"
    tmp.mkdir(parents=True)
    checksums: dict[str, list[int]] = {}
    if not docs:
        return _Built(name, str(tmp), [], np.zeros(0, np.int64), np.zeros(0, np.int64),
                      checksums, files, issues, 0, 0)
    local, used = compact(tokens)
    del tokens
    segment = Segment.from_stream(local, doc_start, len(used))
    terms = [vocabulary.terms[i] for i in used.tolist()]
    themes = parse_themes(themes_text, origin="themes")
    counts = _theme_counts(segment, Lexicon(terms), themes)
    data = _SegmentData(name, pd.DataFrame(docs), bodies, segment, counts)
    _write_segment_files(data, tmp, checksums, list(themes.names))
    return _Built(name, str(tmp), terms, np.diff(segment.post_ptr), np.diff(segment.pos_ptr),
                  checksums, files, issues, segment.n_docs, int(segment.doc_start[-1]))


def _build_group_star(args: tuple[str, list[FileEntry], str, str, str]) -> _Built:
    return _build_group(*args)


def _groups(entries: list[FileEntry], count: int) -> list[list[FileEntry]]:
    """Split files into ``count`` groups of about equal size, keeping their order."""
    total = sum(e.size for e in entries) or 1
    groups: list[list[FileEntry]] = [[] for _ in range(count)]
    done = 0
    for entry in entries:
        groups[min(count - 1, done * count // total)].append(entry)
        done += entry.size
    return [g for g in groups if g]


class _Tally:
    """Stands in for the progress queue when a build runs in this process."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def put(self, size: int) -> None:
        self.done += size
        self.progress("read", self.done, self.total)


@contextmanager
def _bare_main() -> Iterator[None]:
    """Start processes without the caller's main script.

    A process started by the "spawn" method first runs the parent's ``__main__`` file again
    (as ``__mp_main__``). Scripts without an ``if __name__ == "__main__"`` guard, a Streamlit
    page above all (Streamlit runs it as ``__main__``), would then open the index in each build
    process and wait for the lock that the build holds: the dashboard never finished building
    a corpus large enough for build processes. The workers need nothing from the main script
    (their work is in this module), so for the moment they start, ``__main__`` is a bare module.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _Workers:
    """The pool of build processes, started as soon as a build is known to need one.

    Starting a process and importing the library into it takes about a second; a fresh build
    starts the pool while it is still listing the corpus, so that second is not waited for.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: Any = None
        self.queue: Any = None
        self.processes: list[Any] = []

    def start(self) -> Any:
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.queue = context.Queue()
            with _bare_main():
                self.pool = context.Pool(self.jobs, initializer=_init_worker,
                                         initargs=(self.queue,))
            self.processes = list(self.pool._pool)  # the pool replaces a process that dies
        return self.pool

    def check(self) -> None:
        """Raise when a build process has died (the pool would wait for its work forever)."""
        for process in self.processes:
            if process.exitcode is not None:
                raise RuntimeError(
                    f"a build process stopped unexpectedly (exit code {process.exitcode}; "
                    "a negative code is the signal that ended it, -9 often means the "
                    "system ran out of memory); nothing was written, run the build again")

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _worth_workers(files: int, size: int) -> bool:
    """Whether reading this much is worth starting build processes for."""
    return files >= 200 and size >= 16 << 20


def _new_segments(root: Path, entries: list[FileEntry], folder: Path, themes: ThemeDictionary,
                  progress: Progress, workers: _Workers) -> list[_Built]:
    """Build segments for ``entries``, in parallel when there is enough to read; their folders
    stay temporary until :func:`_publish`."""
    global _PROGRESS
    total = sum(e.size for e in entries)
    jobs = workers.jobs
    alone = jobs <= 1 or not _worth_workers(len(entries), total)
    count = 1 if alone else min(2 * jobs, max(jobs, -(-total // (64 << 20))))
    tasks = [(str(root), group, str(folder), _segment_name(), themes.text)
             for group in _groups(entries, count)]
    progress("read", 0, total)
    if alone:
        saved, _PROGRESS = _PROGRESS, _Tally(progress, total)
        try:
            return [_build_group(*task) for task in tasks]
        finally:
            _PROGRESS = saved
    pool = workers.start()
    done = 0
    pending = pool.map_async(_build_group_star, tasks, chunksize=1)
    while not pending.ready():
        try:
            done += workers.queue.get(timeout=0.2)
            progress("read", done, total)
        except Empty:
            workers.check()
    built = pending.get()
    progress("read", total, total)
    return built


def _publish(built: _Built, folder: Path, vocabulary: Vocabulary,
             checksums: dict[str, list[int]]) -> dict[str, Any] | None:
    """Give a worker's segment its global term ids (terms.parquet) and move it into place."""
    tmp = Path(built.tmp)
    if not built.documents:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    globals_ = np.fromiter((vocabulary.add(t) if i else 0 for i, t in enumerate(built.terms)),
                           dtype=np.int64, count=len(built.terms))
    _write_terms(globals_, built.post_len, built.pos_len, tmp, built.checksums)
    os.replace(tmp, folder / "segments" / built.name)
    for rel, value in built.checksums.items():
        checksums[f"segments/{built.name}/{rel}"] = value
    return {"name": built.name, "documents": built.documents, "tokens": built.tokens,
            "terms": len(built.terms)}


# --------------------------------------------------------------------------- segments on disk


_DOC_COLUMNS = ["id", "file", "path", "date", "precision", "title", "source", "url", "hash"]


def _documents_table(docs: pd.DataFrame, segment: Segment) -> pa.Table:
    schema = pa.schema([(c, pa.date32() if c == "date" else pa.string()) for c in _DOC_COLUMNS])
    table = pa.Table.from_pandas(docs[_DOC_COLUMNS], schema=schema, preserve_index=False)
    return (table.append_column("words", pa.array(segment.words, pa.int32()))
            .append_column("start", pa.array(segment.doc_start[:-1], pa.int64())))


def _write_terms(globals_: np.ndarray, post_len: np.ndarray, pos_len: np.ndarray,
                 tmp: Path, checksums: dict[str, list[int]]) -> None:
    """terms.parquet: row i is local term id i, with its global id and run lengths."""
    _write_parquet(pa.table({
        "term": pa.array(globals_.astype(np.int64)),
        "docs": pa.array(post_len.astype(np.int64)),
        "total": pa.array(pos_len.astype(np.int64)),
    }), tmp / "terms.parquet", checksums, tmp)


def _write_segment_files(data: _SegmentData, tmp: Path, checksums: dict[str, list[int]],
                         theme_names: Sequence[str]) -> None:
    """Write a segment's tables, all but terms.parquet, into the folder ``tmp``."""
    seg = data.segment
    post_len = np.diff(seg.post_ptr)
    # One row group per column: it decodes into one buffer that numpy takes without a copy.
    delta = {"use_dictionary": False, "compression": "none", "row_group_size": 1 << 30}
    rows, cols = np.nonzero(data.theme_counts)
    local_ids = np.arange(seg.n_terms, dtype=np.int32)
    jobs: list[tuple[Callable[[], pa.Table], str, dict[str, Any]]] = [
        (lambda: pa.table({"body": pa.array(data.bodies, pa.large_string())})
         if data.bodies is not None else _texts_subset(data),
         # Uncompressed: LZ4 saved only a quarter of the size for most of a worker's write time.
         "texts.parquet", {"row_group_size": TEXT_ROW_GROUP, "compression": "none"}),
        (lambda: pa.table({
            "term": pa.array(np.repeat(local_ids, post_len)),
            "doc": pa.array(seg.post_doc.astype(np.int32, copy=False)),
            "count": pa.array(seg.post_count.astype(np.int32, copy=False)),
        }), "postings.parquet", {**delta, "column_encoding": {
            "term": "DELTA_BINARY_PACKED", "doc": "DELTA_BINARY_PACKED",
            "count": "DELTA_BINARY_PACKED"}}),
        (lambda: pa.table({"position": pa.array(seg.positions.astype(np.int32, copy=False))}),
         "positions.parquet", {**delta, "column_encoding": {"position": "DELTA_BINARY_PACKED"}}),
        (lambda: _documents_table(data.docs, seg), "documents.parquet", {}),
        (lambda: pa.table({
            "doc": pa.array(rows.astype(np.int32)),
            "theme": pa.DictionaryArray.from_arrays(
                pa.array(cols.astype(np.int32)), pa.array(list(theme_names), pa.string())),
            "count": pa.array(data.theme_counts[rows, cols].astype(np.int32)),
        }), "themes.parquet", {}),
    ]

    def run(job: tuple[Callable[[], pa.Table], str, dict[str, Any]]) -> None:
        make, name, options = job
        _write_parquet(make(), tmp / name, checksums, tmp, **options)

    # Arrow encodes and compresses without the GIL: the big tables are written side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, jobs))


def _write_segment(data: _SegmentData, folder: Path, checksums: dict[str, list[int]],
                   theme_names: Sequence[str]) -> dict[str, Any]:
    """Write a segment built in this process and publish it by renaming its folder."""
    seg = data.segment
    assert seg.globals is not None
    tmp = folder / "segments" / f".{data.name}.tmp-{uuid.uuid4().hex}"
    tmp.mkdir(parents=True)
    local: dict[str, list[int]] = {}
    _write_segment_files(data, tmp, local, theme_names)
    _write_terms(seg.globals, np.diff(seg.post_ptr), np.diff(seg.pos_ptr), tmp, local)
    os.replace(tmp, folder / "segments" / data.name)
    for rel, value in local.items():
        checksums[f"segments/{data.name}/{rel}"] = value
    return {"name": data.name, "documents": seg.n_docs, "tokens": int(seg.doc_start[-1]),
            "terms": seg.n_terms}


def _texts_subset(data: _SegmentData) -> pa.Table:
    """The kept articles' texts of an older segment, checked against the manifest first: a
    damaged text copied into a new segment would get a new, valid checksum."""
    path = data.texts_from
    assert path is not None
    try:
        raw = arrow_file_bytes(path)
    except OSError as error:
        raise CacheError(f"{path.name}: {error.strerror or error}") from None
    if [raw.size, zlib.crc32(raw)] != data.texts_checksum:
        raise CacheError(f"{path.parent.name}/{path.name} is damaged (size or checksum "
                         "differs from the manifest)")
    try:
        table = pq.read_table(pa.BufferReader(raw), columns=["body"])
    except (pa.ArrowException, OSError) as error:
        raise CacheError(f"{path.name} cannot be read: {error}") from None
    return table.take(pa.array(data.docs["_old_row"].to_numpy()))


def _load_segment(folder: Path, entry: dict[str, Any], checksums: dict[str, list[int]],
                  n_global: int) -> tuple[Segment, pa.Table]:
    base = folder / "segments" / entry["name"]
    n_terms = int(entry["terms"])
    docs_t = _read_parquet(base / "documents.parquet", checksums, folder)
    terms_t = _read_parquet(base / "terms.parquet", checksums, folder)
    post_t = _read_parquet(base / "postings.parquet", checksums, folder, ["doc", "count"])
    pos_t = _read_parquet(base / "positions.parquet", checksums, folder, ["position"])
    globals_ = _int_array(terms_t, "term", np.int64)
    if (len(globals_) != n_terms or not n_terms or globals_[0] != 0
            or (n_terms > 1 and (globals_[1:].min() < 1 or globals_.max() >= n_global))):
        raise CacheError(f"segment {entry['name']}: term ids out of range")
    post_len = _int_array(terms_t, "docs", np.int64)
    pos_len = _int_array(terms_t, "total", np.int64)
    post_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    pos_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(post_len, out=post_ptr[1:])
    np.cumsum(pos_len, out=pos_ptr[1:])
    post_doc = _int_array(post_t, "doc", np.int32)
    post_count = _int_array(post_t, "count", np.int32)
    positions = _int_array(pos_t, "position", np.int32)
    docs = docs_t
    n_docs = docs.num_rows
    doc_start = np.append(_int_array(docs, "start", np.int64), int(entry["tokens"]))
    if (len(post_doc) != post_ptr[-1] or len(positions) != pos_ptr[-1]
            or n_docs != int(entry["documents"])
            or (len(post_doc) and (post_doc.max() >= n_docs or post_doc.min() < 0))
            or (len(positions) and (positions.max() >= entry["tokens"] or positions.min() < 0))):
        raise CacheError(f"segment {entry['name']}: tables disagree with each other")
    segment = Segment(doc_start, _int_array(docs, "words", np.int32), post_ptr, post_doc,
                      post_count, pos_ptr, positions, globals=globals_)
    return segment, docs




def _load_theme_counts(folder: Path, name: str, checksums: dict[str, list[int]],
                       n_docs: int, names: Sequence[str]) -> np.ndarray:
    table = _read_parquet(folder / "segments" / name / "themes.parquet", checksums, folder)
    out = np.zeros((n_docs, len(names)), dtype=np.int64)
    column = table.column("theme").combine_chunks()
    if not isinstance(column, pa.DictionaryArray):
        raise CacheError(f"segment {name}: theme column is not dictionary-encoded")
    position = {n: i for i, n in enumerate(names)}
    found = column.dictionary.to_pylist()
    if any(t not in position for t in found):
        raise CacheError(f"segment {name}: theme counts for another dictionary")
    lookup = np.asarray([position[t] for t in found], dtype=np.int64)
    rows = _int_array(table, "doc", np.int64)
    if len(rows) and rows.max() >= n_docs:
        raise CacheError(f"segment {name}: theme counts out of range")
    themes = lookup[column.indices.to_numpy(zero_copy_only=False)] if len(rows) else rows
    out[rows, themes] = _int_array(table, "count", np.int64)
    return out


# --------------------------------------------------------------------------- building


def _theme_counts(segment: Segment, lexicon: Lexicon, themes: ThemeDictionary) -> np.ndarray:
    out = np.zeros((segment.n_docs, len(themes.themes)), dtype=np.int64)
    for j, (_, entries) in enumerate(themes.themes):
        out[:, j] = segment.count_matches([lexicon.pattern(t) for t in entries])
    return out


#: Largest manifest read (that of an index of 100,000 articles is about 8 KB).
MANIFEST_MAX_BYTES = 64 * 2**20


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        with corpus_mod.open_regular(path) as handle:
            text = handle.read(MANIFEST_MAX_BYTES + 1)
        if len(text) > MANIFEST_MAX_BYTES:
            raise ValueError(f"larger than {MANIFEST_MAX_BYTES // 2**20} MB")
        manifest = json.loads(text.decode("utf-8"))
    except FileNotFoundError:
        if any(folder.glob("*.parquet")) or (folder / "segments").exists():
            # (tables without the manifest naming them: damage, said as such)
            raise CacheError("its manifest.json is missing") from None
        raise CacheError("no cached index yet") from None
    except (OSError, ValueError) as error:
        raise CacheError(f"manifest cannot be read ({error})") from None
    except RecursionError:  # (JSON nested thousands deep: no manifest this code wrote)
        raise CacheError("manifest cannot be read (nested too deep)") from None
    if not isinstance(manifest, dict):
        raise CacheError("manifest is not a JSON object")
    if (manifest.get("schema"), manifest.get("rules"), manifest.get("loader")) != (
            SCHEMA_VERSION, RULES_VERSION, LOADER_VERSION):
        raise CacheError(f"cache has schema {manifest.get('schema')!r}, rules "
                         f"{manifest.get('rules')!r}, loader {manifest.get('loader')!r}; this "
                         f"version uses schema {SCHEMA_VERSION}, rules {RULES_VERSION}, loader "
                         f"{LOADER_VERSION}")
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    if manifest.get("manifest_sha256") != digest:
        raise CacheError("manifest is damaged (its checksum does not match)")
    return manifest


def _files_table(folder: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    table = _read_parquet(_table_path(folder, manifest, "files"), manifest["checksums"], folder)
    return table.to_pandas()


#: The cache's top-level tables. Each build writes them under new names (``files.<gen>.parquet``)
#: that the manifest lists under ``tables``, so a build killed before it replaces the manifest
#: leaves the old tables, and the old cache, whole.
TABLES = ("files", "problems", "vocabulary", "resolved")


def _table_path(folder: Path, manifest: dict[str, Any], name: str) -> Path:
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not isinstance(tables.get(name), str):
        raise CacheError(f"the manifest names no {name} table")
    return folder / Path(tables[name]).name


def _clean_leftovers(folder: Path) -> None:
    """Remove what builds killed midway left: unfinished segment folders and manifests not
    yet renamed into place. (Called with the lock held: no other build is writing them.)"""
    for tmp in [*folder.glob("segments/.*.tmp-*"), *folder.glob(".manifest.json.*.tmp")]:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
    try:  # tables written by a build killed before it replaced the manifest
        tables = _read_manifest(folder)["tables"]
        _clean_tables(folder, {Path(str(name)).name for name in tables.values()})
    except (CacheError, KeyError, AttributeError, TypeError):
        pass  # (no usable manifest: the rebuild that follows cleans up after itself)


#: Errors that say the system ran out of something, not that the cache is damaged.
_EXHAUSTED = frozenset((errno.EMFILE, errno.ENFILE, errno.ENOMEM))


def _raise_if_exhausted(error: OSError) -> None:
    """Raise ``error`` as it is when the system ran out of open files or memory: rebuilding a
    sound cache would not help (and would read the whole corpus again)."""
    if error.errno in _EXHAUSTED:
        raise error


def _close_all(handles: list[BinaryIO]) -> None:
    for handle in handles:
        handle.close()


def _clean_tables(folder: Path, keep: set[str]) -> None:
    """Remove top-level tables of earlier builds (``keep``: those the manifest names)."""
    for path in folder.glob("*.parquet"):
        if path.name not in keep:
            path.unlink(missing_ok=True)


def _clean_segments(folder: Path, keep: set[str]) -> None:
    base = folder / "segments"
    if not base.is_dir():
        return
    for child in base.iterdir():
        if child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def build_index(corpus: Path | str, *, cache_dir: Path | str | None = None,
                progress: Progress | None = None, rebuild: bool = False,
                jobs: int | None = None, themes: ThemeDictionary | None = None) -> BuildInfo:
    """Build or update the cached index of ``corpus`` without loading it.

    Parameters
    ----------
    corpus, cache_dir, progress, rebuild, jobs
        As for :func:`open_index`.
    themes : ThemeDictionary, optional
        The dictionary whose counts the cache stores (default: the shipped one); a cache
        storing another one has its theme counts redone.

    Returns
    -------
    BuildInfo
        What was done: files found, added, changed and removed, documents tokenised, whether
        the whole cache was built and why.

    Examples
    --------
    >>> import tempfile
    >>> cache = tempfile.mkdtemp()
    >>> first = build_index("seeds", cache_dir=cache)
    >>> first.rebuilt, first.files, first.tokenised
    (True, 1, 1)

    A second run on the same corpus reads no file again:

    >>> again = build_index("seeds", cache_dir=cache)
    >>> again.rebuilt, again.tokenised, again.wrote
    (False, 0, False)
    """
    info, _ = _locked(corpus, cache_dir, progress, rebuild, jobs, themes, load=False)
    return info


def open_index(corpus: Path | str, *, cache_dir: Path | str | None = None,
               progress: Progress | None = None, rebuild: bool = False,
               jobs: int | None = None, themes: ThemeDictionary | None = None) -> Index:
    """Build or update the cached index of ``corpus`` as needed, then load it.

    Parameters
    ----------
    corpus : path
        Corpus folder (or a single file).
    cache_dir : path, optional
        Where caches live; see :func:`default_cache_dir`.
    progress : callable, optional
        ``progress(stage, done, total)`` during long work.
    rebuild : bool
        Ignore any cached index and build from scratch.
    jobs : int, optional
        Worker processes for tokenising (default: up to 2).
    themes : ThemeDictionary, optional
        The dictionary ``index.themes`` counts with (default: the shipped one). Its counts
        are read from the cache when the cache stores this dictionary's, else counted in
        memory when first asked for: opening never rewrites the cache for a dictionary (a
        command line and a dashboard with different dictionaries would take turns rewriting
        it); :func:`build_index` chooses the dictionary stored.

    Returns
    -------
    Index
        With ``index.build`` saying what this call did and ``index.report`` the load report.

    Examples
    --------
    >>> import tempfile
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> index.n_documents, int(index.words.sum()), index.build.rebuilt
    (1, 491, True)
    >>> index.report.skipped
    []
    """
    info, index = _locked(corpus, cache_dir, progress, rebuild, jobs, themes, load=True)
    assert index is not None
    index.build = info
    return index


#: Errors that mean a cache cannot be used as it is: it is rebuilt.
_DAMAGE = (CacheError, KeyError, TypeError, IndexError, pa.ArrowException)


def _locked(corpus: Path | str, cache_dir: Path | str | None, progress: Progress | None,
            rebuild: bool, jobs: int | None, themes: ThemeDictionary | None, *, load: bool,
            ) -> tuple[BuildInfo, Index | None]:
    started = time.perf_counter()
    corpus = Path(corpus)
    if not corpus.exists():
        raise FileNotFoundError(f"corpus path {str(corpus)!r} does not exist")
    if not (corpus.is_dir() or corpus.is_file()):  # (refused before a cache folder is made)
        raise FileNotFoundError(f"corpus path {str(corpus)!r} is not a folder or a file (a "
                                "device, pipe or socket)")
    progress = progress or (lambda stage, done, total: None)
    themes = themes or default_themes()
    folder = cache_folder(corpus, cache_dir)
    if not rebuild and _read_only(folder):
        # A cache that cannot be written (a read-only mount, a shared folder) is used as it is
        # when it is up to date; else the index is built in a fallback location.
        try:
            info = _update(corpus, folder, progress, False, 1, themes, pin=not load, dry=True)
            index = _load(folder, themes) if load else None
        except (_WouldWrite, *_DAMAGE) as error:
            log.warning("cache in %s cannot be written and cannot be used as it is (%s)",
                        folder, error)
        else:
            info.notes.append("the cache location cannot be written; its index is up to date "
                              "and was used as it is")
            info.seconds = time.perf_counter() - started
            info.cache = str(folder)
            return info, index
    folder = _writable_folder(folder)
    lock = FileLock(str(folder / ".lock"))
    try:
        lock.acquire(timeout=1)
    except Timeout:
        log.info("another process is building %s; waiting for it", folder)
        progress("wait", 0, 0)
        lock.acquire()
    try:
        moved_from = (None if rebuild or (folder / "manifest.json").exists()
                      else _adopt_moved_cache(corpus, folder))
        try:
            info, index = _update_and_load(corpus, folder, progress, rebuild, jobs, themes,
                                           load)
            if moved_from:
                info.notes.append(f"the cache of the same files at {moved_from} was taken "
                                  "over (the corpus was moved or copied)")
        except _DAMAGE as error:
            # (Also a cache whose checksums hold but whose contents are not what this version
            # writes, e.g. edited by hand: a missing key or column. A rebuild that meets the
            # same error raises it.)
            why = str(error) if isinstance(error, CacheError) else (
                f"unexpected contents: {type(error).__name__}: {error}")
            log.warning("cached index in %s is damaged (%s); rebuilding", folder, why)
            info, index = _update_and_load(corpus, folder, progress, True, jobs, themes, load)
            info.notes.append(f"cache rebuilt: {why}")
    finally:
        lock.release()
    info.seconds = time.perf_counter() - started
    info.cache = str(folder)
    return info, index


def _update_and_load(corpus: Path, folder: Path, progress: Progress, rebuild: bool,
                     jobs: int | None, themes: ThemeDictionary, load: bool,
                     ) -> tuple[BuildInfo, Index | None]:
    if load and not rebuild and (folder / "manifest.json").exists():
        # Most starts find the corpus unchanged: load the cached index while the corpus is
        # scanned (Arrow decodes without the GIL), and load again only if it changed.
        with ThreadPoolExecutor(max_workers=1) as pool:
            early = pool.submit(_load, folder, themes)
            info = _update(corpus, folder, progress, rebuild, jobs, themes, pin=False)
            try:
                index: Index | None = early.result()
            except CacheError:
                index = None
        if info.wrote or index is None:
            index = _load(folder, themes)
        return info, index
    info = _update(corpus, folder, progress, rebuild, jobs, themes, pin=not load)
    if load:
        return info, _load(folder, themes)
    if not info.wrote:
        _verify(folder)
    return info, None


def _stored_themes(manifest: dict[str, Any]) -> ThemeDictionary | None:
    """The dictionary whose counts a cache stores, or None when it cannot be told (a cache
    written before the text was kept, or text that no longer reads as that dictionary)."""
    text = manifest.get("themes_text")
    if not isinstance(text, str):
        return None
    try:
        stored = parse_themes(text, origin="the cached index's dictionary")
    except ValueError:
        return None
    return stored if stored.digest == manifest.get("themes") else None


def _verify(folder: Path) -> None:
    """Check every file of the cache against the manifest (raises CacheError)."""
    manifest = _read_manifest(folder)
    for rel, expected in manifest["checksums"].items():
        try:
            # (no more than the size it should be)
            with corpus_mod.open_regular(folder / rel) as handle:
                data = handle.read(int(expected[0]) + 1)
        except (OSError, TypeError, ValueError, IndexError) as error:
            raise CacheError(f"{rel}: {getattr(error, 'strerror', None) or error}") from None
        if [len(data), zlib.crc32(data)] != expected:
            raise CacheError(f"{rel} is damaged (size or checksum differs from the manifest)")


def _adopt_moved_cache(corpus: Path, folder: Path) -> str | None:
    """Start a corpus's new cache from the cache of the same files at another path, when the
    corpus was moved or copied: the cache is keyed by the corpus's path, and its content then
    decides what is read again (a moved file keeps its times; a copied one is hashed, not
    tokenised). The files are hard links (the cache never changes a file in place; a copy
    where links cannot be made). Returns the folder taken over, or None.

    A candidate is a cache of a corpus with the same name in the same cache directory, holding
    a manifest of this version whose files are found at the new path with the same sizes (a
    sample of up to 200 of them, at least nine in ten).
    """
    prefix = folder.name[:-17]  # ("<name>-", without the 16-digit key)
    best: tuple[float, Path, dict[str, Any]] | None = None
    for other in folder.parent.glob(f"{glob_escape(prefix)}-" + "?" * 16):
        if other == folder:
            continue
        try:
            manifest = _read_manifest(other)
            files = _files_table(other, manifest)
        except (CacheError, *_DAMAGE, OSError):
            continue
        if not len(files):
            continue
        sample = files.sample(min(200, len(files)), random_state=0)
        found = 0
        for path, size in zip(sample["path"], sample["size"]):
            with suppress(OSError):
                found += (corpus / path if corpus.is_dir() else corpus).stat().st_size == size
        share = found / len(sample)
        if share >= 0.9 and (best is None or share > best[0]):
            best = share, other, manifest
    if best is None:
        return None
    _, other, manifest = best
    lock = FileLock(str(other / ".lock"))
    try:
        lock.acquire(timeout=0)  # (another process is changing it: build anew instead)
    except (Timeout, OSError):
        return None
    try:
        for source in other.rglob("*"):
            if source.is_dir() or source.name.startswith("."):
                continue
            target = folder / source.relative_to(other)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
        _save_manifest(folder, {**manifest, "corpus": str(corpus.resolve())})
    except OSError as error:
        log.warning("the cache in %s could not be taken over (%s)", other, error)
        shutil.rmtree(folder / "segments", ignore_errors=True)
        for path in folder.glob("*.*"):
            if path.name != ".lock":
                path.unlink(missing_ok=True)
        return None
    else:
        if not Path(str(manifest.get("corpus"))).exists():  # (moved: the old one is left over)
            shutil.rmtree(other, ignore_errors=True)
    finally:
        lock.release()
    log.info("cache of %s taken over from %s", corpus, other)
    return str(other)


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` holds a cache that this process cannot write."""
    try:
        return (folder / "manifest.json").is_file() and not os.access(folder, os.W_OK)
    except OSError:  # (a folder above cannot be entered: no cache to use, a fallback is made)
        return False


class _WouldWrite(Exception):
    """An update without writing (``dry``) found that the cache must change."""


def _update(corpus: Path, folder: Path, progress: Progress, rebuild: bool,
            jobs: int | None, themes: ThemeDictionary, *, pin: bool,
            dry: bool = False) -> BuildInfo:
    if not dry:
        _clean_leftovers(folder)
    workers = _Workers(jobs or min(2, os.cpu_count() or 1))
    try:
        with _without_cycle_collection():
            return _update_with(corpus, folder, progress, rebuild, workers, themes, pin, dry)
    finally:
        workers.close()


def _update_with(corpus: Path, folder: Path, progress: Progress, rebuild: bool,
                 workers: _Workers, themes: ThemeDictionary, pin: bool,
                 dry: bool = False) -> BuildInfo:
    """Bring the cache in ``folder`` up to date with ``corpus``. With ``pin`` its theme
    counts are those of ``themes`` (redone if it stored another dictionary's); without, the
    dictionary it stores stays (new documents are counted with it too). With ``dry``, raise
    _WouldWrite instead of changing anything."""
    info = BuildInfo()
    manifest: dict[str, Any] | None = None
    old_files = pd.DataFrame()
    if rebuild:
        info.reason = "rebuild requested"
    else:
        try:
            manifest = _read_manifest(folder)
            old_files = _files_table(folder, manifest)
            if manifest.get("corpus") != str(corpus.resolve()):
                raise CacheError("cache belongs to another corpus path")
        except CacheError as error:
            if not str(error).startswith("no cached index"):
                log.warning("cached index in %s not used: %s; rebuilding", folder, error)
                info.notes.append(f"cache rebuilt: {error}")
            info.reason = str(error)
            manifest = None
            old_files = pd.DataFrame()
    if dry and manifest is None:
        raise _WouldWrite(info.reason)
    if manifest is not None and not pin and manifest.get("themes") != themes.digest:
        themes = _stored_themes(manifest) or themes
    progress("scan", 0, 0)
    scanned_ns = time.time_ns()
    # With nothing cached, everything found is read: the build processes can start meanwhile.
    early = (lambda files, size: workers.start() if _worth_workers(files, size) else None
             ) if manifest is None and workers.jobs > 1 else None
    entries, scan_problems = corpus_mod.scan(corpus, seen=early, skip=(folder, folder.parent))
    info.files = len(entries)
    # Compare the corpus with the cache, as git compares a work tree with its index: the same
    # size, modification time and status-change time mean unchanged (a rewrite that keeps the
    # size and sets the modification time back, as `cp -p` or `rsync -a` do, still moves the
    # status-change time); otherwise the content hash decides (a touched but identical file is
    # not read again). A file whose times were within RACY_NS of the last scan may have changed
    # again within the clock's resolution after it was read: its hash is checked too.
    # (A FileEntry equals the plain tuple (path, size, mtime_ns, ctime_ns): one set lookup per
    # file.)
    old_paths = old_files["path"].tolist() if len(old_files) else []
    old_stamps = (list(zip(old_paths, old_files["size"].tolist(),
                           old_files["mtime_ns"].tolist(), old_files["ctime_ns"].tolist()))
                  if old_paths else [])
    racy_from = (manifest or {}).get("scanned_ns", 0) - RACY_NS
    unchanged = {row for row in old_stamps if row[2] < racy_from and row[3] < racy_from}
    differing = [entry for entry in entries if entry not in unchanged]
    wanted = {entry.path for entry in differing}
    old_stat = {path: sha for path, sha in zip(old_paths, old_files["sha256"].tolist())
                if path in wanted} if wanted and old_paths else {}
    touched: dict[str, FileEntry] = {}
    to_read: list[FileEntry] = []
    replaced: set[str] = set()  # files whose documents leave the index
    # (Plain strings: after a copy every file can be racy, and Path arithmetic and a stat of
    # the corpus per file cost as much as hashing it.)
    root = str(corpus) if corpus.is_dir() else None
    for entry in differing:
        old = old_stat.get(entry.path)
        if old is not None:
            try:
                with corpus_mod.open_regular(
                        corpus if root is None else os.path.join(root, entry.path)) as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError:
                digest = ""
            if digest and digest == old:
                touched[entry.path] = entry
                continue
            info.changed += 1
            replaced.add(entry.path)
        else:
            info.added += 1
        to_read.append(entry)
    # Every file of the cache that is still there unchanged or differing (paths are unique).
    still_there = len(entries) - len(differing) + sum(1 for e in differing if e.path in old_stat)
    gone = (set(old_paths) - {e.path for e in entries}) if still_there < len(old_paths) else set()
    info.removed = len(gone)
    replaced |= gone
    # (Dry, files whose times moved with their content the same, as after a copy or an
    # extraction of the corpus, leave the index as it is: their new times cannot be written
    # down, so they are hashed again on each start, and said.)
    if (manifest is not None and not to_read and not gone and (dry or not touched)
            and manifest.get("themes") == themes.digest
            and len(manifest["segments"]) <= MAX_SEGMENTS):
        problems = [[p.path, p.reason] for p in scan_problems]
        if manifest.get("scan_problems") != problems:
            if dry:
                raise _WouldWrite("files not loaded have changed")
            _save_manifest(folder, {**manifest, "scan_problems": problems})
            info.wrote = True
        if touched:
            info.notes.append(f"{len(touched):,} files have new times but the same content "
                              "(checked by their hashes); the cache cannot record their times, "
                              "so they are checked again on each start")
        return info
    if dry:
        raise _WouldWrite("the corpus has changed")
    info.rebuilt = manifest is None
    checksums: dict[str, list[int]] = {} if manifest is None else {
        k: v for k, v in manifest["checksums"].items() if not k.startswith("segments/")}
    vocabulary = Vocabulary(_load_vocabulary_terms(folder, manifest) if manifest else None)
    segments_out: list[dict[str, Any]] = []
    pending: list[_SegmentData] = []
    theme_names = list(themes.names)

    # 1. Keep, trim or re-count the existing segments.
    for entry in (manifest or {}).get("segments", []):
        assert manifest is not None
        seg_checks = {k: v for k, v in manifest["checksums"].items()
                      if k.startswith(f"segments/{entry['name']}/")}
        same_themes = manifest.get("themes") == themes.digest
        if not replaced and same_themes:  # only additions: the segment stays as it is
            segments_out.append(entry)
            checksums.update(seg_checks)
            continue
        files_in = _read_parquet(folder / "segments" / entry["name"] / "documents.parquet",
                                 manifest["checksums"], folder, ["file"]).column("file")
        drop = np.asarray([f in replaced for f in files_in.to_pylist()], dtype=bool)
        if not drop.any() and same_themes:
            segments_out.append(entry)
            checksums.update(seg_checks)
            continue
        progress("index", 0, 0)
        segment, table = _load_segment(folder, entry, manifest["checksums"],
                                       len(vocabulary.terms))
        docs = table.to_pandas()
        keep = np.flatnonzero(~drop)
        if not len(keep):
            continue
        new_tokens, new_start = _slice_stream(segment.stream(), segment.doc_start, keep)
        trimmed = Segment.from_global_stream(segment.as_global(new_tokens), new_start)
        kept_docs = docs.iloc[keep].reset_index(drop=True).assign(_old_row=keep)
        lexicon = Lexicon(vocabulary.terms)
        pending.append(_SegmentData(
            _segment_name(), kept_docs, None, trimmed,
            _theme_counts(trimmed, lexicon, themes),
            texts_from=folder / "segments" / entry["name"] / "texts.parquet",
            texts_checksum=seg_checks.get(f"segments/{entry['name']}/texts.parquet")))

    # 2. Read, tokenise and index added and changed files into new segments (in parallel).
    new_files: list[dict[str, Any]] = []
    new_issues: list[dict[str, Any]] = []
    if to_read:
        built = _new_segments(corpus, to_read, folder, themes, progress, workers)
        progress("write", 0, len(built))
        for i, item in enumerate(built):
            published = _publish(item, folder, vocabulary, checksums)
            if published is not None:
                segments_out.append(published)
            new_files += item.files
            new_issues += item.issues
            info.tokenised += item.documents
            progress("write", i + 1, len(built))

    # 3. Merge the smallest segments when there are too many.
    if len(segments_out) + len(pending) > MAX_SEGMENTS:
        segments_out, pending = _merge(folder, checksums, segments_out, pending, vocabulary,
                                       themes)

    # 4. Write new segments, then the global tables, then the manifest (atomically).
    progress("write", 0, len(pending))
    for i, data in enumerate(pending):
        segments_out.append(_write_segment(data, folder, checksums, theme_names))
        progress("write", i + 1, len(pending))
    files = _merge_table(old_files, replaced, new_files, FILE_COLUMNS, "path")
    if touched:
        now = [touched.get(p) for p in files["path"]]
        for column in ("mtime_ns", "ctime_ns"):
            files[column] = [old if e is None else getattr(e, column)
                             for e, old in zip(now, files[column])]
    old_issues = (_read_parquet(_table_path(folder, manifest, "problems"),
                                manifest["checksums"], folder)
                  .to_pandas() if manifest is not None else pd.DataFrame())
    issues = _merge_table(old_issues, replaced, new_issues, ISSUE_COLUMNS, "file")
    generation = uuid.uuid4().hex[:12]
    tables = {name: f"{name}.{generation}.parquet" for name in TABLES}
    _write_parquet(pa.Table.from_pandas(files, preserve_index=False),
                   folder / tables["files"], checksums, folder)
    _write_parquet(pa.Table.from_pandas(issues, preserve_index=False),
                   folder / tables["problems"], checksums, folder)
    _write_parquet(pa.table({"term": pa.array(vocabulary.terms, pa.string())}),
                   folder / tables["vocabulary"], checksums, folder)
    _write_parquet(_resolution(folder, segments_out, checksums), folder / tables["resolved"],
                   checksums, folder)
    manifest = {
        "schema": SCHEMA_VERSION,
        "rules": RULES_VERSION,
        "loader": LOADER_VERSION,
        "corpus": str(corpus.resolve()),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "segments": segments_out,
        "terms": len(vocabulary.terms),
        "themes": themes.digest,
        "theme_names": theme_names,
        "themes_text": themes.text,
        "tables": tables,
        "checksums": {k: v for k, v in checksums.items()
                      if (k in tables.values() if "/" not in k else k.split("/")[1] in
                          {s["name"] for s in segments_out})},
        "scan_problems": [[p.path, p.reason] for p in scan_problems],
        "scanned_ns": scanned_ns,
    }
    _save_manifest(folder, manifest)
    info.wrote = True
    _clean_segments(folder, {s["name"] for s in segments_out})
    _clean_tables(folder, set(tables.values()))
    return info


def _resolution(folder: Path, segments: list[dict[str, Any]],
                checksums: dict[str, list[int]]) -> pa.Table:
    """Duplicates and unique ids over all segments (global row order), with the notes."""
    tables = [_read_parquet(folder / "segments" / entry["name"] / "documents.parquet",
                            checksums, folder, ["path", "hash", "id", "date"])
              for entry in segments]
    if not tables:
        return pa.table({"id": pa.array([], pa.string()), "active": pa.array([], pa.bool_()),
                         "note": pa.array([], pa.string())})
    table = pa.concat_tables(tables)
    # Usually no text and no id repeats: then every document is kept under its own id, which
    # a hash table tells without a pass in Python (a set of the 64-character text hashes is
    # twice as fast as pandas' hash table there; pandas' is faster for the short ids).
    rows = table.num_rows
    if not (len(set(table.column("hash").to_pylist())) < rows
            or table.column("id").to_pandas().duplicated().any()):
        return pa.table({"id": table.column("id").combine_chunks(),
                         "active": pa.array(np.ones(rows, dtype=bool)),
                         "note": pa.nulls(rows, pa.string())})
    paths = table.column("path").to_pylist()
    hashes = table.column("hash").to_pylist()
    ids = table.column("id").to_pylist()
    dates = [str(d) for d in table.column("date").to_pylist()]
    keep, unique, skipped, renamed = corpus_mod.resolve(paths, hashes, ids, dates)
    row_of = {p: i for i, p in enumerate(paths)}
    notes: list[str | None] = [None] * len(paths)
    for problem in [*skipped, *renamed]:
        notes[row_of[problem.path]] = problem.reason
    return pa.table({"id": pa.array(unique, pa.string()), "active": pa.array(keep, pa.bool_()),
                     "note": pa.array(notes, pa.string())})


def _save_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    manifest = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
    _atomic_write_json(folder / "manifest.json", {**manifest, "manifest_sha256": digest})


def _segment_name() -> str:
    return f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"


def _slice_stream(tokens: np.ndarray, doc_start: np.ndarray, keep: np.ndarray,
                  ) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.diff(doc_start)[keep]
    starts = doc_start[:-1][keep]
    index = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + \
        np.arange(int(lengths.sum()))
    return tokens[index], np.append(np.concatenate([[0], np.cumsum(lengths)[:-1]]),
                                    int(lengths.sum())).astype(np.int64)


def _merge(folder: Path, checksums: dict[str, list[int]], entries: list[dict[str, Any]],
           pending: list[_SegmentData], vocabulary: Vocabulary, themes: ThemeDictionary,
           ) -> tuple[list[dict[str, Any]], list[_SegmentData]]:
    """Merge the smallest segments into one, so that half the allowed number are left.

    Merging joins the segments' token streams (no tokenising) and indexes them again.
    """
    sizes = [(int(e["documents"]), "entry", i) for i, e in enumerate(entries)]
    sizes += [(d.segment.n_docs, "pending", i) for i, d in enumerate(pending)]
    sizes.sort()
    chosen = sizes[: len(sizes) - MAX_SEGMENTS // 2 + 1]
    streams: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    frames: list[pd.DataFrame] = []
    bodies: list[str] = []
    offset = 0
    for _, kind, i in sorted(chosen, key=lambda c: (c[1] == "pending", c[2])):
        if kind == "entry":
            entry = entries[i]
            segment, table = _load_segment(folder, entry, checksums, len(vocabulary.terms))
            docs = table.to_pandas()
            texts = _read_parquet(folder / "segments" / entry["name"] / "texts.parquet",
                                  checksums, folder).column("body").to_pylist()
        else:
            data = pending[i]
            segment = data.segment
            docs = data.docs.drop(columns=["_old_row"], errors="ignore")
            texts = data.bodies if data.bodies is not None else _texts_subset(
                data).column("body").to_pylist()
        streams.append(segment.as_global(segment.stream()))
        starts.append(segment.doc_start[:-1] + offset)
        offset += int(segment.doc_start[-1])
        frames.append(docs)
        bodies.extend(texts)
    tokens = np.concatenate(streams)
    doc_start = np.append(np.concatenate(starts), len(tokens)).astype(np.int64)
    segment = Segment.from_global_stream(tokens, doc_start)
    lexicon = Lexicon(vocabulary.terms)
    merged = _SegmentData(_segment_name(), pd.concat(frames, ignore_index=True), bodies,
                          segment, _theme_counts(segment, lexicon, themes))
    gone = {(kind, i) for _, kind, i in chosen}
    return ([e for i, e in enumerate(entries) if ("entry", i) not in gone],
            [d for i, d in enumerate(pending) if ("pending", i) not in gone] + [merged])


FILE_COLUMNS = {"path": "str", "size": "int64", "mtime_ns": "int64", "ctime_ns": "int64",
                "sha256": "str", "documents": "int64"}
ISSUE_COLUMNS = {"file": "str", "path": "str", "reason": "str", "skipped": "bool"}


def _merge_table(old: pd.DataFrame, replaced: set[str], new: list[dict[str, Any]],
                 columns: dict[str, str], key: str) -> pd.DataFrame:
    """Rows of ``old`` whose ``key`` file was not replaced, plus ``new``, sorted by ``key``."""
    frames = [pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})]
    if len(old):
        frames.append(old.loc[~old[key].isin(replaced), list(columns)])
    if new:
        frames.append(pd.DataFrame(new)[list(columns)])
    table = pd.concat(frames, ignore_index=True).astype(columns)
    return table.sort_values(key, kind="stable").reset_index(drop=True)


def _load_vocabulary_terms(folder: Path, manifest: dict[str, Any]) -> list[str]:
    table = _read_parquet(_table_path(folder, manifest, "vocabulary"), manifest["checksums"],
                          folder)
    terms = table.column("term").to_pylist()
    if len(terms) != manifest["terms"] or (terms and terms[0] != ""):
        raise CacheError("vocabulary does not match the manifest")
    return terms


# --------------------------------------------------------------------------- loading


def _load(folder: Path, themes: ThemeDictionary) -> Index:
    manifest = _read_manifest(folder)
    checksums = manifest["checksums"]
    terms = _load_vocabulary_terms(folder, manifest)
    segments: list[Segment] = []
    tables: list[pa.Table] = []
    theme_blocks: list[np.ndarray] = []

    def load(entry: dict[str, Any]) -> tuple[Segment, pa.Table, np.ndarray]:
        segment, table = _load_segment(folder, entry, checksums, len(terms))
        return segment, table, _load_theme_counts(folder, entry["name"], checksums,
                                                  table.num_rows, manifest["theme_names"])

    # Segments decode side by side (Arrow works without the GIL).
    with ThreadPoolExecutor(max_workers=2) as pool:
        for segment, table, counts in pool.map(load, manifest["segments"]):
            segments.append(segment)
            tables.append(table.append_column("segment", pa.array(
                np.full(table.num_rows, len(segments) - 1, dtype=np.int32))).append_column(
                "row", pa.array(np.arange(table.num_rows, dtype=np.int32))))
            theme_blocks.append(counts)
    files = _files_table(folder, manifest)
    issues = _read_parquet(_table_path(folder, manifest, "problems"), checksums, folder)
    report = LoadReport(files=len(files))
    report.skipped.extend(Problem(p, r) for p, r in manifest.get("scan_problems", []))
    for path, reason, skipped in zip(issues.column("path").to_pylist(),
                                     issues.column("reason").to_pylist(),
                                     issues.column("skipped").to_pylist()):
        (report.skipped if skipped else report.warnings).append(Problem(path, reason))
    columns = ["id", "file", "path", "date", "precision", "title", "source", "url", "hash",
               "words", "segment", "row"]
    if tables:
        table = pa.concat_tables(tables).select(columns)
    else:
        schema = pa.schema([(c, pa.date32() if c == "date" else pa.int32()
                             if c in ("words", "segment", "row") else pa.string())
                            for c in columns])
        table = schema.empty_table()
    resolved = _read_parquet(_table_path(folder, manifest, "resolved"), checksums, folder)
    if resolved.num_rows != table.num_rows:
        raise CacheError("the resolved table does not match the documents")
    keep = resolved.column("active").to_numpy(zero_copy_only=False).astype(bool)
    paths = table.column("path")
    for row in np.flatnonzero(resolved.column("note").is_valid().to_numpy(
            zero_copy_only=False)).tolist():
        problem = Problem(paths[row].as_py(), resolved.column("note")[row].as_py())
        (report.warnings if keep[row] else report.skipped).append(problem)
    table = table.set_column(0, "id", resolved.column("id"))
    documents = table.to_pandas()
    documents["active"] = keep
    documents["date"] = pd.to_datetime(documents["date"]).astype("datetime64[s]")
    report.documents = int(keep.sum())
    theme_counts = (np.concatenate(theme_blocks) if theme_blocks
                    else np.zeros((0, len(manifest["theme_names"])), dtype=np.int64))
    texts = _TextStore(folder, manifest)
    cached = {themes.digest: theme_counts} if manifest["themes"] == themes.digest else {}
    index = Index(documents, Lexicon(terms), segments, report, texts, cached, themes)
    index.key = f"{folder.name}:{manifest['manifest_sha256'][:16]}"
    return index


class _TextStore:
    """Reads article bodies from ``texts.parquet`` on demand, one row group at a time.

    Each segment's file is opened when the index is loaded: a later update of the cache (a
    ``policydata build`` while a dashboard serves the index) may replace or remove it, and an
    open file stays readable (the index keeps reading the texts it was loaded with).
    """

    def __init__(self, folder: Path, manifest: dict[str, Any]) -> None:
        self.folder = folder
        self.manifest = manifest
        self._files: dict[int, pq.ParquetFile] = {}
        self._groups: dict[tuple[int, int], list[str]] = {}
        self._lock = threading.Lock()
        self._handles: dict[int, io.BufferedReader] = {}
        try:
            for segment, entry in enumerate(manifest["segments"]):
                self._handles[segment] = corpus_mod.open_regular(  # (open for the index's life)
                    folder / "segments" / entry["name"] / "texts.parquet")
        except OSError as error:
            _close_all(list(self._handles.values()))
            _raise_if_exhausted(error)
            raise CacheError(f"segment texts cannot be opened: {error}") from None
        # (closed when the index is dropped: a cached index lives as long as the server)
        weakref.finalize(self, _close_all, list(self._handles.values()))

    def body(self, segment: int, row: int) -> str:
        with self._lock:
            return self._body(segment, row)

    def _body(self, segment: int, row: int) -> str:
        group = row // TEXT_ROW_GROUP
        key = (segment, group)
        if key not in self._groups:
            if segment not in self._files:
                entry = self.manifest["segments"][segment]
                path = self.folder / "segments" / entry["name"] / "texts.parquet"
                table_bytes = _arrow_read(self._handles[segment])
                expected = self.manifest["checksums"].get(
                    f"segments/{entry['name']}/texts.parquet")
                if [table_bytes.size, zlib.crc32(table_bytes)] != expected:
                    raise CacheError(f"{path} is damaged (size or checksum differs from the "
                                     "manifest)")
                self._files[segment] = pq.ParquetFile(pa.BufferReader(table_bytes))
            if len(self._groups) > 64:
                self._groups.pop(next(iter(self._groups)))
            self._groups[key] = (self._files[segment].read_row_group(group, columns=["body"])
                                 .column("body").to_pylist())
        return self._groups[key][row - group * TEXT_ROW_GROUP]

