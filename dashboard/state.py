"""The URL is the state: read the view from it, seed widgets from it, write it back.

Each run starts with :func:`begin`, which reads the query string into a
:class:`policydata.filters.View` with the library's pure parser (dropping bad values with a
note). Widgets are made through :func:`control`, which seeds them from the view when the URL
changed from outside (a pasted link, back and forward, a link between pages) and folds their
values back into the view. :func:`finish` writes the final view to the query string, so the
address bar always holds a link that reproduces the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import streamlit as st

from policydata.analysis import period_freq
from policydata.columns import printable
from policydata.filters import (
    MARKS,
    MAX_SMOOTH,
    MAX_STOPWORDS,
    Filter,
    View,
    default_freq,
    mark_note,
    operator_note,
    view_from_params,
    view_to_params,
)
from policydata.themes import LINK_PREFIX

_MISSING = object()


@dataclass
class Run:
    """One script run's view, and what the page should say about the URL."""

    view: View
    notes: list[str] = field(default_factory=list)
    seed: bool = False  # widgets take their values from the view this run
    bounds: tuple[dt.date, dt.date] | None = None  # the corpus's date range
    freq: str = "month"  # the period when the link names none (depends on the corpus span)
    page: str = ""  # url path of the page being drawn
    marks: dict[str, str] = field(default_factory=dict)  # what this session's links are made with
    check: Callable[[str], None] | None = None  # refuses searches too costly (view_from_params)


@dataclass(frozen=True)
class Control:
    """A widget bound to one field of the view."""

    key: str
    get: Callable[[View, Run], Any]  # view -> widget value
    put: Callable[[View, Any, Run], View]  # widget value -> view


def _dates_get(start: dt.date | None, end: dt.date | None, run: Run) -> tuple[dt.date, ...]:
    if start and end:
        return (start, end)
    return run.bounds or ()


