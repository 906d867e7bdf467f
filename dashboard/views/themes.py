"""Themes: counts, change over time, co-occurrence, and the dictionary behind them."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, figures, state, ui
from policydata.analysis import (
    MEASURES,
    in_period,
    leading_themes,
    periods_with_articles,
    terms_without_matches,
)
from policydata.filters import MAX_SMOOTH, link_id


def main() -> None:
    corpus = data.current()
    run = state.current()
    dictionary = corpus.dictionary
    st.title("Themes")
    view = run.view
    ui.sentence(f"{ui.rows(len(dictionary.names), 'theme')} of {data.dictionary_name()} in "
                f"{corpus.describe(view.filter)}.")
    # The open tab is in the URL (a shared link opens it), and only its content is computed.
    tabs = state.control("w_tab", st.tabs, list(state.THEME_TABS.values()), on_change="rerun")
    for tab, draw in zip(tabs, [counts, over_time, together, edit_dictionary], strict=True):
        if tab.open:
            with tab:
                draw(corpus)


def counts(corpus: data.Corpus) -> None:
    """Matches and articles per theme."""
    flt = state.current().view.filter
    summary = corpus.theme_summary(flt)
    if not corpus.count(flt):
        ui.no_articles(corpus, flt)
        return
    if summary["docs"].sum() == 0:
        st.info("No theme matches in these articles.")
    else:
        st.plotly_chart(figures.theme_share_figure(
            summary, "% of articles with at least one match"), key="themes_share",
            config=figures.chart_config(ui.file_name("themes", [], flt, ext="")))
        ui.rare_themes(summary, "in the Dictionary tab")
        ui.one_entry_themes(summary, corpus.theme_entries(flt),
                            "the Dictionary tab's Matches of each entry")
    ui.table(summary.rename(columns={"count": "matches", "docs": "articles",
                                     "share": "% of articles"}).round(2),
             height=35 * len(summary) + 38)
    ui.csv_download(summary, None, ui.file_name("themes", [], flt), key="dl_theme_summary")


def over_time(corpus: data.Corpus) -> None:
    """Each theme's matches per period, as a trend chart."""
    cols = st.columns([5, 7])
    with cols[0]:
        state.control("w_freq", st.segmented_control, "Period",
                      ["month", "quarter", "year"], required=True)
    with cols[1]:
        state.control("w_measure", st.segmented_control, "Measure", list(MEASURES),
                      format_func=ui.SHORT_MEASURES.get, required=True)
    with st.columns([5, 7])[0]:
        state.control("w_smooth", st.slider, "Moving average (periods)", 1, MAX_SMOOTH)
    view = state.current().view
    trend = corpus.theme_trend(view.filter, view.freq)
    if trend.empty:
        ui.no_articles(corpus, view.filter)
        return
    partial = corpus.partial_periods(view.filter, view.freq)
    key = state.take_click("themes_trend", list(corpus.dictionary.names), "w_focus_theme")
    drawn = trend
    names = list(dict.fromkeys(trend["theme"]))
    if len(names) > figures.TREND_THEMES:  # (past that, the legend outgrows the chart)
        drawn = trend[trend["theme"].isin(leading_themes(trend, figures.TREND_THEMES))]
        st.caption(f"The {figures.TREND_THEMES} themes with the most matches are drawn, of "
                   f"{len(names):,}; the CSV holds them all, and every theme's articles are "
                   "listed below the chart.")
    st.plotly_chart(figures.trend_figure(drawn, view.measure, view.smooth, by="theme",
                                         partial=partial, chosen=state.current().view.period),
                    key=key, on_select="rerun", selection_mode="points",
                    config=figures.chart_config(ui.file_name(
                        "theme-trend", [], view.filter, extra=(view.freq,), ext="")))
    st.caption("Click a point to list that period's articles with the theme and the lines "
               "where its entries occur. A point is smaller the fewer articles stand behind "
               "its period (the grey strip). Click a theme in the legend to hide its line, "
               "double-click it to see that theme alone.")
    if partial:
        st.caption(ui.partial_note(partial, view.measure))
    for note in ui.date_notes(corpus.info(view.filter)["date_precision"],
                              corpus.dated_new_year(view.filter), view.freq):
        st.caption(note)
    ui.thin_note(trend, view.freq, view.measure)
    ui.smoothing_note(trend, view.smooth, view.freq, by="theme")
    ui.csv_download(trend, "themes", ui.file_name("theme-trend", [], view.filter,
                                                  extra=(view.freq,)), key="dl_theme_trend",
                    extra=("words", "articles"))
    behind_point(corpus, periods_with_articles(trend))


