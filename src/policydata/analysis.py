"""The analyses: every number the command line and the dashboard show is computed here.

Each function takes a loaded :class:`~policydata.index.Index` and a
:class:`~policydata.filters.Filter` and returns a tidy :class:`pandas.DataFrame` (or a dict for
:func:`corpus_info`). Counting follows ``docs/COUNTING.md``; ``count`` is always the number of
counted matches, ``docs`` the number of articles with at least one, ``words`` the denominator
(tokens), ``per_10k = count / words * 10000``.

Examples
--------
>>> import tempfile
>>> from policydata.store import open_index
>>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
>>> term_trend(index, ["digital economy", "China"], freq="month").round(2)
    period             term  count  docs  words  per_10k  articles
0  2023-09  digital economy     10     1    491   203.67         1
1  2023-09            China      7     1    491   142.57         1
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import accumulate, islice, pairwise
from typing import Any, cast

import numpy as np
import pandas as pd

from .columns import COLUMNS, MAX_WINDOW
from .filters import FREQS, KWIC_ORDERS, Filter, unknown_name
from .index import Index
from .themes import ThemeDictionary
from .tokens import (
    PIECE,
    Term,
    Word,
    parse_term,
    split_query,
    text_pieces,
    token_spans,
)

TREND_COLUMNS = COLUMNS["trend"]
THEME_COLUMNS = COLUMNS["themes"]
TOP_COLUMNS = COLUMNS["top"]
#: The columns :func:`top_terms` adds with keyness: what each score compares.
KEYNESS_COLUMNS = ("reference_count", "words", "reference_words")
#: The columns :func:`top_terms` adds with tf-idf: the document frequency it weighs by.
TFIDF_COLUMNS = ("corpus_docs", "corpus_articles")
KWIC_COLUMNS = COLUMNS["kwic"]
ARTICLE_COLUMNS = COLUMNS["articles"]


# --------------------------------------------------------------------------- selection


def parse_query(query: str) -> list[Term]:
    """The alternatives of a search box value (commas separate them).

    Parameters
    ----------
    query : str
        Words or phrases separated by commas; ``*`` ends a prefix.

    Returns
    -------
    list of Term
        One parsed term per alternative, in the order written (normalised by the counting
        rules: case-folded, punctuation inside a phrase dropped).

    Raises
    ------
    ValueError
        When the query holds no words, or an alternative cannot match (see
        :func:`policydata.tokens.parse_term`).

    Examples
    --------
    >>> [str(t) for t in parse_query("Digital economy, digit*")]
    ['digital economy', 'digit*']
    >>> [str(t) for t in parse_query("High-quality development")]
    ['high quality development']
    """
    terms = [parse_term(q) for q in split_query(query)]
    if not terms:
        raise ValueError(f"query {query!r} has no words")
    return terms


def _dictionary(index: Index, themes: ThemeDictionary | None) -> ThemeDictionary:
    return themes if themes is not None else index.themes


def _theme_columns(dictionary: ThemeDictionary, names: Sequence[str]) -> list[int]:
    known = list(dictionary.names)
    missing = [n for n in names if n not in known]
    if missing:
        raise ValueError(f"{unknown_name(missing[0], known, 'theme')} (themes: "
                         f"{', '.join(map(repr, known))})")
    return [known.index(n) for n in names]


def _theme_entries(index: Index, themes: ThemeDictionary | None, name: str) -> list[Term]:
    """The entries of the theme ``name`` (a ValueError naming the known themes if none)."""
    dictionary = _dictionary(index, themes)
    _theme_columns(dictionary, [name])  # (raises the ValueError)
    return list(dictionary.entries(name))


def select(index: Index, flt: Filter = Filter(), *, themes: ThemeDictionary | None = None,
           ) -> np.ndarray:
    """Boolean mask over the index's documents: the articles ``flt`` keeps.

    Exact duplicates are never selected. An article is kept when it lies within the dates
    (inclusive), comes from one of ``flt.sources``, has at least one match of any of
    ``flt.themes`` and at least one match of ``flt.query`` (each condition only when set).

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Dates, sources, themes and query to keep; the default keeps every article.
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    numpy.ndarray of bool
        One flag per row of ``index.documents``: True for a selected article.

    Raises
    ------
    ValueError
        For an unknown theme or source, or a query that cannot match (see
        :func:`policydata.tokens.parse_term`).

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> select(index).tolist(), select(index, Filter(query="digital economy")).tolist()
    ([True], [True])
    >>> select(index, Filter(query="green development")).tolist()
    [False]
    >>> select(index, Filter(start=dt.date(2024, 1, 1))).tolist()
    [False]
    >>> select(index, Filter(sources=("xinhua",)))
    Traceback (most recent call last):
    ...
    ValueError: unknown source 'xinhua' (sources: 'seeds')
    """
    return _kept(index, flt, None, themes)


def select_rows(index: Index, flt: Filter = Filter(), *,
                themes: ThemeDictionary | None = None) -> np.ndarray:
    """The rows :func:`select` marks, found from the matches of the query or themes.

    With a query (or else themes) only the articles holding it are looked at, so the cost
    grows with them rather than with the corpus.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Dates, sources, themes and query to keep.
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    numpy.ndarray of int64
        The selected rows of ``index.documents``, ascending.

    Raises
    ------
    ValueError
        As :func:`select`.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> select_rows(index, Filter(query="real economy")).tolist()
    [0]
    >>> select_rows(index, Filter(query="real economy", end=dt.date(2023, 1, 1))).tolist()
    []
    """
    if flt.query:  # (the rows holding the query, so it need not be checked again)
        candidates = index.doc_counts(parse_query(flt.query))[0]
        return candidates[_kept(index, replace(flt, query=""), candidates, themes)]
    if flt.themes:
        dictionary = _dictionary(index, themes)
        theme_rows = _theme_rows(index, dictionary)
        parts = [theme_rows[j][0] for j in _theme_columns(dictionary, flt.themes)]
        candidates = np.unique(np.concatenate(parts))
        return candidates[_kept(index, flt, candidates, themes)]
    return np.flatnonzero(_kept(index, flt, None, themes))


def _kept(index: Index, flt: Filter, rows: np.ndarray | None,
          themes: ThemeDictionary | None) -> np.ndarray:
    """Which of ``rows`` (None: every row) the filter keeps, as a new mask over them."""
    at: Any = slice(None) if rows is None else rows
    mask = index.active[at].copy()
    dates = index.dates[at]
    if flt.start is not None:
        mask &= dates >= np.datetime64(flt.start, "D")
    if flt.end is not None:
        mask &= dates <= np.datetime64(flt.end, "D")
    if flt.sources:
        known = index.source_names
        missing = [s for s in flt.sources if s not in known]
        if missing:
            raise ValueError(f"{unknown_name(missing[0], known, 'source')} (sources: "
                             f"{', '.join(map(repr, known[:20]))}"
                             f"{', ...' if len(known) > 20 else ''})")
        codes = [known.index(s) for s in flt.sources]
        mask &= np.isin(index.source_codes[at], codes)
    if flt.themes:
        dictionary = _dictionary(index, themes)
        columns = _theme_columns(dictionary, flt.themes)
        matrix = index.theme_counts(dictionary)
        mask &= (matrix[at][:, columns] > 0).any(axis=1)
    if flt.query:
        counts = index.counts(parse_query(flt.query))
        mask &= counts[at] > 0
    return mask


def _theme_rows(index: Index, dictionary: ThemeDictionary,
                ) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each theme, the rows with a match and their matches (kept per dictionary)."""
    def make() -> list[tuple[np.ndarray, np.ndarray]]:
        matrix = index.theme_counts(dictionary)
        rows, columns = np.nonzero(matrix)
        order = np.argsort(columns, kind="stable")  # (rows stay ascending in each theme)
        rows, columns = rows[order].astype(np.int64), columns[order]
        bounds = np.searchsorted(columns, np.arange(matrix.shape[1] + 1))
        return [(rows[a:b], matrix[rows[a:b], j])
                for j, (a, b) in enumerate(pairwise(bounds.tolist()))]

    return index.memo(("theme rows", dictionary.digest), make)


@dataclass(frozen=True)
class _Selection:
    """The articles a filter selects and their totals per period (see :func:`_selected`)."""

    mask: np.ndarray  # over index.documents
    codes: np.ndarray  # period code of every row of index.documents
    low: int  # code of the first period
    labels: list[str]
    articles: np.ndarray  # per period
    words: np.ndarray  # per period

    def periods(self, rows: np.ndarray) -> np.ndarray:
        """Period number (0 for the first) of selected ``rows``."""
        return self.codes[rows] - self.low


def _selected(index: Index, flt: Filter, freq: str,
              themes: ThemeDictionary | None) -> _Selection | None:
    """The filter's articles and their articles and words per period, None for none.

    Kept on the index per filter and period length, so that the terms of a trend, added one
    by one under the same filter, cost only their own matches.
    """
    if freq not in FREQS:  # (refused whether or not the filter selects articles)
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")

    def make() -> _Selection | None:
        mask = select(index, flt, themes=themes)
        mask.flags.writeable = False
        rows = np.flatnonzero(mask)
        if not len(rows):
            return None
        codes = index.period_codes(freq)
        k, labels = _periods(index, rows, freq)
        n = len(labels)
        articles = np.bincount(k, minlength=n).astype(np.int64)
        words = np.bincount(k, weights=index.words[rows], minlength=n).astype(np.int64)
        articles.flags.writeable = words.flags.writeable = False
        return _Selection(mask, codes, int(codes[rows[0]] - k[0]), labels, articles, words)

    digest = _dictionary(index, themes).digest if flt.themes else None
    key = ("selected", flt, digest, freq)
    try:
        hash(key)
    except TypeError:  # (a filter holding lists: not kept)
        return make()
    return index.memo(key, make)


# --------------------------------------------------------------------------- periods


def period_codes(dates: np.ndarray, freq: str) -> np.ndarray:
    """Integer code of each date's period: consecutive periods have consecutive codes.

    Parameters
    ----------
    dates : numpy.ndarray of datetime64
        The dates.
    freq : {"month", "quarter", "year"}
        The length of a period.

    Returns
    -------
    numpy.ndarray of int64
        Months, quarters or years since 1970 (January 1970 is month 0), one per date; see
        :func:`period_label` for the label of a code.

    Raises
    ------
    ValueError
        For another ``freq``.

    Examples
    --------
    >>> dates = np.array(["2023-09-02", "2023-10-01"], dtype="datetime64[D]")
    >>> period_codes(dates, "month").tolist(), period_codes(dates, "quarter").tolist()
    ([644, 645], [214, 215])
    >>> period_codes(dates, "year").tolist()
    [53, 53]
    """
    if freq not in ("month", "quarter", "year"):
        raise ValueError(f"freq must be month, quarter or year, not {freq!r}")
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    if freq == "month":
        return months
    if freq == "quarter":
        return np.floor_divide(months, 3)
    return np.floor_divide(months, 12)


def period_label(code: int, freq: str) -> str:
    """The label of a period code: ``2023-09`` (month), ``2023Q3`` (quarter) or ``2023`` (year).

    Parameters
    ----------
    code : int
        A code of :func:`period_codes`: months, quarters or years since 1970.
    freq : {"month", "quarter", "year"}
        The frequency the code was made with (any other value is read as ``"year"``).

    Returns
    -------
    str
        The label, as trends show it and :func:`period_bounds` reads it.

    Examples
    --------
    >>> period_label(period_codes(np.array(["2023-09-02"], dtype="datetime64[D]"), "quarter")[0],
    ...              "quarter")
    '2023Q3'
    >>> period_label(644, "month"), period_label(53, "year")
    ('2023-09', '2023')
    """
    if freq == "month":
        year, month = divmod(int(code), 12)
        return f"{year + 1970:04d}-{month + 1:02d}"
    if freq == "quarter":
        year, quarter = divmod(int(code), 4)
        return f"{year + 1970:04d}Q{quarter + 1}"
    return f"{int(code) + 1970:04d}"


