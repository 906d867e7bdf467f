"""The corpus loader: every format, and every kind of bad input (issues 2 and 5).

Hostile files are built in ``tmp_path`` by each test. The contract checked throughout: every
good document loads, every bad file or row is in the report with its path and a one-line
reason, nothing raises, and nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import reference as ref
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policydata import corpus
from policydata.corpus import Document, LoadReport, Problem, Unreadable
from policydata.store import open_index
from policydata.tokens import parse_term

ARTICLE = (" date 2023-09-02 Digital Economy\n\nThe digital economy and the real economy.\n\n"
           "Share this:\n\nTwitter\n\nFacebook\n")


# --------------------------------------------------------------------------- helpers


def write(root: Path, rel: str, data: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def article(title: str, body: str = "Some body text.", date: str = "2023-09-02") -> str:
    return f" date {date} {title}\n\n{body}\n"


def skipped(report: LoadReport, path: str) -> list[str]:
    return [p.reason for p in report.skipped if p.path == path]


def warned(report: LoadReport, path: str) -> list[str]:
    return [p.reason for p in report.warnings if p.path == path]


def only_reason(report: LoadReport, path: str) -> str:
    reasons = skipped(report, path)
    assert len(reasons) == 1, (path, reasons, report.skipped)
    return reasons[0]


def by_title(docs: list[Document]) -> dict[str, Document]:
    return {d.title: d for d in docs}


def load(root: Path) -> tuple[list[Document], LoadReport]:
    docs, report = corpus.load_corpus(root)
    # Invariants of every load: one-line reasons, counts that add up, unique ids.
    for problem in report.skipped + report.warnings:
        assert problem.path and problem.reason
        assert "\n" not in problem.reason and "\r" not in problem.reason, problem
    assert report.documents == len(docs)
    assert len({d.id for d in docs}) == len(docs)
    return docs, report


# --------------------------------------------------------------------------- decode


ENGLISH_GB_NO_HAN = ("The Party Group of the Ministry of Industry and Information Technology "
                     "stressed the “deep integration” of the digital economy and the real "
                     "economy — China’s “new industrialization” … in 2023’s plan.\n")
ENGLISH_GB = ENGLISH_GB_NO_HAN + "(数字经济, 新型工业化)\n"


@pytest.mark.parametrize("data, text, note", [
    pytest.param("café\n".encode(), "café\n", None, id="utf-8"),
    pytest.param(b"\xef\xbb\xbf date 2023", " date 2023", None, id="utf-8 BOM removed"),
    pytest.param(b"a\r\nb\r\n", "a\nb\n", None, id="CRLF"),
    pytest.param(b"a\rb\rc", "a\nb\nc", None, id="lone CR"),
    pytest.param(b"a\r\n\rb", "a\n\nb", None, id="CRLF then lone CR"),
    pytest.param("\ufeffé\r\nx".encode("utf-16-le"), "é\nx", "UTF-16-LE", id="utf-16-le BOM"),
    pytest.param("\ufeffé\r\nx".encode("utf-16-be"), "é\nx", "UTF-16-BE", id="utf-16-be BOM"),
    pytest.param("\ufeff数字".encode("utf-32-le"), "数字", "UTF-32-LE", id="utf-32-le BOM"),
    pytest.param("数字经济和实体经济深度融合。".encode("gbk"), "数字经济和实体经济深度融合。",
                 "GB18030", id="GBK"),
    pytest.param("推进新型工业化，数字经济€".encode("gb18030"), "推进新型工业化，数字经济€",
                 "GB18030", id="GB18030"),
    pytest.param("2023年GDP增长5.2%，数字经济规模达到50万亿元。".encode("gbk"),
                 "2023年GDP增长5.2%，数字经济规模达到50万亿元。", "GB18030",
                 id="GBK mixed with ASCII"),
    pytest.param("Politique économique: la région, l'État".encode("latin-1"),
                 "Politique économique: la région, l'État", "Latin-1", id="Latin-1 French"),
    pytest.param("Die Wirtschaftspolitik für Öffentliche Ämter".encode("latin-1"),
                 "Die Wirtschaftspolitik für Öffentliche Ämter", "Latin-1", id="Latin-1 German"),
    pytest.param("España: la política económica del año".encode("latin-1"),
                 "España: la política económica del año", "Latin-1", id="Latin-1 Spanish"),
    pytest.param("“Quoted” – dash…".encode("cp1252"), "“Quoted” – dash…", "Windows-1252",
                 id="cp1252 punctuation"),
    # English from a Chinese source saved as GB18030: its curly quotes, dashes and ellipses
    # are GB punctuation (two bytes each), as many as its Han characters or more
    pytest.param(ENGLISH_GB.encode("gb18030"), ENGLISH_GB, "GB18030",
                 id="English text in GB18030 with curly quotes"),
    pytest.param(ENGLISH_GB_NO_HAN.encode("gb18030"), ENGLISH_GB_NO_HAN, "GB18030",
                 id="English text in GB18030, punctuation only"),
])
def test_decode_detects_unambiguous_encodings(data: bytes, text: str, note: str | None):
    decoded, got_note = corpus.decode(data)
    assert decoded == text
    if note is None:
        assert got_note is None
    else:
        assert got_note is not None and note in got_note


def test_decode_damaged_utf8_keeps_the_text_with_a_note():
    good = ("数字经济和实体经济深度融合，推进新型工业化。" * 20).encode("utf-8")
    damaged = good[:301] + good[302:]  # one byte of one character lost
    text, note = corpus.decode(damaged)
    assert note is not None
    assert "not valid UTF-8 at byte 300" in note and "1 damaged byte sequence" in note
    assert text.count("\ufffd") == 1 and text.startswith("数字经济")


@pytest.mark.parametrize("data, reason", [
    pytest.param(b"", "empty file", id="empty"),
    pytest.param(b" \r\n\t\n", "empty file (only whitespace)", id="whitespace"),
    pytest.param(b"\xef\xbb\xbf\r\n", "empty file (only a byte-order mark", id="BOM only"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3", "binary file: a PDF file", id="PDF"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "binary file: a PNG image", id="PNG"),
    pytest.param(b"PK\x03\x04\x14\x00", "binary file: a ZIP archive", id="ZIP"),
    pytest.param(b"\x1f\x8b\x08\x00", "binary file: a gzip file", id="gzip"),
    pytest.param(b"PAR1\x15\x04", "binary file: a Parquet file", id="Parquet as .txt"),
    pytest.param(b"ELF\x01\x00\x00\x00text", "binary file (holds NUL bytes", id="NUL bytes"),
    pytest.param("no BOM".encode("utf-16-le"), "binary file (holds NUL bytes: 6 of the first "
                 "12 bytes)", id="UTF-16 without BOM, too short to tell"),
    pytest.param(bytes(range(1, 32)) * 10 + b"\xff", "binary file (", id="control codes"),
    # a small binary file: a few NUL bytes pass in UTF-8 text only (a NumPy array header)
    pytest.param(b"\x93NUMPY\x01\x00v\x00{'descr': '|b1', 'fortran_order': False, 'shape': "
                 b"(1,), }" + b" " * 60 + b"\n\x01", "binary file (holds NUL bytes: 2 of the "
                 "first 129 bytes)", id="small binary, not UTF-8"),
    pytest.param(b"\xff\xfe" + b"\x00\xd8\x41", "utf-16-le byte-order mark but is not valid",
                 id="broken UTF-16"),
    pytest.param(b"abc \x81\x8d\x90 def", "not valid UTF-8 (first bad byte at offset 4) and "
                 "the encoding cannot be told for sure (neither clearly GB18030 nor clearly "
                 "Latin-1); save it as UTF-8", id="undecodable"),
    pytest.param("数字 and é".encode("gbk") + "é".encode("latin-1"),
                 "neither clearly GB18030 nor clearly Latin-1", id="mixed GBK and Latin-1"),
    pytest.param(b"\xc0\xc1 a \xe9 b \xe8", "not valid UTF-8 (first bad byte at offset 0)",
                 id="ambiguous"),
    # Big5 and EUC-KR bytes also decode as GB18030, into Han characters that make no sense
    pytest.param(" date 2023-09-02 數字經濟\n\n推動實體經濟和數字經濟深度融合，加快建設現代化產業"
                 "體系，推進新型工業化。".encode("big5"),
                 "it reads as Big5 (traditional Chinese) rather than GB18030", id="Big5"),
    pytest.param(" date 2023-09-02 디지털 경제\n\n디지털 경제와 실물 경제의 심층 융합을 추진하고 "
                 "현대화 산업 체계 건설을 가속화한다.".encode("euc-kr"),
                 "it reads as EUC-KR (Korean) rather than GB18030", id="EUC-KR"),
])
def test_decode_refuses_what_it_cannot_read(data: bytes, reason: str):
    with pytest.raises(Unreadable) as error:
        corpus.decode(data)
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


NUL_CAVEAT = ("(as from a damaged download); a NUL separates words as any character that is not "
              "a letter or digit does")
LATIN = "Politique économique: la région, l'État. " * 4
HAN = "数字经济和实体经济深度融合，推进新型工业化。"


@pytest.mark.parametrize("data, text, encoding_note, nuls", [
    # (the NULs are under 1% of the first 8 KB: above that a file is refused as binary)
    pytest.param((LATIN[:60] + "\x00" + LATIN[60:]).encode("cp1252"),
                 LATIN[:60] + "\x00" + LATIN[60:],
                 "decoded as Windows-1252 (Latin-1): the file is not UTF-8", "1 NUL byte",
                 id="cp1252"),
    pytest.param(("\x00" + HAN[:14] * 10 + "\x00").encode("gbk"),
                 "\x00" + HAN[:14] * 10 + "\x00",
                 "decoded as GB18030: the file is not UTF-8", "2 NUL bytes", id="GBK"),
    pytest.param(("\ufeff" + "Digital economy. " * 10 + "\x00").encode("utf-16-le"),
                 "Digital economy. " * 10 + "\x00",
                 "decoded as UTF-16-LE (byte-order mark)", "1 NUL character", id="UTF-16-LE BOM"),
    pytest.param(("\ufeff" + "数字经济 " * 30 + "\x00").encode("utf-16-be"),
                 "数字经济 " * 30 + "\x00",
                 "decoded as UTF-16-BE (byte-order mark)", "1 NUL character", id="UTF-16-BE BOM"),
    pytest.param(("\ufeff" + "Digital economy. " * 10 + "\x00").encode("utf-8"),
                 "Digital economy. " * 10 + "\x00", None, "1 NUL byte", id="UTF-8 BOM"),
    pytest.param(b"\x00" + (HAN * 20).encode()[:301] + (HAN * 20).encode()[302:],
                 "\x00" + (HAN * 20)[:100] + "\ufffd" + (HAN * 20)[101:],
                 "not valid UTF-8 at byte 301 (1 damaged byte sequence in otherwise UTF-8 text); "
                 "decoded as UTF-8 with U+FFFD in their place", "1 NUL byte", id="damaged UTF-8"),
])
def test_nul_bytes_get_the_caveat_whatever_decoded_the_text(data: bytes, text: str,
                                                            encoding_note: str | None,
                                                            nuls: str):
    # The caveat UTF-8 text with a stray NUL gets, on every path that decodes a file.
    decoded, note = corpus.decode(data)
    assert decoded == text
    caveat = f"holds {nuls} {NUL_CAVEAT}"
    assert note == (f"{encoding_note}; {caveat}" if encoding_note else caveat)


def test_a_short_article_with_a_stray_nul_byte_loads_with_the_caveat(tmp_path: Path):
    # One NUL in 71 bytes is over 1% of them: it was refused as a binary file.
    write(tmp_path, "c/a.txt", " date 2023-04-10 Short article\n\nChina\0 said the digital "
                               "economy grows.\n")
    (doc,), report = load(tmp_path / "c")
    assert doc.body == "China\0 said the digital economy grows."
    assert [(p.path, p.reason) for p in report.warnings] == [
        ("a.txt", "holds 1 NUL byte (as from a damaged download); a NUL separates words as "
                  "any character that is not a letter or digit does")]


def test_nul_bytes_in_a_non_utf8_file_reach_the_load_report(tmp_path: Path):
    body = LATIN[:60] + "\x00" + LATIN[60:]
    write(tmp_path, "c/latin.txt", article("Économie", body).encode("cp1252"))
    write(tmp_path, "c/gbk.csv", ("date,title,text\n2023-09-02,数字经济," + HAN * 6 + "\x00\n")
          .encode("gbk"))
    docs, report = load(tmp_path / "c")
    assert {d.path: d.body for d in docs} == {"latin.txt": body.strip(),
                                             "gbk.csv#1": HAN * 6 + "\x00"}
    assert warned(report, "latin.txt") == [
        f"decoded as Windows-1252 (Latin-1): the file is not UTF-8; holds 1 NUL byte {NUL_CAVEAT}"]
    assert warned(report, "gbk.csv") == [
        f"decoded as GB18030: the file is not UTF-8; holds 1 NUL byte {NUL_CAVEAT}"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_second_byte_order_mark_does_not_hide_the_date_line(tmp_path: Path, encoding):
    # A tool that adds a mark to a file that has one already leaves U+FEFF at the start of the
    # text: the date line after it was not recognised.
    write(tmp_path, "c/a.txt", ("\ufeff" + article("Title", "Body text.")).encode(encoding))
    (doc,), report = load(tmp_path / "c")
    assert (doc.title, doc.body, report.skipped) == ("Title", "Body text.", [])


def test_nul_characters_after_a_byte_order_mark_are_binary_as_nul_bytes_are():
    with pytest.raises(Unreadable) as error:
        corpus.decode(("\ufeff" + "a\x00" * 20).encode("utf-16-le"))
    assert str(error.value) == ("binary file (holds NUL characters after a utf-16-le "
                                "byte-order mark)")


@pytest.mark.parametrize("data, reason", [
    # Han characters in UTF-16 have no NUL byte (数 is U+6570, bytes 70 65), so the file is
    # not refused as binary; its bytes are not UTF-8 (经, U+7ECF: CF 7E), and read as
    # Windows-1252 they were 'peW[Ï~Nm' (loaded as garbage).
    pytest.param("数字经济".encode("utf-16-le") * 20, "not valid UTF-8 (first bad byte at offset "
                 "4): it looks like UTF-16-LE text without a byte-order mark", id="Han LE"),
    pytest.param("数字经济".encode("utf-16-be") * 20, "not valid UTF-8 (first bad byte at offset "
                 "5): it looks like UTF-16-BE text without a byte-order mark", id="Han BE"),
    pytest.param((HAN * 20).encode("utf-16-le"), "looks like UTF-16-LE text without a "
                 "byte-order mark", id="Han sentence LE"),
    pytest.param((HAN * 20).encode("utf-16-be"), "looks like UTF-16-BE text without a "
                 "byte-order mark", id="Han sentence BE"),
    # (ASCII in UTF-16 is every other byte NUL: still refused, now naming the encoding)
    pytest.param(article("Digital economy").encode("utf-16-le"), "not UTF-8 (holds NUL bytes): "
                 "it looks like UTF-16-LE text without a byte-order mark", id="ASCII LE"),
    pytest.param(article("Digital economy").encode("utf-16-be"), "not UTF-8 (holds NUL bytes): "
                 "it looks like UTF-16-BE text without a byte-order mark", id="ASCII BE"),
])
def test_utf16_without_a_byte_order_mark_is_named(data: bytes, reason: str):
    with pytest.raises(Unreadable) as error:
        corpus.decode(data)
    assert reason in str(error.value)
    assert str(error.value).endswith("which is not read; save it as UTF-8, or as UTF-16 with a "
                                     "byte-order mark")


def test_han_utf16_without_a_byte_order_mark_is_reported_not_loaded_as_garbage(tmp_path: Path):
    # A header line's ASCII gives too few NUL bytes to call a long Han file binary.
    han = article("数字经济", HAN * 300)
    write(tmp_path, "c/le.txt", han.encode("utf-16-le"))
    write(tmp_path, "c/be.txt", han.encode("utf-16-be"))
    write(tmp_path, "c/bare.txt", ("数字经济" * 50).encode("utf-16-le"))
    write(tmp_path, "c/rows.csv", ("date,title,text\n" + "2023-09-02,数字经济," + HAN * 400 + "\n")
          .encode("utf-16-le"))
    write(tmp_path, "c/bom.txt", ("\ufeff" + han).encode("utf-16-le"))  # (read)
    docs, report = load(tmp_path / "c")
    assert [(d.path, d.title, d.body) for d in docs] == [("bom.txt", "数字经济", HAN * 300)]
    for name, order in [("le.txt", "LE"), ("be.txt", "BE"), ("bare.txt", "LE"),
                        ("rows.csv", "LE")]:
        reason = only_reason(report, name)
        assert reason.startswith("not"), reason
        assert f"it looks like UTF-16-{order} text without a byte-order mark" in reason, reason


@pytest.mark.parametrize("text, encoding, note", [
    # Text in an 8-bit encoding is not taken for UTF-16 (which would refuse it).
    ("La politique économique de l'État a été présentée à Genève.\n" * 3, "latin-1",
     "Windows-1252"),
    ("Économie, député, élève, théâtre, à côté, déjà.", "cp1252", "Windows-1252"),
    (" date 2023-09-02 Économie\n\nLa région présente son économie.\n", "latin-1",
     "Windows-1252"),
    ("date,title,text\n2023-09-02,数字经济," + HAN * 5 + "\n", "gbk", "GB18030"),
    (" date 2023-09-02 数字经济\n\n" + HAN * 5 + "\n2023年GDP增长5.2%。\n", "gbk", "GB18030"),
    (HAN * 40, "gb18030", "GB18030"),
])
def test_eight_bit_text_is_not_taken_for_utf16(text: str, encoding: str, note: str):
    decoded, got = corpus.decode(text.encode(encoding))
    assert decoded == text and got is not None and note in got


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list(HAN + "的一是在不了有人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
                             "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高"
                             "自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政"
                             "四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道"
                             ", .\n0123abcGDP"), min_size=16, max_size=300))
def test_prop_gbk_text_is_never_taken_for_utf16(text: str):
    try:
        corpus.decode(text.encode("gbk"))
    except Unreadable as error:
        assert "UTF-16" not in str(error)


# --------------------------------------------------------------------------- dates

TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize("value, date, precision", [
    ("2023-09-02", dt.date(2023, 9, 2), "day"),
    ("2023-09", dt.date(2023, 9, 1), "month"),
    ("2023", dt.date(2023, 1, 1), "year"),
    (" 2023-9-2 ", dt.date(2023, 9, 2), "day"),
    ("2023/09/02", dt.date(2023, 9, 2), "day"),
    ("2023.09.02", dt.date(2023, 9, 2), "day"),
    ("2023-09-02T10:30:00Z", dt.date(2023, 9, 2), "day"),
    ("2023-09-02 10:30:00+08:00", dt.date(2023, 9, 2), "day"),
    ("2024-02-29", dt.date(2024, 2, 29), "day"),
    ("1000", dt.date(1000, 1, 1), "year"),
    ("2025-12-31", dt.date(2025, 12, 31), "day"),  # up to a year ahead is accepted
    (dt.date(2023, 9, 2), dt.date(2023, 9, 2), "day"),
    (dt.datetime(2023, 9, 2, 23, 59), dt.date(2023, 9, 2), "day"),
    # English month names (the order of day and month is then clear)
    ("September 2, 2023", dt.date(2023, 9, 2), "day"),
    ("Sep 2, 2023", dt.date(2023, 9, 2), "day"),
    ("Sept. 2, 2023", dt.date(2023, 9, 2), "day"),
    ("september 2 2023", dt.date(2023, 9, 2), "day"),
    ("2 September 2023", dt.date(2023, 9, 2), "day"),
    ("2 Sept. 2023", dt.date(2023, 9, 2), "day"),
    ("02 SEP 2023", dt.date(2023, 9, 2), "day"),
    ("2nd September, 2023", dt.date(2023, 9, 2), "day"),
    ("Saturday, September 2, 2023", dt.date(2023, 9, 2), "day"),
    ("Sat, 2 Sep 2023", dt.date(2023, 9, 2), "day"),
    # a time of day after the date, with or without a zone: the date as written
    ("Sat, 02 Sep 2023 08:00:00 +0800", dt.date(2023, 9, 2), "day"),  # (RSS's pubDate)
    ("Sat, 02 Sep 2023 23:30:00 GMT", dt.date(2023, 9, 2), "day"),
    ("2 Sep 2023 8:00 pm", dt.date(2023, 9, 2), "day"),
    ("2023-09-02 08:00:00 UTC", dt.date(2023, 9, 2), "day"),
    ("2023年09月02日 08:00", dt.date(2023, 9, 2), "day"),
    ("September 2, 2023, 10:30 a.m.", dt.date(2023, 9, 2), "day"),
    ("September 2023", dt.date(2023, 9, 1), "month"),
    ("Sept. 2023", dt.date(2023, 9, 1), "month"),
    ("may 2024", dt.date(2024, 5, 1), "month"),
    ("February 29, 2024", dt.date(2024, 2, 29), "day"),
    (2023, dt.date(2023, 1, 1), "year"),
    (2023.0, dt.date(2023, 1, 1), "year"),
    # numbers of 12 digits or more are epoch milliseconds (pandas' to_json), of 9 to 11 digits
    # epoch seconds; the date is the UTC day
    # ISO 8601's basic form, and a number of 8 digits in it (spreadsheets, Stata)
    ("20230902", dt.date(2023, 9, 2), "day"),
    (20230902, dt.date(2023, 9, 2), "day"),
    # dates as Chinese sources write them (full-width digits are digits)
    ("2023年9月2日", dt.date(2023, 9, 2), "day"),
    ("2023 年 9 月", dt.date(2023, 9, 1), "month"),
    ("2023年", dt.date(2023, 1, 1), "year"),
    ("２０２３年９月２日", dt.date(2023, 9, 2), "day"),
    (1693612800000, dt.date(2023, 9, 2), "day"),
    (1693699199999, dt.date(2023, 9, 2), "day"),  # the day's last millisecond
    (1693612800000.0, dt.date(2023, 9, 2), "day"),
    ("1693612800000", dt.date(2023, 9, 2), "day"),  # a CSV column of numbers
    (100_000_000_000, dt.date(1973, 3, 3), "day"),
    (-639_100_800_000, dt.date(1949, 10, 1), "day"),
    (-639_100_800_001, dt.date(1949, 9, 30), "day"),  # one millisecond earlier: the day before
    (-100_000_000_000, dt.date(1966, 10, 31), "day"),
    (-1_000_000_000_000, dt.date(1938, 4, 24), "day"),
    (1693612800, dt.date(2023, 9, 2), "day"),
    ("1693612800", dt.date(2023, 9, 2), "day"),
    (100_000_000, dt.date(1973, 3, 3), "day"),
    (-100_000_000, dt.date(1966, 10, 31), "day"),
    (-441_849_600, dt.date(1956, 1, 1), "day"),
    (-441_849_601, dt.date(1955, 12, 31), "day"),  # one second earlier: the day before
])
def test_parse_date(value, date, precision):
    assert corpus.parse_date(value, today=TODAY) == (date, precision)


@pytest.mark.parametrize("value, reason", [
    ("2023-02-30", "impossible date '2023-02-30' (day is out of range for month)"),
    ("2023-02-29", "impossible date '2023-02-29'"),
    ("2023-13", "impossible date '2023-13' (month must be in 1..12)"),
    ("2023-00-10", "impossible date '2023-00-10'"),
    ("0999-01-01", "implausible date '0999-01-01' (years 1000 to 2025 are accepted)"),
    ("2999", "implausible date '2999'"),
    ("2026-01-01", "implausible date '2026-01-01'"),
    (2999, "implausible date '2999'"),
    ("", "missing date"),
    ("   ", "missing date"),
    (None, "missing date"),
    (float("nan"), "missing date"),
    ("yesterday", "unrecognised date 'yesterday' (use YYYY-MM-DD, YYYY-MM or YYYY)"),
    ("02/09/2023", "unrecognised date '02/09/2023' (use YYYY-MM-DD, YYYY-MM or YYYY; "
                   "day/month order cannot be told in 02/09/2023)"),
    ("2.9.23", "day/month order cannot be told in 2.9.23"),
    # (where the order is clear, the reason says why it is still not read)
    ("9/22/2023", "unrecognised date '9/22/2023' (use YYYY-MM-DD, YYYY-MM or YYYY; dates with "
                  "the day or the month first are not read, even where the order is clear, "
                  "since others in the same file may not be)"),
    ("22.9.2023", "even where the order is clear"),
    ({"$date": "2023-09-02"}, "an object (MongoDB's extended JSON: export dates as text)"),
    # a long cell is no date, whatever it ends with (and the time-of-day pattern is not tried
    # over it: spaces and commas before a time made it quadratic, 33 s at 60,000 characters)
    ("a" + " ," * 100_000 + "1:00", "unrecognised date 'a" + " ," * 19 + " ...'"),
    ("September 31, 2023", "impossible date 'September 31, 2023' (day is out of range for "
                           "month)"),
    ("Friday, September 2, 2023", "impossible date 'Friday, September 2, 2023' (2023-09-02 is "
                                  "a Saturday)"),
    ("Funday, September 2, 2023", "unrecognised date 'Funday, September 2, 2023' (use "
                                  "YYYY-MM-DD, YYYY-MM or YYYY)"),
    ("Smarch 2, 2023", "unrecognised date 'Smarch 2, 2023' (use YYYY-MM-DD, YYYY-MM or YYYY)"),
    ("September 2, 23", "unrecognised date 'September 2, 23'"),
    ("September 2023 2", "unrecognised date 'September 2023 2'"),
    ("Septembre 2023", "unrecognised date 'Septembre 2023'"),
    ("September 2, 2999", "implausible date 'September 2, 2999'"),
    ("20230230", "impossible date '20230230' (day is out of range for month): a number of 8 "
                 "digits is read as YYYYMMDD"),
    ("2023年2月30日", "impossible date '2023年2月30日'"),
    ("2023年9月2", "unrecognised date '2023年9月2'"),
    ("x" * 100, "unrecognised date '" + "x" * 40 + "...'"),
    (2023.5, "unrecognised date 2023.5, a number with a fraction"),
    (float("inf"), "unrecognised date inf, not a finite number"),
    (2023090, "unrecognised date '2023090' (a number is read as a year of 4 digits, YYYYMMDD "
              "of 8, epoch seconds of 9 to 11 digits or epoch milliseconds of 12 or more; use "
              "YYYY-MM-DD, YYYY-MM or YYYY)"),
    (99_999_999, "impossible date '99999999' (month must be in 1..12): a number of 8 digits"),
    pytest.param(10**5000, "unrecognised date: a number of about 5000 digits (a year has 4",
                 id="int of 5001 digits"),  # (str() of it fails: Python's digit limit)
    pytest.param("9" * 5000, "unrecognised date: a number of 5000 digits (a year has 4",
                 id="text of 5000 digits"),
    (10**29, "implausible date '100000000000000000000000000000' (as epoch milliseconds it is "
             "not a date of years 1 to 9999)"),
    (-(10**19), "implausible date '-10000000000000000000' (as epoch milliseconds"),
    (float(2**80), "implausible date '1.2089258196146292e+24' (as epoch milliseconds"),
    (4102444800000.0, "implausible date '4102444800000.0' (years 1000 to 2025"),  # 2100
    (4102444800, "implausible date '4102444800' (years 1000 to 2025"),  # 2100 in seconds
    (-40_000_000_000_000, "implausible date '-40000000000000' (years 1000"),  # year 702
    (0, "impossible date '0' (year 0 is out of range)"),
    (True, "unrecognised date True, true or false"),
    ([2023], "unrecognised date [2023], a list"),
])
def test_parse_date_refuses(value, reason):
    with pytest.raises(ValueError) as error:
        corpus.parse_date(value, today=TODAY)
    assert reason in str(error.value)


# --------------------------------------------------------------------------- scanning


def test_scan_reads_folders_recursively_and_reports_the_rest(tmp_path: Path):
    write(tmp_path, "b.txt", ARTICLE)
    write(tmp_path, "a/x/y/deep.md", ARTICLE)
    write(tmp_path, "a/table.CSV", "date,title,text\n")
    write(tmp_path, ".hidden.txt", ARTICLE)
    write(tmp_path, ".git/config.txt", ARTICLE)
    write(tmp_path, "a/.cache/c.txt", ARTICLE)
    write(tmp_path, "notes.docx", b"PK\x03\x04")
    write(tmp_path, "data.xml", "<a/>")
    write(tmp_path, "README", ARTICLE)  # no name ending: read as text
    os.mkfifo(tmp_path / "pipe.txt")
    files, problems = corpus.scan(tmp_path)
    assert [f.path for f in files] == ["README", "a/table.CSV", "a/x/y/deep.md", "b.txt"]
    assert all(isinstance(f, corpus.FileEntry) and f.size > 0 and f.mtime_ns > 0
               for f in files if f.path != "a/table.CSV")
    reasons = {p.path: p.reason for p in problems}
    assert reasons == {
        ".hidden.txt": "hidden file (name starts with '.'); not read",
        ".git": "hidden folder (name starts with '.'); not read",
        "a/.cache": "hidden folder (name starts with '.'); not read",
        "notes.docx": reasons["notes.docx"],
        "data.xml": reasons["data.xml"],
        "pipe.txt": "not a regular file or folder (a device, pipe or socket); not read",
    }
    assert reasons["notes.docx"].startswith("unsupported file type '.docx' (read: .txt, .md")
    assert reasons["data.xml"].startswith("unsupported file type '.xml'")
    assert [p.path for p in problems] == sorted(p.path for p in problems)


def test_scan_symbolic_links(tmp_path: Path):
    write(tmp_path, "sub/a.txt", ARTICLE)
    os.symlink("..", tmp_path / "sub" / "up")  # a loop back to the root
    os.symlink(".", tmp_path / "sub" / "here")  # a loop onto itself
    os.symlink("nowhere.txt", tmp_path / "broken.txt")
    os.symlink("self.txt", tmp_path / "self.txt")  # a link to itself
    os.symlink("sub/a.txt", tmp_path / "alias.txt")  # a good link to a file of the corpus
    write(tmp_path.parent / f"{tmp_path.name}-outside", "b.txt", ARTICLE)
    os.symlink(tmp_path.parent / f"{tmp_path.name}-outside" / "b.txt", tmp_path / "out.txt")
    files, problems = corpus.scan(tmp_path)  # must return, not hang
    # (a link to a file outside the corpus is read; one to a file of the corpus is that file
    # read twice, and as the first path it would be the duplicate kept, under its folder's
    # source)
    assert [f.path for f in files] == ["out.txt", "sub/a.txt"]
    reasons = {p.path: p.reason for p in problems}
    assert reasons["alias.txt"] == ("symbolic link to 'sub/a.txt', which is read as itself; "
                                    "not read again")
    assert reasons["broken.txt"] == ("broken symbolic link (its target 'nowhere.txt' does "
                                     "not exist); not read")
    assert reasons["self.txt"].startswith("symbolic link loop")
    assert reasons["sub/up"] == ("folder already read as '.' (symbolic link loop or second "
                                 "link to it); not read again")
    assert reasons["sub/here"].startswith("folder already read as 'sub' (symbolic link loop")
    assert len(problems) == 5


def test_a_link_to_a_folder_of_the_corpus_leaves_the_folder_its_own_name(tmp_path: Path):
    # 'latest' sorts before 'xinhua' and links to it: the articles are xinhua's (source, ids),
    # and the link is the second way to them, reported, whichever name sorts first.
    write(tmp_path, "c/xinhua/a.txt", ARTICLE)
    write(tmp_path, "c/xinhua/deeper/b.txt", ARTICLE.replace("Digital", "Other"))
    os.symlink("xinhua", tmp_path / "c" / "latest")
    os.symlink("..", tmp_path / "c" / "xinhua" / "deeper" / "up")  # (a loop, via a link)
    write(tmp_path, "outside/o.txt", ARTICLE.replace("Digital", "Third"))
    os.symlink(tmp_path / "outside", tmp_path / "c" / "mirror")  # (a folder of its own)
    docs, report = load(tmp_path / "c")
    assert sorted((d.source, d.path) for d in docs) == [
        ("mirror", "mirror/o.txt"), ("xinhua", "xinhua/a.txt"), ("xinhua", "xinhua/deeper/b.txt")]
    reasons = {p.path: p.reason for p in report.skipped}
    assert reasons == {
        "latest": "folder already read as 'xinhua' (symbolic link loop or second link to it); "
                  "not read again",
        "xinhua/deeper/up": "folder already read as 'xinhua' (symbolic link loop or second "
                            "link to it); not read again"}


def test_scan_deep_nesting_does_not_overflow(tmp_path: Path):
    depth = 1100  # deeper than Python's recursion limit
    fds = [os.open(tmp_path, os.O_RDONLY)]
    try:
        for _ in range(depth):  # relative to the parent's descriptor: no long path lookups
            os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        leaf = os.open("a.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fds[-1])
        os.write(leaf, ARTICLE.encode())
        os.close(leaf)
        files, problems = corpus.scan(tmp_path)
        assert len(files) == 1 and files[0].path == "d/" * depth + "a.txt"
        assert problems == []
    finally:  # bottom up: shutil.rmtree (pytest's clean-up) recurses and would overflow
        if len(fds) == depth + 1:
            os.unlink("a.txt", dir_fd=fds[-1])
        for parent, child in zip(fds[-2::-1], fds[:0:-1], strict=True):
            os.close(child)
            os.rmdir("d", dir_fd=parent)
        os.close(fds[0])
    assert list(tmp_path.iterdir()) == []


def test_scan_a_single_file_and_a_missing_root(tmp_path: Path):
    path = write(tmp_path, "one.txt", ARTICLE)
    files, problems = corpus.scan(path)
    assert [f.path for f in files] == ["one.txt"] and problems == []
    docs, _ = load(path)
    assert [d.title for d in docs] == ["Digital Economy"]
    assert docs[0].source == tmp_path.name
    with pytest.raises(FileNotFoundError, match="does not exist"):
        corpus.scan(tmp_path / "missing")


def test_many_tiny_files(tmp_path: Path):
    n = 5000
    for k in range(20):
        (tmp_path / f"s{k}").mkdir()
    for i in range(n):
        (tmp_path / f"s{i % 20}" / f"{i:05d}.txt").write_bytes(
            b" date 2023-09-02 T%d\n\nbody %d\n" % (i, i))
    files, problems = corpus.scan(tmp_path)
    assert len(files) == n and problems == []
    assert [f.path for f in files] == sorted(f.path for f in files)
    docs, report = load(tmp_path)
    assert len(docs) == n and report.files == n
    assert report.skipped == [] and report.warnings == []
    assert {d.source for d in docs} == {f"s{i}" for i in range(20)}


# --------------------------------------------------------------------------- text formats


@pytest.mark.parametrize("header, date, precision, title", [
    (" date 2023-09-02 Vigorously Promote", dt.date(2023, 9, 2), "day", "Vigorously Promote"),
    ("date 2023-09-02 No leading space", dt.date(2023, 9, 2), "day", "No leading space"),
    ("    date\t2023-09-02\tTabs  ", dt.date(2023, 9, 2), "day", "Tabs"),
    (" date 2023-09 Month only", dt.date(2023, 9, 1), "month", "Month only"),
    (" date 2023 Year only", dt.date(2023, 1, 1), "year", "Year only"),
    # as Chinese sources write dates, spaced or not (the spaced one was read as year 2023
    # with the title "年 9 月 2 日 ...")
    (" date 2023年9月2日 数字经济", dt.date(2023, 9, 2), "day", "数字经济"),
    (" date 2023 年 9 月 2 日 Spaced", dt.date(2023, 9, 2), "day", "Spaced"),
    (" date 2023年9月2日标题", dt.date(2023, 9, 2), "day", "标题"),
    (" date 2023年9月 Month", dt.date(2023, 9, 1), "month", "Month"),
    # as other scrapers write the word: in capitals, or with a colon
    ("DATE 2023-09-03 Capitals", dt.date(2023, 9, 3), "day", "Capitals"),
    ("Date: 2023-09-04 Colon", dt.date(2023, 9, 4), "day", "Colon"),
    (" date:2023-09 Colon, no space", dt.date(2023, 9, 1), "month", "Colon, no space"),
    ("Date: 2023年9月5日 数字", dt.date(2023, 9, 5), "day", "数字"),
])
def test_scraped_format(tmp_path: Path, header, date, precision, title):
    write(tmp_path, "a.txt", f"{header}\n\nFirst paragraph.\n\nSecond.\n\nShare this:\n\nX\n")
    (doc,), report = load(tmp_path)
    assert (doc.date, doc.precision, doc.title) == (date, precision, title)
    assert doc.body == "First paragraph.\n\nSecond."
    assert doc.text == f"{title}\n\nFirst paragraph.\n\nSecond."
    assert (doc.id, doc.path, doc.source, doc.url) == ("a", "a.txt", tmp_path.name, "")
    assert report.skipped == [] and report.warnings == []


def test_the_seed_article():
    docs, report = load(Path(__file__).parents[1] / "seeds")
    assert len(docs) == 1 and report.skipped == [] and report.warnings == []
    assert docs[0].date == dt.date(2023, 9, 2) and "Share this" not in docs[0].body


@pytest.mark.parametrize("body, kept", [
    ("Text.\n\nShare this:\n\nTwitter\n\nFacebook\n", "Text."),
    ("Text.\n  Share this: Twitter\nLike this:\n", "Text."),
    ("Text.\nPlease share this: it matters.\n", "Text.\nPlease share this: it matters."),
    ("Text with Share this: inside a line.\n", "Text with Share this: inside a line."),
    ("Share this:\n", ""),
    # the last such line starts the footer: share buttons above the article are text
    ("By a reporter\nShare this: Twitter\n\nText.\n\nShare this:\nFacebook\n",
     "By a reporter\nShare this: Twitter\n\nText."),
    # share buttons above a long article, and no footer: not a trailing footer, nothing cut
    ("By a reporter\nShare this: Twitter\n\n" + "Text. " * 101,
     "By a reporter\nShare this: Twitter\n\n" + ("Text. " * 101).strip()),
    # a long footer after a longer article is cut (and reported, see below)
    ("Text. " * 200 + "\nShare this:\n" + "Related. " * 101, ("Text. " * 200).strip()),
])
def test_footer(body: str, kept: str):
    assert corpus.strip_footer(body) == kept


def test_sources_default_to_the_first_folder_level(tmp_path: Path):
    write(tmp_path, "root.txt", article("At root"))
    write(tmp_path, "xinhua/2023/09/a.txt", article("Nested"))
    write(tmp_path, "gov/b.md", "---\ndate: 2023-09-02\ntitle: Own source\nsource: State "
                                "Council\n---\nbody\n")
    docs = by_title(load(tmp_path)[0])
    assert docs["At root"].source == tmp_path.name
    assert docs["Nested"].source == "xinhua"
    assert docs["Nested"].path == "xinhua/2023/09/a.txt"
    assert docs["Nested"].id == "xinhua/2023/09/a"
    assert docs["Own source"].source == "State Council"


def test_front_matter_field_names_match_in_any_case(tmp_path: Path):
    write(tmp_path, "a.md", "---\nDate: 2023-09-02\nTitle: Capitals\nSOURCE: MIIT\n"
                            "Url: https://example.org/a\nId: k\n---\nBody\n")
    (doc,), report = load(tmp_path)
    assert (doc.date, doc.title, doc.source, doc.url, doc.id) == (
        dt.date(2023, 9, 2), "Capitals", "MIIT", "https://example.org/a", "k")
    assert report.skipped == [] and report.warnings == []


def test_dates_with_month_names_in_files(tmp_path: Path):
    write(tmp_path, "a.md", "---\ndate: Saturday, September 2, 2023\ntitle: Named\n---\nB\n")
    write(tmp_path, "t.csv", 'date,title,text\n"Sep 3, 2023",Row,b\n02/09/2023,Ambiguous,c\n')
    docs, report = load(tmp_path)
    assert [(d.title, d.date, d.precision) for d in docs] == [
        ("Named", dt.date(2023, 9, 2), "day"), ("Row", dt.date(2023, 9, 3), "day")]
    assert skipped(report, "t.csv") == [
        "row 2 (line 3): unrecognised date '02/09/2023' (use YYYY-MM-DD, YYYY-MM or YYYY; "
        "day/month order cannot be told in 02/09/2023)"]


def test_front_matter(tmp_path: Path):
    write(tmp_path, "a.md", "---\ndate: 2023-09-02\ntitle: 'Digital: economy'\n"
                            "source: MIIT\nurl: https://example.org/a\nid: miit-1\n---\n\n"
                            "# Heading\n\nBody text.\n\nShare this:\nX\n")
    write(tmp_path, "b.markdown", "\n\n---\ndate: 2023-09\ntitle: Month\n---\nBody\n")
    write(tmp_path, "c.text", "---  \ndate: 2023\ntitle: Year as a number\n...\nBody\n")
    write(tmp_path, "d.md", "---\ndate: 2023-09-02T08:00:00+08:00\ntitle: 2023-09-01\n---\nB\n")
    docs = by_title(load(tmp_path)[0])
    a = docs["Digital: economy"]
    assert (a.date, a.precision, a.source, a.url, a.id, a.path) == (
        dt.date(2023, 9, 2), "day", "MIIT", "https://example.org/a", "miit-1", "a.md")
    assert a.body == "# Heading\n\nBody text."
    assert (docs["Month"].date, docs["Month"].precision) == (dt.date(2023, 9, 1), "month")
    assert docs["Year as a number"].precision == "year"
    assert docs["2023-09-01"].date == dt.date(2023, 9, 2)  # a date-like title stays text


@pytest.mark.parametrize("text, reason", [
    pytest.param("---\ntitle: T\n---\nbody\n", "front matter has no 'date'", id="no date"),
    pytest.param("---\ndate: 2023-02-30\ntitle: T\n---\nbody\n",
                 "front matter: impossible date '2023-02-30'", id="impossible date"),
    pytest.param("---\ndate: 0999-01-01\ntitle: T\n---\nbody\n",
                 "front matter: implausible date '0999-01-01'", id="year 0999"),
    pytest.param("---\ndate: 2999-01-01\ntitle: T\n---\nbody\n",
                 "front matter: implausible date '2999-01-01'", id="year 2999"),
    pytest.param("---\ndate:\ntitle: T\n---\nbody\n", "front matter: missing date",
                 id="empty date"),
    pytest.param("---\ndate: !!timestamp 2023-02-30\n---\nbody\n",
                 "front matter holds an impossible value", id="tagged impossible date"),
    pytest.param("---\ndate: 2023-09-02\ntitle: [unclosed\n---\nbody\n",
                 "front matter is not valid YAML (line 4)", id="bad YAML"),
    pytest.param("\n---\ndate: 2023-09-02\n  title: x\n---\nbody\n",
                 "front matter is not valid YAML (line 4)", id="bad YAML after a blank line"),
    pytest.param("---\ndate: 2023-09-02\ntitle: Inflation: the long view\n---\nbody\n",
                 "must be quoted)", id="unquoted colon"),
    pytest.param("+++\ndate = 2023-09-02\ntitle = \"T\"\n+++\nbody\n",
                 "front matter between '+++' lines is TOML; only YAML front matter, between "
                 "'---' lines, is read", id="TOML front matter"),
    pytest.param("---\nDate: 2023-02-30\nTitle: T\n---\nbody\n",
                 "front matter: impossible date '2023-02-30'", id="Date: in capitals"),
    pytest.param("---\n- a list\n---\nbody\n", "front matter is not a mapping of fields "
                 "(found list)", id="not a mapping"),
    pytest.param("---\ndate: 2023-09-02\ntitle: T\nbody never separated\n",
                 "front matter opened with '---' on line 1 is never closed", id="unclosed"),
    pytest.param("---\ndate: 2023-09-02\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\nb\n",
                 "front matter is not valid YAML (line 3): exceeded maximum nesting depth",
                 id="deeply nested YAML"),
])
def test_front_matter_problems(tmp_path: Path, text: str, reason: str):
    write(tmp_path, "a.md", text)
    docs, report = load(tmp_path)
    assert docs == []
    assert reason in only_reason(report, "a.md")
    if reason == "must be quoted)":  # (libyaml and PyYAML word the problem differently)
        assert re.fullmatch(r"front matter is not valid YAML \(line 3\): mapping values are "
                            r"not allowed (here|in this context) \(a value holding ': ' must be "
                            r"quoted\)", only_reason(report, "a.md"))


@pytest.mark.parametrize("text, reason", [
    pytest.param("Vigorously Promote\n\nbody\n", "no date: the first line 'Vigorously "
                 "Promote' is not ' date YYYY-MM-DD Title'", id="no header"),
    pytest.param(" date Vigorously Promote\n\nbody\n",
                 "header has no date: 'date' is followed by 'Vigorously'", id="header, no date"),
    pytest.param(" date\n\nbody\n", "no date: the first line 'date'", id="only 'date'"),
    pytest.param(" 2023-09-02 Title\n\nbody\n", "no date: the first line", id="no 'date' word"),
    pytest.param("Dated 2023-09-02 Title\n\nbody\n", "no date: the first line 'Dated",
                 id="another word"),
    pytest.param("Date: \n\nbody\n", "no date: the first line 'Date:'", id="'Date:' alone"),
    pytest.param(" date 2023-02-30 Title\n\nbody\n", "header: impossible date '2023-02-30'",
                 id="impossible date"),
    pytest.param(" date 2023-9-31 Title\n\nbody\n", "header: impossible date '2023-9-31'",
                 id="impossible date, short"),
    pytest.param(" date 0999-05-01 Title\n\nbody\n", "header: implausible date '0999-05-01'",
                 id="year 0999"),
    pytest.param(" date 2999-05-01 Title\n\nbody\n", "header: implausible date '2999-05-01'",
                 id="year 2999"),
    pytest.param(" date 2023-09-02Title\n\nbody\n", "header: unrecognised date",
                 id="no space after date"),
    # An article of no words would count in every "% of articles" (a row of a table with no
    # title and no text is skipped too).
    pytest.param(" date 2024-01-01\n", "header has a date but the file has no title and no "
                 "text", id="only a date"),
    pytest.param(" date 2024-01-01 \n\n \n", "header has a date but the file has no title "
                 "and no text", id="a date and blank lines"),
    pytest.param(" date 2024-01-01\n\nShare this:\nTwitter\n", "no title and no text",
                 id="a date and a footer"),
    pytest.param("---\ndate: 2024-01-01\n---\n\n", "front matter has a date but the file has "
                 "no title and no text", id="front matter, only a date"),
    pytest.param(" date 2024-01-01 \u200b\u00a0\u3000\n\n\u200b\n", "header has a date but "
                 "the file has no title and no text", id="only invisible characters"),
])
def test_header_problems(tmp_path: Path, text: str, reason: str):
    write(tmp_path, "a.txt", text)
    docs, report = load(tmp_path)
    assert docs == []
    assert reason in only_reason(report, "a.txt")


@pytest.mark.parametrize("text, warnings", [
    pytest.param(" date 2023-09-02 Only a title\n", ["title with no body"], id="no body"),
    pytest.param(" date 2023-09-02 Only a title\n\n\n  \n", ["title with no body"],
                 id="blank body"),
    pytest.param(" date 2023-09-02 Title\n\nShare this:\nTwitter\n", ["title with no body"],
                 id="only a footer"),
    pytest.param(" date 2023-09-02\n\nBody\n", ["header has a date but no title"],
                 id="no title"),
    pytest.param("---\ndate: 2023-09-02\n---\nBody\n", ["front matter has no 'title'"],
                 id="front matter without title"),
    # a title of spaces and a zero-width space shows nothing: it is no title either
    pytest.param(" date 2023-09-02 \u00a0\u2003\u3000\u200b\n\nBody\n",
                 ["header has a date but no title (only [U+200B])"], id="invisible title"),
    pytest.param("---\ndate: 2023-09-02\ntitle: \"\u200b\u200e\"\n---\nBody\n",
                 ["front matter has no 'title' (only [U+200B][U+200E])"],
                 id="front matter, invisible title"),
    pytest.param(" date 2023-09-02 Title\n\n\u200b\u2060\n", ["title with no body"],
                 id="invisible body"),
    # a time after the date is not taken for the title without a word
    pytest.param(" date 2023-09-02 23:30:00-05:00 Rates held\n\nBody\n",
                 ["the title starts with what looks like a time of day ('23:30:00-05:00'), "
                  "kept in the title: the header's date is '2023-09-02'"], id="time in title"),
])
def test_loaded_with_a_warning(tmp_path: Path, text: str, warnings: list[str]):
    write(tmp_path, "a.txt", text)
    (doc,), report = load(tmp_path)
    assert report.skipped == []
    got = warned(report, "a.txt")
    assert len(got) == len(warnings)
    for reason, expected in zip(got, warnings, strict=True):
        assert expected in reason
    assert doc.date == dt.date(2023, 9, 2)
    if "no title" in warnings[0] or "no 'title'" in warnings[0]:
        # no words counted that the file does not hold as its title (the file name 'a')
        assert not any(c.isalnum() for c in doc.title) and doc.text.endswith("\n\nBody")


@pytest.mark.parametrize("data", [
    pytest.param(b"\xef\xbb\xbf date 2023-09-02 Title\n\nBody\n", id="UTF-8 BOM"),
    pytest.param(b" date 2023-09-02 Title\r\n\r\nBody\r\n\r\nShare this:\r\nX\r\n", id="CRLF"),
    pytest.param(b" date 2023-09-02 Title\r\rBody\r\rShare this:\rX\r", id="lone CR"),
    pytest.param("\ufeff date 2023-09-02 Title\r\n\r\nBody\r\n".encode("utf-16-le"),
                 id="UTF-16 with BOM"),
    pytest.param(b"\n\n   \n date 2023-09-02 Title\n\nBody\n", id="blank lines first"),
])
def test_encodings_and_line_endings_give_the_same_document(tmp_path: Path, data: bytes):
    write(tmp_path, "a.txt", data)
    (doc,), report = load(tmp_path)
    assert (doc.title, doc.body, doc.date) == ("Title", "Body", dt.date(2023, 9, 2))
    assert report.skipped == []


@pytest.mark.parametrize("data, title, note", [
    pytest.param(" date 2023-09-02 数字经济\n\n数字经济和实体经济深度融合。\n".encode("gbk"),
                 "数字经济", "decoded as GB18030", id="GBK"),
    pytest.param(" date 2023-09-02 Économie\n\nLa région et l'État.\n".encode("latin-1"),
                 "Économie", "decoded as Windows-1252 (Latin-1)", id="Latin-1"),
    pytest.param("\ufeff date 2023-09-02 数字\n\n经济\n".encode("utf-16-be"), "数字",
                 "decoded as UTF-16-BE (byte-order mark)", id="UTF-16-BE"),
])
def test_other_encodings_load_with_a_note(tmp_path: Path, data: bytes, title: str, note: str):
    write(tmp_path, "a.txt", data)
    (doc,), report = load(tmp_path)
    assert doc.title == title
    assert report.skipped == []
    assert [note in r for r in warned(report, "a.txt")] == [True]


@pytest.mark.parametrize("data, reason", [
    pytest.param(b"", "empty file", id="empty"),
    pytest.param(b"\n\n  \n", "empty file", id="whitespace"),
    pytest.param(b"\x00\x01\x02\x03binary\x00", "binary file", id="binary"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(100), "binary file: a PNG image", id="PNG"),
    pytest.param(b" date 2023-09-02 T\n\nabc \x81\x8d\x90 def\n", "not valid UTF-8 (first "
                 "bad byte at offset 24)", id="undetectable encoding"),
])
def test_unreadable_text_files(tmp_path: Path, data: bytes, reason: str):
    write(tmp_path, "a.txt", data)
    docs, report = load(tmp_path)
    assert docs == []
    assert only_reason(report, "a.txt").startswith(reason)
    assert report.files == 1


def test_a_50_mb_article(tmp_path: Path):
    paragraph = ("The digital economy and the real economy are integrated deeply. " * 16
                 + "\n\n").encode()
    n = 50 * 2**20 // len(paragraph)
    data = b" date 2023-09-02 Big\r\n\r\n" + paragraph * n + b"Share this:\nTwitter\n"
    assert len(data) > 50 * 2**20 - len(paragraph)
    write(tmp_path, "big.txt", data)
    (doc,), report = load(tmp_path)
    assert report.skipped == [] and report.warnings == []
    assert doc.title == "Big"
    assert len(doc.body) == len(paragraph) * n - 3  # minus the last space and blank line
    assert doc.body.endswith("deeply.") and "Share this" not in doc.body[-100:]


# --------------------------------------------------------------------------- CSV


def test_csv(tmp_path: Path):
    write(tmp_path, "news/t.csv",
          "Date,Title,Text,ID,Source,URL\n"
          '2023-09-02,First,"Body, with a comma",n1,MIIT,https://e.org/1\n'
          '2023-09,Second,"Two\n\nparagraphs\n\nShare this:\nX",,,\n'
          "\n"
          '2023,"Quoted ""title""",Body 3,,,\n')
    docs, report = load(tmp_path)
    assert report.skipped == [] and report.warnings == []
    first, second, third = docs
    assert (first.id, first.source, first.url, first.body, first.path) == (
        "n1", "MIIT", "https://e.org/1", "Body, with a comma", "news/t.csv#1")
    assert (second.id, second.source, second.precision, second.body) == (
        "news/t#2", "news", "month", "Two\n\nparagraphs")
    assert (third.title, third.path, third.precision) == ('Quoted "title"', "news/t.csv#4",
                                                          "year")


