"""Every call from the dashboard into the library, cached. Pages never compute.

The index is loaded once per server process (``st.cache_resource``) and shared read-only by
every session; analysis results are cached per (index, filter, options) with
``st.cache_data``, keyed by small hashable values: the index's key, the frozen
:class:`~policydata.filters.Filter` and the dictionary's digest, never by big frames.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import figures, state, ui
from policydata import analysis as an
from policydata.filters import Filter
from policydata.index import Index
from policydata.store import BuildInfo, CacheError, build_index, open_index
from policydata.themes import (
    ThemeDictionary,
    dictionary_from_link,
    dictionary_to_link,
    load_themes,
    parse_themes,
)
from policydata.uploads import UPLOAD_MAX_IDLE_SECONDS, UploadNote

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT / "seeds"


@dataclass(frozen=True)
class CorpusSource:
    """Where this session's corpus comes from."""

    path: str
    label: str
    cache_dir: str | None = None
    uploaded: bool = False
    notes: tuple[UploadNote, ...] = ()  # an upload's files left out or saved otherwise


def corpus_source() -> CorpusSource:
    """This session's upload, else ``$POLICYDATA_CORPUS``, else the bundled seeds."""
    upload = st.session_state.get("upload_source")
    if upload is not None:
        return upload
    env = os.environ.get("POLICYDATA_CORPUS")
    path = Path(env).expanduser() if env else SEEDS
    return CorpusSource(str(path.resolve()), path.name, os.environ.get("POLICYDATA_CACHE_DIR"))


_STAGES = {"scan": "Scanning the corpus", "read": "Reading and tokenising articles",
           "index": "Building the index", "write": "Writing the index cache",
           "wait": "Waiting for another process building this index"}


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_index(path: str, cache_dir: str | None, generation: int) -> Index:
    """(``generation``: how many times :func:`look_for_new_files` found the corpus changed.)"""
    return _open(path, cache_dir)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=UPLOAD_MAX_IDLE_SECONDS)
def _load_upload_index(path: str, cache_dir: str | None) -> Index:
    """(Uploads have their own cache: they never push the shared corpus's index out, and
    leave memory when unused.)"""
    return _open(path, cache_dir)