def _dates_put(value: Any, run: Run) -> tuple[dt.date | None, dt.date | None] | None:
    """Date range widget value -> (start, end); None while only one date is picked."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None
    start, end = value
    if run.bounds and (start, end) == tuple(run.bounds):
        return None, None  # the whole corpus: no filter, nothing in the URL
    return start, end


def _put_dates(view: View, value: Any, run: Run) -> View:
    picked = _dates_put(value, run)
    if picked is None:
        return view
    return view.with_filter(start=picked[0], end=picked[1])


def _put_dates2(view: View, value: Any, run: Run) -> View:
    # (Empty until chosen, and the whole corpus is a second period like any other.)
    if not isinstance(value, (tuple, list)) or len(value) not in (0, 2):
        return view
    return replace(view, start2=value[0] if value else None, end2=value[1] if value else None)


def _typed(notes: list[str], name: str, said: str) -> list[str]:
    """Notes on a value typed into a widget, naming the widget rather than the URL parameter.

    >>> _typed(["'q': query '-' has no words; ignored"], "'q'", "The search")
    ["The search: query '-' has no words; ignored"]
    """
    return [said + n[len(name):] if n.startswith(name + ":") else n for n in notes]


def _put_query(view: View, value: Any, run: Run) -> View:
    checked, notes = view_from_params({"q": [str(value or "")]}, check=run.check)
    run.notes.extend(_typed(notes, "'q'", "The search"))
    # (said when it is typed; a link keeps it, as typed, without a note)
    said = operator_note(checked.filter.query)
    if said and checked.filter.query != view.filter.query:
        run.notes.append(f"The search: {said}")
    return view.with_filter(query=checked.filter.query)


def _put_terms(view: View, value: Any, run: Run) -> View:
    checked, notes = view_from_params({"term": [str(v) for v in value or []]}, check=run.check)
    run.notes.extend(_typed(notes, "'term'", "A trend term"))
    for term in checked.terms:
        said = operator_note(term) if term not in view.terms else None  # (a new one)
        if said:
            run.notes.append(f"A trend term: {said}")
    if list(checked.terms) != list(value or []) and "w_terms" in st.session_state:
        # A refused term leaves the box (said once, in this run's note): as a chip it read as
        # counted, and its note came back on every later run.
        st.session_state["w_terms"] = list(checked.terms)
    focus = view.focus if view.focus in checked.terms else ""
    return replace(view, terms=checked.terms, focus=focus)


_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _put_freq(view: View, freq: str, notes: list[str] | None = None) -> View:
    """A new period; a moving average keeps its span in time (4 quarters become 12 months,
    within 1 to MAX_SMOOTH periods), and ``notes`` get a sentence when it cannot.

    >>> _put_freq(View(freq="quarter", smooth=4), "month").smooth
    12
    >>> said = []
    >>> _put_freq(View(freq="month", smooth=3), "year", said).smooth, said
    (1, ['a moving average over 3 months is shorter than a year: no smoothing by year'])
    >>> _put_freq(View(), "year").smooth
    1
    """
    if freq == view.freq or view.smooth == 1 or freq not in _MONTHS:
        return replace(view, freq=freq)
    span = view.smooth * _MONTHS.get(view.freq, 1) / _MONTHS[freq]
    smooth = max(1, min(MAX_SMOOTH, round(span)))
    if notes is not None and smooth != span:
        over = f"a moving average over {view.smooth} {view.freq}s"
        notes.append(f"{over} is shorter than a {freq}: no smoothing by {freq}" if smooth == 1
                     else f"{over} is about {smooth} {freq}s, now smoothed over {smooth}")
    if "w_smooth" in st.session_state:  # (its slider, read after this, follows)
        st.session_state["w_smooth"] = smooth
    return replace(view, freq=freq, smooth=smooth)


#: The Themes page's tabs: the name in the URL (``tab``) and the label shown.
THEME_TABS = {"counts": "Counts", "time": "Over time", "together": "Together",
              "dictionary": "Dictionary"}
_TAB_NAMES = {label: name for name, label in THEME_TABS.items()}

CONTROLS: dict[str, Control] = {c.key: c for c in [
    Control("w_dates", lambda v, r: _dates_get(v.filter.start, v.filter.end, r), _put_dates),
    Control("w_theme", lambda v, r: list(v.filter.themes),
            lambda v, x, r: v.with_filter(themes=tuple(x or ()))),
    Control("w_q", lambda v, r: v.filter.query, _put_query),
    Control("w_source", lambda v, r: list(v.filter.sources),
            lambda v, x, r: v.with_filter(sources=tuple(x or ()))),
    Control("w_terms", lambda v, r: list(v.terms), _put_terms),
    Control("w_freq", lambda v, r: v.freq, lambda v, x, r: _put_freq(v, x or r.freq, r.notes)),
    Control("w_measure", lambda v, r: v.measure,
            lambda v, x, r: replace(v, measure=x or "per_10k")),
    Control("w_smooth", lambda v, r: v.smooth, lambda v, x, r: replace(v, smooth=int(x or 1))),
    Control("w_weight", lambda v, r: v.weight, lambda v, x, r: replace(v, weight=x or "count")),
    Control("w_ngram", lambda v, r: v.ngram, lambda v, x, r: replace(v, ngram=x or "1")),
    Control("w_stop", lambda v, r: "\n".join(v.stop),
            lambda v, x, r: replace(v, stop=tuple(dict.fromkeys(
                w.strip().lower() for w in str(x or "").replace(",", "\n").splitlines()
                if w.strip()))[:MAX_STOPWORDS])),
    Control("w_compare", lambda v, r: v.compare, lambda v, x, r: replace(v, compare=x or "")),
    Control("w_dates2", lambda v, r: (v.start2, v.end2) if v.start2 and v.end2 else (),
            _put_dates2),
    Control("w_theme2", lambda v, r: v.theme2 or None,
            lambda v, x, r: replace(v, theme2=x or "")),
    Control("w_tab", lambda v, r: THEME_TABS[v.tab],
            lambda v, x, r: replace(v, tab=_TAB_NAMES.get(x, "counts"))),
    Control("w_passages", lambda v, r: v.passages,
            lambda v, x, r: replace(v, passages=bool(x))),
    Control("w_sort", lambda v, r: v.sort, lambda v, x, r: replace(v, sort=x or "-date")),
    Control("w_kwic", lambda v, r: v.kwic or "article",
            lambda v, x, r: replace(v, kwic=x if x in ("after", "before") else "")),
    Control("w_period", lambda v, r: v.period, lambda v, x, r: replace(v, period=x or "")),
    Control("w_focus", lambda v, r: v.focus or (v.terms[0] if v.terms else None),
            lambda v, x, r: replace(v, focus=x if x in v.terms and v.period else "")),
    Control("w_focus_theme", lambda v, r: v.focus_theme or None,
            lambda v, x, r: replace(v, focus_theme=x if x and v.period else "")),
]}


def choose(key: str, value: object) -> None:
    """Set a bound widget's value before it is drawn (e.g. from a chart click)."""
    st.session_state[key] = value
    run = current()
    run.view = CONTROLS[key].put(run.view, value, run)