def test_csv_crlf_and_bom(tmp_path: Path):
    write(tmp_path, "t.csv", b'\xef\xbb\xbfdate,title,text\r\n2023-09-02,T,"a\r\nb"\r\n')
    (doc,), report = load(tmp_path)
    assert (doc.title, doc.body) == ("T", "a\nb") and report.skipped == []


@pytest.mark.parametrize("header, reason", [
    ("date,title,body", "missing column text (found: date, title, body; needed: date, "
                        "title, text; optional: id, source, url)"),
    ("published,headline,text", "missing columns date, title (found: published, headline, "
                                "text; needed: date, title, text; optional: id, source, url)"),
    ("id", "missing columns date, title, text (found: id; needed: date, title, text; "
           "optional: id, source, url)"),
    ("date|title|text", "missing columns date, title, text (found: date|title|text; needed: "
                        "date, title, text; optional: id, source, url); the file seems to use "
                        "another separator than ',', ';' or a tab"),
    ("published;headline;text", "missing columns date, title (found: published, headline, "
                                "text; needed: date, title, text; optional: id, source, url)"),
    ("date\theadline\ttext", "missing column title (found: date, headline, text; needed: "
                             "date, title, text; optional: id, source, url)"),
    ("date,title,text,Date", "column date appears more than once (names are compared "
                             "without case)"),
])
def test_csv_missing_columns(tmp_path: Path, header: str, reason: str):
    write(tmp_path, "t.csv", f"{header}\n2023-09-02,T,body\n2023-09-03,U,body\n")
    docs, report = load(tmp_path)
    assert docs == []
    assert only_reason(report, "t.csv") == reason


