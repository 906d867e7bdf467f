"""The on-disk index cache: reuse, incremental updates, damage, locks, odd locations."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, worker_sized_corpus, write_article

from policydata import store
from policydata.corpus import resolve
from policydata.store import build_index, cache_folder, open_index
from policydata.themes import default_themes, parse_themes
from policydata.tokens import parse_term


def count(index, term: str) -> int:
    return int(index.counts([parse_term(term)]).sum())


def test_second_open_reuses_the_cache(corpus: Path, cache: Path) -> None:
    first = open_index(corpus, cache_dir=cache)
    assert first.build.rebuilt and first.build.tokenised == 24
    again = open_index(corpus, cache_dir=cache)
    assert (again.build.tokenised, again.build.added, again.build.rebuilt) == (0, 0, False)
    assert count(again, "digital economy") == count(first, "digital economy") == 36


def by_id(index, themes) -> dict[str, list[int]]:
    """Theme counts per article id (rows are in segment order, which updates change)."""
    return dict(zip(index.documents["id"], index.theme_counts(themes).tolist()))


def test_opening_with_another_dictionary_leaves_the_cache_as_it_is(corpus: Path,
                                                                   cache: Path) -> None:
    mine = parse_themes('[themes]\nDigital = ["digital economy", "digit*"]\n'
                        'Economy = ["economy"]')
    built = build_index(corpus, cache_dir=cache, themes=mine)
    manifest = Path(built.cache) / "manifest.json"
    assert json.loads(manifest.read_text())["themes"] == mine.digest
    # the command line (shipped dictionary) and the dashboard (mine) take no turns rewriting
    plain = open_index(corpus, cache_dir=cache)
    assert plain.themes.digest == default_themes().digest
    assert json.loads(manifest.read_text())["themes"] == mine.digest
    fresh = open_index(corpus, cache_dir=cache / "fresh")  # (built with the shipped one)
    assert by_id(plain, plain.themes) == by_id(fresh, fresh.themes)
    # an added file is counted with the stored dictionary, and both read right afterwards
    write_article(corpus / "new", "a.txt", "2024-03-01", "Added", "The digital economy.")
    again = open_index(corpus, cache_dir=cache)
    assert again.build.added == 1 and json.loads(manifest.read_text())["themes"] == mine.digest
    stored = open_index(corpus, cache_dir=cache, themes=mine)
    # (each "digital economy" is one digit* word; themes count independently)
    assert stored.theme_counts(mine).sum(axis=0).tolist() == [count(stored, "digit*"),
                                                              count(stored, "economy")]
    assert by_id(stored, mine) == by_id(open_index(corpus, cache_dir=cache / "mine",
                                                   themes=mine), mine)
    assert by_id(again, again.themes) == by_id(open_index(corpus, cache_dir=cache / "fresh"),
                                               again.themes)
    # building is what chooses the stored dictionary
    assert build_index(corpus, cache_dir=cache).wrote
    assert json.loads(manifest.read_text())["themes"] == default_themes().digest


def test_cache_lives_outside_the_corpus(corpus: Path, cache: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in corpus.rglob("*"))
    index = open_index(corpus, cache_dir=cache)
    assert Path(index.build.cache).is_relative_to(cache)
    assert sorted((p, p.stat().st_mtime_ns) for p in corpus.rglob("*")) == before


def test_added_file_is_indexed_without_a_full_rebuild(corpus: Path, cache: Path) -> None:
    open_index(corpus, cache_dir=cache)
    write_article(corpus / "new", "a.txt", "2024-03-01", "Added",
                  "The digital economy grows. The digital economy again.")
    index = open_index(corpus, cache_dir=cache)
    assert (index.build.added, index.build.tokenised, index.build.rebuilt) == (1, 1, False)
    assert count(index, "digital economy") == 38
    manifest = json.loads((Path(index.build.cache) / "manifest.json").read_text())
    assert len(manifest["segments"]) == 2  # the old segment kept as it was
    assert "new" in index.source_names


def test_changed_and_removed_files(corpus: Path, cache: Path) -> None:
    open_index(corpus, cache_dir=cache)
    target = corpus / "miit" / "002.txt"  # article 2 mentions digital economy twice
    target.write_text(" date 2022-03-03 Rewritten\n\nNo such phrase now.\n", encoding="utf-8")
    (corpus / "xinhua" / "003.txt").unlink()  # article 3: three times
    index = open_index(corpus, cache_dir=cache)
    assert (index.build.changed, index.build.removed, index.build.tokenised) == (1, 1, 1)
    assert count(index, "digital economy") == 36 - 2 - 3
    assert index.n_documents == 23
    assert "Rewritten" in index.documents["title"].tolist()


def test_touched_but_unchanged_file_is_not_read_again(corpus: Path, cache: Path) -> None:
    open_index(corpus, cache_dir=cache)
    target = corpus / "miit" / "000.txt"
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
    index = open_index(corpus, cache_dir=cache)
    assert (index.build.tokenised, index.build.changed) == (0, 0)
    assert open_index(corpus, cache_dir=cache).build.tokenised == 0  # new time remembered


def test_single_file_corpus_rewritten_within_the_clock_tick_is_seen(tmp_path: Path,
                                                                    cache: Path) -> None:
    # A corpus that is one file: the hash check of a file changed near the scan reads that
    # file, not a path under it.
    target = tmp_path / "articles.csv"
    target.write_text("date,title,text\n2024-01-02,One,Real economy.\n", encoding="utf-8")
    assert count(open_index(target, cache_dir=cache), "real economy") == 1
    before = target.stat()
    target.write_text("date,title,text\n2024-01-02,One,Zebra economy.\n", encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    index = open_index(target, cache_dir=cache)  # (the times are within RACY_NS of the scan)
    assert (index.build.changed, index.build.tokenised) == (1, 1)
    assert (count(index, "real economy"), count(index, "zebra economy")) == (0, 1)
    target.write_text("date,title,text\n2024-01-02,One,Zebra economy.\n", encoding="utf-8")
    again = open_index(target, cache_dir=cache)  # rewritten, the same bytes: hashed, not read
    assert (again.build.changed, again.build.tokenised) == (0, 0)


def test_rewrite_keeping_size_and_modification_time_is_seen(
        corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # cp -p, rsync -a, tar and touch -r set the modification time back; the status-change
    # time still moves. (No racy window here: only the times can tell.)
    monkeypatch.setattr(store, "RACY_NS", 0)
    target = corpus / "miit" / "000.txt"
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    assert "state" in text
    assert count(open_index(corpus, cache_dir=cache), "zebra") == 0
    time.sleep(0.05)
    target.write_text(text.replace("state", "zebra", 1),
                      encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size,
                                                                   before.st_mtime_ns)
    index = open_index(corpus, cache_dir=cache)
    assert (index.build.changed, index.build.tokenised) == (1, 1)
    assert count(index, "zebra") == 1


def test_second_write_within_the_clock_tick_is_seen(
        corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file system whose clock counts whole seconds: a file rewritten (same size) in the second
    # it was indexed in keeps all its times; it was changed within RACY_NS of the scan, so its
    # hash is checked at the next start.
    scan = store.corpus_mod.scan

    def coarse(root, seen=None, **options):
        entries, problems = scan(root, seen, **options)
        tick = 10**9
        return [e._replace(mtime_ns=e.mtime_ns // tick * tick,
                           ctime_ns=e.ctime_ns // tick * tick) for e in entries], problems

    monkeypatch.setattr(store.corpus_mod, "scan", coarse)
    target = corpus / "miit" / "000.txt"
    text = target.read_text(encoding="utf-8")
    while time.time() % 1 > 0.3:  # start early in a second, so both writes share it
        time.sleep(0.05)
    target.write_text(text, encoding="utf-8")
    assert count(open_index(corpus, cache_dir=cache), "zebra") == 0
    target.write_text(text.replace("state", "zebra", 1),
                      encoding="utf-8")
    index = open_index(corpus, cache_dir=cache)
    assert (index.build.changed, index.build.tokenised) == (1, 1)
    assert count(index, "zebra") == 1
    # Once the hash was checked long enough after the write, the times are trusted again.
    monkeypatch.setattr(store, "RACY_NS", 0)
    assert open_index(corpus, cache_dir=cache).build.wrote is False


def test_many_updates_merge_segments(corpus: Path, cache: Path) -> None:
    open_index(corpus, cache_dir=cache)
    for k in range(10):
        write_article(corpus / "more", f"{k}.txt", "2024-01-01", f"More {k}",
                      f"Real economy {k}.")
        index = open_index(corpus, cache_dir=cache)
    manifest = json.loads((Path(index.build.cache) / "manifest.json").read_text())
    assert len(manifest["segments"]) <= 8
    assert count(index, "real economy") == 24 + 10
    assert index.n_documents == 34


def test_exact_duplicates_count_once_and_come_back(corpus: Path, cache: Path) -> None:
    original = (corpus / "miit" / "000.txt").read_text()
    (corpus / "zz").mkdir()
    (corpus / "zz" / "copy.txt").write_text(original)
    index = open_index(corpus, cache_dir=cache)
    assert index.n_documents == 24
    assert any("exact duplicate" in p.reason and p.path == "zz/copy.txt"
               for p in index.report.skipped)
    (corpus / "miit" / "000.txt").unlink()
    index = open_index(corpus, cache_dir=cache)
    assert index.n_documents == 24  # the copy now counts
    assert not any("exact duplicate" in p.reason for p in index.report.skipped)


@pytest.mark.parametrize("extra", [None, "copy", "same id"])
def test_stored_resolution_equals_resolve(corpus: Path, cache: Path, extra: str | None) -> None:
    # The index stores which documents are active under which ids; with no repeats it takes
    # a shortcut, which must give what corpus.resolve gives for the same documents.
    if extra == "copy":
        (corpus / "zz").mkdir()
        (corpus / "zz" / "copy.txt").write_text((corpus / "miit" / "000.txt").read_text())
    if extra == "same id":
        (corpus / "zz.jsonl").write_text(
            '{"id": "a", "date": "2023-01-01", "title": "One", "text": "first"}\n'
            '{"id": "a", "date": "2023-01-02", "title": "Two", "text": "second"}\n')
    index = open_index(corpus, cache_dir=cache)
    folder = Path(index.build.cache)
    manifest = json.loads((folder / "manifest.json").read_text())
    tables = [pq.read_table(folder / "segments" / s["name"] / "documents.parquet")
              for s in manifest["segments"]]
    paths = [p for t in tables for p in t.column("path").to_pylist()]
    keep, ids, skipped, renamed = resolve(
        paths, [h for t in tables for h in t.column("hash").to_pylist()],
        [i for t in tables for i in t.column("id").to_pylist()])
    notes = {p.path: p.reason for p in [*skipped, *renamed]}
    stored = pq.read_table(folder / manifest["tables"]["resolved"]).to_pydict()
    assert stored["active"] == keep.tolist()
    assert stored["id"] == ids
    assert stored["note"] == [notes.get(p) for p in paths]
    assert (not keep.all() or ids != [i for t in tables for i in t.column("id").to_pylist()]
            ) == (extra is not None)


def test_a_hundred_thousand_tiny_files(tmp_path: Path, cache: Path) -> None:
    # Issue 5's "100,000 tiny files": every one is indexed (through the worker processes),
    # none is skipped, and adding one more reads only that one.
    corpus = tmp_path / "tiny"
    n = 100_000
    for k in range(100):
        (corpus / f"s{k:02d}").mkdir(parents=True)
    for i in range(n):
        (corpus / f"s{i % 100:02d}" / f"{i:06d}.txt").write_bytes(
            b" date 2023-%02d-01 T%d\n\nword%d and economy\n" % (i % 12 + 1, i, i % 7))
    index = open_index(corpus, cache_dir=cache)
    assert (index.n_documents, index.build.files, index.build.tokenised) == (n, n, n)
    assert index.report.skipped == [] and index.report.warnings == []
    assert count(index, "economy") == n
    assert count(index, "word3") == len(range(3, n, 7))
    (corpus / "s00" / "extra.txt").write_bytes(b" date 2024-01-01 Extra\n\neconomy\n")
    again = open_index(corpus, cache_dir=cache)
    assert (again.build.tokenised, again.build.added, again.n_documents) == (1, 1, n + 1)
    assert count(again, "economy") == n + 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("when", ["first build", "update"])
def test_a_file_swapped_for_a_pipe_while_read_is_reported_not_waited_for(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    # A scrape still being written: a file the scan listed is a named pipe when it is read
    # (a plain open of a pipe waits for a writer forever).
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-02", "Kept", "The digital economy.")
    swapped = write_article(corpus, "b.txt", "2023-01-03", "Swapped", "The real economy.")
    if when == "update":
        assert open_index(corpus, cache_dir=cache).n_documents == 2
        os.utime(swapped, ns=(1, 1))  # (seen as changed, so its bytes are hashed again)
    scan = store.corpus_mod.scan

    def scan_then_swap(*args, **kwargs):
        found = scan(*args, **kwargs)
        swapped.unlink()
        os.mkfifo(swapped)
        return found

    monkeypatch.setattr(store.corpus_mod, "scan", scan_then_swap)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(
        open_index(corpus, cache_dir=cache)), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():  # (let the waiting open go, so the test fails instead of hanging)
        os.close(os.open(swapped, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
        pytest.fail("the build waited on a named pipe")
    index = result[0]
    assert list(index.documents["title"]) == ["Kept"]
    assert [(p.path, p.reason) for p in index.report.skipped] == [
        ("b.txt", "cannot read: not a regular file")]


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, cache: Path) -> None:
    # A disk image or a log of gigabytes in a scrape: refused from its size or its start,
    # with the reason, instead of being read into memory whole.
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-02", "Kept", "The digital economy.")
    for name in ("disk.txt", "disk.csv"):
        with (corpus / name).open("wb") as handle:  # (sparse: no room taken, all NUL bytes)
            handle.truncate(300 * 2**20)
    tracemalloc.start()
    try:
        index = open_index(corpus, cache_dir=cache)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MB taken: a file was read whole"
    assert list(index.documents["title"]) == ["Kept"]
    assert {p.path: p.reason for p in index.report.skipped} == {
        "disk.txt": "too large for one article (300 MB; at most 256 MB are read from a file of "
                    "one article): split it, or give its articles as rows of a CSV, JSON Lines "
                    "or Parquet file",
        "disk.csv": "binary file (holds NUL bytes: 8,192 of the first 8,192 bytes)"}


def test_parquet_is_read_from_bytes_arrow_owns(tmp_path: Path, cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Arrow's reader threads may drop the last reference to the bytes after a read returns;
    # for Python bytes that takes the interpreter's lock, and at exit the process aborted
    # ("terminate called without an active exception", status 134, about 1 run in 40 of the
    # script below on two busy cores). Every read of the index, of an article's text and of a
    # Parquet corpus file goes through Arrow-owned bytes.
    import pandas as pd
    import pyarrow as pa

    given: list[type] = []
    real = pa.BufferReader

    def reader(source: object) -> pa.BufferReader:
        given.append(type(source))
        return real(source)

    monkeypatch.setattr(pa, "BufferReader", reader)
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "2023-01-01", "A", "The digital economy grows.")
    pd.DataFrame({"date": ["2023-02-01"], "title": ["B"], "text": ["The real economy."]}
                 ).to_parquet(corpus / "b.parquet")
    index = open_index(corpus, cache_dir=cache)
    assert index.text(0) and open_index(corpus, cache_dir=cache).n_documents == 2
    assert given and all(kind is pa.Buffer for kind in given), given


def test_a_script_without_a_main_guard_can_build_with_workers(tmp_path: Path,
                                                               cache: Path) -> None:
    # Build processes are spawned, and spawning runs the parent's main script again; a
    # script that opens the index at its top level (a Streamlit page is one) used to wait
    # forever for its own build's lock.
    corpus = worker_sized_corpus(tmp_path / "corpus")
    script = tmp_path / "script.py"
    script.write_text("from policydata.store import open_index\n"
                      f"index = open_index({str(corpus)!r}, cache_dir={str(cache)!r}, jobs=2)\n"
                      "print(index.n_documents, index.build.tokenised)\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["220", "220"]


def test_a_build_process_that_dies_is_an_error_not_a_hang(tmp_path: Path,
                                                          cache: Path) -> None:
    corpus = worker_sized_corpus(tmp_path / "corpus", scale=8)  # long enough to be hit at work
    errors: list[str] = []

    def build() -> None:
        try:
            build_index(corpus, cache_dir=cache, jobs=2)
        except RuntimeError as error:
            errors.append(str(error))

    thread = threading.Thread(target=build)
    thread.start()
    me, victim, deadline = psutil.Process(), None, time.monotonic() + 60
    while victim is None and time.monotonic() < deadline:
        workers = [p for p in me.children() if "--multiprocessing-fork" in p.cmdline()]
        victim = workers[0] if workers else None
        time.sleep(0.01)
    assert victim is not None, "no build process started"
    with contextlib.suppress(psutil.NoSuchProcess):
        while thread.is_alive() and sum(victim.cpu_times()[:2]) < 1.5:  # past its imports
            time.sleep(0.01)
        victim.kill()
    thread.join(120)
    assert not thread.is_alive(), "the build waits forever for the dead process's work"
    index = open_index(corpus, cache_dir=cache)
    if errors:  # the process died holding work: said, and the next start builds it whole
        assert "stopped unexpectedly" in errors[0] and "-9" in errors[0]
        assert (index.n_documents, index.build.rebuilt) == (220, True)
    else:  # it died before taking any: the pool's replacement did the work, nothing was lost
        assert (index.n_documents, index.build.tokenised) == (220, 0)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "manifest", "garbage",
                                    "keys", "nested", "pipe", "pipe-table", "pipe-texts",
                                    "pipe-build", "no-manifest"])
def test_damaged_cache_is_rebuilt_never_trusted(corpus: Path, cache: Path, damage: str,
                                                caplog: pytest.LogCaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = open_index(corpus, cache_dir=cache)
    folder = Path(first.build.cache)
    positions = next(folder.glob("segments/*/positions.parquet"))
    if damage == "flip":
        data = bytearray(positions.read_bytes())
        data[len(data) // 2] ^= 0xFF
        positions.write_bytes(bytes(data))
    elif damage == "truncate":
        positions.write_bytes(positions.read_bytes()[:100])
    elif damage == "delete":
        positions.unlink()
    elif damage == "manifest":
        manifest = folder / "manifest.json"
        manifest.write_text(manifest.read_text()[:-40])
    elif damage == "garbage":
        manifest = folder / "manifest.json"
        body = json.loads(manifest.read_text())
        body["terms"] += 1  # edited by hand: its checksum no longer matches
        manifest.write_text(json.dumps(body))
    elif damage == "no-manifest":  # (the tables stay: said, not taken for a first build)
        (folder / "manifest.json").unlink()
    elif damage == "nested":  # (valid JSON that Python's parser cannot take: RecursionError)
        (folder / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    elif damage.startswith("pipe"):  # (a plain open of a named pipe waits for a writer forever)
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs named pipes")
        replaced = {"pipe": folder / "manifest.json",
                    "pipe-texts": next(folder.glob("segments/*/texts.parquet"))
                    }.get(damage, positions)
        replaced.unlink()
        os.mkfifo(replaced)
    else:  # edited by hand with its checksum made right: a key this version needs is gone
        manifest = folder / "manifest.json"
        body = json.loads(manifest.read_text())
        del body["segments"]
        store._save_manifest(folder, body)
    if damage == "pipe-build":  # (`policydata build` checks every file of an unchanged cache)
        monkeypatch.setattr(store, "RACY_NS", 0)  # (the files just written count as unchanged)
        assert build_index(corpus, cache_dir=cache).rebuilt
    index = open_index(corpus, cache_dir=cache)
    assert index.build.rebuilt or damage == "pipe-build"
    assert count(index, "digital economy") == 36
    assert "rebuilding" in caplog.text or damage == "delete"
    if damage == "no-manifest":
        assert "its manifest.json is missing; rebuilding" in caplog.text


def test_unwritable_cache_location_falls_back(corpus: Path, tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    index = open_index(corpus, cache_dir=blocker / "cache")
    assert "cannot be written" in caplog.text
    assert not Path(index.build.cache).is_relative_to(blocker)
    assert count(index, "digital economy") == 36


def test_the_fallback_cache_location_is_private(corpus: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # (caches hold the articles' texts: a folder planted in the shared temporary folder, as a
    # link or with open permissions, is not written into)
    monkeypatch.setattr(store.tempfile, "gettempdir", lambda: str(tmp_path))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / f"policydata-cache-{os.getuid()}").symlink_to(elsewhere)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    index = open_index(corpus, cache_dir=blocker / "cache")
    assert list(elsewhere.iterdir()) == [] and count(index, "digital economy") == 36
    used = Path(index.build.cache).parent
    assert used.stat().st_mode & 0o077 == 0 and used.stat().st_uid == os.getuid()
    # that new folder is found by no later start: it goes when its process ends
    script = ("import sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
              "from policydata.store import open_index\n"
              "print(open_index(sys.argv[2], cache_dir=sys.argv[3]).build.cache)\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path), str(corpus),
                             str(blocker / "cache")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    child = Path(result.stdout.strip()).parent
    assert child.parent == tmp_path and child.name.startswith("policydata-cache-")
    assert child != used and not child.exists()
    assert "is used until this process ends" in result.stderr


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` seen through a read-only mount (a bind mount remounted read-only: even root
    cannot write there), or, for a user who may not mount, with its write permissions taken."""
    view = folder.parent / f"{folder.name}-read-only"
    view.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "--bind", str(folder), str(view)], capture_output=True).returncode == 0
    if mounted:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
    elif os.geteuid() == 0:
        view.rmdir()
        pytest.skip("root without the right to mount: no folder here is read-only to it")
    else:
        view.rmdir()
        view = folder
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        with pytest.raises(OSError):
            (view / "probe").write_text("x")
        yield view
    finally:
        if mounted:
            subprocess.run(["umount", str(view)], check=True)
        else:
            for path in [folder, *folder.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)


