"""Uploaded corpora: limits, hostile zips, nothing written outside the upload folder."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import stat
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from policydata.corpus import load_corpus
from policydata.uploads import (
    UPLOAD_LIMITS,
    UPLOAD_MAX_IDLE_SECONDS,
    Limits,
    UploadError,
    UploadNote,
    check_upload_room,
    new_upload_folder,
    save_upload,
    sweep_uploads,
    touch_upload,
    uploads_size,
)

ARTICLE = b" date 2023-09-02 A title\n\nThe digital economy grows.\n"


def make_zip(entries: list[tuple[str, bytes]], *, links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name")  # some tests hold a name twice
        for name, data in entries:
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def everything_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_a_good_zip_and_files_become_a_corpus(tmp_path: Path) -> None:
    upload = make_zip([("xinhua/a.txt", ARTICLE), ("miit/b.txt", ARTICLE.replace(b"A", b"B")),
                       ("notes.pdf", b"%PDF-1.4")], links=("evil",))
    target = tmp_path / "up" / "corpus"
    notes = save_upload([("scrape.zip", upload), ("more.csv",
                         b"date,title,text\n2023-01-01,T,Real economy.\n")], target)
    assert everything_under(target) == {"xinhua/a.txt", "miit/b.txt", "notes.pdf", "more.csv"}
    assert notes == [UploadNote("scrape.zip: evil", "a symbolic link; not saved", saved=False)]
    docs, report = load_corpus(target)
    assert sorted(d.source for d in docs) == ["corpus", "miit", "xinhua"]
    assert [p.path for p in report.skipped] == ["notes.pdf"]  # reported, not lost


def article(i: int) -> bytes:
    return f" date 2023-09-{i + 1:02d} Title {i}\n\nThe digital economy, part {i}.\n".encode()


def test_a_zip_of_a_folder_keeps_its_source_folders(tmp_path: Path) -> None:
    """The tester's case: four source folders in a zip of a folder were one source."""
    names = ["corpus/xinhua/a.txt", "corpus/miit/b.txt", "corpus/ndrc/c.txt", "corpus/mof/d.txt"]
    upload = make_zip([(name, article(i)) for i, name in enumerate(names)])
    target = tmp_path / "corpus"
    assert save_upload([("corpus.zip", upload)], target) == []
    docs, _ = load_corpus(target)
    assert sorted(d.source for d in docs) == ["miit", "mof", "ndrc", "xinhua"]


CSV = b"date,title,text\n2023-01-01,T,Real economy.\n"


@pytest.mark.parametrize(("uploads", "expected"), [
    # a zip of the source folders themselves
    ([("scrape.zip", ["xinhua/a.txt", "miit/b.txt"])], {"xinhua/a.txt", "miit/b.txt"}),
    # folders that hold everything are dropped, however deep; macOS metadata is not saved
    ([("export.zip", ["home/me/corpus/xinhua/a.txt", "home/me/corpus/miit/2023/b.txt",
                      "__MACOSX/home/me/corpus/xinhua/._a.txt"])],
     {"xinhua/a.txt", "miit/2023/b.txt"}),
    # a hidden file beside the top folder does not keep it
    ([("c.zip", ["corpus/xinhua/a.txt", "corpus/miit/b.txt", ".DS_Store"])],
     {"xinhua/a.txt", "miit/b.txt", ".DS_Store"}),
    # a file beside the source folders stays beside them
    ([("c.zip", ["corpus/xinhua/a.txt", "corpus/readme.txt"])], {"xinhua/a.txt", "readme.txt"}),
    # a zip of one folder of files keeps that folder: its name is their source
    ([("up.zip", ["home/mine/a.txt", "home/mine/b.txt"])], {"mine/a.txt", "mine/b.txt"}),
    # a zip of files alone: a folder named after the zip
    ([("mine.zip", ["a.txt", "b.txt"])], {"mine/a.txt", "mine/b.txt"}),
    # several zips follow the same rule, so the same source folders add up; loose files at root
    ([("2023.zip", ["2023/xinhua/a.txt", "2023/miit/b.txt"]),
      ("2024.zip", ["xinhua/c.txt", "miit/d.txt"]), ("more.csv", None)],
     {"xinhua/a.txt", "miit/b.txt", "xinhua/c.txt", "miit/d.txt", "more.csv"}),
    # and zips of files alone stay apart
    ([("xinhua.zip", ["a.txt"]), ("miit.zip", ["b.txt"]), ("x.jsonl", None)],
     {"xinhua/a.txt", "miit/b.txt", "x.jsonl"}),
])
def test_where_uploaded_files_go(tmp_path: Path, uploads: list[tuple[str, list[str] | None]],
                                 expected: set[str]) -> None:
    files = [(name, CSV if members is None else
              make_zip([(m, article(i)) for i, m in enumerate(members)]))
             for name, members in uploads]
    notes = save_upload(files, tmp_path / "corpus")
    assert everything_under(tmp_path / "corpus") == expected
    macos = [UploadNote("export.zip: __MACOSX/", "macOS metadata, not articles; not saved",
                        saved=False)]
    assert notes == (macos if uploads[0][0] == "export.zip" else [])


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/cron.d/evil", "a/../../evil.txt",
                                  "C:/evil.txt", "..\\evil.txt"])