def behind_point(corpus: data.Corpus, periods: list[str]) -> None:
    """The articles and keyword-in-context lines of one theme in one period."""
    names = list(corpus.dictionary.names)
    st.subheader("Behind a point")
    ui.empty_point_note(state.current().view.freq)
    view = state.point_pickers(periods, "w_focus_theme", "Theme", names)
    if not view.period:
        st.info("Click a point on the chart, or choose a period, to read the articles "
                "behind it.")
        return
    inside = in_period(view.filter, view.period)
    theme = view.focus_theme or names[0]
    behind = corpus.articles(inside, sort="hits", with_theme=theme)
    ui.sentence(f"{ui.rows(behind.count, 'article')} with the theme {theme!r} in "
                f"{view.period}" + (", most matches first." if behind.count > 1 else "."))
    if not behind.count:
        st.info("No article in this period has the theme.")
        return
    ui.behind_point(behind, corpus.theme_kwic(theme, inside, sort="hits", by=view.kwic),
                    view.period, "theme_behind", about=theme, flt=view.filter)
    # The articles page with the theme and the period as filters, the article with the most
    # matches open and the theme's matches marked in it; its link carries the way back to
    # this view (this tab, this point), so a shared drill-down link has it too.
    drill = replace(view.with_filter(start=inside.start, end=inside.end, themes=(theme,)),
                    sort="hits", period="", focus="", focus_theme=theme, tab="counts",
                    doc=link_id(str(behind.rows["id"].iat[0])),
                    # (naming the theme, which leads the way back here: see state.way_back)
                    back=state.lasting_query(replace(view, focus_theme=theme, focus="")))
    st.page_link("views/articles.py", label="Read these articles", icon=":material/article:",
                 query_params=state.params(drill))
    if view.filter.themes and view.filter.themes != (theme,):
        listed = corpus.count(drill.filter)
        st.caption(ui.plain(f"The Articles page filters by {theme!r} alone, in place of the "
                            f"sidebar's themes: it lists {ui.rows(listed, 'article')} of "
                            f"{view.period}. Its 'Back' link restores your filters."))


def together(corpus: data.Corpus) -> None:
    """How often two themes are found in the same articles."""
    flt = state.current().view.filter
    frame = corpus.theme_cooccurrence(flt)
    if not corpus.count(flt):
        ui.no_articles(corpus, flt)
        return
    if frame["articles"].sum() == 0:
        st.info("No theme matches in these articles.")
        return
    st.caption("Articles that have both themes; the diagonal counts the articles with each "
               "theme. Hover a cell for the share of the row theme's articles that also have "
               "the column's.")
    names = list(dict.fromkeys(frame["theme"]))
    shown = frame
    if len(names) > figures.HEATMAP_THEMES:  # (past that, names and numbers overlap)
        most = leading_themes(frame, figures.HEATMAP_THEMES)
        shown = frame[frame["theme"].isin(most) & frame["other"].isin(most)]
        st.caption(f"The {figures.HEATMAP_THEMES} themes found in the most articles are drawn, of "
                   f"{len(names):,}; the CSV holds every pair.")
    st.plotly_chart(figures.cooccurrence_figure(shown), key="themes_together",
                    config=figures.chart_config(ui.file_name("theme-cooccurrence", [], flt,
                                                             ext="")))
    ui.csv_download(frame, None, ui.file_name("theme-cooccurrence", [], flt),
                    key="dl_together")