def _chart_key(chart: str) -> str:
    """The widget key the trend chart ``chart`` is drawn under: a new one after each click
    taken (see :func:`take_click`)."""
    clicks = st.session_state.get(f"_clicks_{chart}", 0)
    return chart if not clicks else f"{chart}_{clicks}"


def take_click(chart: str, names: list[str], focus_key: str) -> str:
    """Take a click on a point of the trend chart ``chart`` and return the key to draw the
    chart under (with ``on_select="rerun"``), to be called before it is drawn.

    A click reruns the script with the point as the selection of the chart drawn last; its
    period goes to ``w_period`` and its term or theme (one of ``names``) to ``focus_key``
    (a smoothed line's point in a period without articles leaves both, and its period is
    kept for :func:`dashboard.ui.empty_point_note`; a bar of the articles strip leaves both). A
    point's ``customdata`` starts with its period and its escaped name
    (``figures.trend_figure``). A chart keeps its selection over later reruns, so once its
    click is taken it is drawn anew, under a new key and without a selection, in the same run:
    a period chosen afterwards in the box is not undone by it, a second click on the same
    point is a click again, and the next click on another point is made on the chart that
    is read next (drawn anew one run later, every other click was made on a chart no longer
    read, and lost).
    """
    from dashboard.figures import esc

    key = _chart_key(chart)
    shown = st.session_state.get(key)
    selection = (shown or {}).get("selection") or {}
    points = selection.get("points") or []
    data = (points[0].get("customdata") or []) if points else []
    picked = data[:2]
    if len(picked) != 2:
        return key
    st.session_state[f"_clicks_{chart}"] = st.session_state.get(f"_clicks_{chart}", 0) + 1
    if len(data) > 8 and data[8] == "0":  # a smoothed point of a period without articles
        st.session_state["_empty_point"] = str(picked[0])
        return _chart_key(chart)
    name = next((n for n in names if esc(n) == picked[1]), None)
    if name is None:  # (a bar of the articles strip: no term or theme to list)
        return _chart_key(chart)
    choose("w_period", str(picked[0]))
    choose(focus_key, name)
    return _chart_key(chart)


def point_pickers(periods: list[str], focus_key: str, label: str, names: list[str]) -> View:
    """The period and the term or theme (``label``, one of ``names``, bound to ``focus_key``)
    whose articles are listed below a trend chart; returns the view they leave."""
    cols = st.columns(2)
    with cols[0]:
        valid_choice("w_period", ["", *periods], why=_period_why)
        control("w_period", st.selectbox, "Period", ["", *periods],
                format_func=lambda p: p or "choose a period")
    with cols[1]:
        valid_choice(focus_key, list(names))
        control(focus_key, st.selectbox, label, list(names), format_func=printable,
                placeholder=f"choose a {label.lower()}")
    return current().view


def valid_choice(key: str, options: list[object],
                 why: Callable[[object, View], str] | None = None) -> None:
    """Reset a bound widget whose value is not among its options: from an old link (said in
    a note, with ``why(value, view)`` when given), or left over from the user's own change (a
    period after a new frequency, a term removed), which goes without a note."""
    run = current()
    from_view = CONTROLS[key].get(run.view, run)
    value = from_view if run.seed else st.session_state.get(key, from_view)
    if value not in options:
        if value and run.seed:  # (said while the view is the link's, as its other notes)
            reason = why(value, run.view) if why else "is not available here"
            st.session_state.setdefault("_url_notes", []).append(
                f"{key.removeprefix('w_')!r}: {value!s:.40} {reason}; ignored")
        st.session_state[key] = options[0] if options else None
        run.view = CONTROLS[key].put(run.view, st.session_state[key], run)


def _period_why(value: object, view: View) -> str:
    """Why a link's period is not one of its chart's.

    >>> _period_why("2023-09", View(freq="quarter"))
    'is a month, and the chart is by quarter'
    >>> _period_why("2023Q3", View(freq="quarter"))
    'is not a period of the chart with these filters'
    """
    try:
        kind = period_freq(str(value))
    except ValueError:
        kind = ""
    if kind and kind != view.freq:
        return f"is a {kind}, and the chart is by {view.freq}"
    return "is not a period of the chart with these filters"


def _current_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