SEPARATORS = pytest.mark.parametrize("sep, name", [(",", "comma"), (";", "semicolon"),
                                                 ("\t", "tab")])


def separated(text: str, sep: str) -> str:
    """A CSV text written with commas, with another separator (every comma separates)."""
    return text.replace(",", sep)


@SEPARATORS
def test_csv_broken_quoting_reports_the_row_and_loads_the_rest(tmp_path: Path, sep, name):
    write(tmp_path, "t.csv", separated(
          "date,title,text\n"                                  # line 1
          "2023-09-01,Good 1,body 1\n"                         # line 2
          '2023-09-02,"He said "hi"",body 2\n'                 # line 3: bad quote
          "2023-09-03,Good 3,body 3\n"                         # line 4
          '2023-09-04,"Unclosed title,body 4\n'               # line 5: never closed here
          "2023-09-05,Good 5,body 5\n"                         # line 6: swallowed, recovered
          '2023-09-06,Good 6,"body 6"\n'                       # line 7: swallowed, recovered
          '2023-09-07,Good 7,"body\n'                         # line 8: unclosed at the end
          "2023-09-08,Last,body 8\n", sep))                   # line 9: recovered
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["Good 1", "Good 3", "Good 5", "Good 6", "Last"]
    assert [d.body for d in docs][-1] == "body 8"
    reasons = skipped(report, "t.csv")
    shown = "tab" if sep == "\t" else repr(sep)
    assert reasons == [
        f"line 3: broken CSV quoting ({shown} expected after '\"'); row not loaded",
        f"line 5: broken CSV quoting ({shown} expected after '\"'); the row runs on to line 7 "
        "(an unclosed quote?); row not loaded (lines 6 to 7 are read again, each on its own)",
        "line 8: broken CSV quoting (unexpected end of data); the row runs on to line 9 "
        "(an unclosed quote?); row not loaded (line 9 is read again on its own)",
    ]


