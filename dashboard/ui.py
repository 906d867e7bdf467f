"""Small drawing helpers shared by the pages: safe text, the page sentence, downloads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from policydata import analysis as an
from policydata.columns import COLUMNS, frame_csv, printable
from policydata.filters import MAX_PERIODS, MAX_SMOOTH, Filter, operator_note
from policydata.tokens import HAN

if TYPE_CHECKING:
    from dashboard.data import ArticleList, Corpus, KwicLines, Rescan

#: Characters that Streamlit's Markdown (notes, labels, messages) would read as formatting,
#: links, HTML, character references (``&rlm;``), LaTeX or emoji codes.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~/:&])")

#: Where Streamlit's Markdown would make a bare address into a link (GitHub's "autolink
#: literals": ``http://`` and ``https://``, ``www.``, ``name@host.tld``), escaped or not: a
#: crafted link could show its own outside link inside the dashboard's notes. A WORD JOINER
#: (U+2060, invisible, no break) after the scheme's colon, the ``www`` or the ``@`` keeps the
#: text as it reads and unlinked.
_AUTOLINK = re.compile(r"(?i)(?<=https:)(?=/)|(?<=http:)(?=/)|(?<=www)(?=\.)|(?<=@)")
_JOINER = "\u2060"


def shown(value: object) -> str:
    r"""Text from a corpus or a link with what would not show written as codes, line breaks
    kept (:func:`policydata.columns.printable`).

    >>> print(shown("a\x1b[31mb\u202ec\nd"))
    a\x1b[31mb[U+202E]c
    d
    """
    return printable(value, lines=True)


def chip(value: object) -> str:
    r"""An option of a select box, or a chip of a multiselect, as it is written: control,
    invisible and direction-changing characters as codes, so a source named ``xin​hua``
    cannot read as ``xinhua``, nor three different terms all as ``digital economy``.

    >>> chip("xin​hua"), chip("‮evil")
    ('xin[U+200B]hua', '[U+202E]evil')
    """
    return printable(value)


def plain(value: object) -> str:
    r"""Text for elements that read Markdown (notes, messages, labels), shown as written.

    A value from a link or a file must not become a link, an image or a formula there (a
    bare address gets an invisible word joiner, see :data:`_AUTOLINK`).

    >>> print(plain("[log in](https://x.example) $x$").replace(_JOINER, "^"))
    \[log in\]\(https\:^\/\/x\.example\) \$x\$
    >>> print(plain("www.x.example, me@x.example").replace(_JOINER, "^"))
    www^\.x\.example, me@^x\.example
    >>> print(plain("a&ZeroWidthSpace;b"))
    a\&ZeroWidthSpace;b
    """
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(_JOINER, shown(value)))


#: A run of this many characters without a space gets places to break (``<wbr>``) every
#: :data:`_BREAK_EVERY` characters: a browser lays out one 100,000-letter word for tens of
#: seconds, even allowed to break it anywhere.
_LONG_RUN = re.compile(r"\S{64,}")
_BREAK_EVERY = 32


def safe(value: object, *, breaks: bool = True) -> str:
    """Escaped and revealed: ready to put into HTML (long words get places to break, unless
    ``breaks`` is False: a line kept on one line, where a ``<wbr>`` would still break it).

    >>> safe("<b>" + "Z" * 70)
    '&lt;b&gt;ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ<wbr>ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ<wbr>ZZZZZZZZZ'
    >>> safe("<b>" + "Z" * 70, breaks=False) == "&lt;b&gt;" + "Z" * 70
    True
    """
    text = shown(value)
    if not breaks:
        return html.escape(text, quote=False)
    out, last = [], 0
    for run in _LONG_RUN.finditer(text):
        out.append(html.escape(text[last:run.start()], quote=False))
        word = run.group()
        out.append("<wbr>".join(html.escape(word[i:i + _BREAK_EVERY], quote=False)
                                for i in range(0, len(word), _BREAK_EVERY)))
        last = run.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


#: Said under a smoothed chart: its CSV holds each period's own numbers.
SMOOTHED_CSV = ("The CSV holds each period's own numbers, as the command line gives them; the "
                "chart averages them.")

#: Text from a corpus breaks anywhere rather than run off the page (a 100,000-character
#: title has no space to break at).
WRAP = "overflow-wrap:anywhere;"
READER_CSS = "line-height:1.6;max-width:52rem;" + WRAP

#: Measure names short enough for a control in a window 1,024 pixels wide (charts and
#: sentences use the library's full names).
SHORT_MEASURES = {"per_10k": "per 10k words", "docs": "% of articles", "count": "matches"}


#: The measures as the page's sentence says them ("... as matches per 10,000 words").
MEASURE_PHRASES = {"per_10k": "matches per 10,000 words",
                   "docs": "the % of articles with a match", "count": "the number of matches"}


def partial_note(partial: dict[str, tuple[Any, Any]], measure: str) -> str:
    """The sentence under a trend chart naming its partial periods (grey bands, hatched
    bars), or "" when every period is whole.

    >>> import datetime as dt
    >>> print(partial_note({"2022": (dt.date(2022, 1, 1), dt.date(2022, 6, 30))}, "count"))
    Partial period (grey band, hatched bar): 2022 covers only 2022-01-01 to 2022-06-30, so
    its count may be low for that reason: compare it per 10,000 words or as % of articles.
    """
    if not partial:
        return ""
    many = len(partial) > 1
    spans = ", ".join(f"{p} covers only {a}" + (f" to {b}" if b != a else "")
                      for p, (a, b) in partial.items())
    tail = (f", so {'their counts' if many else 'its count'} may be low for that reason: "
            f"compare {'them' if many else 'it'} per 10,000 words or as % of articles."
            if measure == "count" else ".")
    return (f"Partial period{'s' if many else ''} (grey band{'s' if many else ''}, hatched "
            f"bar{'s' if many else ''}): {spans}{tail}")


def date_notes(precision: dict[str, int], new_year: int, freq: str) -> list[str]:
    """Captions under a month or quarter chart whose articles are dated more coarsely.

    ``precision`` counts articles per date precision (``corpus_info``'s ``date_precision``)
    and ``new_year`` is what :func:`policydata.analysis.dated_new_year` returns.

    >>> date_notes({"day": 5, "year": 2}, 0, "quarter")  # doctest: +ELLIPSIS
    ['Some articles are dated only to a month or a year; they are counted in the first ...']
    >>> date_notes({"day": 233}, 233, "month")  # doctest: +ELLIPSIS
    ['All 233 articles dated to the day are dated 1 January: ... choose year above.']
    >>> date_notes({"day": 233}, 233, "year"), date_notes({"month": 9}, 0, "quarter")
    ([], [])
    """
    notes = []
    if (freq != "year" and precision.get("year")) or (freq == "month" and precision.get("month")):
        notes.append("Some articles are dated only to a month or a year; they are counted in "
                     "the first period of it.")
    if freq != "year" and new_year:
        notes.append(f"All {new_year:,} articles dated to the day are dated 1 January: if "
                     f"those dates stand for years, each {freq} but the first of a year is "
                     "empty for that reason; choose year above.")
    return notes


def notes_hint(count: int, *, typed: bool = False) -> None:
    """At the top of the page, a pointer to the ``count`` notes on the link (what it asked
    for that was dropped or changed), which the sidebar shows below the filters: out of sight
    in a small window. ``typed``: the notes are all on what was just typed or chosen."""
    if count:
        st.warning(f"{rows(count, 'note')} on {'what you entered' if typed else 'this link'}: "
                   "see the sidebar.", icon=":material/link_off:")


def table(frame: pd.DataFrame, **options: Any) -> Any:
    """``st.dataframe`` with control, invisible and direction-changing characters written as
    codes in every text column (see :func:`policydata.columns.printable`)."""
    cells = frame.copy()
    for column in cells.columns:
        if cells[column].dtype == object or str(cells[column].dtype) in ("str", "string"):
            cells[column] = cells[column].astype(str).map(printable)
    options.setdefault("hide_index", True)
    # Whole numbers with thousands separators (12,833), as everywhere else on the page.
    config = dict(options.get("column_config") or {})
    for column in cells.columns:
        if column not in config and pd.api.types.is_integer_dtype(cells[column]):
            config[column] = st.column_config.NumberColumn(format="localized")
    options["column_config"] = config
    return st.dataframe(cells, **options)


#: How keyword-in-context lines may be ordered (the view's ``kwic``; "article" is its "").
KWIC_ORDERS = {"article": "article by article", "after": "by the word after",
               "before": "by the word before"}


def kwic_table(lines: pd.DataFrame, *, by_article: bool = True) -> None:
    """Keyword-in-context lines as a concordance: under each article's date and title, one
    line a match, the match as written in the middle between its left and right context
    (``by_article=False``, for lines sorted by their words: each line with its article's
    date, the title in its tooltip).

    The contexts take the width the window has and are cut at their far ends (the words next
    to the match stay in sight); a line's whole text is its tooltip, and the CSV download
    keeps every line whole. All of it is escaped text (:func:`safe`).
    """
    if lines.empty:
        st.caption("No lines.")
        return
    parts, last = [], None
    for doc, date, title, left, match, right in lines[
            ["id", "date", "title", "left", "match", "right"]].itertuples(index=False):
        # (bounded: a scraped blob can make one "word" of 100,000 letters)
        left, right = context_end(left, KWIC_CONTEXT), context_start(right, KWIC_CONTEXT)
        match = context_start(match, KWIC_CONTEXT)
        if by_article and doc != last:
            parts.append(f"<div class='pd-kwic-doc'>{safe(date)} · {safe(title)}</div>")
            last = doc
        whole = html.escape(shown(f"{left} {match} {right}".strip()
                                  + ("" if by_article else f" ({date} · {title})")), quote=True)
        dated = "" if by_article else f"<span class='pd-kwic-date'>{safe(date)}</span>"
        parts.append(f"<div class='pd-kwic-line' title=\"{whole}\">{dated}"  # (one line each)
                     f"<span class='pd-kwic-left'><span>{safe(left, breaks=False)}</span></span>"
                     f"<b class='pd-kwic-match'>{safe(match, breaks=False)}</b>"
                     f"<span class='pd-kwic-right'>{safe(right, breaks=False)}</span></div>")
    st.html(f"<style>{_KWIC_CSS}</style><div class='pd-kwic'>{''.join(parts)}</div>")


#: Characters of context a keyword-in-context line holds on each side of the match (more
#: than a window shows; the CSV download has them whole).
KWIC_CONTEXT = 300


def context_end(value: str, width: int) -> str:
    """The last ``width`` characters of a left context, from a word start, after an ellipsis.

    >>> context_end("the committee noted that the", 16)
    '…noted that the'
    >>> context_end("short", 16), context_end("", 16), len(context_end("x" * 1000, 16))
    ('short', '', 17)
    """
    if len(value) <= width:
        return value
    tail = value[-width:]
    if value[-width - 1] == " ":
        return "…" + tail
    cut = tail.find(" ")
    return "…" + (tail[cut + 1:] if 0 <= cut < width - 1 else tail)


def context_start(value: str, width: int) -> str:
    """The first ``width`` characters of a right context, to a word end, then an ellipsis.

    >>> context_start("rose sharply in the second quarter", 16)
    'rose sharply in…'
    >>> context_start("short", 16), len(context_start("x" * 1000, 16))
    ('short', 17)
    """
    if len(value) <= width:
        return value
    head = value[:width]
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head) + "…"


#: The concordance's layout (:func:`kwic_table`): a left context longer than its half of the
#: line overflows to the left, where it is cut (its end beside the match stays) and fades out
#: (so a word cut there reads as cut), and the right one is cut at its end with an ellipsis.
_KWIC_CSS = (
    ".pd-kwic{max-height:24rem;overflow-y:auto;border:1px solid #e6e9ef;border-radius:.5rem;"
    "padding:.2rem .6rem .4rem;font-size:.92rem}"
    ".pd-kwic-doc{color:#5b6270;font-size:.8rem;margin-top:.45rem;display:-webkit-box;"
    "-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;" + WRAP + "}"
    ".pd-kwic-line{display:flex;white-space:nowrap;line-height:1.65}"
    ".pd-kwic-left{flex:1 1 0;min-width:0;overflow:hidden;display:flex;"
    "justify-content:flex-end;-webkit-mask-image:linear-gradient(to right,transparent,#000 2.5em);"
    "mask-image:linear-gradient(to right,transparent,#000 2.5em)}"
    ".pd-kwic-left>span{flex:none}"
    ".pd-kwic-match{flex:none;max-width:40%;overflow:hidden;text-overflow:ellipsis;"
    "padding:0 .35em;color:#1b4f8a}"
    ".pd-kwic-right{flex:1 1 0;min-width:0;overflow:hidden;text-overflow:ellipsis}"
    ".pd-kwic-date{flex:none;width:6.2em;color:#5b6270;font-size:.8rem}")


def thin_note(frame: pd.DataFrame, freq: str, measure: str) -> None:
    """Under a trend, when a fifth or more of its periods with articles have only one or two
    (:func:`policydata.analysis.thin_periods`): there one article makes a line leap, which is
    not a change in the language."""
    thin, measured = an.thin_periods(frame)
    if measured < 3 or thin * 5 < measured:
        return
    longer = {"month": "quarter or year", "quarter": "year"}.get(freq)
    st.caption(f"{thin:,} of the {measured:,} {freq}s with articles "
               f"{'has' if thin == 1 else 'have'} only one or two of them (the smallest "
               "points): there one article moves a line "
               + ("between 0% and 100%" if measure == "docs" else "from nothing to a peak")
               + ", which says little about the language"
               + (f"; choose {longer} to pool them." if longer else "."))


def many_periods(periods: int, empty: int, freq: str) -> None:
    """Say that a chart of ``periods`` periods (``empty`` without articles) by ``freq`` is too
    long to read, and what to choose instead; or, for a shorter one with empty periods, what
    they stand for."""
    if periods > MAX_PERIODS:
        instead = {"month": "quarter or year", "quarter": "year"}.get(freq)
        st.info(f"{periods:,} {freq}s are shown, {empty:,} of them without "
                "articles: " + (f"choose {instead}" if instead else "narrow the date range")
                + " for a readable chart.", icon=":material/zoom_out:")
    elif empty:
        st.caption(f"{empty:,} of {periods:,} periods {'has' if empty == 1 else 'have'} no "
                   "articles: here their bars are at 0 and the words line breaks there, as "
                   "term and theme trends do (a moving average runs on through them): a gap, "
                   "not a fall in a term's use.")


def no_articles(corpus: Corpus, flt: Filter) -> None:
    """Say that the filters select no article, and what to do: for a search that matches
    nowhere in the corpus, that (and how it was read), not to widen filters that are not
    the reason; for one that matches outside the other filters, where."""
    query = flt.query
    elsewhere = corpus.info(Filter(query=query)) if query else None
    if elsewhere is not None and not elsewhere["documents"]:
        said = operator_note(query)
        st.info(plain(f"No article in the corpus matches the search {query!r}"
                      + (f": {said}." if said else
                         ". Check its spelling, or search for another form (a * ends a "
                         "prefix, as in industr*; commas separate alternatives).")),
                icon=":material/search_off:")
        return
    st.info("No articles match the filters. Widen the date range or clear a filter.")
    if elsewhere:
        st.caption(plain(f"{query!r} occurs in {rows(elsewhere['documents'], 'article')} of "
                         f"the corpus without the other filters, {_dated(elsewhere)}."))
    undated_filter = dataclasses.replace(flt, start=None, end=None)
    if (flt.start or flt.end) and undated_filter != Filter(query=query):  # (not said twice)
        undated = corpus.info(undated_filter)
        if undated["documents"]:
            st.caption(f"Without the date range the filters select "
                       f"{rows(undated['documents'], 'article')}, {_dated(undated)}.")


def _dated(info: dict[str, Any]) -> str:
    """``dated 2020-01-02 to 2021-03-04`` (one date when first and last agree) from a
    :func:`policydata.analysis.corpus_info` answer."""
    first, last = info["first_date"], info["last_date"]
    return f"dated {first}" if first == last else f"dated {first} to {last}"


def empty_point_note(freq: str) -> None:
    """Say, after a click on a smoothed line's point in a period without articles
    (:func:`dashboard.state.take_click`), that it has no articles to list."""
    period = st.session_state.pop("_empty_point", None)
    if period:
        st.info(f"{period} has no articles: the moving average runs through it with the mean "
                f"of the {freq}s before it that have some. Click a point of a {freq} with "
                "articles.", icon=":material/event_busy:")


def smoothing_note(frame: pd.DataFrame, smooth: int, freq: str, *, by: str = "term") -> None:
    """Under a smoothed trend: that the CSV holds the periods' own numbers, and, when no
    window of ``smooth`` periods holds two with articles, that the average averaged nothing."""
    if smooth <= 1:
        return
    st.caption(SMOOTHED_CSV)
    if not an.smoothing_averages(frame, smooth, by=by):
        st.caption(f"Here the moving average averages nothing: no {smooth} {freq}s in a row "
                   f"hold articles in more than one of them, so it only carries each "
                   f"{freq}'s value on through the empty {freq}s after it. Choose a longer "
                   f"period"
                   + (" or a wider window." if smooth < MAX_SMOOTH else "."))


def cut_note(listed: ArticleList) -> None:
    """Say that an article list shows only its first rows (the CSV has them all)."""
    if listed.cut:
        st.caption(f"The first {len(listed.rows):,} rows are shown; the CSV holds all "
                   f"{listed.count:,}.")


def behind_point(behind: ArticleList, lines: KwicLines, period: str, key: str, *,
                 about: str, flt: Filter) -> None:
    """The articles behind one point of a trend (most hits first) and their keyword-in-context
    lines in the same order, each with its CSV download (``key`` tells the page's downloads
    apart; ``about``, the point's term or theme, and ``flt``, the page's filter, name them)."""
    shown = behind.rows
    # (Hits, the order of the rows, next to the date: in sight in a narrow window.)
    table(shown[["date", "hits", "title", "source", "words"]],
          height=min(35 * len(shown) + 38, 320),
          column_config={"date": st.column_config.TextColumn(width=90),
                         "hits": st.column_config.NumberColumn(width="small",
                                                               format="localized"),
                         "title": st.column_config.TextColumn(width=420)})
    cut_note(behind)
    csv_download(behind.whole, "articles",
                 file_name("articles", [about], flt, extra=(period,)), key=f"dl_{key}_articles")
    from dashboard import state

    st.markdown(f"**Keyword in context**: {rows(behind.hits, 'line')}, "
                + (KWIC_ORDERS[state.current().view.kwic] if state.current().view.kwic else
                   "article by article in the table's order"))
    kwic_lines(lines, behind.hits, file_name("kwic", [about], flt, extra=(period,)),
               key=f"dl_{key}_kwic")


def kwic_lines(lines: KwicLines, total: int, name: str, *, key: str) -> None:
    """Keyword-in-context lines (``total`` in all: the matches they are of), the first ones
    shown, with a download of them all, or of those of the first articles when reading them
    all would hold up the dashboard (:data:`dashboard.data.KWIC_WORDS`)."""
    from dashboard import state
    from dashboard.data import KWIC_WORDS  # (data imports this module)

    by = ""
    if len(lines.rows) > 1:
        state.control("w_kwic", st.segmented_control, "Lines", list(KWIC_ORDERS),
                      format_func=KWIC_ORDERS.get, required=True,
                      help="Sorted by the words after the match, or before it (read back "
                           "from the match), lines with the same words come together, as in a "
                           "concordance: all the lines are sorted, the first ones shown, and "
                           "the download is sorted the same way, as `policydata kwic --by` "
                           "gives them.")
        by = state.current().view.kwic
    kwic_table(lines.rows, by_article=not by)
    if total > len(lines.rows):
        st.caption(f"The first {len(lines.rows):,} of all {total:,} lines are shown, sorted."
                   if by else f"The first {len(lines.rows):,} lines are shown.")
    why = (f"reading them all from the articles' text (more than {KWIC_WORDS // 1_000_000} "
           "million words) would hold up the dashboard. `policydata kwic` with the same "
           "filters and `--limit all` gives them all.")
    if not lines.lines:
        st.caption(f"No download of the lines here: {why}")
        return
    if lines.lines >= total:
        label = f"Download {'the' if total == 1 else 'all'} {rows(total, 'line')} (CSV)"
    else:
        label = f"Download {lines.lines:,} of the {total:,} lines (CSV)"
        st.caption(f"The download holds the lines of the first "
                   f"{rows(lines.articles, 'article')}: {why}")
    csv_download(download_lines(lines, total, by), "kwic", name, key=key, label=label)


def download_lines(lines: KwicLines, total: int, by: str,
                   ) -> pd.DataFrame | Callable[[], pd.DataFrame]:
    """What a download of keyword-in-context lines holds: the lines shown, when they are
    its lines (in article order, or all of them), else its lines read when it is clicked
    (sorted ``by`` the words after or before the match, the lines of the first articles
    are not the first lines shown)."""
    shown_first = not by or lines.lines >= total
    if shown_first and lines.lines <= len(lines.rows):
        return lines.rows.head(lines.lines)
    return lines.whole




def as_sentence(value: str) -> str:
    """A library message shown on its own: a capital first letter and a full stop.

    >>> as_sentence("keyness compares the filtered articles with the rest")
    'Keyness compares the filtered articles with the rest.'
    """
    value = value.strip()
    if not value:
        return value
    return value[0].upper() + value[1:] + ("" if value[-1] in ".!?" else ".")


def listing(items: list[str]) -> str:
    """Items in a sentence: ``a``, ``a and b``, ``a, b and c``.

    >>> listing(["'x'"]), listing(["'x'", "'y'"]), listing(["'x'", "'y'", "'z'"])
    ("'x'", "'x' and 'y'", "'x', 'y' and 'z'")
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def rows(count: int, what: str = "row") -> str:
    """``1 row``, ``2 rows``.

    >>> rows(1), rows(1200, "article"), rows(3, "match"), rows(2, "entry"), rows(2, "day")
    ('1 row', '1,200 articles', '3 matches', '2 entries', '2 days')
    """
    if what.endswith("y") and what[-2:-1] not in ("a", "e", "i", "o", "u"):
        plural = what[:-1] + "ies"
    else:
        plural = what + ("es" if what.endswith(("ch", "s", "sh", "x")) else "s")
    return f"{count:,} {what if count == 1 else plural}"


def text(value: str, *, tag: str = "p", css: str = "") -> None:
    """Show text exactly as it is: escaped HTML, never read as Markdown, HTML or LaTeX."""
    st.html(f"<{tag} class='pd-text' style=\"{WRAP}{css}\">{safe(value)}</{tag}>")


def source_link(url: str, *, css: str = "") -> None:
    """An article's address: a link to open in a new tab when it is a plain ``http(s)``
    address (nothing that runs or hides: no other scheme, no space, control or invisible
    character), else shown as text.

    >>> link_target("https://example.org/a?b=1&c=<2>")
    'https://example.org/a?b=1&amp;c=&lt;2&gt;'
    >>> link_target("javascript:alert(1)"), link_target("https://x.example/\u202eexe")
    (None, None)
    """
    target = link_target(url)
    if target is None:
        text(url, css=css)
        return
    st.html(f"<p class='pd-text' style=\"{WRAP}{css}\"><a href=\"{target}\" target='_blank' "
            f"rel='noopener noreferrer nofollow'>{safe(url)}</a></p>")


def link_target(url: str) -> str | None:
    """``url`` escaped for an ``href``, or None when it is not a plain http(s) address."""
    if (urlsplit(url).scheme.lower() not in ("http", "https") or shown(url) != url
            or any(c.isspace() for c in url)):
        return None
    return html.escape(url, quote=True)


def definitions(pairs: list[tuple[str, str]]) -> None:
    """Names with their (wrapped, never cut) descriptions, all shown as text."""
    items = "".join(f"<dt style='font-weight:600;margin-top:.45rem;{WRAP}'>{safe(name)}</dt>"
                    f"<dd style='margin:0 0 0 1rem;color:#31333f;{WRAP}'>{safe(value)}</dd>"
                    for name, value in pairs)
    st.html(f"<dl class='pd-text' style='margin:0'>{items}</dl>")


def rare_themes(summary: pd.DataFrame, where: str) -> None:
    """Say how many themes of a theme summary (:func:`policydata.analysis.theme_summary`) are
    in under 1% of the articles: a dictionary written for other texts matches little of
    these, and ``where`` a user can load their own."""
    rare = int((summary["share"] < 1).sum())
    if rare:
        st.caption(f"{rare} of the {len(summary)} themes {'is' if rare == 1 else 'are'} in "
                   "under 1% of these articles. "
                   f"A dictionary fits the texts it was written for: load or write your own "
                   f"{where}.")


def one_entry_themes(summary: pd.DataFrame, entries: pd.DataFrame, where: str) -> None:
    """Name the themes of a theme summary that most of their articles hold through one entry
    alone (:func:`policydata.analysis.one_entry_themes`): a share resting on one word,
    whose entries a user sees ``where``."""
    resting = an.one_entry_themes(summary, entries)
    if resting.empty:
        return
    named = [f"{row.theme!r} on {row.entry!r} (alone, or with longer entries holding it, in "
             f"{row.only:,} of its {row.docs:,} articles)" for row in resting.itertuples()]
    st.caption(plain(
        f"{rows(len(resting), 'theme')} rest{'s' if len(resting) == 1 else ''} on one entry in "
        f"most of {'its' if len(resting) == 1 else 'their'} articles: {listing(named)}. "
        f"Check whether that word means the theme in these texts ({where})."))


def sentence(value: str) -> None:
    """The one sentence each page starts with, saying what is shown."""
    text(value, css="font-size:1.05rem;margin:0 0 .5rem 0;color:#31333f")


def _marked_html(value: str, marks: list[tuple[int, int]]) -> str:
    pieces = []
    last = 0
    for start, end in sorted(marks):
        if start < last:
            continue
        pieces.append(safe(value[last:start]))
        pieces.append(f"<mark>{safe(value[start:end])}</mark>")
        last = end
    pieces.append(safe(value[last:]))
    return "".join(pieces)


def marked_passages(found: list[tuple[int, str, list[tuple[int, int]]]]) -> None:
    """Paragraphs of an article (see :func:`policydata.analysis.passages`) with their marks,
    [...] between them."""
    gap = "<p style='color:#5b6270'>[...]</p>"
    body = gap.join(f"<p>{_marked_html(text, marks).replace(chr(10), '<br>')}</p>"
                    for _, text, marks in found)
    st.html(f"<div class='pd-reader' style='{READER_CSS}'>{body}</div>")


def marked(value: str, marks: list[tuple[int, int]], *, heading: bool = False) -> None:
    """Text with the given character spans highlighted; everything escaped and revealed."""
    body = _marked_html(value, marks)
    if heading:
        st.html("<div class='pd-title' style='font-size:1.6rem;font-weight:600;" + WRAP +
                f"line-height:1.3;max-width:52rem;margin:.2rem 0 .4rem 0'>{body}</div>")
        return
    body = body.replace("\n\n", "</p><p>").replace("\n", "<br>")
    st.html(f"<div class='pd-reader' style='{READER_CSS}'>"
            f"<p>{body}</p></div>")


def csv_download(frame: pd.DataFrame | Callable[[], pd.DataFrame], command: str | None,
                 name: str, *, key: str, label: str = "Download CSV",
                 extra: tuple[str, ...] = ()) -> None:
    """A CSV download of ``frame`` (or of what it returns, when it is a function): with
    ``command``, exactly the command line's columns, then the ``extra`` columns (the
    denominators a chart also uses, such as the articles per period).

    The file is written when the button is clicked, not on every rerun (an article list of
    100,000 rows takes a second to write); a function is called then too, so a long list
    need not be kept until then (``data.ArticleList.whole``).
    """

    def data() -> str:
        whole = frame() if callable(frame) else frame
        if command:
            return frame_csv(whole[[*COLUMNS[command], *extra]])
        return frame_csv(whole)

    st.download_button(label, data=data, file_name=name, mime="text/csv", key=key,
                       on_click="ignore", icon=":material/download:")


def cloud_file_part(label: str, weight: str, ngram: str, flt: Filter,
                    against: Filter | None = None, stop: tuple[str, ...] = ()) -> str:
    """What a cloud's downloads are named for: its label (A or B), weight, words per term,
    themes, sources, search and dates, the stopwords edited (``stop``: how many), and what a
    keyness cloud is compared with (``against``, the other cloud's articles), so downloads of
    two clouds, or of two settings, stay apart.

    >>> import datetime as dt
    >>> cloud_file_part("B", "keyness", "1-3", Filter(themes=("Digital economy",),
    ...                                               start=dt.date(2023, 1, 1)))
    'B-keyness-1-3-words-digital-economy-2023-01-01-to-end'
    >>> cloud_file_part("", "count", "1", Filter(themes=("a", "b", "c")))
    'count-1-word-3-themes'
    >>> cloud_file_part("A", "keyness", "1", Filter(end=dt.date(1999, 12, 31)),
    ...                 Filter(start=dt.date(2010, 1, 1)))
    'A-keyness-1-word-start-to-1999-12-31-vs-2010-01-01-to-end'
    >>> cloud_file_part("", "count", "2", Filter(query="inflation"), stop=("committee", "-us"))
    'count-2-words-inflation-2-stopword-edits'
    """
    parts = [label, weight, f"{ngram}-word" + ("" if ngram == "1" else "s"),
             *_chosen(flt, query=True)]
    if stop:
        parts.append(f"{len(stop)}-stopword-edit" + ("s" if len(stop) > 1 else ""))
    if against is not None:
        parts += ["vs", *([part for part in _chosen(against, query=True)
                           if part not in _chosen(flt, query=True)] or ["all"])]
    return "-".join(p for p in parts if p)


def file_name(what: str, names: tuple[str, ...] | list[str], flt: Filter, *,
              extra: tuple[str, ...] = (), ext: str = "csv") -> str:
    """A download's file name: what it holds, the terms or themes it is of (``names``, up
    to three, else their number), ``extra`` (the period...) and the filter's themes, search
    and dates, so that two downloads stay apart (``ext`` empty: without an extension, the
    name of a chart's PNG, to which plotly adds it).

    >>> import datetime as dt
    >>> file_name("term-trends", ["digital economy", "real economy"], Filter(
    ...     start=dt.date(2020, 1, 1), query="5G"), extra=("year",))
    'term-trends-digital-economy-real-economy-year-5g-2020-01-01-to-end.csv'
    >>> file_name("themes", [], Filter()), file_name("themes", [], Filter(), ext="")
    ('themes.csv', 'themes')
    """
    named = [_slug(n) for n in names] if len(names) <= 3 else [f"{len(names)}-terms"]
    parts = [what, *named, *extra, *_chosen(flt, query=True)]
    return "-".join(p for p in parts if p) + (f".{ext}" if ext else "")


def _chosen(flt: Filter, *, query: bool = False) -> list[str]:
    """The filter's themes, sources (and search) and dates as parts of a file name (named
    while that stays short: a file name has at most 255 bytes)."""
    parts = ([_slug(theme) for theme in flt.themes] if len(flt.themes) <= 2
             else [f"{len(flt.themes)}-themes"])
    parts += ([_slug(source) for source in flt.sources] if len(flt.sources) <= 2
              else [f"{len(flt.sources)}-sources"])
    if query and flt.query:
        parts.append(_slug(flt.query, 30))
    if flt.start is not None or flt.end is not None:
        parts.append(f"{flt.start or 'start'}-to-{flt.end or 'end'}")
    return parts


def _slug(name: str, most: int = 40) -> str:
    """A theme's name as a piece of a file name: lower case letters, digits, Han characters
    (:data:`policydata.tokens.HAN`, whether or not this Python knows them) and hyphens.

    >>> _slug("Real economy & manufacturing"), _slug("\U00031350 数字"), _slug("\u2f00")
    ('real-economy-manufacturing', '\U00031350-数字', '一')
    """
    name = unicodedata.normalize("NFKC", name).lower()  # (a Kangxi radical is its ideograph)
    return "-".join("".join(c if c.isalnum() or _HAN_CHAR.match(c) else " "
                            for c in name).split())[:most]


_HAN_CHAR = re.compile(f"[{HAN}]")


def renewed(when: dt.datetime | None, *, looked: bool) -> None:
    """Tell a session that the corpus was read again since its last run (its numbers may have
    changed under it), unless its own look for new files did it (``looked``: said on the
    page)."""
    if when is not None and not looked:
        st.toast(f"The corpus was read again at {when:%H:%M} UTC, with the files added, changed "
                 "or removed since: the numbers now include them.", icon=":material/refresh:")


def rescan_result(result: Rescan, every: float) -> None:
    """What a look for new files found (:func:`dashboard.data.look_for_new_files`)."""
    info = result.info
    if result.busy:
        st.info("Another visitor is looking for new files right now: every page shows what "
                "it finds once it is done.")
    elif result.error:
        st.error(f"The corpus could not be read again: {result.error}. The pages still show "
                 "the articles read before.")
    elif info is None:
        st.info(f"The corpus was looked at less than {every:.0f} seconds ago; look again in "
                f"{max(1, round(result.wait))} s.")
    elif not result.changed:
        st.success(f"No file was added, changed or removed since ({rows(info.files, 'file')}).",
                   icon=":material/check_circle:")
    else:
        rebuilt = f" The index was built again: {plain(info.reason)}." if info.rebuilt else ""
        st.success(f"Files added: {info.added:,}, changed: {info.changed:,}, removed: "
                   f"{info.removed:,} ({rows(info.tokenised, 'article')} read; files not "
                   f"loaded are in the report below): every page now shows them, for every "
                   f"visitor.{rebuilt}",
                   icon=":material/check_circle:")