def test_paths_outside_the_upload_are_refused(tmp_path: Path, name: str) -> None:
    target = tmp_path / "up" / "corpus"
    with pytest.raises(UploadError, match="points outside the upload"):
        save_upload([("c.zip", make_zip([("ok.txt", ARTICLE), (name, b"x")]))], target)
    assert not target.exists()  # nothing saved
    assert everything_under(tmp_path) == set()


def test_zip_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    bomb = make_zip([("big.txt", b"0" * 20_000_000)])
    assert len(bomb) < 100_000
    with pytest.raises(UploadError, match="zip bomb"):
        save_upload([("bomb.zip", bomb)], tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


def test_expanded_size_is_capped_by_bytes_actually_written(tmp_path: Path) -> None:
    limits = Limits(upload_mb=5, expanded_mb=1, files=100, ratio=1000)
    data = make_zip([(f"{i}.txt", bytes([65 + i]) * 300_000) for i in range(5)])
    with pytest.raises(UploadError, match=r"more than 1 MB|expands to"):
        save_upload([("c.zip", data)], tmp_path / "corpus", limits)
    assert not (tmp_path / "corpus").exists()


def test_too_many_files_and_too_large_uploads(tmp_path: Path) -> None:
    limits = Limits(upload_mb=1, expanded_mb=10, files=10, ratio=100)
    many = make_zip([(f"{i}.txt", ARTICLE) for i in range(11)])
    with pytest.raises(UploadError, match=r"many\.zip: 11 files; the limit is 10 files"):
        save_upload([("many.zip", many)], tmp_path / "a", limits)
    with pytest.raises(UploadError, match="limit is 1 MB"):
        save_upload([("big.csv", b"x" * 2_000_000)], tmp_path / "b", limits)
    # far too many entries: refused from the zip's own count, before its table of contents
    # is read (70,000 entries need a Zip64 record for their number)
    huge = make_zip([(f"{i}", b"") for i in range(70_000)])
    with pytest.raises(UploadError, match=r"huge\.zip: 70,000 entries; the limit is 20,000"):
        save_upload([("huge.zip", huge)], tmp_path / "c")
    with pytest.raises(UploadError, match=r"folders\.zip: 23 entries; the limit is 10 files"):
        save_upload([("folders.zip", make_zip([(f"{i}/", b"") for i in range(23)]))],
                     tmp_path / "d", limits)
    assert not any(tmp_path.iterdir())  # (nothing written for any of them)


def test_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="not a valid zip"):
        save_upload([("fake.zip", b"PK\x03\x04 nonsense")], tmp_path / "corpus")