@SEPARATORS
@pytest.mark.parametrize("line3, loaded, reasons", [
    pytest.param('2023-09-02,Good,text"\n', ["Good", "Good 2"], [
        "line 2: 2 fields where the header has 3; the row runs on to line 3 (an unclosed "
        "quote?); row not loaded (line 3 is read again on its own)"], id="too few fields"),
    pytest.param('2023-09-02,Good,text",\n', ["Good 2"], [
        "line 2: the title runs over a line shaped like a row of its own; the row runs "
        "on to line 3 (an unclosed quote?); row not loaded (line 3 is read again on its own)",
        "line 3 (read again after line 2): 4 fields where the header has 3 (a stray {name} or "
        "a missing field?); row not loaded"],
        id="a row inside the title"),
])
def test_csv_quote_closing_on_a_later_line(tmp_path: Path, line3, loaded, reasons, sep, name):
    write(tmp_path, "t.csv", separated(
          "date,title,text\n"
          '2023-09-01,"Title,body\n'          # line 2: the quote closes on line 3
          + line3 +
          "2023-09-03,Good 2,text 2\n", sep))  # line 4
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == loaded
    # line 3, swallowed by line 2's quote, is read again on its own: it loads if it can, and
    # is reported with its own reason if it cannot (line 2's report only says it is read again)
    assert skipped(report, "t.csv") == [reason.format(name=name) for reason in reasons]


@pytest.mark.parametrize("line3, reason", [
    ("2023-01-08,t", "2 fields where the header has 3"),
    ("2023-01-08,extra,cols,here,more", "5 fields where the header has 3"),
    # (a line starting with a quote starts no row: taken as the rest of line 2's, and named)
    ('"2023-01-08,t,body', "line 4, where no row of this file starts (a date of the form of "
                           "its other rows, then its other fields), is taken as the rest of "
                           "this row, not loaded"),
])
def test_csv_line_read_again_after_a_broken_row_is_reported_when_it_cannot_load(
        tmp_path: Path, line3, reason):
    # Line 2's quote swallows lines 3 and 4; both are read again, line 4 loads, and line 3,
    # bad in its own way, must be named in the report rather than vanish.
    write(tmp_path, "t.csv", "date,title,text\n"
                             "2023-01-06,before,body\n"
                             '2023-01-07,"broken quote,text here\n'
                             f"{line3}\n"
                             "2023-01-10,after,body\n")
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["before", "after"]
    reasons = skipped(report, "t.csv")
    if line3.startswith('"'):
        assert len(reasons) == 1 and reasons[0].startswith("line 3:") and reason in reasons[0]
        return
    assert [r.split(":")[0] for r in reasons] == ["line 3", "line 4 (read again after line 3)"]
    assert reason in reasons[1]


def test_csv_paragraphs_of_a_broken_row_are_not_read_as_rows(tmp_path: Path):
    # A row broken on its first line (text after a closing quote) whose text runs on over
    # paragraphs: a paragraph that reads as a row ("2008, the year..." has a date and three
    # fields) is not one, its dates being of another form than the file's rows; the
    # paragraphs are named in the broken row's one report, and the next row keeps number 3.
    write(tmp_path, "t.csv", "date,title,text\n"
                             '2001-01-01,A,"first body"\n'                         # line 2
                             '2009-01-01,"Obama (2009)" (transcript),"Madam Speaker,\n'
                             "2008, the year the crisis hit, was hard on families.\n"
                             "\n"
                             "I know that for many Americans watching, this is hard.\n"
                             'We will, we must, recover."\n'                       # line 7
                             '2021-01-01,C,"last body"\n')
    docs, report = load(tmp_path)
    assert [(d.id, d.title) for d in docs] == [("t#1", "A"), ("t#3", "C")]
    # (a row with a date of another form than the rows before still starts a row when the
    # date is a whole one: a file may mix '2001-01-01' and 'January 20, 2021')
    text = (tmp_path / "t.csv").read_text().replace("2021-01-01,C", '"January 20, 2021",C')
    (tmp_path / "t.csv").write_text(text)
    assert [d.title for d in load(tmp_path)[0]] == ["A", "C"]
    assert skipped(report, "t.csv") == [
        "line 3: broken CSV quoting (',' expected after '\"'); row not loaded; lines 4 to 7, "
        "where no row of this file starts (a date of the form of its other rows, then its "
        "other fields), are taken as the rest of this row, not loaded"]


@SEPARATORS
def test_csv_rows_swallowed_by_a_text_are_named_in_a_caveat(tmp_path: Path, sep, name):
    # A text over several lines is common, and is loaded as written; lines in it shaped like
    # whole rows of the file are the mark of a quote closed too late: they are named.
    write(tmp_path, "t.csv", separated(
          "date,title,text\n"                                  # line 1
          "2023-09-02,G2,ok\n"                                 # line 2
          '2023-09-03,B3,"unclosed text 3\n'                   # line 3: opened
          "2023-09-04,G4,good\n"                               # line 4: a row, swallowed
          "2023-09-05,B5 two fields\n"                         # line 5
          '2023-09-06,G6,closes here"\n'                       # line 6: closed
          "2023-09-07,G7,last\n", sep))                        # line 7
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["G2", "B3", "G7"]
    assert "2023-09-04" in docs[1].body  # (as written)
    assert [(p.path, p.reason) for p in report.warnings] == [
        ("t.csv#2", "row 2 (line 3): its text runs on to line 6 and holds 2 lines shaped like "
                    "a row of this file (lines 4, 6): an unclosed quote? They are loaded as "
                    "part of this row's text, not as rows of their own")]
    # a text over several lines with no such line loads without a caveat
    write(tmp_path, "t.csv", separated('date,title,text\n2023-09-03,T,"a text\nover lines"\n',
                                       sep))
    docs, report = load(tmp_path)
    assert [d.body for d in docs] == ["a text\nover lines"] and not report.warnings


def test_csv_rows_swallowed_by_a_title_are_found_when_the_date_is_the_last_column(
        tmp_path: Path):
    write(tmp_path, "t.csv", 'title,text,date\n'
                             '"Title,body,2023-09-01\n'                # line 2: quote opened
                             'Good,text,2023-09-02",B,2023-09-03\n'     # line 3: closed
                             'Good 2,text 2,2023-09-04\n')
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["Good 2"]
    # (line 3 read on its own ends in the date '2023-09-02"': no row starts there)
    assert skipped(report, "t.csv") == [
        "line 2: the title runs over a line shaped like a row of its own; the row runs on to "
        "line 3 (an unclosed quote?); row not loaded (line 3 is read again on its own); "
        "line 3, where no row of this file starts (a date of the form of its other rows, then "
        "its other fields), is taken as the rest of this row, not loaded"]


def test_csv_title_with_a_line_break_is_loaded_as_written(tmp_path: Path):
    # Scraped headlines may hold a line break; only a later line shaped like a row (a date in
    # the date column) marks a quote closed too late.
    write(tmp_path, "t.csv", 'title,date,text\n"Line one\nline two, the plan",2023-09-01,'
                             '"Body, with\nlines"\n')
    (doc,), report = load(tmp_path)
    assert (doc.title, doc.body) == ("Line one\nline two, the plan", "Body, with\nlines")
    assert report.skipped == []


@pytest.mark.parametrize("header, row", [
    ("title,date,text", '"Work report\nBeijing, 2023",2023-09-01,Body'),
    ("title,text,date", '"Forum opens\nBeijing, China, 2023",Body,2023-09-01'),
])
def test_csv_title_whose_second_line_ends_in_a_year_is_not_a_broken_row(tmp_path: Path,
                                                                         header, row):
    write(tmp_path, "t.csv", f"{header}\n{row}\n")
    (doc,), report = load(tmp_path)
    assert doc.title.split("\n")[1].startswith("Beijing") and report.skipped == []


def test_csv_multiline_text_is_not_a_broken_row(tmp_path: Path):
    write(tmp_path, "t.csv", 'date,title,text\n2023-09-01,T,"one\ntwo, three\n\nfour"\n')
    (doc,), report = load(tmp_path)
    assert doc.body == "one\ntwo, three\n\nfour" and report.skipped == []


@SEPARATORS
def test_csv_rows_with_too_many_or_too_few_fields(tmp_path: Path, sep, name):
    write(tmp_path, "t.csv", separated(
          "date,title,text\n"
          "2023-09-01,Good 1,body\n"
          "2023-09-02,Bad,body,extra\n"
          "2023-09-03,Bad\n"
          "2023-09-04\n"
          "2023-09-05,Good 2,body\n", sep))
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["Good 1", "Good 2"]
    assert [d.path for d in docs] == ["t.csv#1", "t.csv#5"]
    assert skipped(report, "t.csv") == [
        f"line 3: 4 fields where the header has 3 (a stray {name} or a missing field?); "
        "row not loaded",
        f"line 4: 2 fields where the header has 3 (a stray {name} or a missing field?); "
        "row not loaded",
        f"line 5: 1 field where the header has 3 (a stray {name} or a missing field?); "
        "row not loaded",
    ]