#: What a reader is told when a link was made with what this session does not have.
MARK_NOTES = {
    "dict": "this link was made with its author's own theme dictionary, which is not in use "
            "here: themes and their counts are those of the dictionary shown on the Themes page",
    "corpus": "this link was made on a corpus its author uploaded, which only they can see: "
              "this is the shared corpus",
}
#: The same, to a reader who has their own (e.g. an uploaded corpus of their own).
MARK_NOTES_OWN = MARK_NOTES | {
    "corpus": "this link was made on a corpus its author uploaded, which only they can see: "
              "this is the corpus you uploaded",
}


def begin(*, themes: list[str], sources: list[str],
          bounds: tuple[dt.date, dt.date] | None, page: str = "",
          marks: dict[str, str] | None = None, notes: list[str] | None = None,
          check: Callable[[str], None] | None = None) -> Run:
    """Read this run's view from the URL (and from widgets the user just changed).

    ``marks``: what this session's links are made with (:data:`policydata.filters.MARKS`: its
    own theme dictionary, carried or as a fingerprint, and its uploaded corpus's
    fingerprint), written into its links; a link holding other marks gets a note.
    ``notes``: notes on the link found before (a theme dictionary it carries, see
    ``data.adopt_linked_dictionary``), shown first. ``check``: refuses a search or term
    too costly for the corpus (see :func:`policydata.filters.view_from_params`).
    """
    params = _current_params()
    freq = default_freq(*bounds) if bounds else "month"
    view, found = view_from_params(params, themes=themes, sources=sources, freq=freq,
                                   check=check)
    marks = marks or {}
    for name in MARKS:
        made_with = (params.get(name) or [""])[-1]
        carried = name == "dict" and made_with.startswith(LINK_PREFIX)  # (noted when read)
        malformed = mark_note(name, made_with) if made_with else None
        if malformed:  # (no author's link holds it: it says nothing of what the link used)
            found.insert(0, malformed)
        elif made_with and made_with != marks.get(name) and not carried:
            found.insert(0, (MARK_NOTES_OWN if marks.get(name) else MARK_NOTES)[name])
    notes = [*(notes or []), *found]
    # (A drill-down's way back stays on every page: the filters it set are every page's, and
    # the sidebar offers the way back to the filters as they were; see sidebar.draw.)
    run = Run(view=view, bounds=bounds, freq=freq, page=page, marks=marks, check=check)
    if st.session_state.get("_url") != params and not _widgets_changed():
        run.seed = True  # the URL changed from outside: it wins over the widgets
        # Its reader did not type its search: how operators in it are read is said too.
        for what, query in [("The search", view.filter.query),
                            *(("A trend term", term) for term in view.terms)]:
            said = operator_note(query) if query else None
            if said:
                notes.append(f"{what}: {said}")
        # What was wrong with the link stays on show while the view is the one it opened.
        st.session_state["_url_notes"] = notes
    else:
        for key, spec in CONTROLS.items():
            if key in st.session_state:
                run.view = spec.put(run.view, st.session_state[key], run)
    st.session_state["_run"] = run
    return run


def _widgets_changed() -> bool:
    """Whether the user changed a bound widget since the last run ended. Such a run's query
    string may be stale (the browser sent it before the last run's address arrived, as when
    a slider is moved several times in quick succession): the widget then wins. A link
    opened from outside (pasted, back and forward, a page link) changes no widget."""
    last = st.session_state.get("_widgets", {})
    return any(st.session_state.get(key, _MISSING) != value for key, value in last.items()
               if key in st.session_state)


#: The note on what a link brought (its author's dictionary), not on a fault in it: said as
#: information, and not pointed at from the top of the page (:func:`faults`).
LINKED_IN_USE = ("this link carries its author's own theme dictionary, now in use for this "
                 "session (the Themes page shows it; 'Back to the default dictionary' leaves it)")


def typed_notes_only() -> bool:
    """Whether this run's faults (:func:`faults`) are all on input just typed or chosen, none
    on the opened link."""
    opened = [n for n in st.session_state.get("_url_notes") or [] if n != LINKED_IN_USE]
    return not opened and bool(current().notes)


def faults() -> list[str]:
    """The notes (:func:`notes`) on what was dropped or changed, without the information on
    what the link brought."""
    return [n for n in notes() if n != LINKED_IN_USE]


