"""Overview: the corpus at a glance and its health."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, figures, state, ui
from policydata.analysis import count_periods, sources_ranked

SHORT_SHOWN = 200  # very short articles listed (the CSV has them all)

#: The load report's columns: the path narrow, the reason with the rest of the width.
REPORT = {"path": st.column_config.TextColumn(width=240),
          "reason": st.column_config.TextColumn(width=620)}


def main() -> None:
    corpus = data.current()
    view = state.current().view
    whole = corpus.info()
    info = corpus.info(view.filter)  # (the load report is the whole corpus's in both)

    st.title("Overview")
    ui.sentence(corpus.describe(view.filter) + f", out of {whole['documents']:,} in the corpus "
                f"({whole['first_date'] or 'no dates'} to {whole['last_date'] or 'no dates'}).")

    filtered = not view.filter.is_empty
    cols = st.columns([1, 1.5, 0.8, 0.9])  # (room for a word count of 9 digits at 1,024 px)
    for col, label, value, total in [
            (cols[0], "Articles", info["documents"], whole["documents"]),
            (cols[1], "Words", info["words"], whole["words"]),
            (cols[2], "Sources", len(info["sources"]), len(whole["sources"]))]:
        col.metric(label, f"{value:,}",
                   help=f"{total:,} in the whole corpus." if filtered else None)
    cols[3].metric("Not loaded", f"{len(info['skipped']):,}",
                   help="Files or rows of the corpus that were not loaded; see the load "
                        "report below.")
    if filtered:
        st.caption(f"Articles, words, sources and dates below are those of the "
                   f"{info['documents']:,} articles the filters select; the load report is the "
                   f"whole corpus's.")

    st.subheader("Articles and words per period")
    state.control("w_freq", st.segmented_control, "Period", ["month", "quarter", "year"],
                  required=True)
    freq = state.current().view.freq
    trend = corpus.corpus_trend(view.filter, freq)
    if trend.empty:
        ui.no_articles(corpus, view.filter)
    else:
        # (A first or last period the dates cover only in part looks thin for that reason.)
        partial = corpus.partial_periods(view.filter, freq)
        st.plotly_chart(figures.corpus_figure(trend, partial), key="overview_chart",
                        config=figures.chart_config(ui.file_name(
                            "articles-per-period", [], view.filter, extra=(freq,), ext="")))
        if partial:
            st.caption(ui.partial_note(partial, "per_10k"))
        ui.many_periods(*count_periods(trend), freq)
        ui.csv_download(trend, None, ui.file_name("articles-per-period", [], view.filter,
                                                  extra=(freq,)), key="dl_overview")

    left, right = st.columns(2)
    with left:
        st.subheader("Date precision")
        precision = pd.DataFrame({"precision": list(info["date_precision"]),
                                  "articles": list(info["date_precision"].values())})
        if precision.empty:
            st.info("No articles match the filters.")
        else:
            ui.table(precision)
        if set(info["date_precision"]) - {"day"}:
            st.caption("Articles dated only to a month or a year are placed on its first day: "
                       "in finer periods they all fall in that first period.")
        new_year = corpus.dated_new_year(view.filter)
        if new_year:
            st.caption(f"All {new_year:,} articles dated to the day are dated 1 January: "
                       "their dates may stand for years only; count them by year.")
        st.subheader("Sources")
        sources = sources_ranked(info["sources"])
        if sources.empty:
            st.info("No articles match the filters.")
        else:
            ui.table(sources, height=min(35 * len(sources) + 38, 320))
    with right:
        st.subheader("Themes at a glance")
        st.caption(f"Share of articles with each theme of {data.dictionary_name()}; the "
                   "Themes page shows its entries and takes a dictionary of your own.")
        summary = corpus.theme_summary(view.filter)
        if summary["docs"].sum() == 0:
            st.info("No theme matches in these articles.")
        else:
            st.plotly_chart(figures.theme_share_figure(summary, "% of articles"),
                            key="overview_themes", config=figures.chart_config(
                                ui.file_name("themes", [], view.filter, ext="")))
            ui.rare_themes(summary, "on the Themes page (Dictionary)")
            ui.one_entry_themes(summary, corpus.theme_entries(view.filter),
                                "the Themes page's Dictionary tab shows each entry's matches")
            ui.csv_download(summary, None, ui.file_name("themes", [], view.filter),
                            key="dl_overview_themes")

    st.subheader("Newest articles")
    newest = corpus.articles(view.filter, sort="-date", limit=10).rows
    if newest.empty:
        st.info("No articles match the filters.")
    else:
        ui.table(newest[["date", "title", "source", "words", "themes"]],
                 column_config={"title": st.column_config.TextColumn(width="large"),
                                "themes": st.column_config.TextColumn(width="medium")})
        st.page_link("views/articles.py", label="All articles", icon=":material/article:",
                     query_params=state.params())

    st.subheader("Load report")
    if not corpus.source.uploaded:
        freshness(corpus.source)
    skipped = pd.DataFrame(info["skipped"], columns=["path", "reason"])
    warnings = pd.DataFrame(info["warnings"], columns=["path", "reason"])
    if not whole["documents"]:  # (the whole corpus's: a filter that selects none is not this)
        st.warning("No article was loaded: the corpus holds no file of a supported type "
                   "with a dated article (see the formats in the README).")
    elif skipped.empty and warnings.empty:
        st.success("Every file was loaded; no duplicates.", icon=":material/check_circle:")
    if not skipped.empty:
        st.markdown(f"**Not loaded ({len(skipped):,})**: each with the reason "
                    "(double-click a cell to read it whole).")
        ui.table(skipped, height=min(35 * len(skipped) + 38, 400), column_config=REPORT)
        ui.csv_download(skipped, None, "not-loaded.csv", key="dl_skipped")
    if not warnings.empty:
        st.markdown(f"**Loaded with a caveat ({len(warnings):,})** (double-click a cell to "
                    "read it whole)")
        ui.table(warnings, height=min(35 * len(warnings) + 38, 400), column_config=REPORT)
        ui.csv_download(warnings, None, "loaded-with-a-caveat.csv", key="dl_caveats")
    short = corpus.short_articles()
    if not short.rows.empty:
        st.markdown(f"**Very short articles ({len(short.rows):,})**: under a tenth of the "
                    f"median article's {short.median:,.0f} words. They are loaded and counted "
                    "like the others; a scraper may have saved an error page or a stub in "
                    "their place.")
        # (the words beside the date, in sight; the id, for opening it, last)
        ui.table(short.rows[["date", "words", "title", "source", "id"]].head(SHORT_SHOWN),
                 height=min(35 * min(len(short.rows), SHORT_SHOWN) + 38, 400),
                 column_config={"title": st.column_config.TextColumn(width="large")})
        ui.csv_download(short.rows, None, "short-articles.csv", key="dl_short")


def freshness(source: data.CorpusSource) -> None:
    """When the server read the corpus, and a button that looks for files added since."""
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.caption(f"The server read this corpus at {data.read_at(source):%Y-%m-%d %H:%M} UTC. "
                 "Files added, changed or removed since are left out until it looks again "
                 "(for every visitor at once; only the new and changed files are read).")
    if button.button("Look for new files", key="rescan", icon=":material/refresh:"):
        st.session_state["_rescan"] = data.look_for_new_files(source)
        st.rerun()  # (every page and the sidebar drawn again from the new index)
    result = st.session_state.pop("_rescan", None)
    if result is not None:
        ui.rescan_result(result, data.RESCAN_SECONDS)


main()