def test_csv_row_problems_name_row_and_line(tmp_path: Path):
    write(tmp_path, "t.csv",
          "date,title,text\n"
          "2023-02-30,Impossible,body\n"
          "0999-01-01,Absurd,body\n"
          ",No date,body\n"
          "2023-09-01,,\n"
          "2023-09-02,Title only,\n"
          "2023-09-03,,Body only\n"
          "2023-09-04,\u200b,\u200b\n"
          "2023-09-05,\u200b \u200b,Body\n")
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["Title only", "", "\u200b \u200b"]
    assert skipped(report, "t.csv") == [
        "row 1 (line 2): impossible date '2023-02-30' (day is out of range for month)",
        "row 2 (line 3): implausible date '0999-01-01' (years 1000 to "
        f"{dt.date.today().year + 1} are accepted)",
        "row 3 (line 4): missing date (the date is empty)",
        "row 4 (line 5): no title and no text",
        "row 7 (line 8): no title and no text",
    ]
    assert warned(report, "t.csv#5") == [
        "row 5 (line 6): title with no text: only the title is counted"]
    assert warned(report, "t.csv#6") == ["row 6 (line 7): no title"]
    assert warned(report, "t.csv#8") == ["row 8 (line 9): no title (only [U+200B] [U+200B])"]


def test_csv_separated_by_semicolons_or_tabs(tmp_path: Path):
    # European Excel writes ';' (the comma is the decimal mark); Excel's "Unicode text" is
    # UTF-16 with tabs; a .tsv file holds tabs
    write(tmp_path, "excel.csv", "\ufeffDate;Title;Text;Source\r\n"
                                 "02.09.2023;Prices, wages;Up 2,5 %, then down;Stats\r\n"
                                 '2023-09-03;"Quoted; title";"Two\r\nlines";\r\n')
    write(tmp_path, "unicode.csv", "\ufeffdate\ttitle\ttext\r\n"
                                   '2023-09-04\t数字经济, 实体经济\t"A\ttab"\r\n'
                                   .encode("utf-16-le"))
    write(tmp_path, "t.tsv", "date\ttitle\ttext\n2023-09-05\tTSV\tA, b; c\n")
    write(tmp_path, "comma.tsv", "date,title,text\n2023-09-06,Commas in a .tsv,d\n")
    docs, report = load(tmp_path)
    assert [(d.path, d.title, d.body, d.source) for d in docs] == [
        ("comma.tsv#1", "Commas in a .tsv", "d", tmp_path.name),
        ("excel.csv#2", "Quoted; title", "Two\nlines", tmp_path.name),
        ("t.tsv#1", "TSV", "A, b; c", tmp_path.name),
        ("unicode.csv#1", "数字经济, 实体经济", "A\ttab", tmp_path.name)]
    assert skipped(report, "excel.csv") == [
        "row 1 (line 2): unrecognised date '02.09.2023' (use YYYY-MM-DD, YYYY-MM or YYYY; "
        "day/month order cannot be told in 02.09.2023)"]
    assert warned(report, "unicode.csv") == ["decoded as UTF-16-LE (byte-order mark)"]
    assert corpus.scan(tmp_path)[1] == []


@pytest.mark.parametrize("text, reason", [
    ("date,title,text\n", "no rows: only a header or nothing"),
    ("date,title,text\n\n\n", "no rows: only a header or nothing"),
    ('"date,title,text\n', "CSV header cannot be read: unexpected end of data"),
])
def test_csv_without_rows(tmp_path: Path, text: str, reason: str):
    write(tmp_path, "t.csv", text)
    docs, report = load(tmp_path)
    assert docs == [] and only_reason(report, "t.csv") == reason


# --------------------------------------------------------------------------- JSON Lines


def jline(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def test_jsonl(tmp_path: Path):
    write(tmp_path, "feed/a.jsonl",
          jline(date="2023-09-02", title="One", text="Body 1", id="x1", url="u")
          + "\n"
          + jline(date=2023, title="Two", text="Body 2\n\nShare this:\nX", source="Own")
          + jline(date="2023-09", title="数字", text="经济"))
    write(tmp_path, "b.ndjson", jline(date="2023-09-05", title="Nd", text="json"))
    docs, report = load(tmp_path)
    assert report.skipped == [] and report.warnings == []
    docs = by_title(docs)
    one, two, three, nd = docs["One"], docs["Two"], docs["数字"], docs["Nd"]
    assert (one.id, one.url, one.path, one.source) == ("x1", "u", "feed/a.jsonl#1", "feed")
    assert (two.id, two.path, two.precision, two.body, two.source) == (
        "feed/a#3", "feed/a.jsonl#3", "year", "Body 2", "Own")
    assert (three.title, three.precision) == ("数字", "month")
    assert nd.path == "b.ndjson#1"


def test_jsonl_broken_lines_are_reported_and_good_ones_load(tmp_path: Path):
    write(tmp_path, "a.jsonl",
          jline(date="2023-09-01", title="Good 1", text="b")       # 1
          + '{"date": "2023-09-02", "title": "Bad", "text": \n'    # 2: broken
          + "[1, 2, 3]\n"                                          # 3: a list
          + '"just a string"\n'                                    # 4
          + "null\n"                                               # 5
          + "42\n"                                                 # 6
          + jline(title="No date", text="b")                       # 7
          + jline(date=None, title="Null date", text="b")          # 8
          + jline(date="2023-02-30", title="Impossible", text="b")  # 9
          + "[" * 100_000 + "]" * 100_000 + "\n"                   # 10: deeply nested
          + jline(date="2023-09-03", title="Good 2", text="b")     # 11
          + '{"date": "2023-09-04", "title": "Cut off here\n')      # 12: a string cut off
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["Good 1", "Good 2"]
    assert [d.path for d in docs] == ["a.jsonl#1", "a.jsonl#11"]
    assert skipped(report, "a.jsonl")[-1] == (
        "line 12: invalid JSON (Unterminated string starting at column 33); line not loaded")
    assert skipped(report, "a.jsonl")[:-1] == [
        "line 2: invalid JSON (Expecting value, column 48); line not loaded",
        "line 3: not a JSON object (found a list; each line must be an object with date, "
        "title, text)",
        "line 4: not a JSON object (found a string; each line must be an object with date, "
        "title, text)",
        "line 5: not a JSON object (found null; each line must be an object with date, "
        "title, text)",
        "line 6: not a JSON object (found a number; each line must be an object with date, "
        "title, text)",
        "line 7: missing date; not loaded",
        "line 8: missing date (the date is empty)",
        "line 9: impossible date '2023-02-30' (day is out of range for month)",
        "line 10: invalid JSON (nested too deeply); line not loaded",
    ]


def test_json_array_of_articles(tmp_path: Path):
    # Scrapy's `-o items.json` writes one array of objects
    write(tmp_path, "feed/items.json", json.dumps([
        {"date": "2023-09-02", "title": "One", "text": "Body 1", "url": "u"},
        {"Date": 1693699200000, "Title": "Two", "Text": "Body 2"},
        {"date": "2023-02-30", "title": "Impossible", "text": "x"},
        ["not", "an", "object"],
        {"title": "No date", "text": "y"},
        {"date": "2023-09", "title": "Three", "text": "Body 3", "id": "own"},
    ], indent=2))
    write(tmp_path, "one.json", json.dumps({"date": "2023-09-04", "title": "Alone",
                                            "text": "Body 4"}))
    write(tmp_path, "lines.json", jline(date="2023-09-05", title="Lines 1", text="a")
          + jline(date="2023-09-06", title="Lines 2", text="b"))  # JSON Lines named .json
    docs, report = load(tmp_path)
    assert [(d.path, d.id, d.title, d.date) for d in docs] == [
        ("feed/items.json#1", "feed/items#1", "One", dt.date(2023, 9, 2)),
        ("feed/items.json#2", "feed/items#2", "Two", dt.date(2023, 9, 3)),
        ("feed/items.json#6", "own", "Three", dt.date(2023, 9, 1)),
        ("lines.json#1", "lines#1", "Lines 1", dt.date(2023, 9, 5)),
        ("lines.json#2", "lines#2", "Lines 2", dt.date(2023, 9, 6)),
        ("one.json#1", "one#1", "Alone", dt.date(2023, 9, 4))]
    assert skipped(report, "feed/items.json") == [
        "item 3: impossible date '2023-02-30' (day is out of range for month)",
        "item 4: not a JSON object (found a list; each item must be an object with date, "
        "title, text)",
        "item 5: missing date; not loaded"]
    assert report.warnings == [] and len(report.skipped) == 3


@pytest.mark.parametrize("text, reason", [
    pytest.param("[]", "an empty JSON array: no articles", id="empty array"),
    pytest.param("42", "not a JSON array of articles (found a number; a .json file holds an "
                 "array of objects with date, title, text, or one such object)", id="number"),
    pytest.param('"text"', "not a JSON array of articles (found a string;", id="string"),
    pytest.param("null", "not a JSON array of articles (found null;", id="null"),
    pytest.param('[{"date": "2023-09-02",\n "title": }]',
                 "invalid JSON (Expecting value, line 2 column 11)", id="broken"),
    pytest.param("[" * 100_000 + "]" * 100_000, "invalid JSON (nested too deeply)",
                 id="deeply nested"),
    pytest.param("[1, 2]", "item 1: not a JSON object (found a number;", id="array of numbers"),
])
def test_json_files_that_hold_no_articles(tmp_path: Path, text: str, reason: str):
    write(tmp_path, "a.json", text)
    docs, report = load(tmp_path)
    assert docs == []
    assert skipped(report, "a.json")[0].startswith(reason)


def test_a_json_number_too_long_for_python_costs_its_field_not_the_file(tmp_path: Path):
    # Python refuses to read an integer of over 4,300 digits: the JSON reader raised, and a
    # .json array lost every item with "invalid JSON (Exceeds the limit...)".
    huge = "9" * 5000
    write(tmp_path, "a.json", '[{"date": "2023-09-02", "title": "Good", "text": "a"}, '
                              f'{{"date": {huge}, "title": "Huge date", "text": "b"}}, '
                              f'{{"date": "2023-09-03", "title": {huge}, "text": "c"}}]')
    write(tmp_path, "b.jsonl", '{"date": "2023-09-04", "title": "Line", "text": "d"}\n'
                               f'{{"date": "2023-09-05", "title": "T", "text": "e", "n": {huge}}}\n')
    docs, report = load(tmp_path)
    assert sorted(d.title for d in docs) == sorted(["Good", huge, "Line", "T"])
    assert skipped(report, "a.json") == [
        "item 2: unrecognised date: a number of 5000 digits (a year has 4, epoch milliseconds "
        "13; use YYYY-MM-DD, YYYY-MM or YYYY)"]
    assert not skipped(report, "b.jsonl")


def test_jsonl_written_by_pandas_with_epoch_milliseconds(tmp_path: Path):
    # pandas' to_json writes datetimes as epoch milliseconds; a value that is no date costs its
    # line, never the file (it used to: "OverflowError: signed integer is greater than maximum")
    import warnings

    import pandas as pd

    frame = pd.DataFrame({
        "date": pd.to_datetime(["2023-09-02 23:59", "1949-10-01 00:00", "1966-10-30 00:00",
                                None, "1969-12-31 23:59"]),
        "title": ["Late", "Founding", "Before", "No date", "Eve"], "text": list("abcde")})
    with warnings.catch_warnings():  # (pandas 3 announces ISO text as its future default)
        warnings.simplefilter("ignore")
        text = frame.to_json(orient="records", lines=True)
    assert '"date":1693699140000' in text and '"date":-60000' in text  # (what is read)
    write(tmp_path, "p.jsonl", text + jline(date=10**29, title="Huge", text="e")
          + jline(date=20230902, title="Digits", text="f")
          + jline(date=1693612800, title="Seconds", text="g"))
    docs, report = load(tmp_path)
    assert [(d.title, d.date, d.precision) for d in docs] == [
        ("Late", dt.date(2023, 9, 2), "day"), ("Founding", dt.date(1949, 10, 1), "day"),
        ("Before", dt.date(1966, 10, 30), "day"), ("Digits", dt.date(2023, 9, 2), "day"),
        ("Seconds", dt.date(2023, 9, 2), "day")]
    # Milliseconds within a day of 1970-01-01 are too small to be told from a year or seconds
    # (and from 1966-10-31 to 1973-03-03 they read as seconds): refused, never guessed.
    assert skipped(report, "p.jsonl") == [
        "line 4: missing date (the date is empty)",
        "line 5: unrecognised date '-60000' (a number is read as a year of 4 digits, YYYYMMDD "
        "of 8, epoch seconds of 9 to 11 digits or epoch milliseconds of 12 or more; use "
        "YYYY-MM-DD, YYYY-MM or YYYY)",
        "line 6: implausible date '100000000000000000000000000000' (as epoch milliseconds it "
        "is not a date of years 1 to 9999)",
    ]


def test_csv_with_an_epoch_column(tmp_path: Path):
    write(tmp_path, "t.csv", "date,title,text\n1693612800000,Ms,a\n-639100800000,Old,b\n"
                             "1693612800,S,c\n1693612800000.0,Float,d\n"
                             "99999999999999999999999,Huge,e\n")
    docs, report = load(tmp_path)
    assert [(d.title, d.date) for d in docs] == [
        ("Ms", dt.date(2023, 9, 2)), ("Old", dt.date(1949, 10, 1)), ("S", dt.date(2023, 9, 2)),
        ("Float", dt.date(2023, 9, 2))]
    assert skipped(report, "t.csv") == [
        "row 5 (line 6): implausible date '99999999999999999999999' (as epoch milliseconds it "
        "is not a date of years 1 to 9999)"]


# --------------------------------------------------------------------------- Parquet


def test_a_bad_byte_or_nul_costs_its_row_not_the_file(tmp_path: Path):
    # \x81 is not UTF-8 and no encoding can be told from it: the rows holding such bytes
    # (or NUL characters) are reported, every other row loads
    write(tmp_path, "a.jsonl", (jline(date="2023-09-01", title="Good 1", text="b")
                                + jline(date="2023-09-02", title="Bad", text="x")
                                ).encode().replace(b"Bad", b"B\x81d")
          + jline(date="2023-09-03", title="Good 2", text="c").encode())
    write(tmp_path, "b.csv", b"date,title,text\n2023-09-04,Good 3,d\n2023-09-05,Bad,e\x81f\n"
          b"2023-09-06,Zero,\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\n2023-09-07,Good 4,g\n")
    write(tmp_path, "c.csv", "date,title,text\n2023-09-08,Good 5,h\n,,\n\"\",\"\",\"\"\n \n"
          "2023-09-09,Good 6,i\n")
    docs, report = load(tmp_path)
    assert sorted(d.title for d in docs) == [f"Good {i}" for i in range(1, 7)]
    assert skipped(report, "a.jsonl") == ["line 2: holds bytes that are not UTF-8 in title; "
                                          "not loaded"]
    assert skipped(report, "b.csv") == [
        "row 2 (line 3): holds bytes that are not UTF-8 in text; not loaded",
        "row 3 (line 4): holds NUL characters (damaged data) in text; not loaded"]
    assert only_reason(report, "c.csv") == ("3 rows with every field empty (lines 3, 4, 5); "
                                            "not loaded")
    assert "each row holding bytes that are not UTF-8 is reported" in warned(report,
                                                                            "a.jsonl")[0]


def test_a_damaged_parquet_row_group_costs_its_rows_only(tmp_path: Path):
    table = pa.table({"date": [f"2023-09-{d:02}" for d in range(1, 21)],
                      "title": [f"T{d}" for d in range(1, 21)],
                      "text": [f"body {d}" for d in range(1, 21)]})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=5, compression="none")
    data = bytearray(path.read_bytes())
    chunk = pq.ParquetFile(path).metadata.row_group(2).column(2)  # (rows 11-15, "text")
    start = chunk.data_page_offset
    data[start:start + 8] = b"\xff" * 8  # (the page header)
    path.write_bytes(bytes(data))
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == [f"T{d}" for d in [*range(1, 11), *range(16, 21)]]
    [reason] = skipped(report, "t.parquet")
    assert reason.startswith("rows 11-15 (row group 3 of 4) are damaged (")