def period_of(day: dt.date, freq: str) -> str:
    """The period label of a day.

    Parameters
    ----------
    day : datetime.date
        The day.
    freq : {"month", "quarter", "year"}
        The length of a period.

    Returns
    -------
    str
        ``2023-09``, ``2023Q3`` or ``2023``, as :func:`period_label` writes it.

    Raises
    ------
    ValueError
        For another ``freq``.

    Examples
    --------
    >>> period_of(dt.date(2023, 9, 2), "month"), period_of(dt.date(2023, 9, 2), "quarter")
    ('2023-09', '2023Q3')
    >>> period_of(dt.date(2023, 9, 2), "year")
    '2023'
    """
    return period_label(int(period_codes(np.array([day], dtype="datetime64[D]"), freq)[0]), freq)


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period label, whatever its frequency.

    Parameters
    ----------
    label : str
        A month (``2023-09``), quarter (``2023Q3``) or year (``2023``).

    Returns
    -------
    tuple of datetime.date
        ``(first day, last day)`` of the period, both inclusive.

    Raises
    ------
    ValueError
        When ``label`` is not a period label.

    Examples
    --------
    >>> period_bounds("2023Q3")
    (datetime.date(2023, 7, 1), datetime.date(2023, 9, 30))
    >>> period_bounds("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> period_bounds("2023")
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    >>> period_bounds("2023Q5")
    Traceback (most recent call last):
    ...
    ValueError: '2023Q5' is not a period (2023-09, 2023Q3 or 2023)
    """
    try:
        if "Q" in label:
            year, quarter = label.split("Q")
            first_month = (int(quarter) - 1) * 3 + 1
            if not 1 <= int(quarter) <= 4:
                raise ValueError
            start = dt.date(int(year), first_month, 1)
            months = 3
        elif "-" in label:
            year, month = label.split("-")
            start = dt.date(int(year), int(month), 1)
            months = 1
        else:
            start = dt.date(int(label), 1, 1)
            months = 12
    except ValueError:
        raise ValueError(f"{label!r} is not a period (2023-09, 2023Q3 or 2023)") from None
    total = start.year * 12 + start.month - 1 + months
    end = dt.date(total // 12, total % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def period_freq(label: str) -> str:
    """The frequency a period label is written in: ``month``, ``quarter`` or ``year``.

    Raises ``ValueError`` as :func:`period_bounds` does.

    >>> period_freq("2023-09"), period_freq("2023Q3"), period_freq("2023")
    ('month', 'quarter', 'year')
    """
    start, end = period_bounds(label)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return {1: "month", 3: "quarter"}.get(months, "year")


def in_period(flt: Filter, period: str) -> Filter:
    """A filter narrowed to one period of a trend: the articles behind one of its points.

    Its dates are the period's, cut to the filter's own (a trend's first and last periods may
    reach beyond the date range); every other field is kept.

    Examples
    --------
    >>> flt = Filter(start=dt.date(2023, 8, 15), query="digital economy")
    >>> narrowed = in_period(flt, "2023Q3")
    >>> narrowed.start, narrowed.end, narrowed.query
    (datetime.date(2023, 8, 15), datetime.date(2023, 9, 30), 'digital economy')
    """
    start, end = period_bounds(period)
    return replace(flt, start=max(start, flt.start) if flt.start else start,
                   end=min(end, flt.end) if flt.end else end)


def _periods(index: Index, rows: np.ndarray, freq: str) -> tuple[np.ndarray, list[str]]:
    codes = index.period_codes(freq)[rows]
    low, high = int(codes.min()), int(codes.max())
    return codes - low, [period_label(c, freq) for c in range(low, high + 1)]


# --------------------------------------------------------------------------- trends


def covered_dates(index: Index) -> tuple[dt.date, dt.date] | None:
    """The days the corpus covers: from its first article's date to the last day any of its
    dates stands for (``2023-09`` stands for the whole of September, ``2023`` for the year,
    and so does ``2023-01-01`` when every date of the corpus falls on 1 January: see
    :func:`dated_new_year`).

    Parameters
    ----------
    index : Index
        The loaded corpus.

    Returns
    -------
    tuple of datetime.date, or None
        ``(first, last)``; None when the corpus holds no article.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> covered_dates(open_index("seeds", cache_dir=tempfile.mkdtemp()))
    (datetime.date(2023, 9, 2), datetime.date(2023, 9, 2))
    """
    counted = np.flatnonzero(index.active)
    if not len(counted):
        return None
    dates = index.dates[counted]
    precision = index.documents["precision"].to_numpy()[counted]
    # (addresses or annual reports dated 1 January: the last year is no more partial than
    # the others)
    day = "%Y" if dated_new_year(index) else "%Y-%m-%d"
    ends = []
    for kind, label in (("day", day), ("month", "%Y-%m"), ("year", "%Y")):
        of_kind = dates[precision == kind]
        if len(of_kind):
            newest = of_kind.max().astype(dt.date)
            ends.append(newest if label == "%Y-%m-%d" else period_bounds(f"{newest:{label}}")[1])
    return dates.min().astype(dt.date), max(ends)


def partial_periods(index: Index, flt: Filter = Filter(), *, freq: str = "month",
                    themes: ThemeDictionary | None = None) -> dict[str, tuple[dt.date, dt.date]]:
    """The first and last periods of a trend when the articles cover them only in part.

    The corpus runs from its first article's date to its last's (to the end of the month or
    year of a date known only that far), cut to the filter's dates. A trend's first or last
    period that reaches beyond that span holds fewer articles than a whole period would: its
    count is not comparable with the others', though its rates (per 10,000 words, % of
    articles) are.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles in the trend; its dates cut the span covered.
    freq : {"month", "quarter", "year"}
        The length of a period.
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    dict
        ``{period: (first day covered, last day covered)}`` for each partial period (the
        first, the last, or both), empty when both are whole or nothing is selected.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> partial_periods(index, freq="year")
    {'2023': (datetime.date(2023, 9, 2), datetime.date(2023, 9, 2))}
    >>> partial_periods(index, Filter(end=dt.date(2023, 9, 30)), freq="month")
    {'2023-09': (datetime.date(2023, 9, 2), datetime.date(2023, 9, 2))}
    """
    selection = _selected(index, flt, freq, themes)
    span = covered_dates(index)
    if selection is None or span is None:
        return {}
    first, last = span
    covered = (max(first, flt.start) if flt.start else first,
               min(last, flt.end) if flt.end else last)
    labels = selection.labels
    out = {}
    for label in dict.fromkeys([labels[0], labels[-1]]):
        start, end = period_bounds(label)
        part = (max(start, covered[0]), min(end, covered[1]))
        if part != (start, end):
            out[label] = part
    return out




def corpus_trend(index: Index, flt: Filter = Filter(), *, freq: str = "month",
                 themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """Articles and words per period: the denominators behind every trend.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to count.
    freq : {"month", "quarter", "year"}
        The length of a period.
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    DataFrame
        One row per period, in time order: every period from the first to the last date of
        the filtered articles, zeros included (empty when none is selected).

        * ``period``: its label (``2023-09``, ``2023Q3`` or ``2023``);
        * ``articles``: selected articles dated in it;
        * ``words``: their tokens (the denominator of ``per_10k``).

    See Also
    --------
    term_trend, theme_trend

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> corpus_trend(index, freq="quarter")
       period  articles  words
    0  2023Q3         1    491
    >>> corpus_trend(index, Filter(start=dt.date(2024, 1, 1))).empty
    True
    """
    selection = _selected(index, flt, freq, themes)
    if selection is None:
        return pd.DataFrame({"period": pd.Series(dtype=str), "articles": pd.Series(dtype=int),
                             "words": pd.Series(dtype=int)})
    return pd.DataFrame({"period": selection.labels, "articles": selection.articles.copy(),
                         "words": selection.words.copy()})


def term_trend(index: Index, terms: Sequence[str], flt: Filter = Filter(), *,
               freq: str = "month", themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """How often each term occurs per period.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    terms : sequence of str
        Words or phrases; ``*`` ends a prefix. Each is counted on its own (rule 8 applies
        within a term: its matches never overlap). Commas separate alternatives counted as
        one series, as in a search: ``"digital economy, data element*"``.
    flt : Filter
        Articles to count in.
    freq : {"month", "quarter", "year"}
        The length of a period.
    themes : ThemeDictionary, optional
        Dictionary for ``flt.themes`` (default: the index's).

    Returns
    -------
    DataFrame
        One row per period and term, sorted by period (time order), then by term in the
        order given. Every period from the first to the last date of the filtered corpus is
        present, zeros included (empty when no article is selected).

        * ``period``: ``2023-09``, ``2023Q3`` or ``2023``;
        * ``term``: the term as given;
        * ``count``: its matches in the period's articles;
        * ``docs``: articles holding at least one match;
        * ``words``: tokens in the period's articles;
        * ``per_10k``: ``count / words * 10000`` (0 without words);
        * ``articles``: articles in the period.

    Raises
    ------
    ValueError
        Without terms, or for a term that cannot match.

    See Also
    --------
    theme_trend, corpus_trend, measure_values

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> term_trend(index, ["digital economy", "real economy", "China"]).round(2)
        period             term  count  docs  words  per_10k  articles
    0  2023-09  digital economy     10     1    491   203.67         1
    1  2023-09     real economy     10     1    491   203.67         1
    2  2023-09            China      7     1    491   142.57         1

    ``China`` also counts the two ``China‘s`` (counting rule 3); a prefix counts every word
    it starts:

    >>> term_trend(index, ["digit*"], freq="year")[["period", "term", "count", "docs"]]
      period    term  count  docs
    0   2023  digit*     11     1

    Alternatives joined by commas make one series, each token counted once:

    >>> term_trend(index, ["digital economy, economy"])[["term", "count"]]
                           term  count
    0  digital economy, economy     21
    """
    # A term with commas is one series of alternatives, as in a search (rule 8 among them).
    parsed = [[parse_term(p) for p in split_query(t)] or [parse_term(t)] for t in terms]
    if not parsed:
        raise ValueError("give at least one term")
    selection = _selected(index, flt, freq, themes)
    columns = [*TREND_COLUMNS, "articles"]
    if selection is None:
        return pd.DataFrame({c: pd.Series(dtype=str if c in ("period", "term") else
                                          float if c == "per_10k" else int) for c in columns})
    labels, articles, words = selection.labels, selection.articles, selection.words
    n = len(labels)
    # One row per period and term, periods first: column j of these n x terms arrays.
    count = np.empty((n, len(parsed)), dtype=np.int64)
    docs = np.empty((n, len(parsed)), dtype=np.int64)
    for j, alternatives in enumerate(parsed):
        rows, counts = index.doc_counts(alternatives)  # (only the articles with a match)
        keep = selection.mask[rows]
        k = selection.periods(rows[keep])
        count[:, j] = np.bincount(k, weights=counts[keep], minlength=n)
        docs[:, j] = np.bincount(k, minlength=n)
    width = len(parsed)
    return pd.DataFrame({
        "period": np.repeat(np.asarray(labels, dtype=object), width),
        "term": np.tile(np.asarray(list(terms), dtype=object), n),
        "count": count.reshape(-1), "docs": docs.reshape(-1),
        "words": np.repeat(words, width),
        "per_10k": _per_10k(count.reshape(-1), np.repeat(words, width)),
        "articles": np.repeat(articles, width),
    })


def _per_10k(count: np.ndarray, words: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(words > 0, count / np.maximum(words, 1) * 10000, 0.0)
    return rate


MEASURES = {
    "per_10k": "per 10,000 words",
    "docs": "% of articles",
    "count": "matches",
}


def terms_without_matches(frame: pd.DataFrame) -> list[str]:
    """Terms of a :func:`term_trend` frame that match nowhere in it, in their order.

    Parameters
    ----------
    frame : DataFrame
        A frame with ``term`` and ``count`` columns, such as :func:`term_trend` returns.

    Returns
    -------
    list of str
        The terms whose counts add up to 0, in the order they first appear in ``frame``.

    Examples
    --------
    >>> terms_without_matches(pd.DataFrame({"term": ["a", "b", "a"], "count": [0, 0, 2]}))
    ['b']
    """
    totals = frame.groupby("term", sort=False)["count"].sum()
    return [str(term) for term, total in totals.items() if total == 0]


#: Words ending in s that are not the plural of the word without it, and the words that
#: would be mistaken for their singular: no number form is offered for either.
_NOT_PLURALS = frozenset("""
news new economics economic politics political physics statistics logistics ethics
mathematics dynamics goods good means mean series species arms arm affairs affair customs
custom savings saving earnings earning proceeds proceed premises premise headquarters
thanks outskirts analysis basis crisis thesis status census bonus campus virus chaos
gas bus lens plus less unless always perhaps whereas sometimes its his this has was does
is us yes""".split())


def number_forms(word: str) -> list[str]:
    """The other grammatical number of a word read as a regular English noun: plurals of a
    singular, singulars of a plural (candidates; a form that does not occur is no harm).

    Only words of three or more ASCII letters: others (numbers, Han characters) have none,
    and neither have words whose s is not a plural's (``news`` is not ``new``'s plural: see
    :data:`_NOT_PLURALS`).

    >>> [number_forms(w) for w in ["sheet", "economy", "tax", "policies", "chains", "day"]]
    [['sheets'], ['economies'], ['taxes'], ['policy'], ['chain'], ['days']]
    >>> number_forms("process"), number_forms("5g"), number_forms("数")
    (['processes'], [], [])
    >>> number_forms("news"), number_forms("new"), number_forms("goods"), number_forms("means")
    ([], [], [], [])
    """
    if not (word.isascii() and word.isalpha() and len(word) >= 3) or word in _NOT_PLURALS:
        return []
    return [form for form in _regular_forms(word) if form not in _NOT_PLURALS]


def _regular_forms(word: str) -> list[str]:
    if word.endswith("ies") and len(word) > 4:
        return [word[:-3] + "y"]
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return [word[:-2], word[:-1]]  # taxes: tax; bases: base
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [word[:-1]]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"]
    return [word + "s"]


def other_forms(index: Index, terms: Sequence[str], flt: Filter = Filter(), *,
                themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """Singular or plural forms of trend terms that occur but are not counted.

    A term counts only the words as written (``balance sheet`` does not count ``balance
    sheets``): the forms of its last word in the other number (:func:`number_forms`) that
    occur in the articles ``flt`` selects, and that no term counts already, are what a
    reader may have meant too.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    terms : sequence of str
        Trend terms (commas separate alternatives of one term; a last word ending in ``*``
        has no other form to find).
    flt : Filter
        Articles to look in.
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    DataFrame
        One row per form found: ``term`` (the term it is a form of), ``form`` (as the
        term's other words are written, normalised), ``count`` and ``docs`` (its matches and
        the articles holding them, in the selection); most matches first.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> other_forms(index, ["technology", "new industry", "real economy"])
               term            form  count  docs
    0    technology    technologies      1     1
    1  new industry  new industries      1     1
    >>> len(other_forms(index, ["technology, technologies", "new industries"]))
    0
    """
    counted = {str(parse_term(a)) for term in terms for a in split_query(term)}
    mask = select(index, flt, themes=themes)
    found = []
    for term in terms:
        for alternative in split_query(term):
            parsed = parse_term(alternative)
            *head, last = parsed.words
            if last.prefix:
                continue
            start = " ".join(w.text + "*" * w.prefix for w in head)
            for other in number_forms(last.text):
                form = f"{start} {other}".strip()
                if form in counted:
                    continue
                counted.add(form)
                try:
                    other_term = parse_term(form)
                except ValueError:  # (a term at the length limit: its form is over it, and
                    continue  # could not be searched or added as a term)
                rows, counts = index.doc_counts([other_term])
                kept = mask[rows]
                if kept.any():
                    found.append({"term": term, "form": form,
                                  "count": int(counts[kept].sum()), "docs": int(kept.sum())})
    frame = pd.DataFrame(found, columns=["term", "form", "count", "docs"])
    return frame.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def measure_values(frame: pd.DataFrame, measure: str, *, window: int = 1,
                   by: str = "term") -> pd.Series:
    """The plotted value of a trend or theme frame: per 10,000 words, % of articles or count.

    A period without articles has no value (NaN, drawn as a gap): nothing was measured there,
    which is not the same as a fall to zero. ``window`` > 1 takes a trailing moving average
    over that many periods, per ``by`` group, of the periods that have articles; so a period
    without articles has the average of the measured ones among the ``window`` - 1 before it
    (a smoothed line runs on through the months a monthly or yearly source skips), and is a gap
    only where the whole window is empty.

    Parameters
    ----------
    frame : DataFrame
        A :func:`term_trend` or :func:`theme_trend` frame: columns ``count``, ``docs``,
        ``words``, ``articles`` and the ``by`` column, each group's rows in time order.
    measure : {"per_10k", "docs", "count"}
        ``per_10k``: matches per 10,000 words; ``docs``: % of the period's articles holding a
        match; ``count``: matches.
    window : int
        Periods in the trailing moving average (1: none); the mean is of those among them
        that have articles (none: NaN).
    by : str
        Column whose groups are averaged apart: ``"term"``, or ``"theme"`` for a theme frame.

    Returns
    -------
    Series of float
        One value per row of ``frame``, with its index; NaN where the period (smoothed: its
        whole window) has no articles.

    Raises
    ------
    ValueError
        For another ``measure``.

    Examples
    --------
    >>> frame = pd.DataFrame({"term": ["a"] * 4, "count": [2, 0, 4, 0], "docs": [1, 0, 1, 0],
    ...                       "words": [100, 0, 200, 0], "articles": [2, 0, 4, 0]})
    >>> measure_values(frame, "per_10k").tolist(), measure_values(frame, "docs").tolist()
    ([200.0, nan, 200.0, nan], [50.0, nan, 25.0, nan])
    >>> measure_values(frame, "count", window=2).tolist()
    [2.0, 2.0, 4.0, 4.0]
    >>> measure_values(frame, "count", window=3).tolist()
    [2.0, 2.0, 3.0, 4.0]
    """
    articles_ = frame["articles"].to_numpy()
    empty = articles_ == 0
    if measure == "per_10k":
        values = _per_10k(frame["count"].to_numpy(), frame["words"].to_numpy())
    elif measure == "docs":
        values = frame["docs"].to_numpy() / np.maximum(articles_, 1) * 100
    elif measure == "count":
        values = frame["count"].to_numpy(dtype=float)
    else:
        raise ValueError(f"measure must be per_10k, docs or count, not {measure!r}")
    series = pd.Series(np.where(empty, np.nan, values), index=frame.index)
    if window > 1 and len(frame):
        # (rolling skips NaN: the mean of the measured periods in the window, NaN if none)
        series = series.groupby(frame[by], sort=False).transform(
            lambda s: s.rolling(window, min_periods=1).mean())
    return series


def smoothing_averages(frame: pd.DataFrame, window: int, *, by: str = "term") -> bool:
    """Whether a trailing moving average over ``window`` periods (:func:`measure_values`)
    averages anything: whether some period with articles has another with articles among
    the ``window`` - 1 before it (in its ``by`` group). When none has, as by quarter in a
    corpus of one article a year, the smoothed chart is the unsmoothed one with each value
    carried on through the empty periods after it.

    >>> frame = pd.DataFrame({"term": ["a"] * 5, "articles": [1, 0, 0, 1, 2]})
    >>> smoothing_averages(frame, 3), smoothing_averages(frame, 2)
    (True, True)
    >>> smoothing_averages(frame.head(4), 3), smoothing_averages(frame.head(4), 4)
    (False, True)
    """
    if window <= 1 or frame.empty:
        return False
    present = (frame["articles"].to_numpy() > 0).astype(np.int64)
    within = pd.Series(present, index=frame.index).groupby(frame[by], sort=False).transform(
        lambda s: s.rolling(window, min_periods=1).sum())
    return bool(((within.to_numpy() >= 2) & (present > 0)).any())


# --------------------------------------------------------------------------- themes


def theme_trend(index: Index, flt: Filter = Filter(), *, freq: str = "month",
                themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """Theme counts per period (rule 8: within a theme, longest entry first, no overlaps).

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to count in.
    freq : {"month", "quarter", "year"}
        The length of a period.
    themes : ThemeDictionary, optional
        The themes counted, and in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    DataFrame
        One row per period and theme, sorted by period (time order), then by theme in the
        dictionary's order. Every period from the first to the last date of the filtered
        corpus is present, zeros included (empty when no article is selected).

        * ``period``: ``2023-09``, ``2023Q3`` or ``2023``;
        * ``theme``: the theme's name;
        * ``count``: matches of the theme's entries in the period's articles;
        * ``docs``: articles with at least one match of the theme;
        * ``words``: tokens in the period's articles;
        * ``articles``: articles in the period.

    See Also
    --------
    theme_summary, term_trend, measure_values

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> from policydata.themes import parse_themes
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> mine = parse_themes('[themes]\\nEconomy = ["digital economy", "economy"]\\n'
    ...                     'Party = ["communist party", "party"]\\nGreen = ["green*"]')
    >>> theme_trend(index, freq="year", themes=mine)
      period    theme  count  docs  words  articles
    0   2023  Economy     21     1    491         1
    1   2023    Party      5     1    491         1
    2   2023    Green      0     0    491         1

    (Economy counts 21, as ``economy`` alone does, not 10 + 21: a ``digital economy`` is not
    also an ``economy`` in the same theme.)
    """
    dictionary = _dictionary(index, themes)
    selection = _selected(index, flt, freq, themes)
    columns = [*THEME_COLUMNS, "words", "articles"]
    if selection is None:
        return pd.DataFrame({c: pd.Series(dtype=str if c in ("period", "theme") else int)
                             for c in columns})
    labels, articles, words = selection.labels, selection.articles, selection.words
    n = len(labels)
    frames = []
    for name, (rows, counts) in zip(dictionary.names, _theme_rows(index, dictionary)):
        keep = selection.mask[rows]  # (only the articles with a match of the theme)
        k = selection.periods(rows[keep])
        frames.append(pd.DataFrame({
            "period": labels, "theme": name,
            "count": np.bincount(k, weights=counts[keep], minlength=n).astype(np.int64),
            "docs": np.bincount(k, minlength=n).astype(np.int64),
            "words": words, "articles": articles, "_order": np.arange(n)}))
    out = pd.concat(frames, ignore_index=True).sort_values("_order", kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def theme_summary(index: Index, flt: Filter = Filter(), *,
                  themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """Per theme over the filtered articles: matches, articles and share of articles.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to count in.
    themes : ThemeDictionary, optional
        The themes counted, and in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    DataFrame
        One row per theme, in the dictionary's order (not sorted by count):

        * ``theme``: the theme's name;
        * ``count``: matches of its entries in the filtered articles (rule 8);
        * ``docs``: filtered articles with at least one match;
        * ``share``: ``docs`` as a % of the filtered articles (0 when none is selected).

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> from policydata.themes import parse_themes
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> mine = parse_themes('[themes]\\nEconomy = ["digital economy", "economy"]\\n'
    ...                     'Party = ["communist party", "party"]\\nGreen = ["green*"]')
    >>> theme_summary(index, themes=mine).round(1)
         theme  count  docs  share
    0  Economy     21     1  100.0
    1    Party      5     1  100.0
    2    Green      0     0    0.0
    """
    dictionary = _dictionary(index, themes)
    rows = np.flatnonzero(select(index, flt, themes=themes))
    matrix = index.theme_counts(dictionary)[rows]
    docs = (matrix > 0).sum(axis=0)
    return pd.DataFrame({
        "theme": list(dictionary.names),
        "count": matrix.sum(axis=0).astype(np.int64),
        "docs": docs.astype(np.int64),
        "share": docs / len(rows) * 100 if len(rows) else np.zeros(len(dictionary.names)),
    })


def theme_entries(index: Index, flt: Filter = Filter(), *,
                  themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """Each entry of each theme searched on its own over the filtered articles: which entries
    a theme's matches come from, and which match nothing (a typo, or words these articles do
    not use).

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to count in.
    themes : ThemeDictionary, optional
        The dictionary (default: the index's), in which ``flt.themes`` are looked up too.

    Returns
    -------
    DataFrame
        One row per entry, the themes in the dictionary's order and each theme's entries
        by matches, most first (ties in the dictionary's order):

        * ``theme``: the theme's name;
        * ``entry``: the entry as written;
        * ``count``: its matches searched alone, as a term (rule 8 within the entry);
        * ``docs``: articles with at least one;
        * ``only``: articles in which its theme matches through this entry alone, or through
          longer entries holding it (``advanced manufacturing`` for ``manufacturing``, see
          :func:`holds`): the articles the theme holds because of these words (see
          :func:`one_entry_themes`).

        Within a theme the longest entry matching at a place counts once, so where entries
        overlap (``economy`` inside ``digital economy``) the theme's count
        (:func:`theme_summary`) is less than the sum of its entries'.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> from policydata.themes import parse_themes
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> mine = parse_themes('[themes]\\nEconomy = ["digital economy", "economy", "econmy"]')
    >>> theme_entries(index, themes=mine)
         theme            entry  count  docs  only
    0  Economy          economy     21     1     1
    1  Economy  digital economy     10     1     0
    2  Economy           econmy      0     0     0

    (The article matches the theme only through ``economy`` and ``digital economy``, which
    holds it: the theme rests on ``economy`` there.)
    >>> int(theme_summary(index, themes=mine)["count"].iat[0])  # (10 + the 11 others)
    21
    """
    dictionary = _dictionary(index, themes)
    mask = select(index, flt, themes=themes)
    out: list[tuple[str, str, int, int, int]] = []
    for name, terms in dictionary.themes:
        found = []  # (the filtered rows each entry matches in)
        for term in terms:
            rows, counts = index.doc_counts([term])
            keep = mask[rows]
            found.append(rows[keep])
            out.append((name, term.query, int(counts[keep].sum()), int(keep.sum()), 0))
        for i, only in enumerate(_only_through(terms, found, len(mask)),
                                 start=len(out) - len(found)):
            out[i] = (*out[i][:4], only)
    frame = pd.DataFrame({"theme": pd.Series([o[0] for o in out], dtype=object),
                          "entry": pd.Series([o[1] for o in out], dtype=object),
                          "count": pd.Series([o[2] for o in out], dtype=np.int64),
                          "docs": pd.Series([o[3] for o in out], dtype=np.int64),
                          "only": pd.Series([o[4] for o in out], dtype=np.int64)})
    order = {name: i for i, name in enumerate(dictionary.names)}
    return (frame.assign(_theme=frame["theme"].map(order))
            .sort_values(["_theme", "count"], ascending=[True, False], kind="stable")
            .drop(columns="_theme").reset_index(drop=True))


def holds(longer: Term, shorter: Term) -> bool:
    """Whether every match of ``longer`` holds a match of ``shorter``: ``longer`` has
    ``shorter``'s words in a row, or words its globs match. ``advanced manufacturing`` holds
    ``manufacturing`` and ``manufactur*``, ``manufacturing*`` holds ``manufactur*``; a term
    holds itself.

    >>> from policydata.tokens import parse_term
    >>> holds(parse_term("advanced manufacturing"), parse_term("manufactur*"))
    True
    >>> holds(parse_term("manufactur*"), parse_term("manufacturing"))
    False
    """
    a, b = longer.words, shorter.words

    def within(word: Word, other: Word) -> bool:  # (every token other matches, word does)
        if word.prefix:
            return other.text.startswith(word.text)
        return not other.prefix and other.text == word.text

    return any(all(within(b[j], a[i + j]) for j in range(len(b)))
               for i in range(len(a) - len(b) + 1))


def _only_through(terms: Sequence[Term], found: Sequence[np.ndarray], n: int) -> list[int]:
    """For each of a theme's entries (``terms``, matching in the rows ``found``), the rows
    in which every matching entry is it or one holding it (:func:`holds`).

    Only the entries that match take part, and an entry is compared only with those sharing
    a word with its first one: the cost follows the matches, not the dictionary's size.
    """
    out = [0] * len(terms)
    matching = [j for j, rows in enumerate(found) if len(rows)]
    if not matching:
        return out
    # Each row's matching entries as bits, in words of 62 entries (a theme may have more).
    bit = {j: i for i, j in enumerate(matching)}
    words = (len(matching) + 61) // 62
    bits = np.zeros((words, n), dtype=np.int64)
    for j, i in bit.items():
        bits[i // 62, found[j]] |= np.int64(1) << np.int64(i % 62)
    having: dict[tuple[str, bool], set[int]] = {}  # (a word, as written) -> entries with it
    for j in matching:
        for word in terms[j].words:
            having.setdefault((word.text, word.prefix), set()).add(j)
    for j in matching:
        first = terms[j].words[0]
        if first.prefix:  # (a longer entry holds it with any word the glob matches)
            candidates = set().union(*(entries for (text, _), entries in having.items()
                                       if text.startswith(first.text)))
        else:
            candidates = having.get((first.text, False), set())
        allowed = np.zeros(words, dtype=np.int64)
        for k in candidates:
            if holds(terms[k], terms[j]):
                allowed[bit[k] // 62] |= np.int64(1) << np.int64(bit[k] % 62)
        rows = found[j]
        outside = np.zeros(len(rows), dtype=bool)
        for w in range(words):
            outside |= (bits[w, rows] & ~allowed[w]) != 0
        out[j] = int((~outside).sum())
    return out


def one_entry_themes(summary: pd.DataFrame, entries: pd.DataFrame, *, share: float = 0.8,
                     least: float = 10.0) -> pd.DataFrame:
    """Themes found in many articles that most of them hold through one entry alone: a share
    of articles that rests on one word (``manufacturing`` for a theme of real economy and
    manufacturing, in minutes that mention manufacturing every time), worth a look before it
    is cited.

    Parameters
    ----------
    summary : DataFrame
        :func:`theme_summary` of the articles.
    entries : DataFrame
        :func:`theme_entries` of the same articles and dictionary.
    share : float
        The least part of a theme's articles in which the entry is the theme's only match.
    least : float
        The least share of the articles (in %) a theme is in: a theme of a few articles
        resting on a word is no finding.

    Returns
    -------
    DataFrame
        One row per such theme (of two or more entries), in the dictionary's order: ``theme``,
        ``entry``, ``only`` (articles in which it is the theme's only entry to match),
        ``docs`` (the theme's articles) and ``share`` (``docs`` as a % of the articles).

    Examples
    --------
    >>> summary = pd.DataFrame({"theme": ["A", "B", "C", "D"], "docs": [10, 10, 4, 1],
    ...                         "share": [50.0, 50.0, 20.0, 5.0]})
    >>> entries = pd.DataFrame({"theme": ["A", "A", "B", "B", "C", "D", "D"],
    ...                         "entry": ["x", "y", "u", "v", "w", "s", "t"],
    ...                         "docs": [9, 2, 7, 8, 4, 1, 0], "only": [9, 1, 3, 4, 4, 1, 0]})
    >>> one_entry_themes(summary, entries)
      theme entry  only  docs  share
    0     A     x     9    10   50.0
    """
    several = entries["theme"].duplicated(keep=False)
    best = (entries[several].sort_values("only", ascending=False, kind="stable")
            .drop_duplicates("theme"))
    out = best[["theme", "entry", "only"]].merge(summary[["theme", "docs", "share"]],
                                                 on="theme")
    out = out[(out["docs"] > 0) & (out["only"] >= share * out["docs"])
              & (out["share"] >= least)]
    order = {name: i for i, name in enumerate(summary["theme"])}
    out = out.sort_values("theme", key=lambda names: names.map(order), kind="stable")
    return out[["theme", "entry", "only", "docs", "share"]].reset_index(drop=True)


def leading_themes(frame: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` themes of a theme frame that weigh most: in a :func:`theme_trend` frame
    those with the most matches over all periods, in a :func:`theme_cooccurrence` frame those
    found in the most articles (its diagonal); ties keep the frame's order.

    >>> trend = pd.DataFrame({"theme": ["a", "b", "c", "a", "b", "c"],
    ...                       "count": [1, 5, 2, 1, 0, 2]})
    >>> leading_themes(trend, 2)
    ['b', 'c']
    >>> together = pd.DataFrame({"theme": ["a", "a", "b", "b"], "other": ["a", "b", "a", "b"],
    ...                          "articles": [4, 3, 3, 3]})
    >>> leading_themes(together, 1)
    ['a']
    """
    if "other" in frame:
        totals = frame[frame["theme"] == frame["other"]].set_index("theme")["articles"]
    else:
        totals = frame.groupby("theme", sort=False)["count"].sum()
    return totals.sort_values(ascending=False, kind="stable").index[:n].tolist()


def theme_cooccurrence(index: Index, flt: Filter = Filter(), *,
                       themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """Articles that have both themes, for every pair (the diagonal: articles with the theme).

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to count in.
    themes : ThemeDictionary, optional
        The themes paired, and in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    DataFrame
        A tidy, symmetric matrix: one row per ordered pair of themes (``n * n`` rows for
        ``n`` themes), sorted by ``theme`` then ``other``, both in the dictionary's order.

        * ``theme``, ``other``: the two themes' names (equal on the diagonal);
        * ``articles``: filtered articles with at least one match of each (of ``theme`` on
          the diagonal);
        * ``share``: ``articles`` as a % of the articles with ``theme`` (how many of them
          also have ``other``; 100 on the diagonal, 0 for a theme without articles).

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> from policydata.themes import parse_themes
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> mine = parse_themes('[themes]\\nEconomy = ["digital economy", "economy"]\\n'
    ...                     'Party = ["communist party", "party"]\\nGreen = ["green*"]')
    >>> theme_cooccurrence(index, themes=mine).head(4)
         theme    other  articles  share
    0  Economy  Economy         1  100.0
    1  Economy    Party         1  100.0
    2  Economy    Green         0    0.0
    3    Party  Economy         1  100.0
    """
    dictionary = _dictionary(index, themes)
    rows = np.flatnonzero(select(index, flt, themes=themes))
    # A float product runs in BLAS (numpy multiplies integers without it: 200 themes over
    # 100,000 articles took a minute); in float32, half float64's memory (the matrix is one
    # per request: 200 themes over 300,000 articles, 240 MB), counts are exact up to 2**24
    # articles; past that, float64 (exact to 2**53).
    present: np.ndarray = (index.theme_counts(dictionary)[rows] > 0).astype(
        np.float32 if len(rows) < 2 ** 24 else np.float64)
    both = np.rint(present.T @ present).astype(np.int64)
    names = list(dictionary.names)
    own = np.repeat(np.diag(both), len(names))  # (each row's theme's own articles)
    articles = both.reshape(-1)
    return pd.DataFrame({
        "theme": np.repeat(names, len(names)),
        "other": np.tile(names, len(names)),
        "articles": articles,
        "share": np.divide(articles * 100.0, own, out=np.zeros(len(articles)), where=own > 0),
    })


def theme_labels(index: Index, rows: np.ndarray, *, themes: ThemeDictionary | None = None,
                 ) -> list[str]:
    """Themes of each article (those with at least one match), joined by ``"; "``.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    rows : numpy.ndarray of int
        Global document rows (rows of ``index.documents``).
    themes : ThemeDictionary, optional
        The themes looked for (default: the index's).

    Returns
    -------
    list of str
        One label per row, in the order of ``rows``: the names of its themes in the
        dictionary's order, ``""`` for an article without any.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> from policydata.themes import parse_themes
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> mine = parse_themes('[themes]\\nEconomy = ["digital economy", "economy"]\\n'
    ...                     'Party = ["communist party", "party"]\\nGreen = ["green*"]')
    >>> theme_labels(index, np.array([0]), themes=mine)
    ['Economy; Party']
    """
    dictionary = _dictionary(index, themes)
    present = index.theme_counts(dictionary)[rows] > 0
    names = np.asarray(dictionary.names, dtype=object)
    return ["; ".join(names[flags]) for flags in present]


# --------------------------------------------------------------------------- articles


def articles(index: Index, flt: Filter = Filter(), *, sort: str = "-date",
             limit: int | None = None, themes: ThemeDictionary | None = None,
             mentioning: str | None = None, with_theme: str | None = None) -> pd.DataFrame:
    """The filtered article list.

    ``hits`` is the number of matches of the query (``flt.query``) in the article; without a
    query, of the selected themes; with neither, 0. ``sort`` is ``-date`` (newest first),
    ``date`` or ``hits`` (most first, then newest). ``themes`` lists the article's themes.
    ``mentioning`` (a term) keeps only the articles that mention it, and ``hits`` then counts
    it: the articles behind one point of a term trend. ``with_theme`` (a theme) does the same
    for one point of a theme trend. Ties are broken by id.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to list.
    sort : {"-date", "date", "hits"}
        ``-date``: newest first; ``date``: oldest first; ``hits``: most hits first, then
        newest. Ties are broken by id.
    limit : int or None
        Most rows returned (None for all; 0 for none).
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up and whose themes the ``themes``
        column names (default: the index's).
    mentioning : str, optional
        A term (commas separate alternatives): keep only the articles holding a match of it,
        and count its matches as ``hits``.
    with_theme : str, optional
        A theme of the dictionary: keep only the articles holding a match of it, and count
        its matches (rule 8) as ``hits``. Not with ``mentioning``.

    Returns
    -------
    DataFrame
        One row per article, in the order of ``sort``:

        * ``id``: the article's id (:func:`article` opens it);
        * ``date``: ``YYYY-MM-DD``, or ``YYYY-MM`` and ``YYYY`` for an article dated only to a
          month or a year (:func:`date_texts`);
        * ``title``, ``source``: as loaded;
        * ``words``: its tokens;
        * ``hits``: matches of ``mentioning`` or ``with_theme``, else of ``flt.query``, else
          of ``flt.themes``, else 0;
        * ``themes``: its themes, joined by ``"; "`` (see :func:`theme_labels`).

    Raises
    ------
    ValueError
        For another ``sort``, a negative ``limit``, or an unknown theme or source.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> articles(index, Filter(query="real economy"))[["id", "date", "words", "hits"]]
                         id        date  words  hits
    0  000_362ffc007b938720  2023-09-02    491    10
    >>> articles(index, mentioning="China", sort="hits")["hits"].tolist()
    [7]
    >>> articles(index, with_theme="Digital economy")["hits"].tolist()  # (as theme_summary)
    [11]
    >>> len(articles(index, Filter(query="green development")))
    0
    """
    _check_sort(sort)
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    if mentioning and with_theme:
        raise ValueError("give mentioning or with_theme, not both")
    dictionary = _dictionary(index, themes)
    rows = select_rows(index, flt, themes=themes)
    counted = None  # (rows with a match, their matches) of what hits counts
    if mentioning:
        counted = index.doc_counts(parse_query(mentioning))
    elif with_theme:
        counted = _theme_rows(index, dictionary)[_theme_columns(dictionary, [with_theme])[0]]
    elif flt.query:
        counted = index.doc_counts(parse_query(flt.query))
    if counted is not None:
        # Both ascending: keep the selected rows with a match, and their matches.
        where = np.minimum(np.searchsorted(rows, counted[0]), max(len(rows) - 1, 0))
        both = rows[where] == counted[0] if len(rows) else np.zeros(len(where), dtype=bool)
        rows, hits = counted[0][both], counted[1][both]
    elif flt.themes:
        hits = index.theme_counts(dictionary)[rows][
            :, _theme_columns(dictionary, flt.themes)].sum(axis=1)
    else:
        hits = np.zeros(len(rows), dtype=np.int64)
    order = _article_order(index, rows, hits, sort)
    if limit is not None:
        order = order[:limit]
    rows, hits = rows[order], hits[order]
    frame = _article_rows(index, rows)
    frame["hits"] = hits.astype(np.int64)
    frame["themes"] = theme_labels(index, rows, themes=themes)
    return frame


def date_texts(index: Index, rows: np.ndarray) -> np.ndarray:
    """The dates of these rows as their articles give them: ``2023-09-02``, or ``2023-09``
    and ``2023`` for an article dated only to a month or a year (ISO 8601's reduced
    precision), never a first day that no source named.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    rows : numpy.ndarray of int
        Rows of :attr:`Index.documents`.

    Returns
    -------
    numpy.ndarray of str
        One date per row, in order.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from policydata.store import open_index
    >>> corpus = Path(tempfile.mkdtemp())
    >>> _ = (corpus / "news.csv").write_text("date,title,text\\n2023-09-02,A,One.\\n"
    ...                                      "2023-09,B,Two.\\n2023,C,Three.\\n")
    >>> date_texts(open_index(corpus, cache_dir=tempfile.mkdtemp()), np.arange(3)).tolist()
    ['2023-09-02', '2023-09', '2023']
    """
    days = np.datetime_as_string(index.dates[rows], unit="D").astype(object)
    widths = _date_widths(index)[rows]
    for width in (7, 4):
        coarse = widths == width
        days[coarse] = [day[:width] for day in days[coarse]]
    return days


def _date_widths(index: Index) -> np.ndarray:
    """Characters of ``YYYY-MM-DD`` each article's date keeps, by its precision (kept on the
    index: the precision column as an array takes 18 ms at 300,000 articles)."""
    def make() -> np.ndarray:
        precision = index.documents["precision"].to_numpy()
        widths = np.full(len(precision), 10, dtype=np.int8)
        for kind in ("month", "year"):
            widths[precision == kind] = _DATE_WIDTH[kind]
        widths.flags.writeable = False
        return widths
    return cast(np.ndarray, index.memo(("date widths",), make))


#: Characters of ``YYYY-MM-DD`` a date of each precision keeps (:func:`date_texts`).
_DATE_WIDTH = {"day": 10, "month": 7, "year": 4}


def _date_text(index: Index, row: int) -> str:
    """:func:`date_texts` of one row (a keyword-in-context line's)."""
    return str(index.dates[row])[:_date_widths(index)[row]]


def _article_rows(index: Index, rows: np.ndarray) -> pd.DataFrame:
    """``id``, ``date``, ``title``, ``source`` and ``words`` of these rows, in their order."""
    docs = index.documents
    return pd.DataFrame({
        "id": docs["id"].to_numpy()[rows],
        "date": date_texts(index, rows),
        "title": docs["title"].to_numpy()[rows],
        "source": docs["source"].to_numpy()[rows],
        "words": index.words[rows],
    })


@dataclass(frozen=True)
class ShortArticles:
    """Articles far shorter than the corpus's typical one (see :func:`short_articles`)."""

    rows: pd.DataFrame  # id, date, title, source, words: the shortest first
    median: float  # words of the median article
    under: float  # the length they are under


def short_articles(index: Index, *, share: float = 0.1) -> ShortArticles:
    """The articles of the corpus shorter than ``share`` of its median article: a scrape's
    error pages, paywall stubs and captions, which count in every "% of articles".

    Parameters
    ----------
    index : Index
        The loaded corpus (exact duplicates, counted once, are left out).
    share : float
        The fraction of the median article's words under which an article is listed.

    Returns
    -------
    ShortArticles
        ``rows``: ``id``, ``date``, ``title``, ``source``, ``words``, the shortest first
        (then by date and id); ``median``: the median article's words; ``under``: ``share``
        of it.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from policydata.store import open_index
    >>> corpus = Path(tempfile.mkdtemp())
    >>> _ = (corpus / "news.csv").write_text("date,title,text\\n"
    ...     + "".join(f"2023-05-0{i},T{i},{'word ' * 99}\\n" for i in range(1, 4))
    ...     + "2023-05-04,Page not found,Sorry.\\n")
    >>> short = short_articles(index := open_index(corpus, cache_dir=tempfile.mkdtemp()))
    >>> short.median, short.under, short.rows[["title", "words"]].to_dict("records")
    (100.0, 10.0, [{'title': 'Page not found', 'words': 4}])
    """
    active = np.flatnonzero(index.active)
    median = float(np.median(index.words[active])) if len(active) else 0.0
    under = share * median
    rows = active[index.words[active] < under]
    ids = index.documents["id"].to_numpy()[rows].astype(str)
    rows = rows[np.lexsort((ids, index.dates[rows], index.words[rows]))]
    return ShortArticles(_article_rows(index, rows), median, under)


#: The orders of an article list (and of keyword-in-context lines, article by article).
SORTS = ("-date", "date", "hits")


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise ValueError(f"sort must be -date, date or hits, not {sort!r}")


def _article_order(index: Index, rows: np.ndarray, hits: np.ndarray, sort: str) -> np.ndarray:
    """The order of the articles ``rows`` (with ``hits`` matches each) by ``sort``: newest
    first (``-date``), oldest first (``date``) or most hits first, then newest (``hits``);
    ties by id, however the index was built."""
    dates = index.dates[rows].astype(np.int64)
    ids = index.id_rank[rows]
    if sort == "hits":
        return np.lexsort((ids, -dates, -hits))
    if sort == "date":
        return np.lexsort((ids, dates))
    return np.lexsort((ids, -dates))


# --------------------------------------------------------------------------- keyword in context


def _kwic_rows(index: Index, term: str | Sequence[Term], flt: Filter,
               themes: ThemeDictionary | None, sort: str,
               max_words: int | None) -> tuple[np.ndarray, np.ndarray, list[Term]]:
    """The articles whose lines :func:`kwic` gives, in order, their matches, and the terms."""
    _check_sort(sort)
    terms = parse_query(term) if isinstance(term, str) else list(term)
    if not terms:
        raise ValueError("kwic needs a term")
    mask = select(index, flt, themes=themes)
    counts = index.counts(terms)
    rows = np.flatnonzero(mask & (counts > 0))
    rows = rows[_article_order(index, rows, counts[rows], sort)]
    if max_words is not None:
        if max_words < 0:
            raise ValueError(f"max_words must be 0 or more, not {max_words}")
        rows = rows[:int(np.searchsorted(np.cumsum(index.words[rows]), max_words,
                                         side="right"))]
    return rows, counts[rows], terms


def kwic_extent(index: Index, term: str | Sequence[Term], flt: Filter = Filter(), *,
                max_words: int | None = None, themes: ThemeDictionary | None = None,
                sort: str = "date") -> tuple[int, int]:
    """How many articles and lines :func:`kwic` gives with ``limit=None`` (with the same
    arguments), without reading them: a line for each match.

    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> kwic_extent(index, "China"), kwic_extent(index, "China", max_words=100)
    ((1, 7), (0, 0))
    """
    rows, counts, _ = _kwic_rows(index, term, flt, themes, sort, max_words)
    return len(rows), int(counts.sum())


def kwic(index: Index, term: str | Sequence[Term], flt: Filter = Filter(), *, window: int = 8,
         limit: int | None = 100, themes: ThemeDictionary | None = None,
         sort: str = "date", max_words: int | None = None, by: str = "") -> pd.DataFrame:
    """Keyword in context: every counted match of ``term``, as written in the article.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    term : str or sequence of Term
        A word or phrase (``*`` ends a prefix; commas separate alternatives, counted
        together by rule 8), or parsed terms counted together, such as a theme's entries
        (``dictionary.entries(name)``: its lines are the matches the theme counts).
    flt : Filter
        Articles to look in.
    window : int
        Words of context on each side (the context runs across sentence boundaries).
    limit : int or None
        Most lines returned: the first ones in the order below (None for all; 0 for none).
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).
    sort : {"date", "-date", "hits"}
        The order of the articles, as in :func:`articles`: ``date``, oldest first;
        ``-date``, newest first; ``hits``, the most matches first, then newest. Ties by id.
    max_words : int or None
        With a number, only the lines of the first articles (in that order) whose words add
        up to at most ``max_words``: a bound on the text read (about 700,000 words a
        second), whatever the number of lines. :func:`kwic_extent` says how many that is.
    by : {"", "after", "before"}
        The order of the lines: ``""``, article by article as below; ``after``, as in a
        concordance, A to Z by the words after the match (as the counting rules normalise
        them), or ``before``, by the words before it read back from the match; lines with
        the same words keep the order of ``""``. All the lines are sorted (from the index,
        without reading the articles) and ``limit`` keeps the first ones of that order.

    Returns
    -------
    DataFrame
        One line per counted match, article by article in the order of ``sort``, and in
        an article from first to last (unless ``by`` says otherwise):

        * ``id``, ``date`` (as :func:`date_texts` writes it), ``title``: the article's;
        * ``left``: up to ``window`` words before the match;
        * ``match``: the text as it stands in the article (``China‘s`` for the query
          ``china``);
        * ``right``: up to ``window`` words after it.

        Line breaks in the context are shown as spaces.

    Raises
    ------
    ValueError
        For a negative ``window``, ``limit`` or ``max_words``, another ``sort`` or ``by``, or
        a term that cannot match.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> lines = kwic(index, "China", window=3)
    >>> len(lines)
    7
    >>> lines[["left", "match", "right"]].head(3)
                     left    match                     right
    0  Communist Party of    China        has emphasized the
    1  Communist Party of    China                to build a
    2     and vitality of  China‘s  economic development can
    >>> len(kwic(index, "China", limit=2)), len(kwic(index, "China", limit=0))
    (2, 0)
    >>> kwic(index, "China", window=3, by="after")[["match", "right"]].head(3)
         match                     right
    0    China            can create new
    1    China   can strengthen economic
    2  China‘s  economic development can
    """
    if not 0 <= window <= MAX_WINDOW:
        raise ValueError(f"window must be 0 to {MAX_WINDOW} words, not {window}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    if by not in KWIC_ORDERS:
        raise ValueError(f"by must be '', 'after' or 'before', not {by!r}")
    rows, counts, terms = _kwic_rows(index, term, flt, themes, sort, max_words)
    lines: list[dict[str, Any]] = []
    if limit == 0:  # (the limit is checked after each line below: it would keep one)
        return pd.DataFrame(lines, columns=KWIC_COLUMNS)
    if by and window:
        return _concordance(index, rows, terms, by, window, limit)
    docs = index.documents
    for row, count in zip(rows.tolist(), counts.tolist(), strict=True):
        text = index.text(row)
        # The index knows how many matches the article holds: after the last of them the rest
        # of a long article is not read.
        found = match_offsets(text, terms, window=window)
        for a, b, left_start, right_end in islice(found, count):
            lines.append({
                "id": docs["id"].iat[row],
                "date": _date_text(index, row),
                "title": docs["title"].iat[row],
                "left": _one_line(text[left_start:a]),
                "match": _one_line(text[a:b]),
                "right": _one_line(text[b:right_end]),
            })
            if limit is not None and len(lines) >= limit:
                return pd.DataFrame(lines, columns=KWIC_COLUMNS)
    return pd.DataFrame(lines, columns=KWIC_COLUMNS)


def _concordance(index: Index, rows: np.ndarray, terms: list[Term], by: str, window: int,
                 limit: int | None) -> pd.DataFrame:
    """:func:`kwic`'s lines of the articles ``rows`` (in order) sorted ``by`` the words after
    or before the match: the sort reads the words from the index, and only the articles
    holding the first ``limit`` lines are read."""
    where, nth, keys = _concordance_keys(index, rows, terms, by, window, limit)
    order = np.lexsort((nth, where, *keys[::-1]))[:limit]
    chosen = list(zip(rows[where[order]].tolist(), nth[order].tolist(), strict=True))
    wanted: dict[int, set[int]] = {}
    for row, k in chosen:
        wanted.setdefault(row, set()).add(k)
    found: dict[tuple[int, int], dict[str, Any]] = {}
    docs = index.documents
    for row, ks in wanted.items():
        text = index.text(row)
        matches = islice(match_offsets(text, terms, window=window), max(ks) + 1)
        for k, (a, b, left_start, right_end) in enumerate(matches):
            if k in ks:
                found[row, k] = {"id": docs["id"].iat[row],
                                 "date": _date_text(index, row),
                                 "title": docs["title"].iat[row],
                                 "left": _one_line(text[left_start:a]),
                                 "match": _one_line(text[a:b]),
                                 "right": _one_line(text[b:right_end])}
    return pd.DataFrame([found[key] for key in chosen], columns=KWIC_COLUMNS)


def _concordance_keys(index: Index, rows: np.ndarray, terms: list[Term], by: str,
                      window: int, limit: int | None,
                      ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Every counted match of ``terms`` in the articles ``rows``: its article's place in
    ``rows``, its number in the article (0 for the first), and ``window`` sort keys, the
    A-to-Z rank of the 1st, 2nd, ... word after the match (``after``) or before it
    (``before``), -1 past the article's ends (a shorter context comes first). With a
    ``limit``, only the matches that can be among the first ``limit`` by their first word
    are kept and given the other keys."""
    place = np.full(len(index.documents), -1, dtype=np.int64)
    place[rows] = np.arange(len(rows))
    patterns = [index.pattern(t) for t in terms]
    step = 1 if by == "after" else -1
    parts = []  # (segment, its matches' documents, the first word's position)
    where, nth = [], []
    for s, segment in enumerate(index.segments):
        lo = int(index.offsets[s])
        if not (place[lo:int(index.offsets[s + 1])] >= 0).any():
            continue
        starts, lengths = segment.match_starts(patterns)
        docs = np.searchsorted(segment.doc_start, starts, side="right") - 1
        keep = place[lo + docs] >= 0
        where.append(place[lo + docs[keep]])
        nth.append((np.arange(len(docs)) - np.searchsorted(docs, docs))[keep])  # (sorted)
        parts.append((segment, docs[keep],
                      (starts + lengths)[keep] if by == "after" else starts[keep] - 1))
    empty = np.zeros(0, dtype=np.int64)
    places, numbers = (np.concatenate(where), np.concatenate(nth)) if parts else (empty, empty)
    streams = [_context_words(index, *part, step) for part in parts]
    keys = [np.concatenate([next(w) for w in streams]) if streams else empty]
    if limit is not None and len(places) > limit:
        # Only a match whose first word is no later than the limit-th one's can be shown.
        kept = keys[0] <= np.partition(keys[0], limit - 1)[limit - 1]
        places, numbers, keys = places[kept], numbers[kept], [keys[0][kept]]
        bounds = np.cumsum([0] + [len(docs) for _, docs, _ in parts]).tolist()
        streams = []
        for (segment, docs, first), a, b in zip(parts, bounds, bounds[1:], strict=False):
            streams.append(_context_words(index, segment, docs[kept[a:b]],
                                          first[kept[a:b]], step))
            next(streams[-1])  # (the first word again)
    for _ in range(window - 1):
        keys.append(np.concatenate([next(w) for w in streams]) if streams else empty)
    return places, numbers, keys


def _context_words(index: Index, segment: Any, docs: np.ndarray, at: np.ndarray,
                   step: int) -> Iterator[np.ndarray]:
    """The A-to-Z ranks of the words from the positions ``at`` of ``segment``'s stream on,
    one word of each at a time, going ``step`` (1 or -1) and skipping boundaries; -1 past
    its document ``docs``' ends."""
    rank = index.lexicon.rank()
    tokens = segment.stream()
    low, high = segment.doc_start[docs], segment.doc_start[docs + 1]
    at = at.astype(np.int64, copy=True)

    def read() -> tuple[np.ndarray, np.ndarray]:
        inside = (at > low) & (at < high)  # (a document's first position is a boundary)
        token = np.zeros(len(at), dtype=np.int64)
        token[inside] = tokens[at[inside]]
        return inside, token

    while True:
        inside, token = read()
        gap = inside & (token == 0)
        while gap.any():
            at[gap] += step
            inside, token = read()
            gap = inside & (token == 0)
        yield np.where(inside, rank[segment.as_global(token)], -1)
        at += step


Token = tuple[str, int, int]
#: A tokenised piece of text: its spans, and the same tokens in one list.
Piece = tuple[list[list[Token]], list[Token]]


def match_offsets(text: str, terms: Sequence[Term], *, window: int = 0, piece: int = PIECE,
                  ) -> Iterator[tuple[int, int, int, int]]:
    """The counted matches of ``terms`` in ``text`` as character offsets, first to last.

    The text is tokenised a piece at a time (:func:`~policydata.tokens.text_pieces`), so a
    caller that stops early, as keyword in context does at its limit, never tokenises the rest
    of a long article.

    Parameters
    ----------
    text : str
        The text as written.
    terms : sequence of Term
        Counted together, as a dictionary (rule 8).
    window : int
        Tokens of context on each side (across boundaries, up to the ends of the text).
    piece : int
        Characters tokenised at a time.

    Yields
    ------
    tuple of int
        ``(start, end, context_start, context_end)``: ``text[start:end]`` is the match as
        written, ``text[context_start:context_end]`` the match with its context.

    Examples
    --------
    >>> text = "The real economy. The digital economy grows!"
    >>> [text[a:b] for a, b, _, _ in match_offsets(text, [parse_term("economy")])]
    ['economy', 'economy']
    >>> [text[c:d] for _, _, c, d in match_offsets(text, [parse_term("digital")], window=1)]
    ['The digital economy']
    """
    ranges = iter(text_pieces(text, piece))
    ahead: deque[Piece] = deque()  # pieces tokenised for right context, not yet scanned

    def tokenised() -> Piece | None:
        start, end = next(ranges, (-1, -1))
        if start < 0:
            return None
        spans = [[(tok, a + start, b + start) for tok, a, b in span]
                 for span in token_spans(text[start:end])]
        return spans, [tok for span in spans for tok in span]

    def following(count: int) -> int | None:
        """The end of the ``count``-th token after the current piece (or of the last one)."""
        end = None
        k = 0
        while count > 0:
            if k == len(ahead):
                more = tokenised()
                if more is None:
                    break
                ahead.append(more)
            tokens = ahead[k][1]
            k += 1
            if tokens:
                end = tokens[min(count, len(tokens)) - 1][2]
                count -= len(tokens)
        return end

    history: list[Token] = []  # the last ``window`` tokens before the current piece
    while (current := ahead.popleft() if ahead else tokenised()) is not None:
        spans, flat = current
        start_of = [0, *accumulate(len(span) for span in spans)]
        for span_no, begin, length in match_spans([[t for t, _, _ in s] for s in spans], terms):
            first = start_of[span_no] + begin
            last = first + length - 1
            a, b = flat[first][1], flat[last][2]
            lo, hi = first - window, last + window
            if lo >= 0:
                left = flat[lo][1]
            else:
                left = history[max(len(history) + lo, 0)][1] if history else flat[0][1]
            if hi < len(flat):
                right = flat[hi][2]
            else:
                right = following(hi - len(flat) + 1) or flat[-1][2]
            yield a, b, left, right
        history = (history + flat)[-window:] if window else []


def _one_line(text: str) -> str:
    return " ".join(text.split())


def match_spans(spans: Sequence[Sequence[str]], terms: Sequence[Term],
                ) -> list[tuple[int, int, int]]:
    """Counted matches of a dictionary of terms in tokenised text (rule 8), by direct scan.

    The straightforward reading of the rules over token lists: scan each span left to right,
    take the longest term matching at a position, continue after it. Used for keyword in
    context, where the text is at hand anyway.

    Parameters
    ----------
    spans : sequence of sequence of str
        Tokens between boundaries, as :func:`policydata.tokens.tokenize` gives them.
    terms : sequence of Term
        Counted together, as a dictionary (rule 8).

    Returns
    -------
    list of (span, start, length)
        One tuple per counted match, first to last: the span's number, the position of the
        match's first token in it and the match's length in tokens.

    Examples
    --------
    >>> from policydata.tokens import tokenize
    >>> match_spans(tokenize("digital economy and the economy"),
    ...             [parse_term("economy"), parse_term("digital economy")])
    [(0, 0, 2), (0, 4, 1)]
    """
    found = []
    # (a quick look first: no term can match where its first word does not)
    firsts = {term.words[0].text for term in terms if not term.words[0].prefix}
    prefixes = tuple(term.words[0].text for term in terms if term.words[0].prefix)
    for s, span in enumerate(spans):
        i = 0
        while i < len(span):
            if span[i] not in firsts and not (prefixes and span[i].startswith(prefixes)):
                i += 1
                continue
            best = 0
            for term in terms:
                k = len(term.words)
                if k > best and i + k <= len(span) and all(
                        w.matches(span[i + j]) for j, w in enumerate(term.words)):
                    best = k
            if best:
                found.append((s, i, best))
                i += best
            else:
                i += 1
    return found


# --------------------------------------------------------------------------- top terms


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """The shipped English stopword list (``policydata/data/stopwords.txt``).

    Stopwords only shape top-term lists and word clouds (counting rule 9).

    Returns
    -------
    frozenset of str
        The file's words, one a line (blank lines and lines starting with ``#`` left out);
        read once, then cached.

    Examples
    --------
    >>> "the" in default_stopwords(), "economy" in default_stopwords()
    (True, False)
    """
    text = resources.files("policydata").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def stopwords_with(changes: Sequence[str], base: Iterable[str] | None = None) -> frozenset[str]:
    """A stopword list changed by a user: each word added, or, written with a leading ``-``,
    taken out (``-us`` keeps ``US``, the country, which the counting rules read as the
    pronoun ``us``).

    Parameters
    ----------
    changes : sequence of str
        Words to add, and ``-word`` for words to keep (lower case, as the rules read them).
    base : iterable of str, optional
        The list changed (default: :func:`default_stopwords`).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> mine = stopwords_with(["america", "-us", "-may"])
    >>> "america" in mine, "us" in mine, "may" in mine, "the" in mine
    (True, False, False, True)
    >>> sorted(stopwords_with(["-b", "c"], base=["a", "b"]))
    ['a', 'c']
    """
    kept = {w[1:].strip() for w in changes if w.startswith("-")}
    added = {w for w in changes if w and not w.startswith("-")}
    return frozenset((set(default_stopwords() if base is None else base) | added) - kept)


def parse_ngram(value: str | int | tuple[int, int]) -> tuple[int, int]:
    """The range of n-gram lengths of a value: ``"2"`` -> (2, 2), ``"1-3"`` -> (1, 3).

    Parameters
    ----------
    value : str, int or tuple of int
        A length (``2`` or ``"2"``), a range (``"1-3"``) or a ``(low, high)`` pair; lengths
        run from 1 to 3 words.

    Returns
    -------
    tuple of int
        ``(low, high)``, both inclusive.

    Raises
    ------
    ValueError
        For a value that is not a length or a range, or lengths outside 1 to 3 (or ``low``
        above ``high``).

    Examples
    --------
    >>> parse_ngram("1-3"), parse_ngram(2)
    ((1, 3), (2, 2))
    >>> parse_ngram("2-4")
    Traceback (most recent call last):
    ...
    ValueError: ngram must be between 1 and 3 words, not '2-4'
    """
    if isinstance(value, tuple):
        low, high = value
    else:
        text = str(value).strip()
        try:
            first, _, last = text.partition("-")
            low, high = int(first), int(last or first)
        except ValueError:
            raise ValueError(f"ngram must be 1, 2, 3 or a range like 1-3, not {text!r}") from None
    if not 1 <= low <= high <= 3:
        raise ValueError(f"ngram must be between 1 and 3 words, not {value!r}")
    return low, high


def top_terms(index: Index, flt: Filter = Filter(), *, n: int = 50, weight: str = "count",
              ngram: str | int | tuple[int, int] = 1, stopwords: Sequence[str] | None = None,
              reference: Filter | None = None, numbers: bool = False,
              keep_nested: bool = True,
              themes: ThemeDictionary | None = None) -> pd.DataFrame:
    """The top terms of the filtered articles.

    N-grams are formed from the full token sequence within boundary spans, then those that
    start or end with a stopword are dropped, so no n-gram spans a removed word and phrases
    like "belt and road" survive. Stopwords never change counts (rule 9).

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles whose terms are ranked.
    n : int
        Most terms returned (0 or more).
    weight : {"count", "tfidf", "keyness"}
        ``count``: occurrences. ``tfidf``: count x (ln((1 + N) / (1 + df)) + 1), with N articles
        in the corpus and df of them holding the term. ``keyness``: Dunning's log-likelihood
        (G2) of the filtered articles against ``reference`` (default: the rest of the corpus),
        signed negative where the term is rarer than in the reference.
    ngram : 1, 2, 3 or "1-3"
        Term length in words.
    stopwords : sequence of str, optional
        Replaces :func:`default_stopwords`.
    reference : Filter, optional
        For keyness: the articles to compare with.
    numbers : bool
        Keep words made only of digits, which by default are dropped as stopwords are: alone
        and at either end of a phrase (``2023``, ``2 percent``; ``the 2035 vision`` keeps
        its inner number).
    keep_nested : bool
        With False and a range of lengths, a term is left out when it never occurs outside
        one longer term of the range in these articles: a longer term holding its words in a
        row has the same count (``xi`` and ``jinping`` beside ``xi jinping``).
    themes : ThemeDictionary, optional
        Dictionary in which the filters' themes are looked up (default: the index's).

    Returns
    -------
    DataFrame
        At most ``n`` rows, sorted by ``score`` (highest first), then ``term`` (A to Z):

        * ``term``: the n-gram, its words joined by spaces (as normalised: lower case);
        * ``count``: its matches in the filtered articles (rule 8, as in a trend);
        * ``docs``: filtered articles holding it;
        * ``score``: ``count``, tf-idf or keyness, as ``weight`` says (a float);
        * with keyness, what it compares, so that the score can be checked
          (:func:`log_likelihood`): ``reference_count``, the term's matches in the reference;
          ``words`` and ``reference_words``, the words of the filtered and of the reference
          articles (the same on every row);
        * with tf-idf, what it weighs by: ``corpus_docs``, the articles of the whole corpus
          holding the term (df), and ``corpus_articles`` (N, the same on every row).

    Raises
    ------
    ValueError
        For another ``weight``, a negative ``n``, a bad ``ngram``, or keyness with nothing
        to compare with.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> top_terms(index, n=6, ngram="1-2")["term"].tolist()
    ['economy', 'digital', 'integration', 'digital economy', 'new', 'real']
    >>> top_terms(index, n=6, ngram="1-2", keep_nested=False)["term"].tolist()
    ['economy', 'digital', 'integration', 'digital economy', 'new', 'real economy']

    ("real" occurs only in "real economy", 10 times; "digital" once outside "digital economy".)

    >>> top_terms(index, n=3, ngram=2)
                   term  count  docs  score
    0   digital economy     10     1   10.0
    1      real economy     10     1   10.0
    2  deep integration      7     1    7.0
    """
    if weight not in ("count", "tfidf", "keyness"):
        raise ValueError(f"weight must be count, tfidf or keyness, not {weight!r}")
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    low, high = parse_ngram(ngram)
    mask = select(index, flt, themes=themes)
    if weight == "keyness":
        ref_mask = (select(index, reference, themes=themes) if reference is not None
                    else index.active & ~mask)
        if not ref_mask.any() and reference is not None:
            raise ValueError("keyness compares the filtered articles with the reference "
                             "articles, and the reference selects none; widen it")
        if reference is not None and mask.any() and np.array_equal(ref_mask, mask):
            raise ValueError("keyness compares the filtered articles with the reference "
                             "articles, and the reference selects the same articles (every "
                             "score would be 0); compare with another period or theme")
        if not ref_mask.any():
            raise ValueError("keyness compares the filtered articles with the rest of the "
                             "corpus, and this filter leaves nothing to compare with; narrow "
                             "the filter or choose count or tf-idf")
    else:
        ref_mask = None
    stop = index.stop_mask(frozenset(stopwords) if stopwords is not None
                           else default_stopwords(), numbers=numbers)
    base = index.stop_mask(default_stopwords())  # (the whole corpus's shared phrase tables)
    sizes = range(low, high + 1)
    scored = [_score_ngrams(index, mask, ref_mask, size, stop, base, weight) for size in sizes]
    wanted = n
    while True:
        chosen = [s.best(wanted) for s in scored]
        if not keep_nested and high > low:
            chosen = _without_nested(index, mask, stop, scored, chosen, low)
            # Each length must still offer n terms (or all it has): else rank more of them.
            if not all(len(kept) >= n or wanted >= len(s.keys)
                       for kept, s in zip(chosen, scored)):
                wanted *= 2
                continue
        if all(s.enough(wanted) for s in scored):
            break
        # (the whole corpus's repeated phrases do not settle the ranking: count every phrase)
        scored = [s if s.enough(wanted) else _score_ngrams(index, mask, ref_mask, size, stop,
                                                           base, weight, every=True)
                  for s, size in zip(scored, sizes)]
    candidates = [s.frame(index, mask, size, rows) for s, size, rows in zip(scored, sizes, chosen)]
    table = pd.concat(candidates, ignore_index=True)
    columns = TOP_COLUMNS + {"keyness": ["reference_count"],
                             "tfidf": ["corpus_docs"]}.get(weight, [])
    if not len(table):
        table = pd.DataFrame({c: pd.Series(dtype=str if c == "term" else float if c == "score"
                                           else np.int64) for c in columns})
    table = table.sort_values(["score", "term"], ascending=[False, True], kind="stable")
    table = table.head(n).reset_index(drop=True)[columns]
    if weight == "keyness":  # (the words compared: with the counts, G2 can be checked)
        table["words"] = int(index.words[mask].sum())
        table["reference_words"] = int(index.words[ref_mask].sum())
    elif weight == "tfidf":  # (N of the idf: with corpus_docs, the score can be checked)
        table["corpus_articles"] = int(index.n_documents)
    return table


def _lookup(table_keys: np.ndarray, values: np.ndarray, keys: np.ndarray,
            missing: np.ndarray | int) -> np.ndarray:
    """``values`` of sorted ``table_keys`` at ``keys``; ``missing`` where a key is absent."""
    if not len(table_keys):
        return np.broadcast_to(missing, keys.shape).astype(np.int64)
    at = np.minimum(np.searchsorted(table_keys, keys), len(table_keys) - 1)
    return np.where(table_keys[at] == keys, values[at], missing)


@dataclass(frozen=True)
class _Scored:
    """Every n-gram of one length that was scored: sorted ``keys``, their ``counts`` (and
    ``docs``, None for single words) in the selection and their ``score``. ``complete`` is
    False when they are only the whole corpus's repeated phrases (those met twice or more):
    every other phrase of the selection occurs once in the corpus and scores at most
    ``ceiling``."""

    keys: np.ndarray
    counts: np.ndarray
    docs: np.ndarray | None
    score: np.ndarray
    complete: bool
    ceiling: float = -np.inf
    reference: np.ndarray | None = None  # (keyness: the counts in the reference)
    corpus_docs: np.ndarray | None = None  # (tf-idf: the articles of the corpus holding it)

    def best(self, n: int) -> np.ndarray:
        """Rows of the n best scores, and of every tie with the last of them."""
        if len(self.score) <= n:
            return np.arange(len(self.score))
        cut = np.partition(-self.score, n - 1)[n - 1] if n else np.inf
        return np.flatnonzero(-self.score <= cut)

    def enough(self, n: int) -> bool:
        """Whether :meth:`best` gives the n best of the selection's every phrase: all are
        scored, or the n-th best scores above any phrase left out (so none ties with it)."""
        if self.complete or n == 0:
            return True
        return len(self.score) > n and -np.partition(-self.score, n - 1)[n - 1] > self.ceiling

    def frame(self, index: Index, mask: np.ndarray, size: int, rows: np.ndarray,
              ) -> pd.DataFrame:
        """``term, count, docs, score`` (and for keyness ``reference_count``) of these rows
        (strings and documents are looked up only for them)."""
        keys = self.keys[rows]
        docs = index.ngram_docs(mask, keys) if self.docs is None else self.docs[rows]
        frame = pd.DataFrame({
            "term": index.ngram_strings(keys, size),
            "count": self.counts[rows].astype(np.int64),
            "docs": np.asarray(docs).astype(np.int64),
            "score": self.score[rows].astype(float),
        })
        if self.reference is not None:
            frame["reference_count"] = np.asarray(self.reference)[rows].astype(np.int64)
        if self.corpus_docs is not None:
            frame["corpus_docs"] = np.asarray(self.corpus_docs)[rows].astype(np.int64)
        return frame


def _score_ngrams(index: Index, mask: np.ndarray, ref_mask: np.ndarray | None, size: int,
                  stop: np.ndarray, base: np.ndarray, weight: str, *, every: bool = False,
                  ) -> _Scored:
    """The n-grams of one length in the selection, scored. Phrases (2 and 3 words) are first
    those the whole corpus repeats, counted from where they occur (fast: no text is read),
    when the whole corpus's table of them is made (in a server's warm-up thread, or for the
    document frequencies of tf-idf and keyness; a single count of a selection's text costs
    less than making it); with ``every``, or without the table, every phrase of the
    selection's text."""
    whole = weight != "keyness" and bool((mask == index.active).all())
    table = index.ngram_table(size, stop, base) if whole or weight != "count" else None
    complete = True
    if whole and table is not None and size == 1:
        keep = (table[1] > 0) & ~stop[table[0]]
        keys, counts, key_docs = table[0][keep], table[1][keep], table[2][keep]
    elif size > 1 and not every and (table is not None
                                      or index.has_phrase_table(size, stop, base)):
        # Any other phrase occurs once in the corpus: it ranks below the n-th best unless
        # that one scores no more than a phrase met once can (see _Scored.enough).
        keys, counts, key_docs = (table if whole and table is not None else
                                  index.repeated_ngram_counts(mask, size, stop, base))
        complete = False
    else:
        keys, counts, key_docs = index.ngram_counts(mask, size, stop)
    ref: np.ndarray | None = None
    df: np.ndarray | None = None
    if weight == "count" or not len(keys):
        score = counts.astype(float)
        if weight == "keyness":
            ref = np.zeros(0, dtype=np.int64)
        elif weight == "tfidf":
            df = np.zeros(0, dtype=np.int64)
    elif weight == "tfidf":
        assert table is not None
        # (A phrase missing from the table of repeated ones is in one document: this one.)
        df = _lookup(table[0], table[2], keys, 1)
        score = counts * (np.log((1 + index.n_documents) / (1 + df)) + 1)
    else:
        assert ref_mask is not None and table is not None
        if (ref_mask == (index.active & ~mask)).all():
            # (A phrase missing from the table occurs once in the corpus: here, not there.)
            ref = _lookup(table[0], table[1], keys, counts) - counts
        else:  # (repeated phrases are counted exactly from where they occur, here too)
            ref_keys, ref_counts, _ = (index.ngram_counts(ref_mask, size, stop) if complete
                                       else index.repeated_ngram_counts(ref_mask, size, stop,
                                                                        base))
            ref = _lookup(ref_keys, ref_counts, keys, 0)
        score = log_likelihood(counts, ref, int(index.words[mask].sum()),
                               int(index.words[ref_mask].sum()))
    return _Scored(keys, counts, key_docs, np.asarray(score, dtype=float), complete,
                   _once_scores_at_most(index, mask, ref_mask, weight), ref, df)


def _once_scores_at_most(index: Index, mask: np.ndarray, ref_mask: np.ndarray | None,
                         weight: str) -> float:
    """The highest score a phrase occurring once in the corpus can have in the selection: a
    count of 1, in 1 document, and 0 or 1 occurrences in the reference."""
    if weight == "count":
        return 1.0
    if weight == "tfidf":
        return float(np.log((1 + index.n_documents) / 2) + 1)
    assert ref_mask is not None
    c, d = int(index.words[mask].sum()), int(index.words[ref_mask].sum())
    return float(np.max(log_likelihood(np.array([1, 1]), np.array([0, 1]), c, d)))


def _without_nested(index: Index, mask: np.ndarray, stop: np.ndarray, scored: list[_Scored],
                    chosen: list[np.ndarray], low: int) -> list[np.ndarray]:
    """The chosen rows of each length without the n-grams that never occur outside one
    longer n-gram of the range: one holding their words in a row with the same count.

    N-grams are compared as term ids (``code`` packs those of a short one into one number).
    """
    lexicon = len(index.lexicon)
    out = []
    for i, (shorter, rows) in enumerate(zip(scored, chosen)):
        size = low + i
        if i == len(scored) - 1 or not len(rows):
            out.append(rows)
            continue
        assert lexicon ** size < 2 ** 62, "n-grams of more than 3 words are not supported"
        ids = index.ngram_ids(shorter.keys[rows], size)
        codes = sum(part * lexicon ** (size - 1 - m) for m, part in enumerate(ids))
        count_of = dict(zip(codes.tolist(), shorter.counts[rows].tolist()))
        nested: set[int] = set()
        for j in range(i + 1, len(scored)):
            longer = scored[j]
            keys, counts = longer.keys, longer.counts
            if not longer.complete and 1 in count_of.values():  # (met-once phrases too)
                keys, counts, _ = index.ngram_counts(mask, low + j, stop)
            same = np.isin(counts, list(set(count_of.values())))
            parts = index.ngram_ids(keys[same], low + j)
            for offset in range(low + j - size + 1):
                inner = sum(part * lexicon ** (size - 1 - m)
                            for m, part in enumerate(parts[offset:offset + size]))
                hit = np.flatnonzero(np.isin(inner, codes))
                nested.update(c for c, k in zip(inner[hit].tolist(),
                                                counts[same][hit].tolist())
                              if count_of[c] == k)
        out.append(rows[~np.isin(codes, list(nested))] if nested else rows)
    return out


#: G2 at and above which a term's keyness is significant at p < 0.001 (chi-squared with one
#: degree of freedom; Rayson and Garside 2000).
KEYNESS_P001 = 10.83


def log_likelihood(a: np.ndarray, b: np.ndarray, c: int, d: int) -> np.ndarray:
    """Signed Dunning log-likelihood G2 of counts ``a`` (in ``c`` words) against ``b`` (in ``d``).

    Positive where the term is relatively more frequent in the target (``a / c >= b / d``),
    negative where it is rarer. Values of 10.83 (:data:`KEYNESS_P001`) and above are
    significant at p < 0.001.

    Parameters
    ----------
    a : array of int
        Each term's count in the target.
    b : array of int
        Its count in the reference.
    c : int
        Words in the target.
    d : int
        Words in the reference.

    Returns
    -------
    numpy.ndarray of float
        The signed G2 of each term.

    Examples
    --------
    >>> round(float(log_likelihood(np.array([10]), np.array([10]), 1000, 10000)[0]), 3)
    22.138
    >>> log_likelihood(np.array([10, 1]), np.array([10, 100]), 1000, 10000).round(2).tolist()
    [22.14, -12.64]
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    total = c + d
    e1 = c * (a + b) / total
    e2 = d * (a + b) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    g2 = 2 * (t1 + t2)
    sign = np.where(a / max(c, 1) >= b / max(d, 1), 1.0, -1.0)
    return sign * g2


# --------------------------------------------------------------------------- one article


def article(index: Index, doc_id: str, *, query: str = "",
            themes: ThemeDictionary | None = None, max_chars: int | None = None,
            theme: str = "") -> dict[str, Any] | None:
    """One article to read, with the character spans of the query's counted matches.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    doc_id : str
        The article's id, or a link's name for it (:func:`policydata.filters.link_id`).
    query : str
        Terms whose matches are marked (commas separate alternatives).
    themes : ThemeDictionary, optional
        Dictionary whose themes ``themes`` names (default: the index's).
    max_chars : int or None
        Longest body returned; a longer one is cut there (``length`` keeps its full length)
        and only the matches within it are marked, so a huge article is quick to open.
    theme : str
        Without a ``query``, a theme of the dictionary whose matches are marked (its entries,
        counted as theme counts are, rule 8).

    Returns
    -------
    dict or None
        None for an unknown id (or an exact duplicate, which is not counted). Otherwise:

        * ``id``, ``title``, ``source``, ``url`` (``""`` if none), ``path`` (its file);
        * ``date`` (``YYYY-MM-DD``, or ``YYYY-MM``, ``YYYY`` as :func:`date_texts` writes it)
          and ``precision`` (``day``, ``month`` or ``year``);
        * ``words``: its tokens; ``themes``: its themes, joined by ``"; "``;
        * ``body``: the body, cut at ``max_chars``; ``length``: the full body's length;
        * ``hits``: matches of ``query`` in the whole article, marked or not (0 without);
        * ``title_marks``, ``body_marks``: ``(start, end)`` spans of the matches in
          ``title`` and ``body``, for highlighting.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> doc = article(index, "000_362ffc007b938720", query="real economy", max_chars=2000)
    >>> doc["hits"], len(doc["body_marks"]), len(doc["body"]), doc["length"]
    (10, 6, 2000, 3165)
    >>> doc["body"][slice(*doc["body_marks"][0])]
    'real economy'
    >>> marked = article(index, "000_362ffc007b938720", theme="Digital economy")
    >>> marked["hits"], int(index.theme_counts(index.themes)[0, 0])  # (the theme's count)
    (11, 11)
    """
    row = index.row_of(doc_id)
    if row is None:
        return None
    docs = index.documents
    title = str(docs["title"].iat[row])
    full = index.body(row)
    body = full if max_chars is None else full[:max_chars]
    marks: list[tuple[int, int]] = []
    hits = 0
    cut = len(title) + 2
    terms = (parse_query(query) if query
             else _theme_entries(index, themes, theme) if theme else [])
    if terms:
        hits = int(index.counts(terms)[row])
        # Matched in the whole text (a cut could make a word look like another), and only
        # as far as the body shown.
        found = match_offsets(f"{title}\n\n{full}", terms)
        for start, end, _, _ in islice(found, hits):  # (none after the last one counted)
            if end > cut + len(body):
                break
            marks.append((start, end))
    return {
        "id": str(docs["id"].iat[row]),  # (``doc_id`` may be a link's name for it)
        "date": _date_text(index, row),
        "precision": str(docs["precision"].iat[row]),
        "title": title,
        "source": str(docs["source"].iat[row]),
        "url": str(docs["url"].iat[row] or ""),
        "path": str(docs["path"].iat[row]),
        "words": int(index.words[row]),
        "themes": theme_labels(index, np.asarray([row]), themes=themes)[0],
        "body": body,
        "length": len(full),
        "hits": hits,
        "title_marks": [(a, b) for a, b in marks if b <= len(title)],
        "body_marks": [(a - cut, b - cut) for a, b in marks if a >= cut],
    }


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def passages(text: str, marks: Sequence[tuple[int, int]], *, longest: int = 1500,
             ) -> list[tuple[int, str, list[tuple[int, int]]]]:
    r"""The paragraphs of ``text`` that hold a mark, to read the matches without the rest.

    Paragraphs are separated by a blank line, as in the counting rules. A paragraph longer
    than ``longest`` characters (a transcript or minutes scraped as one block) gives only its
    sentences that hold a mark, neighbours joined. Each passage is ``(start, text, marks)``:
    where it starts in ``text``, its text, and the marks in it as spans of that text.
    Passages come in the order of the text.

    Parameters
    ----------
    text : str
        The text, such as an :func:`article`'s ``body``.
    marks : sequence of (int, int)
        ``(start, end)`` character spans in ``text``, in any order, such as its
        ``body_marks``.
    longest : int
        Longest paragraph kept whole, in characters; a sentence ends at ``.``, ``!`` or
        ``?`` followed by white space, or at ``。``, ``！`` or ``？`` (and a closing quote or
        bracket after it), which Chinese follows with no space (not at ``;`` or ``:``, which
        end a span of the counting rules but cut a sentence the reader needs whole).

    Returns
    -------
    list of (int, str, list of (int, int))
        One ``(start, passage, marks)`` per paragraph (or run of sentences) holding the start
        of a mark (a mark running past it is cut at its end); none for a text without
        marks.

    Examples
    --------
    >>> text = "One real economy.\n\nNothing here.\n\nThe real economy again."
    >>> passages(text, [(4, 16), (38, 50)])
    [(0, 'One real economy.', [(4, 16)]), (34, 'The real economy again.', [(4, 16)])]
    >>> passages("Rates held. Inflation rose. Jobs grew. Inflation fell.", [(12, 21), (39, 48)],
    ...          longest=20)
    [(12, 'Inflation rose.', [(0, 9)]), (39, 'Inflation fell.', [(0, 9)])]
    >>> passages("发展实体经济。“数字经济！”他说。实体经济。", [(8, 12), (17, 21)], longest=10)
    [(7, '“数字经济！”', [(1, 5)]), (17, '实体经济。', [(0, 4)])]
    >>> passages("说了。真的是数字经济吗？！是的。", [(6, 10)], longest=5)
    [(3, '真的是数字经济吗？！', [(3, 7)])]
    """
    out: list[tuple[int, str, list[tuple[int, int]]]] = []
    ordered = sorted(marks)
    i = 0
    start = 0
    for stop, after in [*((m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)),
                        (len(text), len(text))]:
        inside = []
        while i < len(ordered) and ordered[i][0] < stop:
            a, b = ordered[i]
            if a >= start:
                inside.append((a - start, min(b, stop) - start))
            i += 1
        if inside and stop - start > longest:
            out += [(start + s, piece, m)
                    for s, piece, m in _sentences_with(text[start:stop], inside)]
        elif inside:
            out.append((start, text[start:stop], inside))
        start = after
    return out


#: The end of a sentence: the white space after it (group 1, or 2 for the full-width stops,
#: which need none, with the closing quotes and brackets they close).
_SENTENCE_END = re.compile(
    r"[.!?](\s+)|[\u3002\uff01\uff1f]+[\u201d\u2019\u300d\u300f\uff09]*(\s*)")


def _sentences_with(paragraph: str, marks: list[tuple[int, int]],
                    ) -> list[tuple[int, str, list[tuple[int, int]]]]:
    """The runs of consecutive sentences of ``paragraph`` holding a mark's start (sorted
    ``marks``, as spans of the paragraph), each with its marks as spans of the run."""
    gaps = [m.span(m.lastindex or 0) for m in _SENTENCE_END.finditer(paragraph)]
    bounds = [0, *(end for _, end in gaps)]
    ends = [*(start for start, _ in gaps), len(paragraph)]
    runs: list[list[int]] = []  # [first sentence, last sentence, first mark, last mark + 1]
    sentence = 0
    for k, (a, _) in enumerate(marks):
        while sentence + 1 < len(bounds) and bounds[sentence + 1] <= a:
            sentence += 1
        if runs and runs[-1][1] >= sentence - 1:
            runs[-1][1] = sentence
            runs[-1][3] = k + 1
        else:
            runs.append([sentence, sentence, k, k + 1])
    out = []
    for first, last, m0, m1 in runs:
        s, e = bounds[first], ends[last]
        out.append((s, paragraph[s:e], [(a - s, min(b, e) - s) for a, b in marks[m0:m1]]))
    return out


# --------------------------------------------------------------------------- corpus


def dates_cut_by(start: dt.date) -> str:
    """How the dates :func:`cut_by_start` counts for a range from ``start`` are written: its
    month and year, or only its year from the first day of a month (a month's date stands on
    that day, inside the range).

    >>> dates_cut_by(dt.date(2023, 9, 10)), dates_cut_by(dt.date(2023, 9, 1))
    ('2023-09 or 2023', '2023')
    """
    return f"{start:%Y}" if start.day == 1 else f"{start:%Y-%m} or {start:%Y}"


def cut_by_start(index: Index, flt: Filter = Filter(), *,
                 themes: ThemeDictionary | None = None) -> int:
    """Articles dated by month or year only that a filter's start date leaves out although
    their month or year runs past it.

    Such a date stands on the first day of its month or year (``2023-09`` is 2023-09-01), so a
    range starting on 2023-09-10 does not hold an article dated ``2023-09``. The number is for
    a note beside the result; the rule itself does not change.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        The filter; only its start date leaves articles out this way.
    themes : ThemeDictionary, optional
        Dictionary for ``flt.themes`` (default: the index's).

    Returns
    -------
    int
        Articles the filter would select, but for its start date, whose month (month
        precision) or year (year precision) holds the start date.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> cut_by_start(index, Filter(start=dt.date(2023, 9, 10)))  # (the seed is dated by day)
    0
    """
    start = flt.start
    if start is None or (start.month, start.day) == (1, 1):
        return 0
    year_start = dt.date(start.year, 1, 1)
    wider = replace(flt, start=year_start)  # (every other field kept, whatever it is)
    rows = np.flatnonzero(select(index, wider, themes=themes))
    dates = index.dates[rows]
    precision = index.documents["precision"].to_numpy()[rows]
    before = dates < np.datetime64(start)
    month = (precision == "month") & (dates == np.datetime64(start.replace(day=1)))
    year = precision == "year"  # (dated year_start: the only year date in the wider range)
    return int((before & ((month & (start.day > 1)) | year)).sum())


def dated_new_year(index: Index, flt: Filter = Filter(), *,
                   themes: ThemeDictionary | None = None) -> int:
    """Articles dated to the day that all fall on 1 January: dates that may stand for years.

    Some collections write a year as ``1790-01-01`` (the State of the Union addresses, annual
    reports). Such dates load as days, so a month or quarter trend puts every article in
    January and shows eleven empty months a year. When at least three of the articles a
    filter selects are dated to the day, over at least two years, and every one of them is
    dated 1 January, their number is returned for a note ("choose year"); otherwise 0. The
    dates themselves are never changed.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to look at.
    themes : ThemeDictionary, optional
        Dictionary for ``flt.themes`` (default: the index's).

    Returns
    -------
    int
        The number of day-precision articles, all on 1 January; 0 when any is not, or too
        few to tell.

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> dated_new_year(open_index("seeds", cache_dir=tempfile.mkdtemp()))  # (2023-09-02)
    0
    """
    rows = np.flatnonzero(select(index, flt, themes=themes))
    days = index.dates[rows][index.documents["precision"].to_numpy()[rows] == "day"]
    if len(days) < 3:
        return 0
    years = days.astype("datetime64[Y]")
    if (days != years.astype("datetime64[D]")).any() or len(np.unique(years)) < 2:
        return 0
    return len(days)


def corpus_info(index: Index, flt: Filter = Filter(), *,
                themes: ThemeDictionary | None = None) -> dict[str, Any]:
    """Summary of the corpus and its load report (``policydata info``).

    With a filter, the counts, dates, sources and precisions are those of the articles it
    selects (the load report is always the whole corpus's).

    Parameters
    ----------
    index : Index
        The loaded corpus.
    flt : Filter
        Articles to summarise (default: every counted article).
    themes : ThemeDictionary, optional
        Dictionary in which ``flt.themes`` are looked up (default: the index's).

    Returns
    -------
    dict
        * ``documents``: articles counted (exact duplicates left out);
        * ``words``: their tokens;
        * ``first_date``, ``last_date``: ``YYYY-MM-DD``, None without articles;
        * ``sources``: articles per source, sources sorted by name;
        * ``skipped``: files or rows not loaded, ``{"path", "reason"}`` sorted by path;
        * ``warnings``: loaded with a warning, in the same form;
        * ``date_precision``: articles per date precision (``day``, ``month``, ``year``);
        * ``cache``: where the cached index is (None if not known).

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> info = corpus_info(index)
    >>> info["documents"], info["words"], info["first_date"], info["last_date"]
    (1, 491, '2023-09-02', '2023-09-02')
    >>> info["sources"], info["date_precision"], info["skipped"]
    ({'seeds': 1}, {'day': 1}, [])
    >>> corpus_info(index, Filter(query="green development"))["documents"]
    0
    """
    active = select(index, flt, themes=themes) if not flt.is_empty else index.active
    dates = index.dates[active]
    docs = index.documents[active]
    sources = docs["source"].value_counts()
    precision = docs["precision"].value_counts()
    return {
        "documents": int(active.sum()),
        "words": int(index.words[active].sum()),
        "first_date": str(dates.min()) if len(dates) else None,
        "last_date": str(dates.max()) if len(dates) else None,
        "sources": {str(k): int(v) for k, v in sorted(sources.items())},
        "skipped": [{"path": p.path, "reason": p.reason}
                    for p in sorted(index.report.skipped, key=lambda p: p.path)],
        "warnings": [{"path": p.path, "reason": p.reason}
                     for p in sorted(index.report.warnings, key=lambda p: p.path)],
        "date_precision": {str(k): int(v) for k, v in sorted(precision.items())},
        "cache": getattr(index.build, "cache", None),
    }


# --------------------------------------------------------------------------- summaries
# (What a page or a report says about a frame computed above: which terms stand out, how
# many periods are empty, which sources hold the most articles.)


def key_terms(top: pd.DataFrame, *, weight: str) -> pd.DataFrame:
    """The terms of a :func:`top_terms` frame that stand out (the ones a word cloud draws).

    Parameters
    ----------
    top : DataFrame
        A :func:`top_terms` frame (a ``score`` column, highest first).
    weight : {"count", "tfidf", "keyness"}
        The weight ``top`` was ranked by. With ``keyness`` a term stands out when it is
        significantly more frequent than in the comparison (G2 of :data:`KEYNESS_P001` or
        more, p < 0.001); with the others when its score is above 0.

    Returns
    -------
    DataFrame
        The rows of ``top`` that stand out, in its order, with its index.

    Raises
    ------
    ValueError
        For another ``weight``.

    See Also
    --------
    ranked_terms

    Examples
    --------
    >>> top = pd.DataFrame({"term": ["a", "b", "c"], "count": [9, 4, 1], "docs": [3, 2, 1],
    ...                     "score": [25.0, 4.2, -1.5]})
    >>> key_terms(top, weight="keyness")["term"].tolist()
    ['a']
    >>> key_terms(top, weight="count")["term"].tolist()
    ['a', 'b']
    """
    return top[_stands_out(top["score"], weight)]


def in_nearly_every_article(top: pd.DataFrame, *, first: int = 25,
                            share: float = 0.9) -> float:
    """The part of the ``first`` terms of a tf-idf :func:`top_terms` frame that occur in at
    least ``share`` of the corpus's articles (``corpus_docs`` of ``corpus_articles``, the df
    and N of the idf, over the whole corpus whatever the filter): where it is high, tf-idf,
    which weighs a count by the log of how few articles hold the term, ranks about as the
    count does.

    >>> top = pd.DataFrame({"term": ["a", "b", "c", "d"], "docs": [1, 1, 1, 1],
    ...                     "corpus_docs": [10, 9, 4, 10], "corpus_articles": [10] * 4})
    >>> in_nearly_every_article(top)
    0.75
    >>> in_nearly_every_article(top.iloc[:0])
    0.0
    """
    head = top.head(first)
    if head.empty:
        return 0.0
    return float((head["corpus_docs"] >= share * head["corpus_articles"]).mean())


def ranked_terms(top: pd.DataFrame, *, weight: str, n: int) -> pd.DataFrame:
    """The first ``n`` terms of a :func:`top_terms` frame with a score above 0, each with
    whether it stands out (:func:`key_terms`).

    Parameters
    ----------
    top : DataFrame
        A :func:`top_terms` frame (a ``score`` column, highest first).
    weight : {"count", "tfidf", "keyness"}
        The weight ``top`` was ranked by (see :func:`key_terms`).
    n : int
        Most rows returned.

    Returns
    -------
    DataFrame
        At most ``n`` rows of ``top``, in its order, with one more column, ``key``: True
        where the term stands out (with ``keyness``: significant at p < 0.001), False where
        it ranks only among the next ones.

    Raises
    ------
    ValueError
        For another ``weight`` or a negative ``n``.

    Examples
    --------
    >>> top = pd.DataFrame({"term": ["a", "b", "c"], "count": [9, 4, 1], "docs": [3, 2, 1],
    ...                     "score": [25.0, 4.2, -1.5]})
    >>> ranked_terms(top, weight="keyness", n=5)[["term", "key"]]
      term    key
    0    a   True
    1    b  False
    >>> ranked_terms(top, weight="tfidf", n=1)["key"].tolist()
    [True]
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    kept = top[top["score"] > 0].head(n)
    return kept.assign(key=_stands_out(kept["score"], weight))


def _stands_out(scores: pd.Series, weight: str) -> pd.Series:
    """Which scores stand out (see :func:`key_terms`)."""
    if weight not in ("count", "tfidf", "keyness"):
        raise ValueError(f"weight must be count, tfidf or keyness, not {weight!r}")
    return scores >= KEYNESS_P001 if weight == "keyness" else scores > 0


def narrowed_span(frame: pd.DataFrame, flt: Filter, *, freq: str) -> tuple[str, str] | None:
    """The first and last periods of a trend when they are not those of the filter's dates.

    A trend runs from the period of the first article the filter selects to that of the
    last one, which can fall inside the date range asked for.

    Parameters
    ----------
    frame : DataFrame
        A trend in time order (:func:`term_trend`, :func:`theme_trend` or
        :func:`corpus_trend`), with a ``period`` column.
    flt : Filter
        The filter the trend was counted with.
    freq : {"month", "quarter", "year"}
        The length of its periods.

    Returns
    -------
    tuple of str or None
        ``(first period, last period)`` when the first is not the period of ``flt.start`` or
        the last not that of ``flt.end``; None when they are (or the filter names no dates,
        or the trend is empty).

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> since = Filter(start=dt.date(2023, 1, 1))
    >>> narrowed_span(term_trend(index, ["China"], since), since, freq="month")
    ('2023-09', '2023-09')
    >>> print(narrowed_span(term_trend(index, ["China"], since, freq="year"), since,
    ...                     freq="year"))
    None
    """
    if frame.empty:
        return None
    first, last = str(frame["period"].iat[0]), str(frame["period"].iat[-1])
    if (flt.start and period_of(flt.start, freq) != first) or (
            flt.end and period_of(flt.end, freq) != last):
        return first, last
    return None


def count_periods(frame: pd.DataFrame) -> tuple[int, int]:
    """How many periods a trend has, and how many of them hold no article.

    Parameters
    ----------
    frame : DataFrame
        A trend (:func:`corpus_trend`, :func:`term_trend` or :func:`theme_trend`), with
        ``period`` and ``articles`` columns; a period with several terms or themes counts
        once.

    Returns
    -------
    tuple of int
        ``(periods, periods without articles)``.

    Examples
    --------
    >>> count_periods(pd.DataFrame({"period": ["2023-01", "2023-01", "2023-02", "2023-02"],
    ...                             "term": ["a", "b", "a", "b"], "articles": [2, 2, 0, 0]}))
    (2, 1)
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> count_periods(corpus_trend(open_index("seeds", cache_dir=tempfile.mkdtemp())))
    (1, 0)
    """
    periods = frame.drop_duplicates("period")
    return len(periods), int((periods["articles"] == 0).sum())


def thin_periods(frame: pd.DataFrame, *, fewer_than: int = 3) -> tuple[int, int]:
    """How many of a trend's periods with articles have fewer than ``fewer_than`` of them:
    points where one article moves a line from nothing to its top (a share of 0% or 100%).

    Parameters
    ----------
    frame : DataFrame
        A trend with ``period`` and ``articles`` columns (as :func:`count_periods` takes).
    fewer_than : int
        Articles a period needs not to count as thin.

    Returns
    -------
    tuple of int
        ``(thin periods, periods with articles)``.

    Examples
    --------
    >>> thin_periods(pd.DataFrame({"period": ["1990", "1991", "1992", "1993"],
    ...                            "articles": [1, 0, 2, 40]}))
    (2, 3)
    """
    periods = frame.drop_duplicates("period")["articles"]
    return int(((periods > 0) & (periods < fewer_than)).sum()), int((periods > 0).sum())


def periods_with_articles(frame: pd.DataFrame) -> list[str]:
    """The periods of a trend that hold articles: those a point of it stands for (a period
    without articles is a gap in its line, with nothing behind it).

    Parameters
    ----------
    frame : DataFrame
        A trend, with ``period`` and ``articles`` columns, as for :func:`count_periods`.

    Returns
    -------
    list of str
        Its periods with at least one article, in the frame's order, each once.

    Examples
    --------
    >>> periods_with_articles(pd.DataFrame({"period": ["2023-01", "2023-02", "2023-01"],
    ...                                     "articles": [3, 0, 3]}))
    ['2023-01']
    """
    return frame.loc[frame["articles"] > 0, "period"].drop_duplicates().tolist()


def overlap(index: Index, first: Filter, second: Filter, *,
            themes: ThemeDictionary | None = None) -> tuple[int, int, int]:
    """How two selections of articles overlap: in the first only, in both, in the second only.

    Two clouds compared (two periods, two themes) may share articles; their keyness then
    weighs the shared ones on both sides.

    Parameters
    ----------
    index : Index
        The loaded corpus.
    first, second : Filter
        The two selections.
    themes : ThemeDictionary, optional
        Dictionary in which the filters' themes are looked up (default: the index's).

    Returns
    -------
    tuple of int
        Articles selected by ``first`` only, by both, by ``second`` only.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from policydata.store import open_index
    >>> corpus = Path(tempfile.mkdtemp())
    >>> _ = (corpus / "news.csv").write_text("date,title,text\\n"
    ...     "2021-05-01,A,The digital economy.\\n2022-05-01,B,The real economy.\\n"
    ...     "2023-05-01,C,The digital economy and the real economy.\\n")
    >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
    >>> overlap(index, Filter(end=dt.date(2022, 12, 31)), Filter(start=dt.date(2022, 1, 1)))
    (1, 1, 1)
    >>> overlap(index, Filter(), Filter(query="digital economy"))
    (1, 2, 0)
    """
    a = select(index, first, themes=themes)
    b = select(index, second, themes=themes)
    return int((a & ~b).sum()), int((a & b).sum()), int((b & ~a).sum())


def sources_ranked(sources: dict[str, int]) -> pd.DataFrame:
    """Articles per source, the source with the most first.

    Parameters
    ----------
    sources : dict
        Articles per source, such as :func:`corpus_info`'s ``sources``.

    Returns
    -------
    DataFrame
        Columns ``source`` and ``articles``, sorted by ``articles`` (most first), then by
        ``source`` (A to Z), so sources with as many articles keep one order.

    Examples
    --------
    >>> sources_ranked({"xinhua": 3, "miit": 5, "gov": 3})
      source  articles
    0   miit         5
    1    gov         3
    2 xinhua         3
    >>> sources_ranked({}).empty
    True
    """
    frame = pd.DataFrame({"source": pd.Series(list(sources), dtype=object),
                          "articles": pd.Series(list(sources.values()), dtype=np.int64)})
    return frame.sort_values(["articles", "source"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def total_hits(table: pd.DataFrame) -> int:
    """The matches an article list counts: the sum of its ``hits``.

    Each is one line of :func:`kwic` for the same search, so this is how many lines
    ``kwic`` has without a limit.

    Parameters
    ----------
    table : DataFrame
        An :func:`articles` frame (a ``hits`` column).

    Returns
    -------
    int
        The sum of ``hits`` (0 for an empty list).

    Examples
    --------
    >>> import tempfile
    >>> from policydata.store import open_index
    >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
    >>> total_hits(articles(index, Filter(query="real economy, China")))
    17
    >>> total_hits(articles(index, Filter(query="green development")))
    0
    """
    return int(table["hits"].sum())
