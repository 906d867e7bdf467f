"""The filter every analysis takes, and the URL state of a view, as pure functions.

A :class:`Filter` selects articles: a date range, themes (any of them), a search query and
sources. A :class:`View` is a filter plus the options of the page showing it (the trend terms,
the period, the measure...). Both are frozen and hashable, so they key caches, and a view is
written to and read from URL query parameters by :func:`view_to_params` and
:func:`view_from_params`: the parameter names below are a stable contract (shared links depend
on them), and reading never fails: an invalid or unknown value is dropped with a note.

Examples
--------
>>> view, notes = view_from_params(
...     {"term": ["digital economy", "real economy"], "freq": ["year"], "dates": ["2023-01-01"]},
...     themes=["Digital economy"], sources=["xinhua"])
>>> view.terms, view.freq
(('digital economy', 'real economy'), 'year')
>>> notes
["'dates' needs two ISO dates (from and to); ignored"]
>>> view_to_params(view)
{'term': ['digital economy', 'real economy'], 'freq': ['year']}
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from .columns import INVISIBLE, reveal
from .themes import LINK_PREFIX
from .tokens import HAN, MAX_QUERY_LENGTH, parse_term, split_query

#: Query parameter names (stable: shared links depend on them). The first eight are the
#: dashboard's shared filters and trend options; the rest hold the options of single pages.
PARAMS: dict[str, str] = {
    "term": "trend terms (repeated)",
    "dates": "date range: two ISO dates, from and to, inclusive",
    "theme": "themes (repeated; an article matches if it has any of them)",
    "q": "search query: a word or phrase, * ends a prefix, commas separate alternatives",
    "source": "sources (repeated)",
    "freq": "period: month, quarter or year",
    "measure": "trend measure: per_10k, docs (% of articles) or count",
    "smooth": "moving average over this many periods (1 = none)",
    "period": "the trend period whose articles are listed (e.g. 2023-09, 2023Q3, 2023)",
    "focus": "the trend term whose lines are listed with that period",
    "focus_theme": "the theme whose articles and lines are listed with that period (Themes "
                   "page); on the Articles page, without a search, the theme whose lines are "
                   "listed and whose matches the reader marks",
    "weight": "word cloud weighting: count, tfidf or keyness",
    "ngram": "word cloud term length: 1, 2, 3 or 1-3",
    "stop": "extra stopwords (repeated; -word keeps a word of the default list)",
    "compare": "second word cloud: dates or theme",
    "dates2": "date range of the second cloud",
    "theme2": "theme of the second cloud",
    "tab": "the Themes page's open tab: counts, time, together or dictionary",
    "sort": "article order: -date, date or hits",
    "kwic": "keyword-in-context line order: after (by the words after the match) or before "
            "(by the words before it, read back from the match); without it, article by "
            "article",
    "doc": "id of the article open in the reader",
    "passages": "1: the reader shows only the passages (paragraphs, or sentences of long ones) "
                "holding a match of the search",
    "back": "the trend view a drill-down to the articles came from (its own query string)",
    "dict": "the author's own theme dictionary (policydata.themes.dictionary_to_link), used by "
            "whoever opens the link; for one too long to carry, its fingerprint (a note)",
    "corpus": "the fingerprint of the author's uploaded corpus (a note where it is not used)",
}
#: Parameters that say what a link was made with, not what it shows (see ``PARAMS``).
MARKS = ("dict", "corpus")

FREQS = ("month", "quarter", "year")
MEASURES = ("per_10k", "docs", "count")
WEIGHTS = ("count", "tfidf", "keyness")
NGRAMS = ("1", "2", "3", "1-3")
SORTS = ("-date", "date", "hits")
COMPARES = ("", "dates", "theme")
KWIC_ORDERS = ("", "after", "before")
THEME_TABS = ("counts", "time", "together", "dictionary")
MAX_VALUES = 20  # repeated values kept per parameter
MAX_STOPWORDS = 50  # (extra stopwords kept, in the URL and in the box)
MAX_TERMS = 10
MAX_SMOOTH = 24
MAX_PERIODS = 240  # the most periods a default view draws (see default_freq)
_LONG = 200  # longest value kept, in characters
_LONG_ID = 2000  # longest article id kept (scrapes use addresses as ids), and any name
LINK_ID_MAX = _LONG_ID
_LONG_BACK = 100_000  # longest way back to a trend (its query string, written out)
LINKED_ID = "sha256:"  # how a link names an article whose id is too long for an address


def link_id(doc_id: str) -> str:
    """How a link (the ``doc`` parameter) names an article: by its id, or, for an id longer
    than a link keeps (2,000 characters), by ``sha256:`` and the first 32 hex digits of the
    id's SHA-256 digest, which :meth:`policydata.index.Index.row_of` also finds.

    >>> link_id("xinhua/2023-09-02-digital")
    'xinhua/2023-09-02-digital'
    >>> link_id("x" * 5000)
    'sha256:c59d3c0480cc2d71d8f646e735e92da6'
    """
    if len(doc_id) <= LINK_ID_MAX:
        return doc_id
    import hashlib

    return LINKED_ID + hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Filter:
    """Which articles an analysis looks at. Every field empty means the whole corpus.

    Parameters
    ----------
    start, end : datetime.date, optional
        Inclusive date range.
    themes : tuple of str
        Theme names; an article is kept if it has at least one match of any of them.
    query : str
        Search query (see :func:`policydata.tokens.parse_term`); commas separate alternatives
        and an article is kept if it matches any.
    sources : tuple of str
        Sources to keep.

    Examples
    --------
    >>> Filter(query="digital economy", start=dt.date(2023, 1, 1)).describe(12)
    "12 articles mentioning 'digital economy' from 2023-01-01"

    A theme or source named twice is one (its matches are not counted twice):

    >>> Filter(themes=("Digital economy", "Digital economy")).themes
    ('Digital economy',)
    """

    start: dt.date | None = None
    end: dt.date | None = None
    themes: tuple[str, ...] = ()
    query: str = ""
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("themes", "sources"):
            object.__setattr__(self, name, tuple(dict.fromkeys(getattr(self, name))))

    @property
    def is_empty(self) -> bool:
        """Whether the filter keeps every article (no dates, themes, query or sources).

        Examples
        --------
        >>> Filter().is_empty, Filter(query="5G").is_empty
        (True, False)
        """
        return self == Filter()

    def describe(self, articles: int | None = None) -> str:
        """One sentence saying what the filter selects (each page shows it).

        Parameters
        ----------
        articles : int, optional
            How many articles it selects, to start the sentence with; without it, "all
            articles".

        Returns
        -------
        str
            The sentence, without a final full stop.

        Examples
        --------
        >>> print(Filter(query="digital economy", themes=("Industry",),
        ...              start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)).describe(12))
        ... # doctest: +NORMALIZE_WHITESPACE
        12 articles mentioning 'digital economy' in the theme 'Industry'
        between 2023-01-01 and 2023-12-31
        >>> Filter(query="5G, data center*", sources=("xinhua",)).describe(1)
        "1 article mentioning '5G' or 'data center*' from xinhua"
        """
        head = ("all articles" if articles is None else
                f"{articles:,} article{'' if articles == 1 else 's'}")
        parts = [head]
        if self.query:
            alternatives = " or ".join(repr(q) for q in split_query(self.query))
            parts.append(f"mentioning {alternatives}")
        if self.themes:
            parts.append(f"in the theme{'s' if len(self.themes) > 1 else ''} "
                         + " or ".join(repr(t) for t in self.themes))
        if self.sources:
            parts.append("from " + ", ".join(self.sources))
        if self.start and self.end:
            parts.append(f"between {self.start.isoformat()} and {self.end.isoformat()}")
        elif self.start:
            parts.append(f"from {self.start.isoformat()}")
        elif self.end:
            parts.append(f"until {self.end.isoformat()}")
        return " ".join(parts)


@dataclass(frozen=True)
class View:
    """Everything a dashboard view shows, as read from and written to its URL."""

    filter: Filter = field(default_factory=Filter)
    terms: tuple[str, ...] = ()
    freq: str = "month"
    measure: str = "per_10k"
    smooth: int = 1
    period: str = ""
    focus: str = ""
    focus_theme: str = ""
    weight: str = "count"
    ngram: str = "1"
    stop: tuple[str, ...] = ()
    compare: str = ""
    start2: dt.date | None = None
    end2: dt.date | None = None
    theme2: str = ""
    tab: str = "counts"
    sort: str = "-date"
    kwic: str = ""
    doc: str = ""
    passages: bool = False
    back: str = ""  # the query string of the trend view this one was drilled down from

    def with_filter(self, **changes: Any) -> View:
        """This view with its filter changed as ``changes`` say (fields of :class:`Filter`).

        Examples
        --------
        >>> View(freq="year").with_filter(query="5G").filter.query
        '5G'
        """
        return replace(self, filter=replace(self.filter, **changes))


def default_freq(first: dt.date | None, last: dt.date | None) -> str:
    """The period a view uses when its link names none: the finest of month, quarter and year
    that draws at most MAX_PERIODS periods over the corpus's dates (232 years of addresses read
    by month are 2,773 mostly empty points).

    Examples
    --------
    >>> default_freq(dt.date(2009, 1, 1), dt.date(2023, 12, 31))
    'month'
    >>> default_freq(dt.date(1993, 2, 1), dt.date(2023, 12, 13))
    'quarter'
    >>> default_freq(dt.date(1790, 1, 8), dt.date(2021, 4, 28))
    'year'
    """
    if first is None or last is None:
        return "month"
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MAX_PERIODS:
        return "month"
    quarters = (last.year - first.year) * 4 + (last.month - 1) // 3 - (first.month - 1) // 3 + 1
    return "quarter" if quarters <= MAX_PERIODS else "year"


def _dates(values: Sequence[str], name: str, notes: list[str],
           ) -> tuple[dt.date | None, dt.date | None]:
    if not values:
        return None, None
    if len(values) != 2:
        notes.append(f"{name!r} needs two ISO dates (from and to); ignored")
        return None, None
    try:
        start, end = (dt.date.fromisoformat(v.strip()) for v in values)
    except ValueError:
        shown = ", ".join(v[:20] for v in values)
        notes.append(f"{name!r}: {shown!r} are not ISO dates (YYYY-MM-DD); ignored")
        return None, None
    if start > end:
        notes.append(f"{name!r}: the range ends before it starts; the two dates were swapped")
        start, end = end, start
    return start, end


def _one(values: Sequence[str], name: str, allowed: Sequence[str], default: str,
         notes: list[str]) -> str:
    if not values:
        return default
    value = values[-1]
    if value.strip().lower() in allowed:  # (a link typed by hand: YEAR, " year")
        return value.strip().lower()
    shown = value if len(value) <= 40 else value[:40] + "..."
    notes.append(f"{name!r}: {shown!r} is not one of {', '.join(a or '(none)' for a in allowed)}; "
                 f"{default or 'none'} is used")
    return default


def _flag(values: Sequence[str], name: str, meaning: str, notes: list[str]) -> bool:
    """A parameter that is 1 or absent (``passages=1``); another value is dropped with a note
    saying what 1 means.

    >>> notes = []
    >>> _flag(["yes"], "passages", "read only the passages", notes), notes
    (False, ["'passages': 'yes' is not 1 (read only the passages); ignored"])
    """
    value = values[-1].strip() if values else ""
    if value in ("", "1"):
        return value == "1"
    shown = value if len(value) <= 40 else value[:40] + "..."
    notes.append(f"{name!r}: {shown!r} is not 1 ({meaning}); ignored")
    return False


def known_name(value: str, known: Iterable[str]) -> str:
    """The known name ``value`` stands for: itself if known, else the one known name equal to
    it but for case and surrounding spaces; ``value`` unchanged when none or several are.

    A link or a command typed by hand reads the same (``GOV`` for source ``gov``).

    >>> known_name("party LEADERSHIP", ["Party leadership", "Digital economy"])
    'Party leadership'
    >>> known_name("XINHUA", ["xinhua", "Xinhua"])  # (two match: not guessed)
    'XINHUA'
    >>> known_name("padded", [" Padded "])
    ' Padded '
    """
    names = known if isinstance(known, (set, frozenset, dict)) else set(known)
    if value in names:
        return value
    same = _same_names(value, names)
    return same[0] if len(same) == 1 else value


def _same_names(value: str, known: Iterable[str]) -> list[str]:
    """The known names equal to ``value`` but for case and surrounding spaces, sorted."""
    folded = value.strip().casefold()
    return sorted(n for n in known if n.strip().casefold() == folded)


def unknown_name(value: str, known: Iterable[str], kind: str) -> str:
    """What is wrong with a ``kind`` name (theme, source) that :func:`known_name` does not
    know: no such name, or several that differ only in case or spaces.

    >>> unknown_name("XINHUA", ["xinhua", "Xinhua", "gov"], "source")
    "source 'XINHUA' is ambiguous: 'Xinhua' and 'xinhua' differ only in case or spaces"
    >>> unknown_name("gov.cn", ["xinhua", "gov"], "source")
    "unknown source 'gov.cn'"
    """
    shown = value if len(value) <= 40 else value[:40] + "..."
    same = _same_names(value, known)
    if len(same) > 1:
        return (f"{kind} {shown!r} is ambiguous: {', '.join(map(repr, same[:-1]))} and "
                f"{same[-1]!r} differ only in case or spaces")
    return f"unknown {kind} {shown!r}"


def _known(values: Sequence[str], name: str, known: Iterable[str] | None,
           notes: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    allowed = None if known is None else set(known)
    for value in values:
        if allowed is not None:
            value = known_name(value, allowed)
        if allowed is not None and value not in allowed:
            notes.append(f"{unknown_name(value, allowed, name)}; ignored")
        elif value not in out:
            out.append(value)
    return tuple(out)


#: What a search engine reads as an operator: quotes (straight, curly, guillemets, low and
#: corner ones, full-width), a word's leading - or + (a minus sign and a full-width plus or
#: minus too), AND, OR, NOT.
_OPERATOR = re.compile(r'["\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f'
                       r'\uff02]|(?:^|\s)[-+\u2212\u2013\uff0b\uff0d](?=\w|['
                       + HAN + r'])|(?:^|\s)(?:AND|OR|NOT)(?=\s|$)')


def operator_note(query: str) -> str | None:
    """How a query that looks like a search engine's (quotes, ``-word``, AND, OR...) is read
    here, where those are words of a phrase; None for any other query.

    >>> print(operator_note('"federal funds rate" -target'))
    '"federal funds rate" -target' is searched as the phrase 'federal funds rate target': \