def test_parquet(tmp_path: Path):
    table = pa.table({
        "Date": pa.array([dt.date(2023, 9, 2), dt.date(2023, 9, 3)], pa.date32()),
        "title": ["A", "B"], "text": ["Body A", "Body B\n\nShare this: X"],
        "id": ["p1", None], "url": ["u", None],
    })
    pq.write_table(table, tmp_path / "t.parquet")
    stamps = pa.table({"date": pa.array([dt.datetime(2023, 9, 4, 12)], pa.timestamp("us")),
                       "title": ["C"], "text": ["Body C"], "source": ["Own"]})
    (tmp_path / "sub").mkdir()
    pq.write_table(stamps, tmp_path / "sub" / "s.parquet")
    strings = pa.table({"date": ["2023-09", "2023"], "title": ["D", "E"], "text": ["d", "e"]})
    pq.write_table(strings, tmp_path / "x.parquet")
    docs = by_title(load(tmp_path)[0])
    assert (docs["A"].id, docs["A"].date, docs["A"].url) == ("p1", dt.date(2023, 9, 2), "u")
    assert (docs["B"].id, docs["B"].body, docs["B"].path) == ("t#2", "Body B", "t.parquet#2")
    assert (docs["C"].date, docs["C"].source) == (dt.date(2023, 9, 4), "Own")
    assert (docs["D"].precision, docs["E"].precision) == ("month", "year")


def test_parquet_problems(tmp_path: Path):
    pq.write_table(pa.table({"date": ["2023-09-02"], "headline": ["T"]}),
                   tmp_path / "columns.parquet")
    pq.write_table(pa.table({
        "date": pa.array([dt.date(2023, 9, 2), None, dt.date(2023, 9, 3)], pa.date32()),
        "title": ["Good", "Null date", "Good 2"], "text": ["a", "b", "c"]}),
        tmp_path / "nulls.parquet")
    pq.write_table(pa.table({"date": ["2023-02-30", None, "2999-01-01"],
                             "title": ["a", "b", "c"], "text": ["a", "b", "c"]}),
                   tmp_path / "strings.parquet")
    pq.write_table(pa.table({"date": pa.array([], pa.string()), "title": pa.array([], pa.string()),
                             "text": pa.array([], pa.string())}), tmp_path / "zero.parquet")
    write(tmp_path, "empty.parquet", b"")
    write(tmp_path, "corrupt.parquet", b"PAR1 this is not really parquet PAR1")
    good = (tmp_path / "nulls.parquet").read_bytes()
    write(tmp_path, "truncated.parquet", good[: len(good) // 2])
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["Good", "Good 2"]
    assert only_reason(report, "columns.parquet") == (
        "missing columns title, text (found: date, headline; needed: date, title, text; "
        "optional: id, source, url)")
    assert only_reason(report, "nulls.parquet") == "row 2: missing date (the date is empty)"
    assert skipped(report, "strings.parquet") == [
        "row 1: impossible date '2023-02-30' (day is out of range for month)",
        "row 2: missing date (the date is empty)",
        "row 3: implausible date '2999-01-01' (years 1000 to "
        f"{dt.date.today().year + 1} are accepted)",
    ]
    assert only_reason(report, "zero.parquet") == "no rows: only a header or nothing"
    assert only_reason(report, "empty.parquet") == "empty file"
    assert only_reason(report, "corrupt.parquet").startswith("not a readable Parquet file (")
    assert only_reason(report, "truncated.parquet").startswith("not a readable Parquet file (")


def test_parquet_epoch_and_out_of_range_values_cost_a_row_not_the_file(tmp_path: Path):
    pq.write_table(pa.table({
        "date": pa.array([1693612800000, -639100800000, 1693612800, 2023, 202309, 10**18,
                          20230902, 20230230], pa.int64()),
        "title": ["Ms", "Old", "S", "Year", "Digits", "Huge", "Basic", "Bad basic"],
        "text": list("abcdefgh")}),
        tmp_path / "ints.parquet")
    pq.write_table(pa.table({
        "date": pa.array([1693612800000.0, 2023.0, float("nan")], pa.float64()),
        "title": ["Float ms", "Float year", "NaN"], "text": list("ghi")}),
        tmp_path / "floats.parquet")
    # a timestamp in seconds beyond year 9999 has no Python form: pyarrow raises converting
    # the column, which used to drop the whole file
    pq.write_table(pa.table({
        "date": pa.array([1693612800, 400_000_000_000], pa.timestamp("s")),
        "title": ["Stamp", "Far"], "text": ["j", "k"]}), tmp_path / "stamps.parquet")
    docs, report = load(tmp_path)
    assert sorted((d.title, d.date, d.precision) for d in docs) == [
        ("Basic", dt.date(2023, 9, 2), "day"),
        ("Float ms", dt.date(2023, 9, 2), "day"), ("Float year", dt.date(2023, 1, 1), "year"),
        ("Ms", dt.date(2023, 9, 2), "day"), ("Old", dt.date(1949, 10, 1), "day"),
        ("S", dt.date(2023, 9, 2), "day"), ("Stamp", dt.date(2023, 9, 2), "day"),
        ("Year", dt.date(2023, 1, 1), "year")]
    assert skipped(report, "ints.parquet") == [
        "row 5: unrecognised date '202309' (a number is read as a year of 4 digits, YYYYMMDD "
        "of 8, epoch seconds of 9 to 11 digits or epoch milliseconds of 12 or more; use "
        "YYYY-MM-DD, YYYY-MM or YYYY)",
        "row 6: implausible date '1000000000000000000' (as epoch milliseconds it is not a "
        "date of years 1 to 9999)",
        "row 8: impossible date '20230230' (day is out of range for month): a number of 8 "
        "digits is read as YYYYMMDD"]
    assert skipped(report, "floats.parquet") == ["row 3: missing date (the date is empty)"]
    assert skipped(report, "stamps.parquet") == [
        "row 2: date cannot be read (a value outside years 1 to 9999); not loaded"]


def test_an_unexpected_error_in_one_row_costs_that_row(tmp_path: Path, monkeypatch):
    real = corpus.parse_date

    def odd(value, **kw):
        if value == "boom":
            raise ZeroDivisionError("odd")
        return real(value, **kw)

    monkeypatch.setattr(corpus, "parse_date", odd)
    write(tmp_path, "t.csv", "date,title,text\n2023-09-01,A,a\nboom,B,b\n2023-09-03,C,c\n")
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["A", "C"]
    assert skipped(report, "t.csv") == [
        "row 2 (line 3): could not be read (ZeroDivisionError: odd); not loaded"]


# --------------------------------------------------------------------------- duplicates


def test_duplicate_texts_are_counted_once_naming_the_first(tmp_path: Path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "b/copy.txt", ARTICLE.replace("Facebook", "Other footer"))  # same text
    write(tmp_path, "c.jsonl", jline(date="2023-01-01", title="Digital Economy",
                                     text="The digital economy and the real economy."))
    write(tmp_path, "d.csv", "date,title,text\n2023-01-01,X,same\n2023-01-02,X,same\n")
    docs, report = load(tmp_path)
    assert sorted(d.path for d in docs) == ["a.txt", "d.csv#1"]
    assert skipped(report, "b/copy.txt") == ["exact duplicate of 'a' (a.txt); counted once"]
    # a copy dated otherwise says so: its text is counted on the first one's date
    assert skipped(report, "c.jsonl#1") == [
        "exact duplicate of 'a' (a.txt); counted once, on its date 2023-09-02, not 2023-01-01"]
    assert skipped(report, "d.csv#2") == [
        "exact duplicate of 'd#1' (d.csv#1); counted once, on its date 2023-01-01, "
        "not 2023-01-02"]
    assert report.documents == 2
    # the cached index tells the same
    index = open_index(tmp_path, cache_dir=tmp_path.parent / f"{tmp_path.name}-cache")
    assert sorted((p.path, p.reason) for p in index.report.skipped) == sorted(
        (p.path, p.reason) for p in report.skipped)


def test_duplicate_ids_are_renamed_and_nothing_is_lost(tmp_path: Path):
    write(tmp_path, "a.md", "---\ndate: 2023-09-02\ntitle: A\nid: x\n---\nText A\n")
    write(tmp_path, "b.md", "---\ndate: 2023-09-02\ntitle: B\nid: x\n---\nText B\n")
    write(tmp_path, "c.jsonl", jline(date="2023-09-02", title="C", text="C", id="x")
          + jline(date="2023-09-02", title="D", text="D", id="x~2"))  # the name a rename takes
    write(tmp_path, "e.csv", "date,title,text,id\n2023-09-02,E,E,a\n")  # same id as a.txt's?
    write(tmp_path, "a.txt", article("F"))  # default id "a", like e.csv's row
    docs, report = load(tmp_path)
    ids = {d.title: d.id for d in docs}
    assert len(docs) == 6
    assert ids == {"A": "x", "B": "x~3", "C": "x~4", "D": "x~2", "E": "a~2", "F": "a"}
    assert warned(report, "b.md") == ["id 'x' is used before; loaded as 'x~3'"]
    assert warned(report, "c.jsonl#1") == ["id 'x' is used before; loaded as 'x~4'"]
    assert warned(report, "e.csv#1") == ["id 'a' is used before; loaded as 'a~2'"]
    assert report.skipped == []


def test_resolve_orders_rows_numerically_and_handles_hash_in_names():
    paths = ["t.csv#10", "t.csv#9", "odd#name.txt", "odd#name.txt#2"]
    keep, ids, dups, renamed = corpus.resolve(paths, ["h", "h", "g", "g"], ["1", "2", "3", "3"])
    assert keep.tolist() == [False, True, True, False]
    assert [(p.path, p.reason) for p in dups] == [
        ("odd#name.txt#2", "exact duplicate of '3' (odd#name.txt); counted once"),
        ("t.csv#10", "exact duplicate of '2' (t.csv#9); counted once")]
    assert ids == ["1", "2", "3", "3"] and renamed == []


# --------------------------------------------------------------------------- read_file


def test_read_file_with_and_without_bytes(tmp_path: Path):
    write(tmp_path, "s/a.txt", ARTICLE)
    pq.write_table(pa.table({"date": ["2023"], "title": ["P"], "text": ["p"]}),
                   tmp_path / "p.parquet")
    for rel in ("s/a.txt", "p.parquet"):
        docs, problems = corpus.read_file(tmp_path, rel)
        again = corpus.read_file(tmp_path, rel, (tmp_path / rel).read_bytes())
        assert (docs, problems) == again
        assert len(docs) == 1 and problems == []
    docs, problems = corpus.read_file(tmp_path, "gone.txt")
    assert docs == [] and problems == [(Problem("gone.txt", "cannot read: No such file or "
                                                            "directory"), True)]


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(alphabet=" date0123-:\n\r\t\",{}[]---yamltitlesource#Sharethis:é数",
            max_size=200).map(str.encode),
), name=st.sampled_from(["a.txt", "a.md", "a.csv", "a.tsv", "a.json", "a.jsonl",
                          "a.parquet"]))
def test_read_file_never_raises(data: bytes, name: str):
    docs, problems = corpus.read_file(Path("corpus"), name, data)
    assert docs or any(skip for _, skip in problems)
    for problem, _ in problems:
        assert problem.reason and "\n" not in problem.reason


# --------------------------------------------------------------------------- everything


def test_a_hostile_folder_loses_nothing(tmp_path: Path):
    root = tmp_path / "corpus"
    good: list[str] = []

    def ok(rel: str, title: str, **kw) -> None:
        good.append(title)
        write(root, rel, article(title, f"Body of {title}.", **kw))

    ok("a.txt", "Good plain")
    ok("src1/nested/deep/b.txt", "Good nested")
    ok("src1/month.txt", "Good month", date="2023-09")
    ok("year", "Good year, no suffix", date="2023")
    good.append("Good BOM")
    write(root, "bom.txt", b"\xef\xbb\xbf" + article("Good BOM", "x").encode())
    good.append("Good CRLF")
    write(root, "crlf.txt", article("Good CRLF", "x\n\ny").replace("\n", "\r\n"))
    good.append("Good CR")
    write(root, "cr.txt", article("Good CR", "x\n\nz").replace("\n", "\r"))
    good.append("Good UTF-16")
    write(root, "u16.txt", ("\ufeff" + article("Good UTF-16", "u")).encode("utf-16-le"))
    good.append("Good GBK 数字")
    write(root, "gbk.txt", article("Good GBK 数字", "数字经济和实体经济深度融合。").encode("gbk"))
    good.append("Good Latin-1 été")
    write(root, "latin.txt", article("Good Latin-1 été", "La région.").encode("latin-1"))
    good.append("Good no body")
    write(root, "nobody.txt", " date 2023-09-02 Good no body\n")
    good.append("Good front matter")
    write(root, "fm.md", "---\ndate: 2023-09-02\ntitle: Good front matter\nid: dup\n---\nFM\n")
    good.append("Good renamed id")
    write(root, "fm2.md", "---\ndate: 2023-09-02\ntitle: Good renamed id\nid: dup\n---\nFM2\n")
    write(root, "copy/a.txt", article("Good plain", "Body of Good plain."))  # duplicate text
    good += ["Good csv 1", "Good csv 2"]
    write(root, "t.csv", "date,title,text\n2023-09-01,Good csv 1,x\n"
                         '2023-09-02,"Broken "quote"",y\n2023-09-03,Good csv 2,z,\n'
                         "2023-09-04,Good csv 2,z\n")
    write(root, "missing.csv", "date,headline,text\n2023-09-01,T,x\n")
    good += ["Good jsonl"]
    write(root, "j.jsonl", "{broken\n[1]\n" + jline(date="2023-09-01", title="Good jsonl",
                                                     text="j"))
    good += ["Good parquet"]
    pq.write_table(pa.table({"date": ["2023-09-01", None], "title": ["Good parquet", "n"],
                             "text": ["p", "q"]}), root / "p.parquet")
    pq.write_table(pa.table({"date": ["2023-09-01"]}), root / "cols.parquet")
    write(root, "empty.txt", b"")
    write(root, "binary.txt", b"\x00\x01\x02binary")
    write(root, "undetectable.txt", b" date 2023-09-02 T\n\nabc \x81\x8d\x90 def\n")
    write(root, "nodate.txt", " date Title without a date\n\nbody\n")
    write(root, "plain.txt", "Just a title\n\nbody\n")
    write(root, "impossible.txt", article("Impossible", date="2023-02-30"))
    write(root, "absurd.txt", article("Absurd", date="0999-01-01"))
    write(root, "future.md", "---\ndate: 2999-01-01\ntitle: Future\n---\nbody\n")
    write(root, "badyaml.md", "---\ndate: [\n---\nbody\n")
    write(root, ".hidden.txt", article("Hidden"))
    write(root, ".hidden_dir/inside.txt", article("Hidden inside"))
    write(root, "sub/.git/objects/x.txt", article("In git"))
    write(root, "image.png", b"\x89PNG\r\n\x1a\n")
    write(root, "notes.xml", "<a/>")
    os.symlink("..", root / "src1" / "loop")
    os.symlink("missing-target.txt", root / "dangling.txt")
    os.symlink("self-loop.txt", root / "self-loop.txt")
    os.mkfifo(root / "fifo.txt")

    docs, report = load(root)

    assert sorted(d.title for d in docs) == sorted(good)
    assert report.files == len(corpus.scan(root)[0])
    reported = {re.sub(r"#\d+$", "", p.path) for p in report.skipped + report.warnings}
    loaded = {re.sub(r"#\d+$", "", d.path) for d in docs}
    everything = []
    for folder, dirnames, filenames in os.walk(root):  # does not follow links
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel + "/"
        everything += [prefix + n for n in filenames]
        everything += [prefix + n for n in dirnames if os.path.islink(os.path.join(folder, n))]
    assert len(everything) > 35

    def covered(path: str) -> bool:
        parts = path.split("/")
        return path in loaded or any("/".join(parts[:i]) in reported
                                     for i in range(1, len(parts) + 1))

    lost = [p for p in everything if not covered(p)]
    assert lost == []
    expected = {
        "copy/a.txt": "exact duplicate of 'a' (a.txt)",
        "missing.csv": "missing column title",
        "cols.parquet": "missing columns title, text",
        "empty.txt": "empty file",
        "binary.txt": "binary file",
        "undetectable.txt": "not valid UTF-8",
        "nodate.txt": "header has no date",
        "plain.txt": "no date",
        "impossible.txt": "impossible date",
        "absurd.txt": "implausible date",
        "future.md": "implausible date",
        "badyaml.md": "front matter is not valid YAML (line 3)",
        ".hidden.txt": "hidden file",
        ".hidden_dir": "hidden folder",
        "sub/.git": "hidden folder",
        "image.png": "unsupported file type '.png'",
        "notes.xml": "unsupported file type '.xml'",
        "src1/loop": "symbolic link loop",
        "dangling.txt": "broken symbolic link",
        "self-loop.txt": "symbolic link loop",
        "fifo.txt": "not a regular file",
    }
    for path, reason in expected.items():
        assert any(reason in r for r in skipped(report, path)), (path, skipped(report, path))
    assert any("broken CSV quoting" in r for r in skipped(report, "t.csv"))
    assert any("line 3:" in r and "4 fields" not in r for r in skipped(report, "t.csv"))
    assert any(r.startswith("line 4: 4 fields") for r in skipped(report, "t.csv"))
    assert any(r.startswith("line 1: invalid JSON") for r in skipped(report, "j.jsonl"))
    assert any(r.startswith("line 2: not a JSON object") for r in skipped(report, "j.jsonl"))
    assert skipped(report, "p.parquet") == ["row 2: missing date (the date is empty)"]
    assert any("title with no body" in r for r in warned(report, "nobody.txt"))
    assert warned(report, "fm2.md") == ["id 'dup' is used before; loaded as 'dup~2'"]
    for name in ("gbk.txt", "latin.txt", "u16.txt"):
        assert any(r.startswith("decoded as") for r in warned(report, name)), name