def test_a_read_only_corpus_folder_is_read_and_never_written(
        corpus: Path, tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    def state(folder: Path) -> list[tuple[str, int, int]]:
        return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                      for p in folder.rglob("*"))

    before = state(corpus)
    with read_only(corpus) as view:
        index = open_index(view, cache_dir=cache)
        assert count(index, "digital economy") == 36 and index.n_documents == 24
        # a cache asked for inside it: built in the fallback location instead, and said
        inside = open_index(view, cache_dir=view / ".cache")
        assert not Path(inside.build.cache).is_relative_to(view)
        assert "cannot be written" in caplog.text
        assert count(inside, "digital economy") == 36
        # the command line too
        result = subprocess.run([sys.executable, "-m", "policydata.cli", "trend",
                                 "digital economy", "--corpus", str(view), "--cache-dir",
                                 str(tmp_path / "cli-cache"), "--freq", "year", "--format",
                                 "csv"], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert [line.split(",")[2] for line in result.stdout.splitlines()[1:]] == ["18", "18"]
    assert state(corpus) == before


def test_a_read_only_cache_that_is_up_to_date_is_used_as_it_is(
        corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "RACY_NS", 0)  # (files just written count as unchanged)
    folder = Path(open_index(corpus, cache_dir=cache).build.cache)

    def state() -> list[tuple[str, int]]:
        return sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*"))

    before = state()
    # (a read-only mount; os.access, as root ignores permissions)
    access = os.access
    monkeypatch.setattr(store.os, "access",
                        lambda path, mode: access(path, mode) and Path(path) != folder)
    index = open_index(corpus, cache_dir=cache)
    assert index.build.cache == str(folder) and state() == before
    assert "its index is up to date and was used as it is" in index.build.notes[0]
    assert count(index, "digital economy") == 36
    # files with new times and the same content (a copy, an extraction): still up to date
    for path in corpus.rglob("*.txt"):
        os.utime(path, ns=(time.time_ns(), time.time_ns()))
    index = open_index(corpus, cache_dir=cache)
    assert index.build.cache == str(folder) and state() == before
    assert "its index is up to date and was used as it is" in " ".join(index.build.notes)
    assert "24 files have new times but the same content" in " ".join(index.build.notes)
    assert count(index, "digital economy") == 36 and index.build.tokenised == 0
    # a changed corpus cannot be brought into it: the index is built elsewhere, with the change
    write_article(corpus / "new", "a.txt", "2024-03-01", "Added", "The digital economy.")
    monkeypatch.setattr(store, "_writable_folder", lambda f: cache / "fallback")
    (cache / "fallback").mkdir()
    index = open_index(corpus, cache_dir=cache)
    assert index.build.cache == str(cache / "fallback") and state() == before
    assert count(index, "digital economy") == 37


def test_a_moved_or_copied_corpus_takes_its_cache_over(corpus: Path, tmp_path: Path,
                                                      cache: Path) -> None:
    first = open_index(corpus, cache_dir=cache)
    moved = tmp_path / "elsewhere" / corpus.name
    moved.parent.mkdir()
    corpus.rename(moved)
    index = open_index(moved, cache_dir=cache)
    assert (index.build.tokenised, index.build.rebuilt) == (0, False)
    assert f"the cache of the same files at {first.build.cache} was taken over" in (
        index.build.notes[0])
    assert not Path(first.build.cache).exists()  # (the corpus it was made for is gone)
    copied = tmp_path / "copy" / corpus.name
    shutil.copytree(moved, copied)  # (new times: the files are hashed, not tokenised)
    write_article(copied / "new", "a.txt", "2024-03-01", "Added", "The digital economy.")
    again = open_index(copied, cache_dir=cache)
    assert (again.build.tokenised, again.build.added, again.build.rebuilt) == (1, 1, False)
    assert count(again, "digital economy") == 37 and count(index, "digital economy") == 36
    assert Path(index.build.cache).exists()  # (its corpus is still there)
    assert open_index(moved, cache_dir=cache).build.tokenised == 0
    # a corpus of other files by the same name starts its own
    other = tmp_path / "other" / corpus.name
    write_article(other, "a.txt", "2024-03-01", "Other", "Something else.")
    assert open_index(other, cache_dir=cache).build.rebuilt


def test_cache_folder_is_keyed_by_corpus_path(tmp_path: Path, cache: Path) -> None:
    a = cache_folder(tmp_path / "one" / "corpus", cache)
    b = cache_folder(tmp_path / "two" / "corpus", cache)
    assert a != b and a.name.startswith("corpus-") and b.name.startswith("corpus-")


def _big_corpus(folder: Path, articles: int) -> Path:
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(folder),
                    "--articles", str(articles)], check=True, capture_output=True)
    return folder