def zip_with_raw_names(names: list[bytes]) -> bytes:
    """A zip whose file names are stored as the bytes given, not marked as UTF-8 (as Windows
    tools write them): each name is written as an ASCII stand-in of its length, then swapped
    for its bytes in both the local header and the central directory."""
    stand_ins = [f"{i:04d}".encode() + b"_" * (len(name) - 4) for i, name in enumerate(names)]
    data = make_zip([(stand_in.decode(), article(i)) for i, stand_in in enumerate(stand_ins)])
    for stand_in, name in zip(stand_ins, names):
        assert data.count(stand_in) == 2
        data = data.replace(stand_in, name)
    return data


@pytest.mark.parametrize(("encoding", "note"), [
    # (written by Info-ZIP on Linux and many tools: UTF-8 bytes, not marked)
    ("utf-8", None),
    # (Chinese Windows' Explorer and WinRAR: GBK, which GB18030 contains)
    ("gbk", "read as GB18030, the encoding of Chinese Windows (e.g. 新华社/数字经济.txt)"),
])
def test_zip_file_names_not_marked_as_unicode_are_read_in_their_encoding(
        tmp_path: Path, encoding: str, note: str | None) -> None:
    names = ["新华社/数字经济.txt", "工信部/制造业.txt"]
    upload = zip_with_raw_names([name.encode(encoding) for name in names])
    target = tmp_path / "corpus"
    notes = save_upload([("scrape.zip", upload)], target)
    assert everything_under(target) == set(names)
    assert [n.reason.partition("; ")[2] for n in notes] == ([note] if note else [])
    assert all(n.saved and n.path == "scrape.zip" for n in notes)
    docs, _ = load_corpus(target)
    assert sorted(d.source for d in docs) == ["工信部", "新华社"]  # the sources, legible


def test_zip_file_names_from_western_windows_stay_as_written(tmp_path: Path) -> None:
    """Code page 437 and 850 names (German, French, Spanish Windows) also read as GB18030
    (``März`` as ``M剅z``): they stay code page 437, what Python read them as before."""
    names = ["Bericht_März.txt", "Année 2020/Größe.txt", "año/niño.txt"]
    upload = zip_with_raw_names([name.encode("cp437") for name in names])
    notes = save_upload([("docs.zip", upload)], tmp_path / "corpus")
    assert everything_under(tmp_path / "corpus") == {"Bericht_März.txt",
                                                     "Année 2020/Größe.txt", "año/niño.txt"}
    assert [n.reason.split(";")[1].strip() for n in notes] == [
        "read as code page 437, the zip standard's default: check them (e.g. Bericht_März.txt)"]


def test_zip_file_names_in_no_known_encoding_are_kept_with_a_note(tmp_path: Path) -> None:
    upload = zip_with_raw_names([b"caf\x82\xff.txt"])  # neither UTF-8 nor GB18030
    notes = save_upload([("c.zip", upload)], tmp_path / "corpus")
    assert everything_under(tmp_path / "corpus") == {"c/café\xa0.txt"}  # (code page 437)
    assert [str(n) for n in notes] == [
        "c.zip: its file names are not marked as Unicode; read as code page 437, the zip "
        "standard's default: check them (e.g. café\xa0.txt)"]


def test_a_password_protected_zip_is_refused_in_plain_words(tmp_path: Path) -> None:
    data = bytearray(make_zip([("secret/a.txt", ARTICLE)]))
    # Bit 0 of the flags (at byte 6 of the local header, 8 of the central directory's):
    # encrypted, which zipfile cannot write; its bytes cannot be read without the password.
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.index(signature) + at] |= 0x1
    with pytest.raises(UploadError) as caught:
        save_upload([("locked.zip", bytes(data))], tmp_path / "corpus")
    assert str(caught.value) == ("locked.zip: 'secret/a.txt' is password-protected; upload a "
                                 "zip without a password; nothing was saved")
    assert not (tmp_path / "corpus").exists()