# --------------------------------------------------------------------------- resolve


def _path_key(path: str) -> tuple[str, int]:
    # "file#12" sorts by file, then by the row as a number (so #9 comes before #10)
    file, _, row = path.rpartition("#")
    return (file, int(row)) if "#" in path and row.isdigit() else (path, 0)


@settings(max_examples=300, deadline=None)
@given(docs=st.lists(st.tuples(
    st.sampled_from(["a.txt", "b.txt", "c.csv#2", "c.csv#10", "c.csv#9", "d#x.jsonl#1", "é.md"]),
    st.sampled_from(["h1", "h2", "h3"]),
    st.sampled_from(["a", "b", "a~2", "b~2"])), max_size=12))
def test_resolve_equals_brute_force(docs: list[tuple[str, str, str]]) -> None:
    paths, hashes, ids = ([d[k] for d in docs] for k in range(3))
    keep, unique, skipped, renamed = corpus.resolve(paths, hashes, ids)
    n = len(docs)

    def before(j: int, i: int) -> bool:  # document j comes before document i
        return (_path_key(paths[j]), j) < (_path_key(paths[i]), i)

    # A document is skipped exactly when an earlier one has the same text...
    for i in range(n):
        earlier = [j for j in range(n) if hashes[j] == hashes[i] and before(j, i)]
        assert keep[i] == (not earlier)
        if earlier:
            first = min(earlier, key=lambda j: (_path_key(paths[j]), j))
            assert Problem(paths[i], f"exact duplicate of {ids[first]!r} ({paths[first]}); "
                                     "counted once") in skipped
    assert len(skipped) == n - int(keep.sum())
    # ... and the kept ones end with distinct ids: the first of each id keeps it, later ones
    # get "~k" with k at least their rank, never the id of another kept document.
    kept = [i for i in range(n) if keep[i]]
    assert len({unique[i] for i in kept}) == len(kept)
    for i in kept:
        rank = sum(1 for j in kept if ids[j] == ids[i] and before(j, i))
        if rank == 0:
            assert unique[i] == ids[i]
        else:
            base, _, k = unique[i].rpartition("~")
            assert base == ids[i] and int(k) >= rank + 1
            assert unique[i] not in {ids[j] for j in kept}
            assert Problem(paths[i], f"id {ids[i]!r} is used before; loaded as "
                                     f"{unique[i]!r}") in renamed
    assert len(renamed) == sum(1 for i in kept if unique[i] != ids[i])
    assert [unique[i] for i in range(n) if not keep[i]] == [ids[i] for i in range(n)
                                                            if not keep[i]]


@settings(max_examples=400, deadline=None)
@given(body=st.lists(st.sampled_from(
    ["Share this:", "share this:", " Share this: x", "\tShare this:", "a Share this:", "\n",
     "\n\n", "text", " ", "Facebook", "Share this", "Share this:Twitter", "word " * 60]),
    max_size=12).map("".join))
def test_strip_footer_equals_the_footer_regex(body: str) -> None:
    *_, m = [None, *corpus.FOOTER.finditer(body)]  # (the last footer line)
    if m is not None:
        after, before = len(body[m.start():].split()), len(body[:m.start()].split())
        if after > corpus.FOOTER_WORDS and after > before:
            m = None  # (share buttons above the article)
    assert corpus.strip_footer(body) == (body[:m.start()] if m else body).strip()
    assert corpus.strip_footer(body) == ref.strip_footer(body).strip()


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(
    ["Share this:", " Share this: x", "\tShare this:", "a Share this:", "\n", "\n\n", " ", "\t",
     "text", "Facebook", "word " * 60]), max_size=10).map("".join))
@example(text="Intro.\nShare this: " + "word " * 150)  # (a long cut: the caveat)
@example(text=" \n\t")  # (no footer and no text)
def test_prop_rows_and_text_files_cut_the_footer_as_strip_footer_and_footer_caveat_do(
        text: str) -> None:
    # Each document finds its footer once; the body and the long-cut caveat are those of
    # strip_footer and footer_caveat, in a table row and in a text file alike.
    body, cut = corpus.strip_footer(text), corpus.footer_caveat(text)
    rows = json.dumps({"date": "2023-09-02", "title": "T", "text": text}) + "\n"
    for relpath, data, where in [("a.jsonl", rows, "line 1: "),
                                 ("a.txt", " date 2023-09-02 T\n" + text, "")]:
        docs, problems = corpus.read_file(Path("c"), relpath, data.encode())
        assert [d.body for d in docs] == [body], relpath
        cuts = [p.reason for p, _ in problems if "counting rule 1" in p.reason]
        assert cuts == ([where + cut] if cut else []), relpath
        assert any("title with no" in p.reason for p, _ in problems) == (not body), relpath


# --------------------------------------------------------------------------- found by a probe


def test_names_that_are_not_utf8_are_reported_not_fatal(tmp_path: Path, cache: Path):
    # One file (or folder) name of undecodable bytes used to stop every command.
    root = tmp_path / "c"
    write(root, "good.txt", ARTICLE)
    bad_file = os.fsencode(root) + b"/bad\xffname.txt"
    with open(bad_file, "wb") as handle:
        handle.write(ARTICLE.replace("Digital", "Other").encode())
    os.mkdir(os.fsencode(root) + b"/dir\xfe")
    with open(os.fsencode(root) + b"/dir\xfe/a.txt", "wb") as handle:
        handle.write(ARTICLE.replace("Digital", "Third").encode())
    docs, report = load(root)
    assert [d.path for d in docs] == ["good.txt"]
    reasons = {p.path: p.reason for p in report.skipped}
    assert set(reasons) == {"bad\\xffname.txt", "dir\\xfe"}
    assert all("not valid UTF-8" in r for r in reasons.values())
    index = open_index(root, cache_dir=cache)  # the index stores the report in Parquet
    assert index.n_documents == 1
    assert {p.path for p in index.report.skipped} == set(reasons)


def test_a_lone_surrogate_in_json_lines_skips_that_row(tmp_path: Path):
    write(tmp_path, "a.jsonl",
          '{"date": "2023-08-23", "title": "lone \\ud800 surrogate", "text": "x"}\n'
          '{"date": "2023-08-24", "title": "fine", "text": "y \\u00e9"}\n')
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["fine"]
    (problem,) = report.skipped
    assert problem.path == "a.jsonl" and "line 1" in problem.reason
    assert "surrogate" in problem.reason


def test_yaml_aliases_in_front_matter_are_refused(tmp_path: Path):
    # A few hundred bytes of nested aliases expand to gigabytes when loaded.
    levels = "".join(f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]\n" for k in range(1, 9))
    write(tmp_path, "bomb.md", f"---\ndate: 2023-01-01\nl0: &l0 lol\n{levels}title: *l8\n---\nx\n")
    write(tmp_path, "ok.md", "---\ndate: 2023-01-01\ntitle: 'a * b'\n---\nbody\n")
    docs, report = load(tmp_path)
    assert [d.title for d in docs] == ["a * b"]
    (problem,) = report.skipped
    assert problem.path == "bomb.md" and "aliases" in problem.reason


def test_json_lines_field_names_match_in_any_case(tmp_path: Path):
    write(tmp_path, "a.jsonl", '{"Date": "2023-08-23", "Title": "T", "TEXT": "x", "ID": "k"}\n')
    write(tmp_path, "b.csv", "DATE,Title,text\n2023-08-24,U,y\n")
    docs, report = load(tmp_path)
    assert [(d.id, d.title) for d in docs] == [("k", "T"), ("b#1", "U")]
    assert report.skipped == []


def test_json_field_names_that_clash_in_case_are_said(tmp_path: Path):
    # JSON keeps the last of a repeated name; names matching in any case, "title" and
    # "TITLE" are one field repeated: the last is used, and the report says so.
    write(tmp_path, "a.jsonl",
          '{"date": "2023-08-05", "title": "first", "TITLE": "second", "text": "x"}\n'
          '{"date": "2023-08-06", "title": "alone", "text": "y", "Source": "s"}\n')
    write(tmp_path, "b.json", '[{"date": "2023-08-07", "text": "a", " Text": "b", '
                              '"title": "t"}]')
    docs, report = load(tmp_path)
    assert [(d.title, d.text.split("\n\n")[-1]) for d in docs] == [
        ("second", "x"), ("alone", "y"), ("t", "b")]
    assert [(p.path, p.reason) for p in report.warnings] == [
        ("a.jsonl#1", "line 1: 'title' and 'TITLE' both name the field title; the last, "
                      "'TITLE', is used"),
        ("b.json#1", "item 1: 'text' and ' Text' both name the field text; the last, "
                     "' Text', is used")]


def test_a_json_name_given_twice_is_said(tmp_path: Path):
    # JSON keeps the last value of a name given twice: the first text was lost unsaid.
    write(tmp_path, "a.jsonl",
          '{"date": "2023-06-14", "title": "t", "text": "first digital economy", '
          '"text": "second", "extra": 1, "extra": 2}\n'
          '{"date": "2023-06-15", "title": "u", "text": "fine", "meta": {"a": 1, "a": 2}}\n')
    write(tmp_path, "b.json", '[{"date": "2023-06-16", "title": "v", "title": "w", '
                              '"text": "z"}]')
    docs, report = load(tmp_path)
    assert [(d.title, d.text.split("\n\n")[-1]) for d in docs] == [
        ("t", "second"), ("u", "fine"), ("w", "z")]
    # (only the fields an article is read from: "extra" and a nested "a" lose nothing read)
    assert [(p.path, p.reason) for p in report.warnings] == [
        ("a.jsonl#1", "line 1: 'text' is given more than once; the last is used"),
        ("b.json#1", "item 1: 'title' is given more than once; the last is used")]


def test_lists_and_mappings_where_text_is_expected_are_said(tmp_path: Path):
    write(tmp_path, "a.md", "---\ndate: 2023-01-01\ntitle: [a, '<b>']\nsource: {x: y}\n---\nbody\n")
    write(tmp_path, "b.jsonl", '{"date": "2023-01-02", "title": 5, "text": {"k": "v"}}\n')
    docs, report = load(tmp_path)
    assert [(d.title, d.source, d.body) for d in docs] == [("a; <b>", "y", "body"),
                                                           ("5", tmp_path.name, "v")]
    caveats = sorted((p.path, p.reason.split(":", 1)[1].strip()) for p in report.warnings)
    assert caveats == [
        ("a.md", "'source' is a mapping, not text; its value is used (its key 'x' is not)"),
        ("a.md", "'title' is a list of 2 items, not text; they are joined by '; '"),
        ("b.jsonl#1", "'text' is a mapping, not text; its value is used (its key 'k' is "
                      "not)"),
        ("b.jsonl#1", "'title' is a number, not text; it is used as '5'")]


def test_text_given_as_a_list_of_paragraphs_is_counted_by_the_rules(tmp_path: Path,
                                                                    cache: Path):
    # Scrapy's item files hold an article's text as a list of paragraphs: each is a paragraph
    # (a blank line between them, rule 4), not the list's written form, whose "\\n" glued
    # words together ("new\\nindustry") and whose "', '" let phrases run across paragraphs.
    items = [{"date": "2023-09-02", "title": "T",
              "text": ["Growth of the new\nindustry sector.", "We need the real",
                       "economy to grow.", ["nested real", "economy"], 7]}]
    write(tmp_path / "c", "items.json", json.dumps(items))
    write(tmp_path / "c", "lines.jsonl", json.dumps({**items[0], "title": "U"}) + "\n")
    pd.DataFrame({"date": ["2023-09-03"], "title": ["V"],
                  "text": [items[0]["text"][:3]]}).to_parquet(tmp_path / "c" / "t.parquet")
    index = open_index(tmp_path / "c", cache_dir=cache)
    assert index.documents["title"].tolist() == ["T", "U", "V"]
    for row in range(3):
        text = index.text(row)
        assert ref.count(text, "new industry") == 1 and ref.count(text, "real economy") == 0
    assert index.text(0).endswith("\n\nnested real\n\neconomy\n\n7")
    assert index.counts([parse_term("new industry")]).tolist() == [1, 1, 1]
    assert index.counts([parse_term("real economy")]).tolist() == [0, 0, 0]
    assert index.counts([parse_term("nindustry")]).tolist() == [0, 0, 0]
    # a null or empty item adds nothing (no "A; ; B"); a Parquet map is read as a mapping,
    # its values without its keys; an empty list is no text
    write(tmp_path / "d", "odd.jsonl", "".join(json.dumps(row) + "\n" for row in [
        {"date": "2023-01-01", "title": ["A", None, " ", "B"], "text": ["x", None, "", "y"]},
        {"date": "2023-01-02", "title": "Empty", "text": []},
        {"date": "2023-01-03", "title": "Two", "text": {"en": "real", "zh": "economy"}}]))
    table = pa.table({"date": ["2023-01-04"], "title": ["Map"],
                      "text": pa.array([[("p1", "digital economy"), ("p2", "real economy")]],
                                       type=pa.map_(pa.string(), pa.string()))})
    pq.write_table(table, tmp_path / "d" / "map.parquet")
    docs, report = load(tmp_path / "d")
    assert [(d.title, d.body) for d in docs] == [
        ("Map", "digital economy\n\nreal economy"), ("A; B", "x\n\ny"), ("Empty", ""),
        ("Two", "real\n\neconomy")]
    assert sorted((p.path, p.reason) for p in report.warnings) == [
        ("map.parquet#1", "row 1: 'text' is a mapping, not text; its 2 values are read as "
                          "paragraphs, one after the other (its keys 'p1', 'p2' are not read)"),
        ("odd.jsonl#1", "line 1: 'text' is a list of 4 items, not text; they are read as "
                        "paragraphs, one after the other"),
        ("odd.jsonl#1", "line 1: 'title' is a list of 4 items, not text; they are joined by "
                        "'; '"),
        ("odd.jsonl#2", "line 2: 'text' is an empty list, not text; it is read as no text"),
        ("odd.jsonl#2", "line 2: title with no text: only the title is counted"),
        ("odd.jsonl#3", "line 3: 'text' is a mapping, not text; its 2 values are read as "
                        "paragraphs, one after the other (its keys 'en', 'zh' are not read)")]
    reasons = [(w.path, w.reason) for w in index.report.warnings]
    assert reasons == [
        ("items.json#1", "item 1: 'text' is a list of 5 items, not text; they are read as "
                         "paragraphs, one after the other"),
        ("lines.jsonl#1", "line 1: 'text' is a list of 5 items, not text; they are read as "
                          "paragraphs, one after the other"),
        ("t.parquet#1", "row 1: 'text' is a list of 3 items, not text; they are read as "
                        "paragraphs, one after the other")]


def test_a_corpus_folder_whose_own_name_is_not_utf8_loads(tmp_path: Path, cache: Path):
    # Files directly in the corpus folder take its name as their source; a Latin-1 name
    # (a folder copied from an old disk) crashed every command when the index was written.
    root = os.fsencode(tmp_path) + b"/caf\xe9"
    os.mkdir(root)
    with open(root + b"/a.txt", "wb") as handle:
        handle.write(ARTICLE.encode())
    for corpus_path in (os.fsdecode(root), os.fsdecode(root + b"/a.txt")):
        index = open_index(corpus_path, cache_dir=cache)
        assert index.n_documents == 1
        assert index.source_names == ["caf\\xe9"]