def _build_command(corpus: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "policydata.cli", "build", "--corpus", str(corpus),
            "--cache-dir", str(cache), "--format", "json"]


@pytest.mark.slow
def test_two_builders_at_once_leave_one_good_cache(tmp_path: Path, cache: Path) -> None:
    corpus = _big_corpus(tmp_path / "corpus", 3000)
    builders = [subprocess.Popen(_build_command(corpus, cache), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [json.loads(b.communicate(timeout=300)[0]) for b in builders]
    assert all(b.returncode == 0 for b in builders)
    assert sorted(o["tokenised"] for o in outputs) == [0, 3000]  # one built, one reused
    index = open_index(corpus, cache_dir=cache)
    assert (index.build.tokenised, index.n_documents) == (0, 3000)
    reference = open_index(corpus, cache_dir=tmp_path / "fresh")
    assert count(index, "digital economy") == count(reference, "digital economy") > 0


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.4, 1.2, 2.5])
def test_build_killed_with_sigkill_leaves_next_start_correct(tmp_path: Path, cache: Path,
                                                             delay: float) -> None:
    corpus = _big_corpus(tmp_path / "corpus", 4000)
    process = subprocess.Popen(_build_command(corpus, cache), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    index = open_index(corpus, cache_dir=cache)
    reference = open_index(corpus, cache_dir=tmp_path / "fresh")
    assert index.n_documents == reference.n_documents == 4000
    for term in ("digital economy", "the", "new quality productive forces"):
        assert count(index, term) == count(reference, term)


def test_build_index_only_builds(corpus: Path, cache: Path) -> None:
    info = build_index(corpus, cache_dir=cache)
    assert info.tokenised == 24 and info.wrote
    assert build_index(corpus, cache_dir=cache).tokenised == 0


def test_article_text_round_trips(corpus: Path, cache: Path) -> None:
    index = open_index(corpus, cache_dir=cache)
    row = index.row_of("miit/004")
    assert row is not None
    assert index.text(row).startswith("Policy note 4\n\nThe state council met on the plan.")
    assert index.body(row).endswith("Item number 4 ends here.")


def test_missing_corpus_is_a_clear_error(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        open_index(tmp_path / "nowhere", cache_dir=cache)


def test_an_updated_index_lists_articles_as_a_fresh_one(tmp_path: Path, cache: Path) -> None:
    # An update appends rows; lists break ties in date by id, not by row, so --limit picks
    # the same articles whichever way the index was built.
    from policydata import analysis as an

    corpus = tmp_path / "c"
    for name in "bcd":
        write_article(corpus / "src", f"{name}.txt", "2020-05-01", f"Article {name}",
                      "Text about the digital economy.")
    (corpus / "src" / "x.csv").write_text("date,title\n")  # skipped: no text column
    open_index(corpus, cache_dir=cache)
    write_article(corpus / "src", "a.txt", "2020-05-01", "Article a",
                  "Text about the digital economy.")
    (corpus / "src" / "0.csv").write_text("date,title\n")
    updated = open_index(corpus, cache_dir=cache)
    fresh = open_index(corpus, cache_dir=tmp_path / "fresh")
    assert not updated.build.rebuilt and updated.build.tokenised == 1
    for sort in ("-date", "date", "hits"):
        for index in (updated, fresh):
            listed = an.articles(index, an.Filter(query="digital economy"), sort=sort, limit=2)
            assert listed["id"].tolist() == ["src/a", "src/b"], sort
    lines = [an.kwic(i, "digital economy", limit=2)["id"].tolist() for i in (updated, fresh)]
    assert lines[0] == lines[1] == ["src/a", "src/b"]
    assert an.corpus_info(updated)["skipped"] == an.corpus_info(fresh)["skipped"]


def test_damaged_texts_are_not_copied_into_an_update(corpus: Path, cache: Path) -> None:
    # An update copies the kept articles' texts into a new segment: damaged ones must be
    # found then (and the index rebuilt), not given a new, valid checksum.
    first = open_index(corpus, cache_dir=cache)
    folder = Path(first.build.cache)
    texts = max(folder.glob("segments/*/texts.parquet"), key=lambda p: p.stat().st_size)
    data = bytearray(texts.read_bytes())
    data[len(data) // 2] ^= 0x01
    texts.write_bytes(bytes(data))
    victim = next(p for p in sorted(corpus.rglob("*.txt")))
    victim.unlink()
    index = open_index(corpus, cache_dir=cache)
    fresh = open_index(corpus, cache_dir=cache.parent / "fresh")
    assert index.build.rebuilt
    assert [index.text(r) for r in range(len(index.documents)) if index.active[r]] == [
        fresh.text(r) for r in range(len(fresh.documents)) if fresh.active[r]]


def test_what_killed_builds_left_is_removed_by_the_next(corpus: Path, cache: Path) -> None:
    folder = Path(open_index(corpus, cache_dir=cache).build.cache)
    unfinished = folder / "segments" / ".abc.tmp-0123"
    unfinished.mkdir()
    (unfinished / "texts.parquet").write_bytes(b"x" * 1000)
    manifest = folder / ".manifest.json.0123.tmp"
    manifest.write_text("{}")
    index = open_index(corpus, cache_dir=cache)  # nothing changed in the corpus...
    assert index.build.tokenised == 0 and not index.build.rebuilt
    assert not unfinished.exists() and not manifest.exists()  # ...but the leftovers go


def test_an_update_stopped_before_its_manifest_leaves_the_old_cache_whole(
        corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every table an update writes has a new name: stopped (killed) just before the manifest
    # is replaced, the old cache is still whole, and the next start only redoes the update.
    folder = Path(open_index(corpus, cache_dir=cache).build.cache)
    write_article(corpus / "xinhua", "new.txt", "2024-01-01", "New", "The digital economy.")

    def killed(*args: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "_save_manifest", killed)
    with pytest.raises(RuntimeError):
        open_index(corpus, cache_dir=cache)
    monkeypatch.undo()
    tables = json.loads((folder / "manifest.json").read_text())["tables"]
    assert sorted(tables) == ["files", "problems", "resolved", "vocabulary"]  # (docs/INDEX.md)
    old = {p.name for p in folder.glob("*.parquet")}
    assert set(tables.values()) < old and len(old) == 2 * len(tables)  # old ones, unused new
    index = open_index(corpus, cache_dir=cache)
    assert not index.build.rebuilt and index.build.tokenised == 1
    tables = json.loads((folder / "manifest.json").read_text())["tables"]
    # the unused ones are gone: only the new manifest's tables are left
    assert {p.name for p in folder.glob("*.parquet")} == set(tables.values())
    assert count(index, "digital economy") == 37


def test_a_loaded_index_reads_its_texts_after_another_build_replaced_them(corpus: Path,
                                                                          cache: Path) -> None:
    # A dashboard serves a loaded index while `policydata build` updates the same cache: the
    # segment files it was loaded with are replaced and removed, and bodies not yet read must
    # still come from them (they raised FileNotFoundError).
    serving = open_index(corpus, cache_dir=cache)
    expected = [serving.text(row) for row in range(len(serving.documents))]
    serving = open_index(corpus, cache_dir=cache)  # (a fresh one: nothing read yet)
    first = sorted(corpus.rglob("*.txt"))[0]
    write_article(corpus, first.relative_to(corpus).as_posix(), "2022-01-01", "Changed",
                  "A new body.")
    sorted(corpus.rglob("*.txt"))[-1].unlink()
    updated = build_index(corpus, cache_dir=cache)
    assert (updated.changed, updated.removed) == (1, 1)
    segments = Path(updated.cache) / "segments"
    loaded_with = [entry["name"] for entry in serving._texts.manifest["segments"]]
    assert not any((segments / name).exists() for name in loaded_with), (
        "the update kept the old segments: the test shows nothing")
    assert [serving.text(row) for row in range(len(serving.documents))] == expected


def test_running_out_of_open_files_is_said_and_does_not_rebuild_the_cache(
        corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    built = open_index(corpus, cache_dir=cache)

    def segments() -> list[str]:
        manifest = json.loads((Path(built.build.cache) / "manifest.json").read_text())
        return [entry["name"] for entry in manifest["segments"]]

    before = segments()

    real_open = os.open

    def exhausted(path, flags, *args, **kwargs):  # (cache files are opened with os.open)
        if str(path).endswith("texts.parquet") and not flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EMFILE, "Too many open files")  # (a rebuild could write)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", exhausted)
    with pytest.raises(OSError, match="Too many open files"):
        open_index(corpus, cache_dir=cache)
    monkeypatch.undo()
    assert segments() == before  # the sound cache was kept, not rebuilt
    again = open_index(corpus, cache_dir=cache)
    assert (again.build.rebuilt, again.build.tokenised) == (False, 0)
