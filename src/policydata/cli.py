"""The ``policydata`` command line: a thin client of :mod:`policydata.analysis`.

Columns and options are a stable contract (scripts depend on them); see the README's "Command
line" section and ``policydata COMMAND --help``, which gives every option's default. Errors are
one line on stderr and a non-zero exit status: 2 for bad arguments (a bad date, an unknown
theme, a missing path), 1 for anything else (such as ``serve`` without the dashboard's files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, cast

from .columns import COLUMNS, MAX_WINDOW, csv_text, printable

#: The repository root when the package is run from a clone (``pip install -e .``); after a
#: plain ``pip install .`` this is the environment's ``lib/`` and holds no dashboard or seeds.
PROJECT = Path(__file__).resolve().parents[2]
#: The dashboard entrypoint, run by ``policydata serve``.
DASHBOARD = PROJECT / "dashboard" / "app.py"
#: Why the dashboard or the bundled seeds can be missing, said with the error.
FROM_A_CLONE = ("the dashboard and the bundled seeds/ are run from a clone of the repository "
                "installed with 'pip install -e .'")


class UsageError(Exception):
    """A bad argument: reported on one line, exit status 2."""


class SetupError(Exception):
    """The installation lacks something a command needs: reported on one line, exit status 1."""


class OutputError(Exception):
    """The output cannot be written (a full disk, an encoding without the corpus's characters):
    reported on one line, exit status 1."""


@contextmanager
def _writing() -> Iterator[None]:
    """Write the output (flushed before the end, so a full disk is found here) or raise
    :class:`OutputError` saying why it could not be written."""
    try:
        yield
        if sys.stdout is not None:  # (closed: said by main)
            sys.stdout.flush()
    except UnicodeEncodeError as error:
        raise OutputError(
            f"the output's encoding ({error.encoding}) cannot write "
            f"{error.object[error.start:error.end]!a}; set "
            "PYTHONIOENCODING=utf-8, or use --format csv or json, always written in UTF-8"
        ) from None
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"the output cannot be written: {error.strerror or error}") from None


def default_corpus() -> Path:
    """``$POLICYDATA_CORPUS``, else the project's bundled ``seeds/``."""
    env = os.environ.get("POLICYDATA_CORPUS")
    if env:
        return Path(env).expanduser()
    seeds = PROJECT / "seeds"
    if seeds.is_dir():
        return seeds
    raise UsageError("no corpus given: pass --corpus PATH or set POLICYDATA_CORPUS ("
                     + FROM_A_CLONE + ")")


def _date(value: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError  # (fromisoformat also reads 20230902 and week dates, 2023-W01)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; use YYYY-MM-DD (for example 2023-09-02)") from None


def _path(value: str) -> Path:
    """A path argument, ``~`` expanded; an empty one is refused (``Path("")`` would be the
    current folder)."""
    if not value:
        raise argparse.ArgumentTypeError("an empty path; give a folder or file")
    return Path(value).expanduser()


def _folder(value: str) -> Path:
    """A folder to write in (made if missing); an existing file is refused."""
    path = _path(value)
    try:
        a_file = path.exists() and not path.is_dir()
    except OSError:  # (a folder above cannot be entered: the cache falls back, saying so)
        a_file = False
    if a_file:
        raise argparse.ArgumentTypeError(f"{value!r} is a file, not a folder")
    return path


def _corpus(args: argparse.Namespace) -> Path:
    """The corpus of ``--corpus`` or its default, checked to exist and to be readable, so
    that a corpus nobody can read is an error rather than an empty result."""
    corpus = args.corpus or default_corpus()
    try:
        info = corpus.stat()
        if stat.S_ISDIR(info.st_mode):
            with os.scandir(corpus):
                pass
        elif stat.S_ISREG(info.st_mode):
            with corpus.open("rb"):
                pass
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(f"corpus path {str(corpus)!r} does not exist") from None
    except OSError as error:
        raise UsageError(f"corpus path {str(corpus)!r} cannot be read: "
                         f"{error.strerror or error}") from None
    return corpus


def _cache_dir(args: argparse.Namespace) -> Path | None:
    """``--cache-dir``, else ``$POLICYDATA_CACHE_DIR`` checked as the option is."""
    env = os.environ.get("POLICYDATA_CACHE_DIR")
    if args.cache_dir or not env:
        return cast(Path | None, args.cache_dir)
    try:
        return _folder(env)
    except argparse.ArgumentTypeError as error:
        raise UsageError(f"$POLICYDATA_CACHE_DIR: {error}") from None


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def _not_negative(value: str) -> int:
    """A count that may be 0 (``kwic --window 0`` shows the match alone)."""
    number = _whole(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be 0 or more")
    return number


def _word_list(path: Path) -> list[str]:
    """The words of a stopword file, one per line in lower case (``#`` starts a comment)."""
    from .themes import read_word_file

    try:
        return [w.strip().lower() for w in read_word_file(path, "stopword file").splitlines()
                if w.strip() and not w.startswith("#")]
    except (OSError, ValueError) as error:
        raise UsageError(str(error)) from None


def _window(value: str) -> int:
    """Words of context each side of a keyword-in-context line: 0 to ``MAX_WINDOW``."""
    number = _not_negative(value)
    if number > MAX_WINDOW:
        raise argparse.ArgumentTypeError(f"{value!r} is more than {MAX_WINDOW} words")
    return number


def _positive(value: str) -> int:
    """A count of rows, terms or processes: 0 would ask for nothing."""
    number = _whole(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


def _rows(value: str) -> int | None:
    """A most number of rows, or ``all`` (None)."""
    return None if value.strip().lower() == "all" else _positive(value)


def _port(value: str) -> int:
    number = _whole(value)
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (1 to 65535)")
    return number


class _Once(argparse.Action):
    """An option given at most once: a second value is refused rather than taking the first
    one's place without a word (a script's ``--query "$A" --query "$B"``)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        before = getattr(namespace, self.dest, None)
        if before is not None:
            parser.error(f"{option_string} is given twice ({before!r} and {values!r}): give it "
                         "once (commas join alternatives: 'a, b')")
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    #: The command parsers, by name (on the top-level parser).
    commands: Mapping[str, argparse.ArgumentParser]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")

    def _print_message(self, message: str, file: Any = None) -> None:
        # argparse drops a failed write of its help or version (a full disk): kept, so main
        # says so and exits 1 as it does for a command's results.
        # (None: help for a closed output, which argparse would put on stderr instead; a
        # message that cannot reach stderr is dropped, as argparse does)
        if message and file is not None:
            try:
                file.write(message)
            except OSError:
                if file is not sys.stdout:
                    return
                raise


def build_parser() -> _Parser:
    """The ``policydata`` argument parser: every command, its options and their defaults.

    >>> args = build_parser().parse_args(["trend", "digital economy", "--freq", "year"])
    >>> args.command, args.terms, args.freq, args.format
    ('trend', ['digital economy'], 'year', 'table')
    """
    common = _Parser(add_help=False)
    common.add_argument("--corpus", type=_path, help="corpus folder or file (default: "
                        "$POLICYDATA_CORPUS, else the bundled seeds/)")
    common.add_argument("--cache-dir", type=_folder, help="where the index cache lives (default: "
                        "$POLICYDATA_CACHE_DIR, else the user cache directory)")
    common.add_argument("--themes", type=_path, metavar="FILE", dest="theme_file",
                        help="theme dictionary (TOML) replacing the default one")
    # A table of rows prints as CSV too; a summary (info, build) is an object, not rows.
    rows = _Parser(add_help=False)
    rows.add_argument("--format", choices=["table", "csv", "json"], default="table",
                      help="output format (default: table)")
    summary = _Parser(add_help=False)
    summary.add_argument("--format", choices=["table", "json"], default="table",
                         help="output format: a table, or a JSON object (default: table)")
    filters = _Parser(add_help=False)
    filters.add_argument("--from", dest="start", type=_date, metavar="DATE",
                         help="first date, inclusive (YYYY-MM-DD)")
    filters.add_argument("--to", dest="end", type=_date, metavar="DATE",
                         help="last date, inclusive (YYYY-MM-DD)")
    filters.add_argument("--theme", action="append", default=[], metavar="THEME",
                         help="keep articles with this theme (repeat for any of several; "
                              "'policydata themes' lists the names)")
    filters.add_argument("--query", action=_Once, default=None, metavar="Q",
                         help="keep articles matching Q (a word or phrase; * ends a prefix; "
                              "commas separate alternatives)")
    filters.add_argument("--source", action="append", default=[], metavar="SOURCE",
                         help="keep articles from this source (repeatable)")
    freq = _Parser(add_help=False)
    freq.add_argument("--freq", choices=["month", "quarter", "year"], default="month",
                      help="period (default: month)")

    parser = _Parser(prog="policydata", description="Term trends, themes, top terms and "
                     "keyword in context over a corpus of dated articles.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parser.commands = sub.choices
    sub.add_parser("info", parents=[common, summary], help="corpus summary and load report (JSON "
                   "object with --format json)")
    p = sub.add_parser("trend", parents=[common, rows, filters, freq],
                       help="term counts per period: " + ",".join(COLUMNS["trend"]))
    p.add_argument("terms", nargs="+", metavar="TERM",
                   help="a word or phrase to count (* ends a prefix); give several to "
                        "count each on its own; commas join alternatives into one term "
                        "('digital economy, data element*')")
    sub.add_parser("themes", parents=[common, rows, filters, freq],
                   help="theme counts per period: " + ",".join(COLUMNS["themes"]))
    p = sub.add_parser("top", parents=[common, rows, filters],
                       help="top terms: " + ",".join(COLUMNS["top"]))
    p.add_argument("--n", type=_positive, default=50, help="terms to list, 1 or more (default: 50)")
    p.add_argument("--weight", choices=["count", "tfidf", "keyness"], default="count",
                   help="score: count (matches); tfidf, count x (ln((1 + N) / (1 + df)) + 1) "
                        "with N articles in the corpus, df of them with the term (scikit-"
                        "learn's smooth idf); or keyness, the log-likelihood G2 against the "
                        "articles outside the filter, negative where rarer there (default: "
                        "count)")
    p.add_argument("--ngram", default="1", metavar="N",
                   help="words per term: 1, 2, 3 or a range like 1-3 (default: 1)")
    p.add_argument("--drop-nested", action="store_true",
                   help="with a range of lengths, leave out a term that never occurs outside "
                        "one longer term (as the dashboard's word clouds do)")
    p.add_argument("--extra-stopwords", type=_path, metavar="FILE",
                   help="stopwords added to the list in use (one per line; # starts a comment "
                        "line; -word keeps a word of the list, as -us keeps US), as the "
                        "dashboard's extra stopwords are")
    p.add_argument("--stopwords", type=_path, metavar="FILE",
                   help="stopword list (one per line; # starts a comment line) replacing "
                        "the default English one shipped with the package")
    p.add_argument("--keep-numbers", action="store_true",
                   help="keep words made only of digits, which by default are left out as "
                        "stopwords are: alone and at either end of a phrase ('2023', "
                        "'2 percent')")
    p.add_argument("--against-from", type=_date, metavar="DATE",
                   help="with --weight keyness, compare with other articles, not the rest of "
                        "the corpus: the same filters with the dates --against-from and "
                        "--against-to (either may be left out: no bound) instead of --from "
                        "and --to, as the word clouds' second period B")
    p.add_argument("--against-to", type=_date, metavar="DATE",
                   help="with --weight keyness, the last date of the articles compared with")
    p.add_argument("--against-theme", action="append", default=[], metavar="THEME",
                   help="with --weight keyness, compare with the same filters with this "
                        "theme instead of --theme (repeatable; as the word clouds' second "
                        "theme B)")
    p = sub.add_parser("kwic", parents=[common, rows, filters],
                       help="keyword in context: " + ",".join(COLUMNS["kwic"]))
    p.add_argument("term", metavar="TERM",
                   help="a word or phrase (* ends a prefix; commas separate alternatives)")
    p.add_argument("--window", type=_window, default=8, metavar="N",
                   help=f"words each side, 0 to {MAX_WINDOW} (default: 8)")
    p.add_argument("--limit", type=_rows, default=100, metavar="N",
                   help="most lines, 1 or more, or all (default: 100; the dashboard shows 200)")
    p.add_argument("--sort", choices=["date", "-date", "hits"], default="date",
                   help="the order of the articles the lines come from, as in articles "
                        "(default: date, oldest first); in an article, first to last")
    p.add_argument("--by", choices=["after", "before"], default="",
                   help="sort all the lines as a concordance, A to Z by the words after the "
                        "match or before it (read back from the match); lines with the same "
                        "words keep the order of --sort; --limit keeps the first ones")
    p = sub.add_parser("articles", parents=[common, rows, filters],
                       help="filtered article list: " + ",".join(COLUMNS["articles"]))
    p.add_argument("--sort", choices=["date", "-date", "hits"], default="-date",
                   help="date (oldest first), -date (newest first) or hits (most matches "
                        "first) (default: -date)")
    p.add_argument("--limit", type=_rows, default=None, metavar="N",
                   help="most rows, 1 or more, or all (default: all)")
    p = sub.add_parser("build", parents=[common, summary], help="build or update the cached index")
    p.add_argument("--rebuild", action="store_true", help="ignore the cache, build anew")
    p.add_argument("--jobs", type=_positive, default=None, metavar="N",
                   help="worker processes, 1 or more (default: 2, or 1 on a single CPU)")
    p = sub.add_parser("serve", parents=[common], help="serve the dashboard on this corpus "
                       "(then open its address, http://localhost:8501 by default, in a "
                       "browser); runs from a clone of the repository")
    p.add_argument("--port", type=_port, default=8501,
                   help="port to listen on (default: 8501)")
    p.add_argument("--host", default="localhost",
                   help="address to listen on (default: localhost; 0.0.0.0 for all)")
    p.add_argument("--base-url-path", default="",
                   help="path prefix behind a reverse proxy (default: none)")
    for name, command in sub.choices.items():  # (what each prints, and how to call it)
        command.description = next(a.help for a in sub._choices_actions if a.dest == name)
        command.formatter_class = argparse.RawDescriptionHelpFormatter
        command.epilog = _EPILOGS[name] + "\n\n" + _STATUS
    return parser


#: Examples under each command's ``--help``, with what it prints.
_EPILOGS = {
    "info": "prints: documents, words, first_date, last_date, sources, skipped (path and "
            "reason of\nevery file or row not loaded), warnings, date_precision, cache\n\n"
            "example:\n  policydata info --corpus scrape/ --format json",
    "trend": "CSV columns: " + ",".join(COLUMNS["trend"]) + " (every period from the first "
             "to the last\ndate of the filtered articles, zeros included; per_10k = count / "
             "words * 10000)\n\nexamples:\n  policydata trend \"digital economy\" \"real "
             "economy\" --freq year --format csv\n  policydata trend \"data element*\" "
             "--from 2020-01-01 --theme \"Digital economy\"",
    "themes": "CSV columns: " + ",".join(COLUMNS["themes"]) + " (count: matches of the "
              "theme's entries, the\nlongest at each place, once; docs: articles with one)"
              "\n\nexamples:\n  policydata themes --freq quarter --format csv\n"
              "  policydata themes --themes my-themes.toml --source xinhua",
    "top": "CSV columns: " + ",".join(COLUMNS["top"]) + " (score: as --weight says; "
           "most first)\n\nexamples:\n  policydata top --n 20 --ngram 1-3 --drop-nested\n"
           "  policydata top --weight keyness --from 2023-01-01 --against-to 2022-12-31",
    "kwic": "CSV columns: " + ",".join(COLUMNS["kwic"]) + " (match: the text as the "
            "article writes it)\n\nexamples:\n  policydata kwic \"new industrialization\" "
            "--window 10 --limit all --format csv\n  policydata kwic China --by after",
    "articles": "CSV columns: " + ",".join(COLUMNS["articles"]) + " (hits: matches of "
                "--query; themes:\nthe article's themes, joined by '; ')\n\nexamples:\n"
                "  policydata articles --query \"supply chain*\" --sort hits --limit 20\n"
                "  policydata articles --from 2023-01-01 --to 2023-03-31 --format csv",
    "build": "prints: a summary line (files, added, changed, removed, articles tokenised, "
             "seconds),\na JSON object with --format json; a progress bar on a terminal\n\n"
             "example:\n  policydata build --corpus scrape/ --cache-dir ~/.cache/policydata",
    "serve": "examples:\n  policydata serve --corpus scrape/\n"
             "  policydata serve --corpus scrape/ --host 0.0.0.0 --base-url-path policydata",
}
_STATUS = ("exit status: 0 done; 2 a bad argument or a path that cannot be read (one line "
           "on\nstderr says which); 1 output that cannot be written")


def _version() -> str:
    from . import __version__

    return __version__


# --------------------------------------------------------------------------- progress


def _columns() -> int:
    """The terminal's width on stderr; 0 when it does not say (a terminal made by ``script``
    or a container reports 0 columns and 0 rows, and tqdm then draws no bar at all)."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 0


class _Progress:
    """A progress bar on stderr when it is a terminal (tqdm), silence otherwise."""

    LABELS: ClassVar[dict[str, str]] = {
        "scan": "scanning", "read": "reading", "index": "indexing", "write": "writing",
        "wait": "waiting for another build"}

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.bar: Any = None
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            unit, scale = ("B", True) if stage == "read" else ("", False)
            self.bar = tqdm(total=total or None, desc=self.LABELS.get(stage, stage),
                            unit=unit, unit_scale=scale, leave=False, file=sys.stderr,
                            **({} if _columns() else {"ncols": 80, "nrows": 24}))
        if self.bar is not None and total:
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


# --------------------------------------------------------------------------- commands


def _themes(args: argparse.Namespace) -> Any:
    """The dictionary of ``--themes``, or None for the shipped one."""
    from .themes import load_themes

    try:
        return load_themes(args.theme_file) if args.theme_file else None
    except (FileNotFoundError, ValueError) as error:
        raise UsageError(str(error)) from None


def _open(args: argparse.Namespace) -> tuple[Any, Any]:
    from .store import open_index

    corpus = _corpus(args)
    themes = _themes(args)
    progress = _Progress()
    try:
        index = open_index(corpus, cache_dir=_cache_dir(args), progress=progress,
                           rebuild=bool(getattr(args, "rebuild", False)))
    finally:
        progress.close()
    return index, themes


def _filter(args: argparse.Namespace, index: Any, themes: Any) -> Any:
    """The filter of the command line's options; a theme or source named in another case
    stands for the known one (as in a link)."""
    from .filters import Filter, known_name

    if args.start and args.end and args.start > args.end:
        raise UsageError(f"--from {args.start} is after --to {args.end}")
    if args.query == "":  # (a script's unset variable: not the whole corpus without a word)
        raise UsageError("--query is empty: give a word or phrase, or leave --query out")
    theme_names = set((themes or index.themes).names)
    source_names = set(index.source_names)
    return Filter(start=args.start, end=args.end,
                  themes=tuple(known_name(t, theme_names) for t in args.theme),
                  query=args.query or "",
                  sources=tuple(known_name(s, source_names) for s in args.source))


def _against(args: argparse.Namespace, flt: Any, index: Any, themes: Any) -> Any:
    """The articles ``top --weight keyness`` compares with: ``flt`` with the dates or the
    themes given by the ``--against-`` options (the word clouds' B), or None (the rest of the
    corpus) without them."""
    from dataclasses import replace

    from . import analysis as an
    from .filters import known_name

    given = [name for name, value in (("--against-from", args.against_from),
                                      ("--against-to", args.against_to),
                                      ("--against-theme", args.against_theme)) if value]
    if not given:
        return None
    if args.weight != "keyness":
        raise UsageError(f"{given[0]} needs --weight keyness (other weights compare with "
                         "nothing)")
    dated = args.against_from or args.against_to
    start, end = (args.against_from, args.against_to) if dated else (flt.start, flt.end)
    if start and end and start > end:
        raise UsageError(f"the articles compared with start on {start}, after their last "
                         f"date {end}")
    names = set((themes or index.themes).names)
    chosen = (tuple(known_name(t, names) for t in args.against_theme) if args.against_theme
              else flt.themes)
    against = replace(flt, start=start, end=end, themes=chosen)
    try:
        none = not an.select(index, against, themes=themes).any()
    except ValueError as error:
        raise UsageError(f"{' '.join(given)}: {error}") from None
    if none:
        raise UsageError(f"no article to compare with: {' and '.join(given)}, with the "
                         "other filters, select none")
    return against


#: Most characters of a text cell in a table (``--format table``).
TABLE_CELL = 60


def _cell(text: str, *, keep_end: bool = False) -> str:
    """``text`` cut to :data:`TABLE_CELL` characters, at its end (or, for a left context,
    whose words next to the match matter, at its start).

    >>> _cell("x" * 70)[-3:], _cell("y" * 60 + " the match", keep_end=True)[:4]
    ('xx…', '…yyy')
    """
    if len(text) <= TABLE_CELL:
        return text
    return "…" + text[1 - TABLE_CELL:] if keep_end else text[:TABLE_CELL - 1] + "…"


def _note(text: str) -> None:
    print(f"policydata: note: {text}", file=sys.stderr)


def _emit(frame: Any, command: str, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(csv_text(frame, command))
        return
    frame = frame[COLUMNS[command]]
    if fmt == "json":
        # (one write: an output that cannot take it is left empty, not cut)
        sys.stdout.write(json.dumps(json.loads(frame.to_json(orient="records",
                                                             force_ascii=False)),
                                    ensure_ascii=False, indent=1) + "\n")
    elif not len(frame):
        print("(no rows)")
    else:
        shown = frame.copy()
        cut = False
        for column in shown.columns:
            if shown[column].dtype != object and str(shown[column].dtype) not in ("str",
                                                                                   "string"):
                continue
            values = shown[column].astype(str)
            if column != "id":  # (an id is for copying: whole)
                cut = cut or bool((values.str.len() > TABLE_CELL).any())
                values = values.map(partial(_cell, keep_end=column == "left"))
            shown[column] = values.map(printable)
        print(shown.to_string(index=False))
        if cut:
            _note(f"text longer than {TABLE_CELL} characters is cut in a table (ids never "
                  "are); --format csv or json gives it whole")


def run(args: argparse.Namespace) -> int:
    """Run one parsed command: load or build the index, compute, print; the exit status."""
    from . import analysis as an

    if args.command == "serve":
        return _serve(args)
    if args.command == "build":
        from .store import build_index

        corpus = _corpus(args)
        themes = _themes(args)
        progress = _Progress()
        try:
            built = build_index(corpus, cache_dir=_cache_dir(args), progress=progress,
                                rebuild=args.rebuild, jobs=args.jobs, themes=themes)
        finally:
            progress.close()
        summary = {"cache": built.cache, "files": built.files, "added": built.added,
                   "changed": built.changed, "removed": built.removed,
                   "tokenised": built.tokenised, "rebuilt": built.rebuilt,
                   "seconds": round(built.seconds, 3), "notes": built.notes}
        with _writing():
            if args.format == "json":
                print(json.dumps(summary, indent=1))  # (a path's odd bytes as \udcff)
            else:
                print(f"index of {printable(corpus)} in {printable(built.cache)}: "
                      f"{built.files} files, {built.added} added, {built.changed} changed, "
                      f"{built.removed} removed, {built.tokenised} articles tokenised in "
                      f"{built.seconds:.1f} s"
                      + "".join(f"\n{printable(n)}" for n in built.notes))
        return 0
    index, themes = _open(args)
    if args.command == "info":
        info = an.corpus_info(index)
        with _writing():
            if args.format == "json":
                print(json.dumps(info, indent=1, ensure_ascii=False))
            else:
                _print_info(info)
        return 0
    flt = _filter(args, index, themes)
    try:
        if args.command == "trend":  # (a term given twice is listed once)
            frame = an.term_trend(index, list(dict.fromkeys(args.terms)), flt, freq=args.freq,
                                  themes=themes)
        elif args.command == "themes":
            frame = an.theme_trend(index, flt, freq=args.freq, themes=themes)
        elif args.command == "top":
            stopwords = _word_list(args.stopwords) if args.stopwords else None
            if args.extra_stopwords:  # (a "-word" line keeps a word of the list)
                stopwords = sorted(an.stopwords_with(_word_list(args.extra_stopwords),
                                                     base=stopwords))
            frame = an.top_terms(index, flt, n=args.n, weight=args.weight, ngram=args.ngram,
                                 stopwords=stopwords, numbers=args.keep_numbers,
                                 keep_nested=not args.drop_nested, themes=themes,
                                 reference=_against(args, flt, index, themes))
        elif args.command == "kwic":
            frame = an.kwic(index, args.term, flt, window=args.window, limit=args.limit,
                            themes=themes, sort=args.sort, by=args.by)
        else:
            frame = an.articles(index, flt, sort=args.sort, limit=args.limit, themes=themes)
    except ValueError as error:
        raise UsageError(str(error)) from None
    with _writing():
        _emit(frame, args.command, args.format)
    for note in _notes(index, args, flt, themes):
        _note(note)
    return 0


def _notes(index: Any, args: argparse.Namespace, flt: Any, themes: Any) -> list[str]:
    """What an analysis's output does not show: files or rows not loaded, an empty corpus,
    year-only dates placed in the first month or quarter of their year, and dates that all
    fall on 1 January (years written as days). (On stderr, so CSV and JSON output stay exactly
    as they are.)"""
    from . import analysis as an
    from .corpus import is_duplicate

    notes = []
    skipped = len(index.report.skipped)
    copies = sum(is_duplicate(p.reason) for p in index.report.skipped)
    unread = skipped - copies
    lost = " and ".join(
        ([f"{unread:,} file or row was not loaded" if unread == 1 else
          f"{unread:,} files or rows were not loaded"] if unread else [])
        + ([f"{copies:,} exact duplicate{' was' if copies == 1 else 's were'} counted once"]
           if copies else []))
    if not index.active.any():
        notes.append("the corpus has no documents"
                     + (f" ({lost}; see 'policydata info')" if skipped else ""))
        return notes
    if skipped:
        notes.append(f"{lost}; see 'policydata info'")
    if flt != type(flt)() and not an.select(index, flt, themes=themes).any():
        dates = index.dates[index.active]
        notes.append(f"the filters select no documents (the corpus's are dated {dates.min()} "
                     f"to {dates.max()})")
    cut = an.cut_by_start(index, flt, themes=themes) if flt.start else 0
    if cut:
        notes.append(f"{cut:,} document{' is' if cut == 1 else 's are'} dated only "
                     f"{an.dates_cut_by(flt.start)} and left out: a date without a day "
                     f"stands on the first of its month or year, before --from {flt.start}")
    from .filters import operator_note

    searched = [("--query", args.query)] + [("TERM", t) for t in (
        getattr(args, "terms", None) or [getattr(args, "term", "")])]
    for name, value in searched:
        said = operator_note(value or "")
        if said:
            notes.append(f"{name}: {said}")
    if args.command == "kwic" and args.limit is not None:
        articles, lines = an.kwic_extent(index, args.term, flt, sort=args.sort, themes=themes)
        if lines > args.limit:
            notes.append(f"{args.limit:,} of {lines:,} lines (from {articles:,} "
                         f"article{'' if articles == 1 else 's'}); --limit all gives every one")
    if args.command in ("trend", "themes") and args.freq in ("month", "quarter"):
        rows = an.select(index, flt, themes=themes)
        years = int((index.documents["precision"].to_numpy()[rows] == "year").sum())
        if years:
            notes.append(f"{years:,} document{' is' if years == 1 else 's are'} dated by year "
                         f"only: counted in the first {args.freq} of the year")
        new_year = an.dated_new_year(index, flt, themes=themes)
        if new_year:
            notes.append(f"all {new_year:,} documents dated to the day are dated 1 January: "
                         f"if those dates stand for years, --freq year shows them as such")
    return notes


def _print_info(info: dict[str, Any]) -> None:
    from .corpus import is_duplicate

    # Every value that comes from the corpus or the system is shown through printable.
    t = printable
    print(f"documents   {info['documents']:,}")
    print(f"words       {info['words']:,}")
    print("dates       " + (f"{t(info['first_date'])} to {t(info['last_date'])}"
                             if info["documents"] else "no documents"))
    print("precision   " + ", ".join(f"{t(k)}: {v:,}" for k, v in info["date_precision"].items()))
    print("sources     " + ", ".join(f"{t(k)} ({v:,})" for k, v in info["sources"].items()))
    print(f"cache       {t(info['cache'])}")
    for key in ("skipped", "warnings"):
        items = info[key]
        # Files that could not be read first: thousands of duplicates must not push them out
        # of the 50 lines shown.
        copies = [i for i in items if is_duplicate(i["reason"])]
        items = [i for i in items if not is_duplicate(i["reason"])] + copies
        print(f"{key:<11} {len(items)}" + (f" ({len(copies):,} of them exact duplicates, "
                                            "listed last)" if copies and len(items) > 50
                                            else ""))
        for item in items[:50]:
            print(f"  {printable(item['path'])}: {printable(item['reason'])}")
        if len(items) > 50:
            print(f"  ... and {len(items) - 50} more (--format json lists all)")


def _serve(args: argparse.Namespace) -> int:
    import subprocess

    from .store import build_index

    if not DASHBOARD.is_file():
        raise SetupError(f"{DASHBOARD} does not exist: " + FROM_A_CLONE)
    corpus = _corpus(args).resolve()
    themes = _themes(args)  # (stored in the cache: the dashboard counts with it)
    cache_dir = _cache_dir(args)
    progress = _Progress()
    try:
        build_index(corpus, cache_dir=cache_dir, progress=progress, themes=themes)
    finally:
        progress.close()
    env = dict(os.environ, POLICYDATA_CORPUS=str(corpus))
    if cache_dir:
        env["POLICYDATA_CACHE_DIR"] = str(cache_dir.resolve())
    if args.theme_file:
        env["POLICYDATA_THEMES"] = str(args.theme_file.resolve())
    command = [sys.executable, "-m", "streamlit", "run", str(DASHBOARD),
               "--server.port", str(args.port), "--server.address", args.host,
               "--server.headless", "true"]
    base = args.base_url_path.strip("/") if args.base_url_path else ""
    if base:
        command += ["--server.baseUrlPath", base]
    print(printable(f"serving {corpus} on http://{args.host}:{args.port}/"
                    f"{base + '/' if base else ''}"), file=sys.stderr)
    if os.name == "posix":
        # The server takes this process's place, so that stopping it (a process manager's or
        # a container's SIGTERM to the process it started) stops the server: as a child it
        # would keep serving after this process ended.
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(PROJECT)
        os.execve(sys.executable, command, env)
    return subprocess.call(command, env=env, cwd=PROJECT)


def _options(command: argparse.ArgumentParser) -> dict[str, bool]:
    """The option strings of a command's parser, each with whether it takes a value."""
    return {name: action.nargs != 0
            for action in command._actions  # (argparse keeps no public list of them)
            for name in action.option_strings}


def _known(token: str, options: dict[str, bool]) -> str | None:
    """The option ``token`` names (before any ``=value``): itself, or the one long option it
    is the unique start of, as argparse reads abbreviations; None for anything else."""
    name = token.split("=", 1)[0]
    if name in options:
        return name
    if not name.startswith("--") or len(name) < 3:
        return None
    found = [option for option in options if option.startswith(name)]
    return found[0] if len(found) == 1 else None


def arranged(argv: list[str], parser: _Parser) -> list[str]:
    """``argv`` in an order argparse reads as meant: a command's options first, each with its
    value, then the command's terms (after ``--`` when one starts with ``-``).

    So terms may follow options (``trend "digital economy" --freq year China``), and a value
    or a term may start with ``-`` (``articles --sort -date``, ``--query -5%``, ``trend
    -economy``), which argparse would otherwise take for an option. An unknown ``--option``
    stays an option, for argparse to refuse; a known option followed by another one is left
    without a value, for argparse to say so.

    >>> parser = build_parser()
    >>> arranged(["trend", "digital economy", "--freq", "year", "China"], parser)
    ['trend', '--freq', 'year', 'digital economy', 'China']
    >>> arranged(["articles", "--sort", "-date", "--que", "-x", "--limit", "5"], parser)
    ['articles', '--sort=-date', '--que=-x', '--limit', '5']
    >>> arranged(["kwic", "-economy", "--", "--sort"], parser)
    ['kwic', '--', '-economy', '--sort']
    """
    at = 0
    while at < len(argv) and argv[at].startswith("-"):  # (--version, --help)
        at += 1
    if at == len(argv) or argv[at] not in parser.commands:
        return argv  # (argparse says what is wrong)
    options = _options(parser.commands[argv[at]])
    flags: list[str] = []
    terms: list[str] = []
    i = at + 1
    while i < len(argv):
        token = argv[i]
        i += 1
        if token == "--":
            terms += argv[i:]
            break
        name = _known(token, options)
        if name is None:
            # (an unknown --word stays an option; dashes alone, "---", are a term to refuse)
            option = token.startswith("--") and any(c.isalnum() for c in token)
            (flags if option else terms).append(token)
        else:
            flags.append(token)
            if options[name] and "=" not in token and i < len(argv) and (
                    _known(argv[i], options) is None):
                value = argv[i]  # (its value, whatever it starts with: joined by "=" if
                i += 1  # it starts with "-", which argparse would take for an option)
                if value.startswith("-"):
                    flags[-1] = f"{token}={value}"
                else:
                    flags.append(value)
    dashed = any(term.startswith("-") for term in terms)
    return argv[:at + 1] + flags + (["--"] if dashed else []) + terms


#: Why nothing is written when the output is closed (`policydata info >&-`).
CLOSED = "the output is closed: nothing can be written"


def _parse(parser: _Parser, argv: list[str]) -> argparse.Namespace | None:
    """The parsed arguments, or None after help or the version was written; raises
    :class:`OutputError` (as :func:`_writing` does for results) when it could not be."""
    with _writing():
        try:
            return parser.parse_args(arranged(argv, parser))
        except SystemExit as done:  # --help or --version (or bad arguments, said)
            if done.code not in (0, None):
                raise
            if sys.stdout is None:
                raise OutputError(CLOSED) from None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: parse ``argv`` (default: the command line) and run it. An error is
    one line on stderr, with exit status 2 for bad arguments or a missing path and 1 for a
    setup problem; damage found in the cache while reading rebuilds it and runs again."""
    logging.basicConfig(format="policydata: note: %(message)s", level=logging.WARNING)
    parser = build_parser()
    try:
        args = _parse(parser, sys.argv[1:] if argv is None else list(argv))
    except BrokenPipeError:
        return 0  # (`policydata --help | head -1`)
    except OutputError as error:
        print(f"policydata: error: {error}", file=sys.stderr)
        return 1
    if args is None:
        return 0
    if sys.stdout is None and args.command != "serve":  # (`policydata info >&-`)
        print(f"policydata: error: {CLOSED}", file=sys.stderr)
        return 1
    if getattr(args, "format", "table") in ("csv", "json"):
        # Data files are UTF-8 whatever the terminal's locale (JSON must be, RFC 8259); the
        # errors mode stays (surrogateescape under a C locale writes a path's bytes back).
        with suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(  # type: ignore[union-attr]
                encoding="utf-8", errors=getattr(sys.stdout, "errors", None) or "strict")
    try:
        try:
            return run(args)
        except Exception as error:
            from .store import CacheError

            if not isinstance(error, CacheError) or getattr(args, "rebuild", False):
                raise
            # Damage found while reading (an article's text is read only when shown): the
            # index is rebuilt and the command run again.
            print(f"policydata: {printable(error)}; rebuilding the index", file=sys.stderr)
            args.rebuild = True
            return run(args)
    except UsageError as error:
        print(f"policydata: error: {printable(error)}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"policydata: error: {printable(error)}", file=sys.stderr)
        return 2
    except (SetupError, OutputError) as error:
        print(f"policydata: error: {printable(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("policydata: interrupted", file=sys.stderr)
        return 130
    finally:
        # Free the index and its Arrow objects while the interpreter is whole (an Arrow thread
        # that frees Python objects at exit aborts the process: see store.arrow_file_bytes).
        gc.collect()


if __name__ == "__main__":
    sys.exit(main())