quotes, -, + and AND, OR, NOT are not operators here (commas separate alternatives: digital \
economy, data element*)
    >>> operator_note("high-quality development, real economy") is None
    True
    >>> print(operator_note("“digital economy”, −tariff*"))
    '“digital economy”' is searched as the phrase 'digital economy'; '−tariff*' is \
searched as the phrase 'tariff*': quotes, -, + and AND, OR, NOT are not operators here (commas \
separate alternatives: digital economy, data element*)
    """
    notes = []
    for part in split_query(query):
        # (as the rules read it: "-⼀", a Kangxi radical, is the minus of the ideograph 一)
        if _OPERATOR.search(part) or _OPERATOR.search(unicodedata.normalize("NFKC", part)):
            try:
                words = " ".join(str(w.text) + "*" * w.prefix for w in parse_term(part).words)
            except ValueError:
                continue
            notes.append(f"{part!r} is searched as the phrase {words!r}")
    if not notes:
        return None
    return ("; ".join(notes) + ": quotes, -, + and AND, OR, NOT are not operators here (commas "
            "separate alternatives: digital economy, data element*)")


def _visible(value: str, name: str, notes: list[str]) -> str:
    """``value`` with its invisible and direction-changing characters that are not letters
    written as spaces, with a note: the counting rules read them as spaces already, and a
    search box holding U+202E would show ``tax`` as ``xat`` while counting ``tax``.

    >>> notes = []
    >>> _visible("\u202etax", "q", notes), notes
    (' tax', ["'q': '[U+202E]tax' holds invisible or direction-changing characters; they \
separate words, as in the counting rules, and are written as spaces"])
    >>> _visible("digital\u3164economy", "q", [])  # (a Hangul filler is a letter: one word)
    'digital\u3164economy'
    """
    if not INVISIBLE.search(value):
        return value
    shown = INVISIBLE.sub(lambda m: m.group() if m.group().isalnum() else " ", value)
    if shown != value:
        notes.append(f"{name!r}: {reveal(value)[:60]!r} holds invisible or direction-changing "
                     "characters; they separate words, as in the counting rules, and are "
                     "written as spaces")
    return shown


def _query(value: str, name: str, notes: list[str],
           check: Callable[[str], None] | None = None) -> str:
    value = _visible(value, name, notes)
    if len(value) > MAX_QUERY_LENGTH:
        notes.append(f"{name!r}: {len(value)} characters long (limit {MAX_QUERY_LENGTH}); "
                     "ignored")
        return ""
    good: list[str] = []
    parts = split_query(value)
    for part in parts:
        try:
            parse_term(part)
        except ValueError as error:
            notes.append(f"{name!r}: {error}; ignored")
            continue
        if len(", ".join([*good, part])) > MAX_QUERY_LENGTH:  # (as it is written back)
            notes.append(f"{name!r}: written out, its alternatives pass {MAX_QUERY_LENGTH} "
                         f"characters; the first {len(good)} of {len(parts)} are kept")
            break
        good.append(part)
    if value.strip() and not parts:
        notes.append(f"{name!r}: {value[:40]!r} has no words; ignored")
    query = ", ".join(good)
    if query and check is not None:
        try:
            check(query)
        except ValueError as error:
            notes.append(f"{name!r}: {error}; ignored")
            return ""
    return query


#: A period as trends write it: 2023-09, 2023Q3 or 2023.
_PERIOD = re.compile(r"\d{4}(-(0[1-9]|1[0-2])|Q[1-4])?")
#: Parameters read as one value (the others may repeat).
_SINGLE = ("q", "freq", "measure", "smooth", "period", "focus", "focus_theme", "weight", "ngram",
           "compare", "theme2", "tab", "sort", "kwic", "doc", "passages", "back", "dict",
           "corpus")


def view_from_params(params: Mapping[str, Any], *, themes: Iterable[str] | None = None,
                     sources: Iterable[str] | None = None, freq: str = "month",
                     check: Callable[[str], None] | None = None) -> tuple[View, list[str]]:
    """Read a view from URL query parameters, never failing.

    Parameters
    ----------
    params : mapping
        Parameter name to a list of values (repeated keys) or a single string.
    themes, sources : iterable of str, optional
        Known theme and source names; others are dropped with a note. None accepts any.
    freq : str
        The period when the parameters name none (see :func:`default_freq`); the same value
        must be given to :func:`view_to_params`.
    check : callable, optional
        Called with each search (``q``) and trend term; a ValueError it raises drops the
        value with the error as its note (the dashboard refuses searches too costly for its
        corpus this way, see :meth:`policydata.index.Index.check_work`).

    Returns
    -------
    view : View
    notes : list of str
        One sentence per value that was dropped or changed, for the page to show.

    Examples
    --------
    >>> view, notes = view_from_params({"freq": "weekly", "smooth": "3", "bogus": "1"})
    >>> view.freq, view.smooth, notes
    ('month', 3, ["unknown parameter 'bogus' ignored", \
"'freq': 'weekly' is not one of month, quarter, year; month is used"])
    """
    notes: list[str] = []

    def get(name: str) -> list[str]:
        raw = params.get(name, [])
        values = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if name in _SINGLE and len(values) > 1:
            notes.append(f"{name!r} is given {len(values)} times; the last is used")
            values = values[-1:]
        most = MAX_STOPWORDS if name == "stop" else MAX_VALUES
        if len(values) > most:
            if name != "term":  # (said once with the terms kept, below)
                notes.append(f"{name!r} has {len(values)} values; the first {most} are kept")
            values = values[:most]
        kept = []
        for v in values:
            if len(v) > _longest(name, v):
                notes.append(f"{name!r}: a value of {len(v)} characters was ignored")
            else:
                kept.append(v)
        return kept

    def _longest(name: str, value: str) -> float:
        if name in ("q", "term"):
            return math.inf  # (measured by _query, as written back)
        if name in ("doc", "back"):
            return _LONG_ID if name == "doc" else _LONG_BACK
        known = {"source": source_list, "theme": theme_list, "theme2": theme_list,
                 "focus_theme": theme_list}.get(name, ())
        if known is None or value in known:
            return _LONG_ID if known is None else math.inf  # (a name the corpus has)
        return _LONG

    theme_list = None if themes is None else list(themes)
    source_list = None if sources is None else list(sources)
    for name in params:
        if name not in PARAMS:
            shown = name if len(name) <= 40 else name[:40] + "..."
            notes.append(f"unknown parameter {shown!r} ignored")
    start, end = _dates(get("dates"), "dates", notes)
    start2, end2 = _dates(get("dates2"), "dates2", notes)
    terms: list[str] = []
    seen: dict[tuple[str, ...], str] = {}
    given = params.get("term", [])
    given_count = 1 if isinstance(given, str) else len(given)
    for value in get("term"):
        if not value.strip():  # (``?term=``: a link cut short, or a script's empty slot)
            notes.append("'term': an empty value was ignored")
            continue
        term = " ".join(_query(value, "term", notes, check).split())  # ("a  b": one term)
        if not term:  # (refused by _query, which said why)
            continue
        # (counted alike: "ECONOMY" is "economy", "high-quality" is "high quality")
        key = tuple(str(parse_term(part)) for part in split_query(term))
        if key in seen:
            if term != seen[key]:
                notes.append(f"'term': {term[:40]!r} counts as {seen[key][:40]!r}, already "
                             "shown; ignored")
            continue
        seen[key] = term
        terms.append(term)
    if len(terms) > MAX_TERMS:
        notes.append(f"'term' has {given_count} values; the first {MAX_TERMS} terms are kept")
        terms = terms[:MAX_TERMS]
    elif given_count > MAX_VALUES:
        notes.append(f"'term' has {given_count} values; the first {MAX_VALUES} are kept")
    queries = get("q")
    query = _query(queries[-1], "q", notes, check) if queries else ""
    smooth = 1
    if get("smooth"):
        raw = get("smooth")[-1]
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_SMOOTH:
            smooth = int(raw)
        else:
            notes.append(f"'smooth': {raw[:20]!r} is not a whole number from 1 to {MAX_SMOOTH}; "
                         "no smoothing")
    # (spaces collapsed as in the terms, then matched as a known name is)
    focus = known_name(" ".join((get("focus") or [""])[-1].split()), terms)
    if focus and focus not in terms:
        notes.append(f"'focus': {focus[:40]!r} is not one of the trend terms; ignored")
        focus = ""
    theme2 = _known(get("theme2")[-1:], "theme", theme_list, notes)
    focus_theme = _known(get("focus_theme")[-1:], "theme", theme_list, notes)
    view = View(
        filter=Filter(start=start, end=end, themes=_known(get("theme"), "theme", theme_list,
                                                          notes),
                      query=query, sources=_known(get("source"), "source", source_list, notes)),
        terms=tuple(terms),
        freq=_one(get("freq"), "freq", FREQS, freq, notes),
        measure=_one(get("measure"), "measure", MEASURES, "per_10k", notes),
        smooth=smooth,
        period=_period((get("period") or [""])[-1], notes),
        focus=focus,
        focus_theme=focus_theme[0] if focus_theme else "",
        weight=_one(get("weight"), "weight", WEIGHTS, "count", notes),
        ngram=_one(get("ngram"), "ngram", NGRAMS, "1", notes),
        stop=tuple(dict.fromkeys(s.strip().lower() for s in
                                 (_visible(v, "stop", notes) for v in get("stop")) if s.strip())),
        compare=_one(get("compare"), "compare", COMPARES, "", notes),
        start2=start2,
        end2=end2,
        theme2=theme2[0] if theme2 else "",
        tab=_one(get("tab"), "tab", THEME_TABS, "counts", notes),
        sort=_one(get("sort"), "sort", SORTS, "-date", notes),
        kwic=_one(get("kwic"), "kwic", KWIC_ORDERS, "", notes),
        doc=(get("doc") or [""])[-1],
        passages=_flag(get("passages"), "passages", "read only the passages", notes),
        back=_back((get("back") or [""])[-1], theme_list, source_list, freq, notes),
    )
    return view, notes


def _period(value: str, notes: list[str]) -> str:
    """A period as trends write it (``2023q3`` read as ``2023Q3``), or "" with a note.

    >>> _period(" 2023q3", []), _period("2023-13", [])
    ('2023Q3', '')
    """
    read = value.strip().upper()
    if read and not _PERIOD.fullmatch(read):
        notes.append(f"'period': {value[:40]!r} is not a period (2023-09, 2023Q3 or 2023); "
                     "ignored")
        return ""
    return read


def _back(value: str, themes: Sequence[str] | None, sources: Sequence[str] | None, freq: str,
          notes: list[str]) -> str:
    """A drill-down's way back: a query string read as a view of its own, written again (so
    only valid values, in the usual form, come through; a way back of its own is dropped)."""
    if not value:
        return ""
    inner, problems = view_from_params(
        {k: v for k, v in parse_qs(value).items() if k != "back"}, themes=themes,
        sources=sources, freq=freq)
    if not (inner.terms or inner.focus_theme):  # (a trend's way back names what it traced)
        notes.append(f"'back': the way back to the trend is lost ({'; '.join(problems)[:200]})"
                     if problems else f"'back': {value[:40]!r} is not the way back to a trend "
                     "(it names no term or theme); ignored")
        return ""
    if problems:
        notes.append(f"'back': the way back to the trend lost what was wrong in it "
                     f"({'; '.join(problems)[:200]})")
    return urlencode(view_to_params(inner, freq=None), doseq=True)


#: A fingerprint in a link's marks (``corpus``, and ``dict`` when the dictionary is too long
#: to carry): the first 12 hex digits of a SHA-256.
FINGERPRINT = re.compile("[0-9a-f]{12}")


def mark_note(name: str, value: str) -> str | None:
    """What to say of a link's mark (:data:`MARKS`) that no author's link could hold: a
    value that is neither a fingerprint nor, for ``dict``, a carried dictionary.

    >>> mark_note("corpus", "0123456789ab") is None, mark_note("dict", "z.eNqLL") is None
    (True, True)
    >>> mark_note("corpus", "notHex")
    "'corpus': 'notHex' is not a fingerprint of an uploaded corpus; ignored"
    """
    if FINGERPRINT.fullmatch(value) or (name == "dict" and value.startswith(LINK_PREFIX)):
        return None
    what = "an uploaded corpus" if name == "corpus" else "a theme dictionary"
    return f"{name!r}: {value[:40]!r} is not a fingerprint of {what}; ignored"


def view_to_params(view: View, *, freq: str | None = "month") -> dict[str, list[str]]:
    """Write a view as URL query parameters, leaving out defaults, in a stable order.

    ``view_from_params(view_to_params(v))`` gives ``v`` back for any valid view (with the same
    default ``freq`` for both). With ``freq=None`` the period is always written: the default
    period depends on the corpus's span, so a link meant to last names it.

    >>> view_to_params(View(), freq="month"), view_to_params(View(), freq=None)
    ({}, {'freq': ['month']})
    """
    default = View(freq=freq or "")
    f = view.filter
    out: dict[str, list[str]] = {}

    def put(name: str, values: Sequence[str]) -> None:
        if values:
            out[name] = list(values)

    put("term", view.terms)
    if f.start and f.end:
        put("dates", [f.start.isoformat(), f.end.isoformat()])
    put("theme", f.themes)
    put("q", [f.query] if f.query else [])
    put("source", f.sources)
    for name in ("freq", "measure", "period", "focus", "focus_theme", "weight", "ngram",
                 "compare", "theme2", "tab", "sort", "kwic", "doc"):
        value = getattr(view, name)
        if value != getattr(default, name):
            put(name, [value])
    if view.smooth != default.smooth:
        put("smooth", [str(view.smooth)])
    put("stop", view.stop)
    if view.start2 and view.end2:
        put("dates2", [view.start2.isoformat(), view.end2.isoformat()])
    put("passages", ["1"] if view.passages else [])
    put("back", [view.back] if view.back else [])
    return out