def notes() -> list[str]:
    """Notes on the opened link's dropped values (while the view is still the one it opened,
    on any page), then on this run's rejected input."""
    run = current()
    if _link_view(run) != st.session_state.get("_link_view"):
        st.session_state["_url_notes"] = []  # a filter changed, a point clicked: said and gone
    return list(dict.fromkeys([*st.session_state.get("_url_notes", []), *run.notes]))


def current() -> Run:
    """The run started by the entrypoint (pages call this)."""
    run = st.session_state.get("_run")
    if run is None:  # pragma: no cover - a page run without the entrypoint
        raise RuntimeError("dashboard pages run through dashboard/app.py")
    return run


def control(key: str, make: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Make a widget bound to a view field; returns what ``make`` returns (the value).

    ``make`` is the Streamlit widget function; ``args``/``kwargs`` go to it (never a value or
    default: the value comes from the view through session state).
    """
    run = current()
    spec = CONTROLS[key]
    value = st.session_state.get(key, _MISSING)
    scratch = replace(run, notes=[])
    drawn_on = st.session_state.setdefault("_drawn_on", {})
    if value is _MISSING or run.seed or spec.put(run.view, value, scratch) != run.view:
        st.session_state[key] = spec.get(run.view, run)
    elif drawn_on.get(key) != run.page:
        # A widget of another page under the same key only takes a value set through session
        # state. (Not assigned otherwise: setting the value the widget already has would undo
        # a change the user made while this run was under way, e.g. a slider moved twice.)
        st.session_state[key] = value
    drawn_on[key] = run.page
    drawn = make(*args, key=key, **kwargs)
    # (The value is in session state: for most widgets it is also what ``make`` returns, but
    # tabs return their containers.)
    run.view = spec.put(run.view, st.session_state.get(key, drawn), run)
    return drawn


def narrows(flt: Filter, bounds: tuple[dt.date, dt.date] | None) -> bool:
    """Whether ``flt`` leaves any article of the corpus out: not when its only filter is a
    date range taking in the corpus's first and last dates (``bounds``), as a link's dates
    pinned to the whole corpus do (Clear would change nothing in sight).

    >>> whole = (dt.date(2020, 1, 1), dt.date(2024, 12, 31))
    >>> narrows(Filter(start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31)), whole)
    False
    >>> narrows(Filter(start=dt.date(2020, 1, 2)), whole), narrows(Filter(query="x"), whole)
    (True, True)
    """
    if flt.themes or flt.query or flt.sources:
        return True
    if flt.is_empty:
        return False
    return bounds is None or not ((flt.start is None or flt.start <= bounds[0])
                                  and (flt.end is None or flt.end >= bounds[1]))


def date_limits(*chosen: dt.date | None) -> dict[str, dt.date]:
    """``min_value`` and ``max_value`` for a date input: the corpus's first and last date,
    widened to take in the dates chosen (a link may name dates outside the corpus). Without
    them Streamlit allows ten years either side of the value, which a corpus of decades and
    a narrowed range (a drill-down to one year) both outgrow."""
    run = current()
    known = [d for d in (*(run.bounds or ()), *chosen) if d]
    return {"min_value": min(known), "max_value": max(known)} if known else {}


def set_view(view: View) -> None:
    """Replace the view (for changes not made through a bound widget, e.g. a chart click)."""
    current().view = view


def params(view: View | None = None) -> dict[str, list[str]]:
    """Query parameters of a view (default: the current one), for links between pages."""
    run = current()
    return view_to_params(view or run.view, freq=run.freq)


def finish() -> str:
    """Write the view to the URL; returns the query string of the shareable link (which,
    unlike the address bar, always names the period)."""
    run = current()
    wanted = view_to_params(run.view, freq=run.freq) | _marks(run)
    if _current_params() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state["_url"] = wanted
    if run.seed:
        st.session_state["_link_view"] = _link_view(run)  # (the view the opened link gave)
    st.session_state["_widgets"] = {key: st.session_state[key] for key in CONTROLS
                                    if key in st.session_state}
    return lasting_query(pin_dates=True)


def _link_view(run: Run) -> tuple[View, dict[str, str]]:
    """What a link's notes are about: the view (but the way back, which a page's own notes
    do not concern) and the corpus and dictionary it is drawn with."""
    return replace(run.view, back=""), dict(run.marks)


def lasting_query(view: View | None = None, *, pin_dates: bool = False) -> str:
    """The query string of a view (default: the current one) for a link meant to last.

    It names the period even when it is this corpus's default, which changes as the corpus
    grows: a cited link keeps opening the same view. With ``pin_dates`` it also names the
    date range when the view has none (the whole corpus, as far as it goes today), so articles
    added later outside that range do not change what the link shows; but not on an uploaded
    corpus, which no one else can open: whoever opens the link gets the shared corpus, and the
    upload's dates would leave them an empty view.
    """
    run = current()
    view = view or run.view
    if (pin_dates and run.bounds and "corpus" not in run.marks
            and not (view.filter.start and view.filter.end)):
        view = view.with_filter(start=run.bounds[0], end=run.bounds[1])
    return urlencode(view_to_params(view, freq=None) | (_marks(run) if pin_dates else {}),
                     doseq=True, safe=",*")  # (both are fine in a query: keep it readable)


def way_back(back: str) -> tuple[str, str]:
    """The page a drill-down's way back (``back``: the query string of the view it came from)
    leads to, and its link's label: the Themes page for a theme's point (its view names
    ``focus_theme``), else Term trends.

    >>> way_back("freq=year&tab=time&period=2023&focus_theme=Digital+economy")[0]
    'views/themes.py'
    >>> way_back("term=economy&freq=year&period=2023&focus=economy")
    ('views/trends.py', 'Back to the trend, with the filters as they were')
    """
    if parse_qs(back).get("focus_theme"):
        return "views/themes.py", "Back to the theme's trend, with the filters as they were"
    return "views/trends.py", "Back to the trend, with the filters as they were"


def _marks(run: Run) -> dict[str, list[str]]:
    return {name: [run.marks[name]] for name in MARKS if run.marks.get(name)}


def keyed(name: str, *parts: object) -> str:
    """A widget key for one version of a widget: a table whose selection is a row number
    gets a new key when its rows change (``parts``: what they depend on), so a stale
    selection never points at another row.

    >>> from policydata.filters import Filter
    >>> keyed("articles_table", Filter(query="x"), "-date") == keyed("articles_table",
    ...     Filter(query="x"), "date")
    False
    """
    return f"{name}_{hashlib.sha1(repr(parts).encode()).hexdigest()[:16]}"


#: The default page's url path: Streamlit serves that page at the app's root only (an
#: address ending in ``/overview`` opens a "Page not found" dialog), yet names the path in
#: ``st.context.url`` when the page was opened at such an address.
DEFAULT_PAGE = "overview"


def link(query: str) -> str:
    """The full shareable address of this page with ``query``."""
    return page_link(st.context.url or "", current().page, query)


def page_link(url: str, page: str, query: str) -> str:
    """The shareable address of the page whose url path is ``page`` ("" for the default page)
    at the address ``url``, with ``query``: the default page's at the app's root.

    >>> page_link("http://h.example/policydata/overview", "", "q=x")
    'http://h.example/policydata?q=x'
    >>> page_link("http://h.example/trends", "trends", "q=x"), page_link("http://h.example", "", "")
    ('http://h.example/trends?q=x', 'http://h.example')
    """
    if not page and url.rstrip("/").endswith("/" + DEFAULT_PAGE):
        url = url.rstrip("/")[:-len(DEFAULT_PAGE) - 1]
    return f"{url}?{query}" if query else url


def root_path(url: str | None, page: str) -> str:
    """The path of the app's root in the browser, ending in ``/``, from the address ``url`` of
    the page whose url path is ``page`` ("" for the default page); ``./`` (the root as seen
    from every page, each one level below it) when the address is not known.

    Behind ``--server.baseUrlPath policydata``, or a proxy that serves the app under a
    prefix, the root is that prefix:

    >>> root_path("http://127.0.0.1:8501/policydata/trends", "trends")
    '/policydata/'
    >>> root_path("http://127.0.0.1:8501/policydata", ""), root_path("http://h.example/", "")
    ('/policydata/', '/')
    >>> root_path(None, "trends")
    './'

    The default page opened at its own path (``/overview``, which Streamlit names in the
    address though it serves the page at the root only) has the root above it too:

    >>> root_path("http://127.0.0.1:8501/overview", "")
    '/'
    """
    if not url:
        return "./"
    path = urlsplit(url).path.rstrip("/")
    own = page or DEFAULT_PAGE
    if path.endswith("/" + own):
        path = path[:-len(own) - 1]
    return path + "/"


def page_address(url_path: str) -> str:
    """Where a link to the page ``url_path`` ("" for the default page) points: an absolute
    path from the app's root (``/policydata/trends``), so a link copied or opened in a new tab
    leads to that page from any page."""
    return root_path(st.context.url, current().page) + url_path