def _progress_bar(text: str) -> tuple[Any, Callable[[str, int, int], None]]:
    bar = st.progress(0.0, text=text)

    def progress(stage: str, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 0.0
        bar.progress(share, text=_STAGES.get(stage, stage))

    return bar, progress


def _server_themes() -> ThemeDictionary | None:
    """The dictionary the server counts with (``$POLICYDATA_THEMES``), None for the shipped."""
    themes_file = os.environ.get("POLICYDATA_THEMES")
    return load_themes(themes_file) if themes_file else None


def _open(path: str, cache_dir: str | None, *, rebuild: bool = False) -> Index:
    bar, progress = _progress_bar("Opening the corpus index")
    index = open_index(path, cache_dir=cache_dir, progress=progress, rebuild=rebuild,
                       themes=_server_themes())
    bar.empty()
    index.warm(index.stop_mask(an.default_stopwords()))
    return index


#: Least time between two looks for new files in the server's corpus (by any session).
RESCAN_SECONDS = 30.0


@dataclass
class _Generation:
    """Which index of the server's corpus every session uses, and when it was read."""

    number: int = 0
    read_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    looked: float = float("-inf")  # time.monotonic() of the last look
    lock: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(show_spinner=False)
def _generations() -> dict[tuple[str, str | None], _Generation]:
    return {}


_GENERATIONS_LOCK = threading.Lock()


def _generation(source: CorpusSource) -> _Generation:
    with _GENERATIONS_LOCK:
        return _generations().setdefault((source.path, source.cache_dir), _Generation())


def read_at(source: CorpusSource) -> dt.datetime:
    """When the server read the corpus its sessions now see (UTC)."""
    return _generation(source).read_at


@dataclass(frozen=True)
class Rescan:
    """What :func:`look_for_new_files` found."""

    info: BuildInfo | None = None  # None: it did not look (see ``wait`` and ``busy``)
    wait: float = 0.0  # seconds until another look is allowed
    busy: bool = False  # another session is looking now
    error: str = ""

    @property
    def changed(self) -> bool:
        info = self.info
        return info is not None and bool(info.added or info.changed or info.removed
                                         or info.rebuilt)


def look_for_new_files(source: CorpusSource) -> Rescan:
    """Update the server corpus's cached index with the files added, changed or removed since
    it was read, and make every session use it on its next run.

    Only the new and changed files are read (as ``policydata build`` does). At most one look
    runs at a time and one per :data:`RESCAN_SECONDS`, whoever asks: a public dashboard's
    visitors cannot keep the server scanning. An upload's corpus does not change: it is not
    looked at.
    """
    if source.uploaded:
        raise ValueError("an upload's corpus is not looked at again")
    generation = _generation(source)
    if not generation.lock.acquire(blocking=False):
        return Rescan(busy=True)
    try:
        wait = generation.looked + RESCAN_SECONDS - time.monotonic()
        if wait > 0:
            return Rescan(wait=wait)
        generation.looked = time.monotonic()
        bar, progress = _progress_bar("Looking for new and changed files")
        try:
            info = build_index(source.path, cache_dir=source.cache_dir, progress=progress,
                               themes=_server_themes())
        except (OSError, CacheError) as error:
            return Rescan(error=ui.plain(error))
        finally:
            bar.empty()
        result = Rescan(info=info)
        if result.changed:
            # The new index is loaded here, before any session is sent to it, and the old one
            # left to the sessions still drawing with it (then freed).
            old = generation.number
            _load_index(source.path, source.cache_dir, old + 1)
            generation.number = old + 1
            generation.read_at = dt.datetime.now(dt.UTC)
            _load_index.clear(source.path, source.cache_dir, old)
        return result
    finally:
        generation.lock.release()


def upload_source(folder: Path | str, notes: Sequence[UploadNote] = ()) -> CorpusSource:
    """The corpus of an upload saved in ``folder`` (its files in ``corpus/``, its index cache
    in ``cache/``), with what saving it noted (:func:`policydata.uploads.save_upload`)."""
    return CorpusSource(str(Path(folder) / "corpus"), "your upload", str(Path(folder) / "cache"),
                        uploaded=True, notes=tuple(notes))


def forget_upload(folder: Path | str) -> None:
    """Drop the index of the upload in ``folder`` from memory, so the files it holds open are
    freed with the folder (and the room left for uploads is what the disk has)."""
    source = upload_source(folder)
    _load_upload_index.clear(source.path, source.cache_dir)


def load_index(source: CorpusSource) -> Index:
    """The shared index of ``source`` (built with a progress bar on first use)."""
    try:
        if source.uploaded:
            return _load_upload_index(source.path, source.cache_dir)
        return _load_index(source.path, source.cache_dir, _generation(source).number)
    except FileNotFoundError as error:
        st.error(f"The corpus cannot be opened: {ui.plain(error)}. Start the dashboard with "
                 "`policydata serve --corpus PATH` or set POLICYDATA_CORPUS.")
        st.stop()
        raise  # pragma: no cover - st.stop() raises


def date_bounds(corpus: Corpus) -> tuple[dt.date, dt.date] | None:
    """The date range the whole corpus covers (the date picker's default; a pinned link's),
    asked on every rerun: kept per index (it reads every article's date)."""
    return _date_bounds(*corpus._keys)


@st.cache_data(max_entries=16, show_spinner=False)
def _date_bounds(_index: Index, index_key: str) -> tuple[dt.date, dt.date] | None:
    return an.covered_dates(_index)


# --------------------------------------------------------------------------- dictionaries


#: Largest theme dictionary a session may use, in characters (uploaded or edited).
MAX_THEME_FILE = 1 << 20


@st.cache_resource(max_entries=64, show_spinner=False)
def dictionary_from_text(text: str, origin: str) -> ThemeDictionary:
    """Parse a theme file's text (raises ValueError saying what is wrong and where, a text
    over :data:`MAX_THEME_FILE` characters included)."""
    if len(text) > MAX_THEME_FILE:
        raise ValueError(f"{origin} is {len(text):,} characters long; the limit is "
                         f"{MAX_THEME_FILE:,}")
    return parse_themes(text, origin=origin)


def active_dictionary(index: Index) -> ThemeDictionary:
    """This session's own theme dictionary if it set one, else the index's."""
    text = st.session_state.get("themes_text")
    if text:
        try:
            dictionary = dictionary_from_text(text, "your theme file")
            index.check_themes(dictionary)  # (a theme of one-letter prefixes: too slow)
            return dictionary
        except ValueError as error:
            st.session_state.pop("themes_text", None)
            st.session_state["themes_error"] = f"Not applied: {error}"
            st.session_state["_themes_error_at"] = "in use"
            st.session_state["_dictionary_refused"] = str(error)
    return index.themes


def search_check(index: Index) -> Callable[[str], None]:
    """What refuses a search or trend term too costly to count in ``index`` (a ValueError
    saying why; see :meth:`policydata.index.Index.check_work`)."""
    return lambda query: index.check_work(an.parse_query(query), query)


def dictionary_notes(notes: list[str]) -> list[str]:
    """The link's notes on its dictionary (:func:`adopt_linked_dictionary`), corrected when
    this run could not use the dictionary in this corpus (:func:`active_dictionary`)."""
    refused = st.session_state.pop("_dictionary_refused", None)
    if refused is None:
        return notes
    return [*(n for n in notes if n != state.LINKED_IN_USE),
            f"{refused}: themes and their counts are those of the default dictionary"]


def dictionary_name() -> str:
    """Which theme dictionary is in use, in words (pages say it beside theme counts)."""
    if st.session_state.get("themes_text"):
        return "your own dictionary"
    if os.environ.get("POLICYDATA_THEMES"):
        return "this server's dictionary"
    return "the default dictionary (Chinese economic and industrial policy)"


def adopt_linked_dictionary() -> list[str]:
    """Put in use the theme dictionary a link carries (``dict=z....``), once, when the link
    is opened; returns the notes to show (what happened, or why the dictionary was not used).

    The link wins over a dictionary the session had: the view is what the URL says.
    """
    value = (st.query_params.get_all("dict") or [""])[-1]
    if not value or value == ((st.session_state.get("_url") or {}).get("dict") or [""])[-1]:
        return []  # (no dictionary, or the one this session's own last run wrote)
    try:
        text = dictionary_from_link(value)
        if text is None:
            return []  # (a fingerprint: state.begin notes it if it is not this session's)
        dictionary_from_text(text, "the link's theme dictionary")
    except ValueError as error:
        return [f"{error}: themes and their counts are those of the dictionary shown on the "
                "Themes page"]
    if text == st.session_state.get("themes_text"):
        return []
    st.session_state["themes_text"] = text
    st.session_state.pop("themes_error", None)
    return [state.LINKED_IN_USE]


# --------------------------------------------------------------------------- analyses


@st.cache_data(max_entries=512, show_spinner=False)
def _count_selected(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                   themes_key: str) -> int:
    return int(an.select(_index, flt, themes=_themes).sum())


@st.cache_data(max_entries=16, show_spinner=False)
def _short_articles(_index: Index, index_key: str) -> an.ShortArticles:
    return an.short_articles(_index)


@st.cache_data(max_entries=256, show_spinner=False)
def _overlap(_index: Index, index_key: str, first: Filter, second: Filter,
             _themes: ThemeDictionary, themes_key: str) -> tuple[int, int, int]:
    return an.overlap(_index, first, second, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _cut_by_start(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                  themes_key: str) -> int:
    return an.cut_by_start(_index, flt, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _dated_new_year(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                    themes_key: str) -> int:
    return an.dated_new_year(_index, flt, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _corpus_trend(_index: Index, index_key: str, flt: Filter, freq: str,
                 _themes: ThemeDictionary, themes_key: str) -> pd.DataFrame:
    return an.corpus_trend(_index, flt, freq=freq, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _term_trend(_index: Index, index_key: str, terms: tuple[str, ...], flt: Filter, freq: str,
               _themes: ThemeDictionary, themes_key: str) -> pd.DataFrame:
    return an.term_trend(_index, list(terms), flt, freq=freq, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _other_forms(_index: Index, index_key: str, terms: tuple[str, ...], flt: Filter,
                 _themes: ThemeDictionary, themes_key: str) -> pd.DataFrame:
    return an.other_forms(_index, list(terms), flt, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _partial_periods(_index: Index, index_key: str, flt: Filter, freq: str,
                     _themes: ThemeDictionary, themes_key: str,
                     ) -> dict[str, tuple[dt.date, dt.date]]:
    return an.partial_periods(_index, flt, freq=freq, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _theme_trend(_index: Index, index_key: str, flt: Filter, freq: str,
                _themes: ThemeDictionary, themes_key: str) -> pd.DataFrame:
    return an.theme_trend(_index, flt, freq=freq, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _theme_summary(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                  themes_key: str) -> pd.DataFrame:
    return an.theme_summary(_index, flt, themes=_themes)


@st.cache_data(max_entries=64, show_spinner=False)
def _theme_entries(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                   themes_key: str) -> pd.DataFrame:
    return an.theme_entries(_index, flt, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _theme_cooccurrence(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                       themes_key: str) -> pd.DataFrame:
    return an.theme_cooccurrence(_index, flt, themes=_themes)


@st.cache_data(max_entries=256, show_spinner="Ranking terms…")
def _top_terms(_index: Index, index_key: str, flt: Filter, n: int, weight: str, ngram: str,
              stop: tuple[str, ...], reference: Filter | None, _themes: ThemeDictionary,
              themes_key: str) -> pd.DataFrame:
    stopwords = an.stopwords_with(stop)  # (a "-word" keeps a word of the default list)
    # Clouds of 1 to 3 words leave out a word that never occurs outside one phrase ("xi" and
    # "jinping" beside "xi jinping"), as `policydata top --drop-nested` does.
    return an.top_terms(_index, flt, n=n, weight=weight, ngram=ngram, stopwords=list(stopwords),
                        reference=reference, keep_nested=False, themes=_themes)


# (Keyword in context of a search or trend term, or, with ``theme``, of a theme's entries.)


@st.cache_data(max_entries=256, show_spinner=False)
def _kwic(_index: Index, index_key: str, term: str, theme: str, flt: Filter, window: int,
          limit: int, sort: str, by: str, _themes: ThemeDictionary,
          themes_key: str) -> pd.DataFrame:
    return an.kwic(_index, _themes.entries(theme) if theme else term, flt, window=window,
                   limit=limit, sort=sort, by=by, themes=_themes)


@st.cache_data(max_entries=256, show_spinner=False)
def _kwic_extent(_index: Index, index_key: str, term: str, theme: str, flt: Filter, sort: str,
                 max_words: int, _themes: ThemeDictionary, themes_key: str) -> tuple[int, int]:
    return an.kwic_extent(_index, _themes.entries(theme) if theme else term, flt, sort=sort,
                          max_words=max_words, themes=_themes)


#: Keyword-in-context lines a page shows (and keeps in the cache) of one list.
KWIC_SHOWN = 200
#: Most words of text a download of keyword-in-context lines reads: its lines are read from
#: the articles when the button is clicked, about 700,000 words a second (7 s for these), and
#: a download of every line of a common word in 300,000 articles would hold the server for
#: minutes. It holds the lines of the first articles within this many words (``policydata
#: kwic`` has all).
KWIC_WORDS = 5_000_000


@dataclass(frozen=True)
class KwicLines:
    """Keyword-in-context lines as a page shows them: the first ones, and more on demand."""

    rows: pd.DataFrame  # the first KWIC_SHOWN lines, in order (of them all)
    whole: Callable[[], pd.DataFrame]  # the lines a download holds, read again when asked
    articles: int  # the articles whose lines the download holds (the first ones, in order)
    lines: int  # the lines it holds


#: Most rows of an article list a page shows, and all the cache keeps of it: a whole list of
#: 300,000 articles takes 40 to 75 MB, so only its first rows, its length and its hits are
#: kept (at most 64 lists of up to LISTED rows, about 0.5 MB each with titles of ordinary
#: length: some 30 MB in all); a download of the whole list computes it again when asked.
LISTED = 2000


@st.cache_data(max_entries=64, show_spinner=False)
def _articles(_index: Index, index_key: str, flt: Filter, sort: str, limit: int | None,
              mentioning: str | None, with_theme: str | None, _themes: ThemeDictionary,
              themes_key: str) -> tuple[pd.DataFrame, int, int]:
    table = an.articles(_index, flt, sort=sort, limit=limit, themes=_themes,
                        mentioning=mentioning, with_theme=with_theme)
    return table.head(LISTED), len(table), an.total_hits(table)


@dataclass(frozen=True)
class ArticleList:
    """An article list as a page shows it: its first rows and what the whole list holds."""

    rows: pd.DataFrame  # its first LISTED rows (every row of a shorter list), in order
    count: int  # articles in the whole list
    hits: int  # matches in the whole list (a keyword-in-context line each)
    whole: Callable[[], pd.DataFrame]  # the whole list, computed again (for a download)

    @property
    def cut(self) -> bool:
        """Whether the list has more rows than :attr:`rows` holds."""
        return self.count > len(self.rows)


@st.cache_data(max_entries=64, show_spinner=False)
def _corpus_info(_index: Index, index_key: str, flt: Filter, _themes: ThemeDictionary,
                 themes_key: str) -> dict[str, Any]:
    return an.corpus_info(_index, flt, themes=_themes)


#: Longest article body shown in the reader, in characters (the rest is left out).
READER_CHARS = 200_000


@st.cache_data(max_entries=128, show_spinner=False)
def _article(_index: Index, index_key: str, doc_id: str, query: str, theme: str,
             _themes: ThemeDictionary, themes_key: str) -> dict[str, Any] | None:
    """An article to read: its fields, text and the character spans of the query's matches
    (without a query, of the theme's)."""
    return an.article(_index, doc_id, query=query, theme=theme, themes=_themes,
                      max_chars=READER_CHARS)


@st.cache_data(max_entries=128, show_spinner=False)
def _selects(_index: Index, index_key: str, flt: Filter, doc_id: str,
             _themes: ThemeDictionary, themes_key: str) -> bool:
    row = _index.row_of(doc_id)
    return row is not None and bool(an.select(_index, flt, themes=_themes)[row])


class Corpus:
    """The index and theme dictionary of this session, with every cached analysis.

    Pages get it from :func:`current` and call its methods with a filter and options.
    """

    def __init__(self, index: Index, dictionary: ThemeDictionary, source: CorpusSource) -> None:
        self.index = index
        self.dictionary = dictionary
        self.source = source

    @property
    def _keys(self) -> tuple[Index, str]:
        return self.index, self.index.key

    @property
    def _dict(self) -> tuple[ThemeDictionary, str]:
        return self.dictionary, self.dictionary.digest

    def count(self, flt: Filter) -> int:
        return _count_selected(*self._keys, flt, *self._dict)

    def short_articles(self) -> an.ShortArticles:
        """The corpus's articles under a tenth of its median article's words."""
        return _short_articles(*self._keys)

    def overlap(self, first: Filter, second: Filter) -> tuple[int, int, int]:
        """Articles in the first selection only, in both, in the second only."""
        return _overlap(*self._keys, first, second, *self._dict)

    def cut_by_start(self, flt: Filter) -> int:
        """Articles dated by month or year only that the start date leaves out."""
        return _cut_by_start(*self._keys, flt, *self._dict)

    def dated_new_year(self, flt: Filter) -> int:
        """Articles dated to the day, all on 1 January (dates that may stand for years)."""
        return _dated_new_year(*self._keys, flt, *self._dict)

    def describe(self, flt: Filter) -> str:
        """The sentence every page shows: what the filter selects."""
        return flt.describe(self.count(flt))

    def corpus_trend(self, flt: Filter, freq: str) -> pd.DataFrame:
        return _corpus_trend(*self._keys, flt, freq, *self._dict)

    def term_trend(self, terms: tuple[str, ...], flt: Filter, freq: str) -> pd.DataFrame:
        return _term_trend(*self._keys, tuple(terms), flt, freq, *self._dict)

    def other_forms(self, terms: tuple[str, ...], flt: Filter) -> pd.DataFrame:
        return _other_forms(*self._keys, tuple(terms), flt, *self._dict)

    def partial_periods(self, flt: Filter, freq: str) -> dict[str, tuple[dt.date, dt.date]]:
        return _partial_periods(*self._keys, flt, freq, *self._dict)

    def theme_trend(self, flt: Filter, freq: str) -> pd.DataFrame:
        return _theme_trend(*self._keys, flt, freq, *self._dict)

    def theme_summary(self, flt: Filter) -> pd.DataFrame:
        return _theme_summary(*self._keys, flt, *self._dict)

    def theme_entries(self, flt: Filter) -> pd.DataFrame:
        return _theme_entries(*self._keys, flt, *self._dict)

    def theme_cooccurrence(self, flt: Filter) -> pd.DataFrame:
        return _theme_cooccurrence(*self._keys, flt, *self._dict)

    def top_terms(self, flt: Filter, *, n: int, weight: str, ngram: str, stop: tuple[str, ...],
                  reference: Filter | None = None) -> pd.DataFrame:
        return _top_terms(*self._keys, flt, n, weight, ngram, stop, reference, *self._dict)

    def kwic(self, term: str, flt: Filter, *, sort: str = "date", by: str = "",
             window: int = 8) -> KwicLines:
        """Keyword-in-context lines of ``term`` in the articles ``flt`` selects, article by
        article in the order ``sort``, or all of them sorted ``by`` the words after or before
        the match (:func:`policydata.analysis.kwic`)."""
        return self._lines(term, "", flt, sort, by, window)

    def theme_kwic(self, theme: str, flt: Filter, *, sort: str = "date", by: str = "",
                   window: int = 8) -> KwicLines:
        """Keyword-in-context lines of a theme's matches (its entries, counted by rule 8)."""
        return self._lines("", theme, flt, sort, by, window)

    def _lines(self, term: str, theme: str, flt: Filter, sort: str, by: str,
               window: int) -> KwicLines:
        try:
            rows = _kwic(*self._keys, term, theme, flt, window, KWIC_SHOWN, sort, by,
                         *self._dict)
        except CacheError as error:
            _rebuild(self.source, error)
            raise  # pragma: no cover - _rebuild reruns the page
        extent = _kwic_extent(*self._keys, term, theme, flt, sort, KWIC_WORDS, *self._dict)
        searched = self.dictionary.entries(theme) if theme else term
        return KwicLines(rows, partial(an.kwic, self.index, searched, flt, window=window,
                                       limit=None, sort=sort, by=by, max_words=KWIC_WORDS,
                                       themes=self.dictionary), *extent)

    def articles(self, flt: Filter, *, sort: str = "-date", limit: int | None = None,
                 mentioning: str | None = None, with_theme: str | None = None) -> ArticleList:
        """The article list (:func:`policydata.analysis.articles`): its first
        :data:`LISTED` rows, its length and hits, and the whole list on demand."""
        rows, count, hits = _articles(*self._keys, flt, sort, limit, mentioning, with_theme,
                                      *self._dict)
        whole = partial(an.articles, self.index, flt, sort=sort, limit=limit,
                        themes=self.dictionary, mentioning=mentioning, with_theme=with_theme)
        return ArticleList(rows, count, hits, whole)

    def info(self, flt: Filter = Filter()) -> dict[str, Any]:
        """The corpus summary (of the articles ``flt`` selects) and its load report; an
        upload's report starts with its files left out or saved otherwise when it was saved."""
        info = _corpus_info(*self._keys, flt, *self._dict)
        notes = self.source.notes
        if not notes:
            return info
        return info | {
            "skipped": [{"path": n.path, "reason": n.reason} for n in notes if not n.saved]
            + info["skipped"],
            "warnings": [{"path": n.path, "reason": n.reason} for n in notes if n.saved]
            + info["warnings"]}

    def selects(self, flt: Filter, doc_id: str) -> bool:
        """Whether ``flt`` selects the article ``doc_id`` (one the reader may still show)."""
        return _selects(*self._keys, flt, doc_id, *self._dict)

    def ids_starting_with(self, prefix: str) -> list[str]:
        """Ids that start with ``prefix`` (a link's id that lost its end at a ``#``)."""
        return self.index.ids_starting_with(prefix)

    def article(self, doc_id: str, query: str = "", theme: str = "") -> dict[str, Any] | None:
        """An article to read, with the matches of ``query`` marked (without one, those of
        the theme ``theme``: :func:`policydata.analysis.article`)."""
        try:
            return _article(*self._keys, doc_id, query, theme, *self._dict)
        except CacheError as error:
            _rebuild(self.source, error)
            raise  # pragma: no cover - _rebuild reruns the page


def _rebuild(source: CorpusSource, error: CacheError) -> None:
    """The cached index was found damaged while reading an article's text (texts are checked
    when first read, not at every start): rebuild it, forget the loaded one, run again."""
    st.warning(f"The cached index is damaged ({ui.plain(error)}); it is being rebuilt.")
    _open(source.path, source.cache_dir, rebuild=True)
    _load_index.clear()
    _load_upload_index.clear()
    st.cache_data.clear()
    st.rerun()


def link_marks(corpus: Corpus) -> dict[str, str]:
    """What this session's links are made with, when others may not have it: its own theme
    dictionary (carried in the link, or its fingerprint when too long) and the fingerprint of
    its uploaded corpus (see ``state.begin``)."""
    marks = {}
    if corpus.dictionary.digest != corpus.index.themes.digest:  # (the default, re-applied: none)
        # the dictionary itself when it is short enough to travel, else its fingerprint
        marks["dict"] = (dictionary_to_link(corpus.dictionary.text)
                         or corpus.dictionary.digest[:12])
    if corpus.source.uploaded:
        marks["corpus"] = hashlib.sha256(corpus.index.key.encode()).hexdigest()[:12]
    return marks


def current() -> Corpus:
    """This run's corpus (set by the entrypoint)."""
    corpus = st.session_state.get("_corpus")
    if corpus is None:  # pragma: no cover - a page run without the entrypoint
        raise RuntimeError("dashboard pages run through dashboard/app.py")
    return corpus


#: Widgets whose values belong to one corpus (its dates, sources and themes).
CORPUS_WIDGETS = ("w_dates", "w_dates2", "w_source", "w_theme", "w_theme2", "w_period",
                  "w_focus")


def renewed(source: CorpusSource) -> dt.datetime | None:
    """When the server read its corpus again since this session's last run (a look for new
    files, by any session), else None: the session's numbers may have changed under it.

    The session's widgets for dates, sources and themes are then drawn again from its view
    (the URL): a date range that was the whole corpus stays the whole corpus, new articles
    after its old last date included."""
    if source.uploaded:
        return None
    generation = _generation(source)
    seen = st.session_state.get("_generation_seen", {})
    before = seen.get(source.path, generation.number)
    st.session_state["_generation_seen"] = {**seen, source.path: generation.number}
    if before == generation.number:
        return None
    for key in CORPUS_WIDGETS:
        st.session_state.pop(key, None)
    return generation.read_at


def begin(source: CorpusSource) -> Corpus:
    """Load the index and dictionary for this run and make them the current corpus."""
    if st.session_state.get("_corpus_path", source.path) != source.path:
        # Another corpus (an upload, or back): its widgets start again from the link.
        for key in CORPUS_WIDGETS:
            st.session_state.pop(key, None)
    st.session_state["_corpus_path"] = source.path
    index = load_index(source)
    corpus = Corpus(index, active_dictionary(index), source)
    st.session_state["_corpus"] = corpus
    return corpus


# --------------------------------------------------------------------------- drawings


@st.cache_data(max_entries=128, show_spinner=False)
def cloud_png(terms: tuple[str, ...], weights: tuple[float, ...], *,
              narrow: bool = False) -> bytes | None:
    """:func:`dashboard.figures.wordcloud_png`, cached: laying out a cloud takes about a
    second, and every rerun of the page would draw it again (``narrow``: one of two side by
    side)."""
    return figures.wordcloud_png(list(terms), list(weights), canvas=figures.CLOUD_NARROW
                                 if narrow else figures.CLOUD_WIDE)