@pytest.mark.parametrize(("uploads", "said"), [
    ([("empty.zip", make_zip([]))], "the upload holds no file to load (an empty zip?)"),
    ([("folders.zip", make_zip([("a/", b""), ("a/b/", b"")]))],
     "the upload holds no file to load (an empty zip?)"),
    ([("outer.zip", make_zip([("inner.zip", make_zip([("a.txt", ARTICLE)]))]))],
     "the upload holds no file to load (outer.zip: inner.zip: a zip inside the zip is not "
     "unpacked (upload it on its own); not saved)"),
    ([("links.zip", make_zip([], links=("a.txt",)))],
     "the upload holds no file to load (links.zip: a.txt: a symbolic link; not saved)"),
])
def test_an_upload_with_nothing_to_load_is_refused(tmp_path: Path,
                                                   uploads: list[tuple[str, bytes]],
                                                   said: str) -> None:
    with pytest.raises(UploadError) as caught:
        save_upload(uploads, tmp_path / "corpus")
    assert str(caught.value) == said + "; nothing was saved"
    assert not (tmp_path / "corpus").exists()


def test_a_zip_inside_a_zip_is_left_out_with_a_note(tmp_path: Path) -> None:
    upload = make_zip([("mine/a.txt", ARTICLE),
                       ("mine/more.zip", make_zip([("b.txt", ARTICLE)]))])
    files, notes = saved([("c.zip", upload)], tmp_path / "corpus")
    assert files == {"mine/a.txt"}
    assert notes == ["c.zip: mine/more.zip: a zip inside the zip is not unpacked (upload it on "
                     "its own); not saved"]


def test_folder_entries_do_not_count_as_files(tmp_path: Path) -> None:
    limits = Limits(files=2)
    upload = make_zip([("c/", b""), ("c/x/", b""), ("c/x/a.txt", ARTICLE),
                       ("c/b.txt", article(1))])
    assert save_upload([("c.zip", upload)], tmp_path / "corpus", limits) == []
    assert everything_under(tmp_path / "corpus") == {"x/a.txt", "b.txt"}  # (c: dropped)


def saved(uploads: list[tuple[str, bytes]], folder: Path) -> tuple[set[str], list[str]]:
    """The files saved, and the notes as the load report reads them (path: reason)."""
    notes = save_upload(uploads, folder)
    assert all(str(folder) not in str(note) for note in notes)
    return everything_under(folder), [str(note) for note in notes]


@pytest.mark.parametrize(("uploads", "expected", "expected_notes"), [
    # a zip holding a name twice (zips allow it), and a name that is the next free one
    ([("c.zip", make_zip([("a.txt", b"1"), ("a.txt", b"2"), ("a (2).txt", b"3")]))],
     {"c/a.txt", "c/a (2).txt", "c/a (2) (2).txt"},
     ["c.zip: a.txt: saved as c/a (2).txt because c/a.txt was taken by another file",
      "c.zip: a (2).txt: saved as c/a (2) (2).txt because c/a (2).txt was taken by "
      "another file"]),
    # two uploads of one name
    ([("a.csv", b"1"), ("a.csv", b"2")], {"a.csv", "a (2).csv"},
     ["a.csv: saved as a (2).csv because a.csv was taken by another file"]),
    # a file and a folder of one name, in either order: the folder (a source) keeps it
    ([("c.zip", make_zip([("c", b"1"), ("c/a.txt", b"2")]))], {"c (2)", "c/a.txt"},
     ["c.zip: c: saved as c (2) because c was taken by a folder"]),
    ([("c.zip", make_zip([("c/a.txt", b"2"), ("c", b"1")]))], {"c (2)", "c/a.txt"},
     ["c.zip: c: saved as c (2) because c was taken by a folder"]),
    ([("s.zip", make_zip([("xinhua/a.txt", b"1"), ("miit/b.txt", b"2")])), ("xinhua", b"3")],
     {"xinhua/a.txt", "miit/b.txt", "xinhua (2)"},
     ["xinhua: saved as xinhua (2) because xinhua was taken by a folder"]),
    # names a case-insensitive file system would take for one
    ([("c.zip", make_zip([("A.txt", b"1"), ("a.txt", b"2")]))], {"c/A.txt", "c/a (2).txt"},
     ["c.zip: a.txt: saved as c/a (2).txt because c/a.txt was taken by another file"]),
])
def test_a_clash_renames_the_file_with_a_note(tmp_path: Path, uploads: list[tuple[str, bytes]],
                                              expected: set[str],
                                              expected_notes: list[str]) -> None:
    assert saved(uploads, tmp_path / "corpus") == (expected, expected_notes)