def edit_dictionary(corpus: data.Corpus) -> None:
    """Show the active dictionary; let the user upload or edit one for this session."""
    dictionary = corpus.dictionary
    st.caption("Within a theme, the longest entry matching at a place counts once, so "
               "'digital economy' is not also counted as 'economy'. A * ends a prefix.")
    ui.definitions([(name, ", ".join(t.query for t in terms))  # (as written in the file)
                    for name, terms in dictionary.themes])
    st.download_button("Download this dictionary (TOML)", data=dictionary.text,
                       file_name="themes.toml", mime="application/toml", key="dl_dictionary",
                       on_click="ignore", icon=":material/download:")
    entry_matches(corpus)
    uploads = st.session_state.get("_themes_uploads", 0)  # (a new key empties the uploader)
    upload = st.file_uploader("Use a theme file of your own (TOML)", type=["toml"],
                              key=f"themes_upload_{uploads}", max_upload_size=1)
    if upload is not None and st.session_state.get("_themes_upload") != upload.file_id:
        st.session_state["_themes_upload"] = upload.file_id
        _apply(upload.getvalue().decode("utf-8", "replace"), "upload")
    error = st.session_state.get("themes_error")
    if error and st.session_state.get("_themes_error_at") == "upload":
        st.error(ui.plain(error))  # (beside the file it is about)
    if "themes_editor" not in st.session_state:
        # Streamlit forgets a widget's state when a run does not draw it (another tab, another
        # page): the editor shows the dictionary in use again, and a rejected edit's error,
        # whose text is gone with it, goes too.
        st.session_state.pop("themes_error", None)
    if ("themes_editor" not in st.session_state
            or st.session_state.get("_editor_text") != dictionary.text):
        # The editor shows the dictionary in use whenever it changes (an upload, a reset).
        st.session_state["_editor_text"] = dictionary.text
        st.session_state["themes_editor"] = dictionary.text
    with st.form("themes_form"):
        # (no max_chars: the browser then drops a longer paste without a word, and Apply
        # applied the text before it; _apply refuses it, saying why)
        text = st.text_area("Edit the dictionary", height=320, key="themes_editor")
        applied = st.form_submit_button("Apply for this session", type="primary")
    if applied:
        _apply(text, "editor")
    if st.session_state.get("themes_text") and st.button("Back to the default dictionary",
                                                         key="themes_reset"):
        st.session_state.pop("themes_text", None)
        st.session_state.pop("themes_error", None)
        st.session_state["_themes_uploads"] = uploads + 1
        st.rerun()
    error = st.session_state.get("themes_error")
    if error and st.session_state.get("_themes_error_at") != "upload":
        st.error(ui.plain(error))


def entry_matches(corpus: data.Corpus) -> None:
    """Each entry's matches searched on its own in the filtered articles: where a theme's
    count comes from, and which entries match nothing."""
    flt = state.current().view.filter
    entries = corpus.theme_entries(flt)
    st.markdown("**Matches of each entry**")
    st.caption(ui.plain(f"Each entry searched on its own in {corpus.describe(flt)}. A theme "
                        "counts the longest entry at a place once, so where entries overlap "
                        "('economy' in 'digital economy') its count is less than the sum of "
                        "its entries'. Each theme's entries are listed by matches; 'articles "
                        "as its only entry' counts the articles the theme holds through this "
                        "entry alone, or with longer entries holding it ('advanced "
                        "manufacturing' for 'manufacturing')."))
    none = terms_without_matches(entries.rename(columns={"entry": "term"}))
    if none:
        shown = [repr(e) for e in none[:10]] + ([f"{len(none) - 10:,} more"]
                                                 if len(none) > 10 else [])
        st.caption(ui.plain(f"{ui.rows(len(none), 'entry')} "
                            f"{'matches' if len(none) == 1 else 'match'} nothing here: "
                            f"{ui.listing(shown)}. Check the spelling, or whether these "
                            "articles use other words."))
    ui.table(entries.rename(columns={"count": "matches", "docs": "articles",
                                     "only": "articles as its only entry"}),
             height=min(35 * len(entries) + 38, 360))
    ui.csv_download(entries, None, ui.file_name("theme-entries", [], flt),
                    key="dl_theme_entries")


def _apply(text: str, where: str) -> None:
    """Use ``text`` as this session's dictionary, or keep why not, said beside ``where`` it
    came from (the uploader or the editor)."""
    try:
        data.current().index.check_themes(data.dictionary_from_text(text, "your theme file"))
    except ValueError as error:
        st.session_state["themes_error"] = f"Not applied: {error}"
        st.session_state["_themes_error_at"] = where
        return
    st.session_state.pop("themes_error", None)
    st.session_state["themes_text"] = text
    st.rerun()


main()
