"""Term trends: several terms at once, per period, with the articles behind every point."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, figures, state, ui
from policydata.analysis import (
    MEASURES,
    count_periods,
    in_period,
    narrowed_span,
    periods_with_articles,
    terms_without_matches,
)
from policydata.filters import MAX_PERIODS, MAX_SMOOTH, MAX_TERMS, link_id

SUGGESTED = 8  # the corpus's most frequent 2-word phrases offered to start with
OTHER_FORMS = 4  # singular or plural forms of the terms, not counted, named under the chart


def main() -> None:
    corpus = data.current()
    run = state.current()
    st.title("Term trends")
    # Only the chosen terms are options: with more, Enter would pick the options containing
    # what was typed rather than the typed term itself.
    state.control("w_terms", st.multiselect, "Terms or phrases", list(run.view.terms),
                  accept_new_options=True, max_selections=MAX_TERMS, format_func=ui.chip,
                  placeholder="Type a word or phrase and press Enter",
                  help="Each term is counted on its own. Hyphens and case do not matter; a * "
                       "at the end of a word matches any ending (digit*); commas join "
                       "alternatives into one line (digital economy, data element*).")
    # (Two controls to a row: three clip their options in a window 1,024 pixels wide.)
    cols = st.columns([5, 7])
    with cols[0]:
        state.control("w_freq", st.segmented_control, "Period", ["month", "quarter", "year"],
                      required=True)
    with cols[1]:
        state.control("w_measure", st.segmented_control, "Measure", list(MEASURES),
                      format_func=ui.SHORT_MEASURES.get, required=True)
    with st.columns([5, 7])[0]:
        state.control("w_smooth", st.slider, "Moving average (periods)", 1, MAX_SMOOTH,
                      help="1 = no smoothing: a trailing average over this many periods "
                           "(periods without articles are left out of it).")
    view = run.view
    if not view.terms:
        ui.sentence("No term chosen yet: " + corpus.describe(view.filter) + ".")
        st.info("Add one or more terms above to see how often they are used over time.",
                icon=":material/show_chart:")
        suggest(corpus)
        return
    frame = corpus.term_trend(view.terms, view.filter, view.freq)
    ui.sentence(", ".join(repr(t) for t in view.terms) + f" per {view.freq} in "
                f"{corpus.describe(view.filter)}, as {ui.MEASURE_PHRASES[view.measure]}"
                + (f", each {view.freq} averaged with the "
                   f"{'one' if view.smooth == 2 else view.smooth - 1} before it that "
                   f"{'has' if view.smooth == 2 else 'have'} articles (a trailing moving "
                   "average: fewer at the start of the date range)." if view.smooth > 1
                   else "."))
    if frame.empty:
        ui.no_articles(corpus, view.filter)
        return
    missing = terms_without_matches(frame)
    if missing:
        st.caption(ui.plain(f"{ui.listing([repr(t) for t in missing])} "
                            f"{'does' if len(missing) == 1 else 'do'} not occur in these "
                            f"articles."))
    forms = corpus.other_forms(view.terms, view.filter)
    if not forms.empty:  # (balance sheet does not count balance sheets)
        shown = [f"{f!r} ({ui.rows(c, 'match')})" for f, c in zip(forms["form"], forms["count"])]
        first = forms.iloc[0]
        st.caption(ui.plain(
            f"Not counted: {ui.listing(shown[:OTHER_FORMS])}"
            + (f" and {len(shown) - OTHER_FORMS} more" if len(shown) > OTHER_FORMS else "")
            + f". A term counts the words as written; to count forms together, join them with a "
            f"comma: {first['term']}, {first['form']}."))
    for group, at_zero in figures.coinciding_lines(frame, view.measure, view.smooth):
        shown = [t for t in group if t not in missing]  # (those are said above)
        if len(shown) > 1:
            st.caption(ui.plain(f"{ui.listing([repr(t) for t in shown])} have the same value "
                                "in most periods"
                                + (" (0: none of them occurs there)" if at_zero else "")
                                + ": their lines lie on top of each other, "
                                f"{shown[-1]!r} (drawn last) over the "
                                f"other{'s' if len(shown) > 2 else ''}; each has its own point "
                                "shape, and the CSV holds every line."))
    span = narrowed_span(frame, view.filter, freq=view.freq)
    if span:
        st.caption(f"The chart runs from {span[0]} to {span[1]}: the periods of the first and "
                   "last articles the filters select, which fall inside the date range asked "
                   "for.")
    partial = corpus.partial_periods(view.filter, view.freq)
    key = state.take_click("trend_chart", list(view.terms), "w_focus")
    st.plotly_chart(figures.trend_figure(frame, view.measure, view.smooth, partial=partial,
                                         chosen=run.view.period),
                    key=key, on_select="rerun", selection_mode="points",
                    config=figures.chart_config(ui.file_name(
                        "term-trends", view.terms, view.filter, extra=(view.freq,), ext="")))
    st.caption("Click a point to list that period's articles and the lines where the term "
               "occurs. The grey strip shows how many articles stand behind each period, and "
               "a point is smaller the fewer they are; the camera icon saves the chart as PNG. "
               "Drag across periods to zoom in, double-click to zoom out: a zoom lasts until "
               "the next click and is not in the link (the sidebar's date range is).")
    if partial:
        st.caption(ui.partial_note(partial, view.measure))
    for note in ui.date_notes(corpus.info(view.filter)["date_precision"],
                              corpus.dated_new_year(view.filter), view.freq):
        st.caption(note)
    periods, empty = count_periods(frame)
    if periods > MAX_PERIODS:  # (empty periods are gaps in a trend, said under the chart)
        ui.many_periods(periods, empty, view.freq)
    ui.thin_note(frame, view.freq, view.measure)
    ui.smoothing_note(frame, view.smooth, view.freq)
    ui.csv_download(frame, "trend", ui.file_name("term-trends", view.terms, view.filter,
                                                 extra=(view.freq,)),
                    key="dl_trend", extra=("articles",))
    behind_point(corpus, periods_with_articles(frame))


def behind_point(corpus: data.Corpus, periods: list[str]) -> None:
    """The articles and keyword-in-context lines of one period and term."""
    st.subheader("Behind a point")
    ui.empty_point_note(state.current().view.freq)
    view = state.point_pickers(periods, "w_focus", "Term", list(state.current().view.terms))
    if not view.period:
        st.info("Click a point on the chart, or choose a period, to read the articles "
                "behind it.")
        return
    flt = view.filter
    inside = in_period(flt, view.period)
    term = view.focus or view.terms[0]
    behind = corpus.articles(inside, sort="hits", mentioning=term)
    ui.sentence(f"{ui.rows(behind.count, 'article')} mentioning {term!r} in {view.period}"
                + (", most matches first." if behind.count > 1 else "."))
    if not behind.count:
        st.info("No article in this period mentions the term.")
        return
    ui.behind_point(behind, corpus.kwic(term, inside, sort="hits", by=view.kwic), view.period,
                    "behind", about=term, flt=view.filter)
    # The articles page with the period and the term as filters and the article with the
    # most matches open; its link carries the way back to this view (the filters as they
    # were), so a shared drill-down link has it too.
    drill = replace(view.with_filter(start=inside.start, end=inside.end, query=term),
                    sort="hits", period="", focus="", focus_theme="",
                    doc=link_id(str(behind.rows["id"].iat[0])),
                    # (a theme left from the Themes page would lead the way back there)
                    back=state.lasting_query(replace(view, focus_theme="")))
    st.page_link("views/articles.py", label="Read these articles", icon=":material/article:",
                 query_params=state.params(drill))
    if flt.query and drill.filter.query != flt.query:
        # (One search box: there the term replaces the sidebar's search, so it lists more.)
        listed = corpus.count(drill.filter)
        st.caption(ui.plain(f"The Articles page searches for {term!r} alone, in place of the "
                            f"sidebar's {flt.query!r}: it lists {ui.rows(listed, 'article')} "
                            f"of {view.period} mentioning {term!r}. Its 'Back to the trend' "
                            "link restores your filters."))


def suggest(corpus: data.Corpus) -> None:
    """The corpus's most frequent phrases, one click from a trend."""
    top = corpus.top_terms(state.current().view.filter, n=SUGGESTED, weight="count",
                           ngram="2", stop=())
    if top.empty:
        return
    st.caption("Frequent phrases in these articles:")
    cols = st.columns(4)
    for i, term in enumerate(top["term"]):
        cols[i % 4].button(term, key=f"suggest_{i}", on_click=_add_term, args=(term,),
                           width="stretch")


def _add_term(term: str) -> None:
    st.session_state["w_terms"] = [*st.session_state.get("w_terms", []), term]


main()