def test_many_copies_of_one_name_are_numbered_in_turn(tmp_path: Path) -> None:
    # (each copy's number used to be searched from 1: 20,000 copies in a 2 MB zip took some
    # ten minutes of the server's CPU; the numbers given are the same as before)
    copies = 3000
    upload = make_zip([("d/a.txt", b"x")] * copies + [("d/a (7).txt", b"y")])
    files, notes = saved([("c.zip", upload)], tmp_path / "corpus")
    assert files == {"d/a.txt", *(f"d/a ({n}).txt" for n in range(2, copies + 1)),
                     "d/a (7) (2).txt"}
    assert len(notes) == copies
    assert notes[0] == "c.zip: d/a.txt: saved as d/a (2).txt because d/a.txt was taken by " \
                       "another file"


def test_a_file_nested_too_deep_is_left_out_with_a_note(tmp_path: Path) -> None:
    # 1,500 folders, one inside another, overflowed Python's stack while they were made
    deep = "a/" * 1500 + "x.txt"
    files, notes = saved([("c.zip", make_zip([(deep, ARTICLE), ("b/y.txt", ARTICLE)]))],
                         tmp_path / "corpus")
    assert files == {"b/y.txt"}
    (note,) = notes
    assert note.endswith("/x.txt: inside 1,500 nested folders (the limit is 64); not saved")
    with pytest.raises(UploadError, match=r"no file to load .*nested folders"):
        save_upload([("c.zip", make_zip([(deep, ARTICLE), ("b/" + deep, ARTICLE)]))],
                    tmp_path / "other")
    assert not (tmp_path / "other").exists() or not any((tmp_path / "other").iterdir())


def test_names_too_long_are_shortened_with_a_note(tmp_path: Path) -> None:
    long_file = "x" * 300 + ".txt"
    long_folder = "é" * 200  # 400 bytes in UTF-8
    upload = make_zip([(f"src/{long_file}", b"1"), (f"{long_folder}/a.txt", b"2"),
                       (f"{long_folder}/b.txt", b"3")])
    files, notes = saved([("c.zip", upload)], tmp_path / "corpus")
    (file,) = [name[4:] for name in files if name.startswith("src/")]
    (folder,) = {name.split("/")[0] for name in files if not name.startswith("src/")}
    # the start of the name and a hash of all of it, in 255 bytes; the extension is kept
    assert re.fullmatch("x{242}~[0-9a-f]{8}[.]txt", file)
    assert re.fullmatch("é{123}~[0-9a-f]{8}", folder)  # both files stay in one folder
    assert files == {f"src/{file}", f"{folder}/a.txt", f"{folder}/b.txt"}
    shown_file, shown_folder = f"{'x' * 30}…{file[-24:]}", f"{'é' * 30}…{folder[-24:]}"
    assert notes == [
        f"c.zip: src/{'x' * 30}…{'x' * 20}.txt: a name too long for the file system; "
        f"saved as src/{shown_file}",
        f"c.zip: {'é' * 30}…{'é' * 24}/a.txt: a name too long for the file system; "
        f"saved as {shown_folder}/a.txt",
        f"c.zip: {'é' * 30}…{'é' * 24}/b.txt: a name too long for the file system; "
        f"saved as {shown_folder}/b.txt"]


def test_a_path_the_file_system_refuses_is_left_out_with_a_note(tmp_path: Path) -> None:
    deep = "/".join(["d" * 250] * 20) + "/a.txt"  # 5,000 bytes: more than any path may be
    files, notes = saved([("c.zip", make_zip([("ok/a.txt", ARTICLE), (deep, b"x")]))],
                         tmp_path / "corpus")
    assert files == {"ok/a.txt"}
    (note,) = notes
    assert note.startswith("c.zip: dddd") and len(note) < 300
    assert note.endswith("/a.txt: the file system refused its name (File name too long); "
                         "not saved")


