"""Uploaded corpora: limits, hostile zips, nothing written outside the upload folder."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from policydata.corpus import load_corpus
from policydata.uploads import Limits, UploadError, save_upload

ARTICLE = b" date 2023-09-02 A title\n\nThe digital economy grows.\n"


def make_zip(entries: list[tuple[str, bytes]], *, links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
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
    assert everything_under(target) == {"scrape/xinhua/a.txt", "scrape/miit/b.txt",
                                        "scrape/notes.pdf", "more.csv"}
    assert notes == ["scrape.zip: evil is a symbolic link; not saved"]
    docs, report = load_corpus(target)
    assert len(docs) == 3
    assert [p.path for p in report.skipped] == ["scrape/notes.pdf"]  # reported, not lost


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
    with pytest.raises(UploadError, match="11 entries"):
        save_upload([("many.zip", many)], tmp_path / "a", limits)
    with pytest.raises(UploadError, match="limit is 1 MB"):
        save_upload([("big.csv", b"x" * 2_000_000)], tmp_path / "b", limits)


def test_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="not a valid zip"):
        save_upload([("fake.zip", b"PK\x03\x04 nonsense")], tmp_path / "corpus")