def test_a_long_share_this_cut_is_reported(tmp_path: Path):
    # Counting rule 1 ends the body at the last line starting 'Share this:'. Where that line
    # is not the scraper's short footer, what is done is said in the load report instead of
    # happening unseen: share buttons above an article (more words after the line than before
    # it, and over 100) are kept as text; a long cut (a quoted line near the end) or a cut
    # that leaves fewer words than it takes (share buttons above a short article) is said.
    paragraphs = "\n\n".join(f"Paragraph {i} on the digital economy." for i in range(30))
    words = len(paragraphs.split())
    short = " ".join(["The digital economy grew."] * 6)
    write(tmp_path, "c/seedlike.txt", ARTICLE)
    write(tmp_path, "c/above.txt", " date 2023-09-03 Above\nShare this:\nTwitter\n\n" + paragraphs)
    write(tmp_path, "c/both.txt", " date 2023-09-03 Both\nShare this:\nTwitter\n\n" + paragraphs
          + "\n\nShare this: Twitter\n\nFacebook\n")
    write(tmp_path, "c/short.txt", " date 2023-09-03 Short\nBy a reporter\nShare this: Twitter\n\n"
          + short)
    rows = [{"date": "2023-09-04", "title": "Row",
             "text": paragraphs + "\n\n" + paragraphs + "\nShare this: " + paragraphs}]
    write(tmp_path, "c/rows.jsonl", "\n".join(json.dumps(r) for r in rows))
    docs, report = load(tmp_path / "c")
    bodies = {d.path: d.body for d in docs}
    assert bodies["above.txt"] == "Share this:\nTwitter\n\n" + paragraphs
    assert bodies["both.txt"] == "Share this:\nTwitter\n\n" + paragraphs
    assert bodies["short.txt"] == "By a reporter"  # (the rule holds, and is said)
    assert bodies["rows.jsonl#1"] == paragraphs + "\n\n" + paragraphs
    notes = {p.path: p.reason for p in report.warnings if "Share this:" in p.reason}
    assert set(notes) == {"above.txt", "short.txt", "rows.jsonl#1"}
    assert notes["above.txt"] == (
        f"a line starting 'Share this:' (line 1) has {words + 3:,} words after it, more than "
        "before it: read as share buttons above the article, not a trailing footer (counting "
        "rule 1): kept")
    assert notes["short.txt"] == ("a line starting 'Share this:' (line 2) ends the body by "
                                  "counting rule 1, leaving out the 27 words after it")
    assert notes["rows.jsonl#1"].endswith(
        f"(line 120) ends the body by counting rule 1, leaving out the {words + 2:,} words "
        "after it")


def test_links_into_system_file_systems_or_above_the_corpus_are_not_followed(tmp_path: Path):
    # A link to /proc/self leads to the whole file system (and /proc/kmsg blocks a reader
    # forever): the build walked everything. A link to a folder holding the corpus would too.
    root = tmp_path / "c"
    write(root, "good.txt", ARTICLE)
    os.symlink(tmp_path, root / "up")
    os.symlink("/", root / "top")
    if os.path.isdir("/proc/self"):
        os.symlink("/proc/self", root / "me")
        os.symlink("/proc/version", root / "version.txt")
    files, problems = corpus.scan(root)
    assert [f.path for f in files] == ["good.txt"]
    reasons = {p.path: p.reason for p in problems}
    assert "a folder holding the corpus itself; not followed" in reasons["up"]
    assert reasons["top"].startswith("symbolic link to '/', a folder holding the corpus")
    if os.path.isdir("/proc/self"):
        assert reasons["me"] == ("symbolic link to '/proc/self', on a system file system "
                                 "(/proc); not followed")
        assert "on a system file system" in reasons["version.txt"]


def test_an_index_cache_inside_the_corpus_is_not_read_as_articles(tmp_path: Path):
    root = tmp_path / "c"
    write(root, "good.txt", ARTICLE)
    for _ in range(2):  # (the second run finds the cache's Parquet files in the corpus)
        index = open_index(root, cache_dir=root / "cache")
        assert index.n_documents == 1
        assert [(p.path, p.reason) for p in index.report.skipped] == [
            ("cache", "the index cache (--cache-dir), inside the corpus; not read")]


def test_a_system_folder_name_that_is_not_a_mount_point_refuses_no_link(tmp_path: Path,
                                                                         monkeypatch):
    # Without /proc/self/mounts the usual names are guessed; in a chroot /proc may be a plain
    # folder of the root file system, and every link into that file system was refused.
    plain = tmp_path / "proc"
    plain.mkdir()
    monkeypatch.setattr(corpus, "_pseudo_mounts", lambda: (str(plain),))
    write(tmp_path, "other/a.txt", ARTICLE)
    root = tmp_path / "c"
    root.mkdir()
    os.symlink(tmp_path / "other", root / "linked")
    files, problems = corpus.scan(root)
    assert [f.path for f in files] == ["linked/a.txt"] and problems == []


def test_a_cache_dir_that_is_the_corpus_folder_is_not_read_as_articles(tmp_path: Path):
    root = tmp_path / "c"
    write(root, "good.txt", ARTICLE)
    for _ in range(2):
        index = open_index(root, cache_dir=root)
        assert index.n_documents == 1
        assert [p.path for p in index.report.skipped] == [Path(index.build.cache).name]
        assert index.report.skipped[0].reason == (
            "the index cache (--cache-dir), inside the corpus; not read")


def _dev_is_a_pseudo_file_system() -> bool:
    """Read from /proc/self/mounts here, not through the code under test (a fault there must
    fail the test below, not skip it)."""
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    return any(line.split()[1:3] == ["/dev", "devtmpfs"] for line in mounts)


@pytest.mark.skipif(not os.access("/dev/shm", os.W_OK) or not _dev_is_a_pseudo_file_system(),
                    reason="needs a writable /dev/shm under a /dev pseudo file system")
def test_a_link_to_an_ordinary_file_system_mounted_under_dev_is_followed(tmp_path: Path):
    # /dev/shm is a memory file system under /dev: the file system decides, not the path.
    with tempfile.TemporaryDirectory(dir="/dev/shm") as shared:
        Path(shared, "a.txt").write_text(ARTICLE, encoding="utf-8")
        root = tmp_path / "c"
        root.mkdir()
        os.symlink(shared, root / "shm")
        os.symlink("/dev/null", root / "null.txt")
        files, problems = corpus.scan(root)
    assert [f.path for f in files] == ["shm/a.txt"]
    assert [(p.path, p.reason) for p in problems] == [
        ("null.txt", "symbolic link to '/dev/null', on a system file system (/dev); "
                     "not followed")]


def test_front_matter_values_are_kept_as_written(tmp_path: Path):
    # YAML 1.1 turned these into other values, silently: 12:30 -> 750, 0012 -> 10, yes -> True.
    write(tmp_path, "c/a.md", "---\ndate: 2023-09-02\ntitle: 12:30\nid: 0012\nsource: off\n"
                              "url: 3.10\n---\nBody.\n")
    write(tmp_path, "c/b.md", "---\ndate: 2023\ntitle: yes\nid: 0x1F\n---\nBody.\n")
    write(tmp_path, "c/c.md", "---\ndate: ~\ntitle: T\n---\nBody.\n")
    docs, report = load(tmp_path / "c")
    fields = {d.path: (d.id, d.title, d.source, d.url, d.precision) for d in docs}
    assert fields == {"a.md": ("0012", "12:30", "off", "3.10", "day"),
                      "b.md": ("0x1F", "yes", "c", "", "year")}
    assert [(p.path, p.reason) for p in report.skipped] == [
        ("c.md", "front matter: missing date (the date is empty)")]


def test_front_matter_read_otherwise_than_it_looks_is_said(tmp_path: Path):
    write(tmp_path, "c/hash.md", "---\ndate: 2023-09-02\ntitle: Issue #5 of the review\n---\nB\n")
    write(tmp_path, "c/anchor.md", "---\ndate: 2023-09-02\ntitle: &Co report\n---\nB\n")
    write(tmp_path, "c/quoted.md", "---\ndate: 2023-09-02\ntitle: 'Issue #5'\n---\nB\n")
    write(tmp_path, "c/twice.md", "---\ndate: 2023-09-02\nDate: 2024-01-15\ntitle: T\n---\nB\n")
    docs, report = load(tmp_path / "c")
    assert {d.path: d.title for d in docs} == {
        "hash.md": "Issue", "anchor.md": "report", "quoted.md": "Issue #5", "twice.md": "T"}
    assert {d.path: d.date for d in docs}["twice.md"] == dt.date(2024, 1, 15)
    notes = {p.path: p.reason for p in report.warnings}
    assert set(notes) == {"hash.md", "anchor.md", "twice.md"}
    assert "' #' starts a YAML comment" in notes["hash.md"]
    assert "a leading '&' names a YAML anchor" in notes["anchor.md"]
    assert notes["twice.md"] == "front matter gives 'date' more than once; the last is used"


@pytest.mark.timeout(60)  # (each way to split 200,000 spaces was tried: many minutes)
def test_front_matter_caveats_look_only_at_its_own_fields(tmp_path: Path):
    # A key repeated inside a nested value is not the article's field given twice; a value of
    # many spaces (each way to split them was tried by the comment check) loads.
    write(tmp_path, "c/nested.md", "---\ndate: 2023-09-02\ntitle: T\nauthors:\n  - title: A\n"
                                   "    title: B\n---\nBody.\n")
    write(tmp_path, "c/spaces.md", "---\ndate: 2023-09-02\ntitle:" + " " * 200_000 + "Spaced\n"
                                   "source:  #x\n---\nBody.\n")
    docs, report = load(tmp_path / "c")
    assert {d.path: (d.title, d.source) for d in docs} == {
        "nested.md": ("T", "c"), "spaces.md": ("Spaced", "c")}
    assert [(p.path, p.reason) for p in report.warnings] == [
        ("spaces.md", "front matter 'source': ' #' starts a YAML comment, so part of the value "
                      "is not read; quote the value to keep all of it")]


def test_a_quoted_title_with_a_year_on_its_second_line_loads(tmp_path: Path):
    # Read as a row swallowed by an unclosed quote (its second line "starts with a date"), it
    # was refused, and the rows after it were numbered one off.
    write(tmp_path, "c/a.csv", 'date,title,text\n2023-09-01,"Annual review\n2023","Body one."\n'
                               '2023-09-02,"Plain","Body two."\n')
    docs, report = load(tmp_path / "c")
    assert [(d.id, d.title) for d in docs] == [("a#1", "Annual review\n2023"), ("a#2", "Plain")]
    assert report.skipped == []


def test_csv_headers_with_blank_lines_empty_or_repeated_unused_columns_load(tmp_path: Path):
    write(tmp_path, "c/blank.csv", "\n\ndate,title,text\n2023-09-01,A,Body a.\n")
    write(tmp_path, "c/trailing.csv", "date,title,text,,\n2023-09-02,B,Body b.,,\n")
    write(tmp_path, "c/notes.csv", "date,title,text,note,Note\n2023-09-03,C,Body c.,x,y\n")
    write(tmp_path, "c/twice.csv", "date,title,text,Title\n2023-09-04,D,Body d.,E\n")
    docs, report = load(tmp_path / "c")
    assert sorted(d.title for d in docs) == ["A", "B", "C"]
    assert [(p.path, p.reason) for p in report.skipped] == [
        ("twice.csv", "column title appears more than once (names are compared without case)")]


def test_numbers_and_booleans_where_words_are_expected_are_said(tmp_path: Path):
    write(tmp_path, "c/a.jsonl", '{"date": "2023-09-02", "title": "T", "text": Infinity}\n'
                                 '{"date": "2023-09-03", "title": false, "text": "body"}\n'
                                 '{"date": "2023-09-04", "title": "T", "text": "body", "id": 7}\n')
    pq.write_table(pa.table({" Date ": ["2023-09-05"], "Title": ["P"],
                             "text": pa.array([b"caf\xe9 damaged"], pa.binary())}),
                   tmp_path / "c" / "b.parquet")
    docs, report = load(tmp_path / "c")
    assert {d.path: d.body for d in docs} == {"a.jsonl#1": "inf", "a.jsonl#2": "body",
                                             "a.jsonl#3": "body", "b.parquet#1": "caf\ufffd damaged"}
    notes = {p.path: p.reason for p in report.warnings}
    assert notes == {
        "a.jsonl#1": "line 1: 'text' is a number, not text; it is used as 'inf'",
        "a.jsonl#2": "line 2: 'title' is true or false, not text; it is used as 'False'",
        "b.parquet#1": "row 1: 'text' holds bytes that are not UTF-8; each is read as U+FFFD "
                       "(the replacement character)"}


def test_excel_sep_line_and_stray_nul_bytes(tmp_path: Path):
    write(tmp_path, "c/excel.csv", "sep=;\ndate;title;text\n2023-09-01;A;Body, with a comma.\n")
    rows = "".join(f"2023-09-{d:02d},R{d},Row body {d}.\n" for d in range(2, 29))
    write(tmp_path, "c/nul.csv", "date,title,text\n2023-09-01,N,bo\x00dy\n" + rows)
    write(tmp_path, "c/nul_late.txt", " date 2023-09-30 Late\n" + "x " * 5000 + "a\x00b\n")
    write(tmp_path, "c/binary.txt", b"\x00\x01" * 100)
    docs, report = load(tmp_path / "c")
    bodies = {d.path: d.body for d in docs}
    assert bodies["excel.csv#1"] == "Body, with a comma."
    assert bodies["nul.csv#1"] == "bo\x00dy" and len([p for p in bodies if "nul.csv" in p]) == 28
    notes = {p.path: p.reason for p in report.warnings}
    assert notes["nul.csv"].startswith("holds 1 NUL byte (as from a damaged download)")
    assert notes["nul_late.txt"].startswith("holds 1 NUL byte")  # (the same wherever it is)
    assert [p.path for p in report.skipped] == ["binary.txt"]


def test_pretty_printed_json_lines_and_a_wrapped_json_array_load(tmp_path: Path):
    article = {"date": "2023-09-02", "title": "T", "text": "The digital economy."}
    write(tmp_path, "c/pretty.jsonl", json.dumps(article, indent=2) + "\n")
    write(tmp_path, "c/wrapped.json", json.dumps({"count": 2, "articles": [article, article | {
        "title": "U", "text": "Another."}]}))
    write(tmp_path, "c/mixed.jsonl", json.dumps(article | {"text": "x"}) + "\n{broken\n")
    docs, report = load(tmp_path / "c")
    assert sorted(d.path for d in docs) == ["mixed.jsonl#1", "pretty.jsonl#1",
                                            "wrapped.json#2"]  # (#1 duplicates pretty's text)
    assert [(p.path, p.reason[:22]) for p in report.skipped] == [
        ("mixed.jsonl", "line 2: invalid JSON ("), ("wrapped.json#1", "exact duplicate of 'pr")]


@pytest.mark.parametrize("title", ["*Important* news", "[Draft] report", "@home report",
                                   "`tick` talk"])
def test_a_front_matter_value_yaml_reads_as_syntax_says_to_quote_it(tmp_path: Path, title: str):
    write(tmp_path, "c/a.md", f"---\ndate: 2023-09-02\ntitle: {title}\n---\nBody\n")
    docs, report = load(tmp_path / "c")
    assert not docs
    assert report.skipped[0].reason.startswith("front matter is not valid YAML (line 3)")
    assert report.skipped[0].reason.endswith(f"(a value starting with {title[0]!r} must be "
                                             "quoted)")


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000"
                                        "\u200b\u200e\u2060\ufeff\u00ad\u034fax.")))
@settings(max_examples=300, deadline=None)
def test_blank_is_nothing_left_once_invisible_characters_and_spaces_go(value: str) -> None:
    # (blank stops at the first visible character: an article's body is not read through)
    from policydata.columns import INVISIBLE

    assert corpus.blank(value) == (not INVISIBLE.sub("", value).strip())


def test_a_table_saved_as_text_is_named_as_one(tmp_path: Path):
    # Excel's "Unicode text" export: a tab-separated table in a UTF-16 .txt file
    table = "date\ttitle\ttext\r\n2023-09-02\tT\tThe digital economy.\r\n"
    (tmp_path / "export.txt").write_bytes(table.encode("utf-16"))
    docs, report = load(tmp_path)
    assert docs == []
    assert skipped(report, "export.txt") == [
        "header has no date: 'date' is followed by 'title', not YYYY-MM-DD, YYYY-MM or YYYY; "
        "it looks like a table with tab-separated columns (its first line names date, title "
        "and text): name it .tsv to read its rows"]
    (tmp_path / "export.txt").write_text("Date;Title;Text\n2023-09-02;T;B\n")
    assert skipped(load(tmp_path)[1], "export.txt")[0].endswith(
        "semicolon-separated columns (its first line names date, title and text): name it "
        ".csv to read its rows")
    (tmp_path / "export.txt").write_bytes(table.encode("utf-16"))
    (tmp_path / "export.txt").rename(tmp_path / "export.tsv")
    docs, report = load(tmp_path)
    assert [d.body for d in docs] == ["The digital economy."]