def test_a_failed_write_names_no_server_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "corpus"

    def full(path: Path, mode: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("policydata.uploads.open", full, raising=False)
    with pytest.raises(UploadError) as caught:
        save_upload([("a.csv", b"1")], target)
    assert str(caught.value) == ("the upload could not be saved (No space left on device); "
                                 "nothing was saved")
    assert not target.exists()


def test_the_folder_must_be_new_or_empty(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ValueError, match="new or empty folder"):
        save_upload([("a.csv", b"1")], tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


# ------------------------------------------------------------------- upload folders and cleanup

NOW = 1_800_000_000.0  # a fixed clock: folders are aged by setting their modification time


def aged(folder: Path, seconds: float) -> Path:
    os.utime(folder, (NOW - seconds, NOW - seconds), follow_symlinks=False)
    return folder


def test_limits_for_all_uploads_and_idle_folders() -> None:
    assert UPLOAD_LIMITS.all_uploads_mb == 4096 and UPLOAD_MAX_IDLE_SECONDS == 7200


def test_a_new_upload_folder_is_private_and_marked_in_use(tmp_path: Path) -> None:
    before = time.time()
    folder = new_upload_folder(temp_root=tmp_path)
    assert folder.parent == tmp_path and folder.name.startswith("policydata-upload-")
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.stat().st_mtime >= before - 1
    assert new_upload_folder(temp_root=tmp_path) != folder


def test_touch_marks_a_folder_in_use_and_tells_when_it_is_gone(tmp_path: Path) -> None:
    folder = aged(new_upload_folder(temp_root=tmp_path), 3 * 3600)
    before = time.time()
    assert touch_upload(folder) is True
    assert folder.stat().st_mtime >= before - 1
    (folder / "corpus").mkdir()
    (folder / "corpus" / "a.txt").write_text("x")
    aged(folder, 3 * 3600)
    assert sweep_uploads(now=NOW, temp_root=tmp_path) == [folder]
    assert touch_upload(folder) is False  # swept: the session must drop its upload
    (tmp_path / "policydata-upload-file").write_text("x")
    assert touch_upload(tmp_path / "policydata-upload-file") is False


def test_sweep_removes_only_unused_upload_folders(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    root = tmp_path / "tmp"
    root.mkdir()
    old = root / "policydata-upload-old"
    (old / "corpus" / "xinhua").mkdir(parents=True)
    (old / "corpus" / "xinhua" / "a.txt").write_text("x")
    (old / "corpus" / "link").symlink_to(outside)  # removed as a link, never followed
    aged(old, UPLOAD_MAX_IDLE_SECONDS + 1)
    recent, other = root / "policydata-upload-recent", root / "other-old"
    recent.mkdir()
    other.mkdir()
    aged(recent, UPLOAD_MAX_IDLE_SECONDS - 60)
    aged(other, 10 * UPLOAD_MAX_IDLE_SECONDS)
    (root / "policydata-upload-file").write_text("not a folder")
    aged(root / "policydata-upload-file", 10 * UPLOAD_MAX_IDLE_SECONDS)
    link = root / "policydata-upload-link"
    link.symlink_to(outside)
    aged(link, 10 * UPLOAD_MAX_IDLE_SECONDS)
    aged(outside, 10 * UPLOAD_MAX_IDLE_SECONDS)

    assert sweep_uploads(now=NOW, temp_root=root) == [old]
    assert sorted(p.name for p in root.iterdir()) == [
        "other-old", "policydata-upload-file", "policydata-upload-link",
        "policydata-upload-recent"]
    assert (outside / "keep.txt").read_text() == "keep"
    assert sweep_uploads(30 * 60, now=NOW, temp_root=root) == [recent]
    assert sweep_uploads(0, now=NOW, temp_root=root) == []
    with pytest.raises(ValueError, match="-1"):
        sweep_uploads(-1, temp_root=root)


def test_sweep_passes_over_folders_it_cannot_remove_or_does_not_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stuck, first, second = (aged(new_upload_folder(temp_root=tmp_path), 3 * 3600)
                            for _ in range(3))
    real_rmtree = shutil.rmtree

    def rmtree(path: Path) -> None:
        if Path(path) == stuck:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_rmtree(path)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    owner = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: owner + 1)  # as another user: nothing is ours
    assert sweep_uploads(now=NOW, temp_root=tmp_path) == []
    monkeypatch.setattr(os, "getuid", lambda: owner)
    assert sweep_uploads(now=NOW, temp_root=tmp_path) == sorted([first, second])
    assert stuck.is_dir()


def test_a_missing_temp_root_has_nothing_to_sweep(tmp_path: Path) -> None:
    assert sweep_uploads(temp_root=tmp_path / "missing") == []
    assert uploads_size(temp_root=tmp_path / "missing") == 0


def test_size_of_upload_folders_counts_their_files_only(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"x" * 100_000)
    root = tmp_path / "tmp"
    root.mkdir()
    first, second = new_upload_folder(temp_root=root), new_upload_folder(temp_root=root)
    (first / "corpus").mkdir()
    (first / "corpus" / "a.txt").write_bytes(b"x" * 1_000)
    (second / "cache" / "deep").mkdir(parents=True)
    (second / "cache" / "deep" / "index.parquet").write_bytes(b"x" * 2_500)
    (second / "cache" / "outside").symlink_to(outside)  # links are not followed
    (second / "cache" / "big.bin").symlink_to(outside / "big.bin")
    (root / "policydata-upload-link").symlink_to(outside)
    (root / "other").mkdir()
    (root / "other" / "c.txt").write_bytes(b"x" * 50_000)
    assert uploads_size(temp_root=root) == 3_500


def test_no_room_for_an_upload_when_uploads_hold_the_limit(tmp_path: Path) -> None:
    limits = Limits(all_uploads_mb=1)
    folder = new_upload_folder(temp_root=tmp_path)
    (folder / "a.bin").write_bytes(b"x" * 1_000_000)  # just under 1 MB (1,048,576 bytes)
    check_upload_room(limits, temp_root=tmp_path)
    (folder / "b.bin").write_bytes(b"x" * 572_864)  # 1.5 MB in all
    with pytest.raises(UploadError) as caught:
        check_upload_room(limits, temp_root=tmp_path)
    assert str(caught.value) == (
        "the server's room for uploads is full: uploads in use hold 1.5 MB, the limit is "
        "1.0 MB; try again later (an upload is removed when its browser tab is closed, or 2 "
        "hours after its last use)")
    assert str(tmp_path) not in str(caught.value)


def test_an_upload_whose_session_has_ended_is_removed_at_once(tmp_path: Path) -> None:
    asked: list[str] = []

    def ended(session: str) -> bool:
        asked.append(session)
        return session == "closed"

    closed = new_upload_folder(owner="closed", temp_root=tmp_path)
    going_on = new_upload_folder(owner="open", temp_root=tmp_path)
    unowned = new_upload_folder(temp_root=tmp_path)  # (made before owners were recorded)
    (closed / "corpus").mkdir()
    assert (closed / "owner").read_text() == "closed"
    assert sweep_uploads(ended=ended, temp_root=tmp_path) == [closed]
    assert sorted(asked) == ["closed", "open"]  # a folder without an owner is not asked of
    assert going_on.is_dir() and unowned.is_dir()
    assert sweep_uploads(temp_root=tmp_path) == []  # (without ``ended``: by time alone)
    aged(unowned, UPLOAD_MAX_IDLE_SECONDS + 1)
    aged(going_on, 60)
    assert sweep_uploads(ended=ended, now=NOW, temp_root=tmp_path) == [unowned]


def test_the_dashboard_settings_keep_the_stated_security_posture() -> None:
    """What README's security section says of a hosted dashboard is what the settings file
    that `streamlit run` and `policydata serve` read from the repository root holds."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True  # (off, Streamlit turns XSRF off too)
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] in ("none", "type")  # no stack traces
    # the server's cap on a request is the uploads' own cap, and README states both
    assert config["server"]["maxUploadSize"] == UPLOAD_LIMITS.upload_mb
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"{UPLOAD_LIMITS.upload_mb} MB per upload (`server.maxUploadSize`)" in readme
    assert f"{UPLOAD_LIMITS.expanded_mb} MB and {UPLOAD_LIMITS.files:,} files" in readme
