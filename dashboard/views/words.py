"""Word clouds: the top terms of the filtered articles, by count, tf-idf or keyness."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import data, figures, state, ui
from policydata.analysis import (
    KEYNESS_COLUMNS,
    KEYNESS_P001,
    TFIDF_COLUMNS,
    in_nearly_every_article,
    key_terms,
    ranked_terms,
)
from policydata.filters import Filter

WEIGHTS = {"count": "count", "tfidf": "tf-idf", "keyness": "keyness"}
AXIS = {"count": "matches", "tfidf": "tf-idf",  # (the weight control explains it)
        "keyness": "keyness (G²)"}
NGRAMS = {"1": "1", "2": "2", "3": "3", "1-3": "1–3"}
COMPARE = {"": "no", "dates": "two periods", "theme": "two themes"}
#: What a cloud of each term length shows, to start the page's sentence.
TERM_KINDS = {"1": "Single words", "2": "Two-word phrases", "3": "Three-word phrases",
              "1-3": "Words and phrases of up to three words"}
CLOUD_TERMS = 120
BAR_TERMS = 25


def main() -> None:
    corpus = data.current()
    run = state.current()
    st.title("Word clouds")
    cols = st.columns(2)  # (two controls to a row: three clip in a narrow window)
    with cols[0]:
        state.control("w_weight", st.segmented_control, "Weight", list(WEIGHTS),
                      format_func=WEIGHTS.get, required=True,
                      help="count: matches. tf-idf: count x inverse document frequency. "
                           "keyness: log-likelihood against the rest of the corpus (or the "
                           "other cloud when comparing).")
    with cols[1]:
        state.control("w_ngram", st.segmented_control, "Words per term", list(NGRAMS),
                      format_func=NGRAMS.get, required=True)
    cols = st.columns(2)
    with cols[0]:
        state.control("w_compare", st.segmented_control, "Compare", list(COMPARE),
                      format_func=COMPARE.get, required=True)
    view = run.view
    second = None
    if view.compare == "dates":
        with cols[1]:
            state.control("w_dates2", st.date_input, "Second period (B; A is the sidebar's "
                          "date range)", format="YYYY-MM-DD",
                          **state.date_limits(view.start2, view.end2))
        view = run.view
        if view.start2 and view.end2:
            second = replace(view.filter, start=view.start2, end=view.end2)
    elif view.compare == "theme":
        names = list(corpus.dictionary.names)
        state.valid_choice("w_theme2", [None, *names])
        with cols[1]:
            state.control("w_theme2", st.selectbox, "Second theme (B)", [None, *names],
                          format_func=lambda t: ui.chip(t) if t else "choose a theme",
                          placeholder="choose a theme",
                          help="Cloud A shows the articles the sidebar filters select (choose "
                               "a theme there); cloud B the same articles with this theme "
                               "instead.")
        view = run.view
        if view.theme2:
            second = replace(view.filter, themes=(view.theme2,))
            if not view.filter.themes:
                st.caption("No theme is chosen in the sidebar, so cloud A holds every article "
                           "the filters select, B's among them: choose a theme there to "
                           "compare two themes.")
    own = len(run.view.stop)  # (open when the link holds stopwords: say what is left out)
    with st.expander(f"Stopwords ({own} of your own)" if own else "Stopwords",
                     icon=":material/block:", expanded=bool(own)):
        st.caption("Left out of clouds and lists only, never out of counts. Phrases are formed "
                   "first, then those starting or ending with a stopword are dropped, so "
                   "'belt and road' stays. The default English list applies too: a word "
                   "written with a minus keeps one of its words (-us keeps US, which the "
                   "counting rules read as the pronoun 'us').")
        state.control("w_stop", st.text_area, "Extra stopwords, one per line (-word to keep "
                      "one of the default list)", height=110)
    view = run.view
    first = view.filter
    if view.compare and second is None:
        st.info("Choose the second " + ("period" if view.compare == "dates" else "theme") +
                " to compare with. Until then the cloud below is of the articles the sidebar "
                "selects" + (", by keyness against the rest of the corpus."
                             if view.weight == "keyness" else "."))
    if second is not None and (view.compare == "dates" or view.filter.themes):
        shared(corpus.overlap(first, second))  # (without a theme A holds B: said above)
    panels = [("", first)] if second is None else [("A", first), ("B", second)]
    references = [other[1] if second is not None and view.weight == "keyness" else None
                  for other in reversed(panels)]
    tops = [ranked(corpus, flt, reference, other=other)
            for (_, flt), reference, (other, _) in zip(panels, references, reversed(panels))]
    scale = figures.bar_scale(tops, BAR_TERMS)  # (two clouds' bars compare)
    columns = st.columns(len(panels))
    for (label, flt), column, reference, top in zip(panels, columns, references, tops):
        with column:
            cloud(corpus, label, flt, reference, top, scale)


def shared(counts: tuple[int, int, int]) -> None:
    """Say which articles the two clouds share (``counts``: A only, both, B only): their
    words weigh on both sides of a comparison."""
    only_a, both, only_b = counts
    if not both:
        return
    if not only_a and not only_b:
        st.warning("A and B hold the same articles: there is nothing to compare. Choose "
                   "another second " + ("period." if state.current().view.compare == "dates"
                                        else "theme."), icon=":material/compare:")
    elif not only_a or not only_b:
        inner, outer = ("A", "B") if not only_a else ("B", "A")
        st.caption(f"Every article of {inner} is also in {outer} ({ui.rows(both, 'article')}): "
                   f"{inner} is compared with a whole it is part of.")
    else:
        st.caption(f"{ui.rows(both, 'article')} {'is' if both == 1 else 'are'} in both A and "
                   f"B ({only_a:,} in A only, {only_b:,} in B only): their words count on "
                   "both sides, so the comparison rests on the others.")


def ranked(corpus: data.Corpus, flt: Filter, reference: Filter | None, *,
           other: str = "") -> pd.DataFrame | str:
    """The cloud's top terms, or why there are none (``other``: the label of the cloud a
    keyness ``reference`` is, A or B)."""
    view = state.current().view
    if corpus.count(flt) == 0:
        return "No articles match: nothing to draw."
    if reference is not None and corpus.count(reference) == 0:
        return (f"Cloud {other} has no articles, so keyness has nothing to compare these "
                f"with: choose another second {'period' if view.compare == 'dates' else 'theme'}"
                ", or count or tf-idf.")
    try:
        return corpus.top_terms(flt, n=CLOUD_TERMS, weight=view.weight, ngram=view.ngram,
                                stop=view.stop, reference=reference)
    except ValueError as error:
        return ui.as_sentence(str(error))


def cloud(corpus: data.Corpus, label: str, flt: Filter, reference: Filter | None,
          top: pd.DataFrame | str, scale: float) -> None:
    view = state.current().view
    rest = (corpus.count(Filter()) - corpus.count(flt)
            if view.weight == "keyness" and reference is None else 0)
    ui.sentence((f"{label}: " if label else "") + f"{TERM_KINDS[view.ngram]} by "
                f"{WEIGHTS[view.weight]} in " + corpus.describe(flt) +
                (" compared with the other cloud." if reference is not None else
                 f", against the other {ui.rows(rest, 'article')} of the corpus: the terms "
                 "used more here than there." if view.weight == "keyness" and rest else "."))
    if isinstance(top, str):
        if not corpus.count(flt) and label == "B" and corpus.count(view.filter):
            # (the sidebar's filters select articles: what selects none is B's own choice)
            second = "period" if view.compare == "dates" else "theme"
            st.info(f"No article is in B: its {second} selects none of the articles the "
                    f"sidebar's other filters select. Choose another second {second} above.",
                    icon=":material/compare:")
        elif not corpus.count(flt):  # (why, and what to widen, as on every page)
            ui.no_articles(corpus, flt)
        else:
            st.info(ui.plain(top))
        return
    keyness = view.weight == "keyness"
    # Keyness draws only the terms significantly more frequent here (p < 0.001); the bars
    # show the next ones too, paler.
    drawn = key_terms(top, weight=view.weight)
    png = data.cloud_png(tuple(drawn["term"].tolist()), tuple(drawn["score"].tolist()),
                         narrow=bool(label))  # (A or B: one of two side by side)
    if png is None:
        st.info("No term is significantly more frequent here than in the comparison "
                f"(keyness G² of {KEYNESS_P001}, p < 0.001)." if keyness else
                "No terms to draw with this weighting.")
    else:
        st.image(png, width="stretch")
    # (Named for what they show: two downloads of A and B, or of two visits, stay apart.)
    shown = ui.cloud_file_part(label, view.weight, view.ngram, flt, reference, view.stop)
    bars = ranked_terms(top, weight=view.weight, n=BAR_TERMS)
    if bars.empty:
        return
    hover = [f"{t}: score {s:,.2f}, {c:,} matches in {d:,} articles"
             for t, s, c, d in zip(bars["term"], bars["score"], bars["count"], bars["docs"])]
    if keyness:  # (what the score compares with)
        hover = [f"{h}; {r:,} in the comparison" for h, r in zip(hover, bars["reference_count"])]
    st.plotly_chart(figures.bar_figure(
        bars["term"].tolist(), bars["score"].round(2).tolist(), hover=hover,
        title=AXIS[view.weight], top=scale, decimals=0 if view.weight == "count" else 2,
        pale=(~bars["key"]).tolist() if keyness else None),
        key=f"bars_{label or 'main'}",
        config=figures.chart_config(f"top-terms-{shown}"))
    if view.weight == "tfidf" and in_nearly_every_article(top) >= 0.5:
        articles = int(top["corpus_articles"].iat[0])
        st.caption(f"Most of these terms are in at least 90% of the corpus's {articles:,} "
                   "articles, and tf-idf weighs a count by how few articles of the corpus hold "
                   "the term: here it ranks about as the count does. Keyness, against the rest "
                   "of the corpus or another period, shows what sets articles apart.")
    if keyness and len(bars) > len(drawn):
        st.caption(f"{ui.rows(len(drawn), 'term')} key at p < 0.001 (G² ≥ {KEYNESS_P001}) "
                   "in the cloud; paler bars are not significant.")
    cols = st.columns(2)
    if png is not None:
        cols[0].download_button("PNG", data=png, file_name=f"cloud-{shown}.png",
                                mime="image/png", key=f"dl_png_{label or 'main'}",
                                on_click="ignore", icon=":material/image:")
    with cols[1]:
        # (what the score weighs by: keyness's counts there and both word totals, tf-idf's
        # df and N)
        ui.csv_download(top, "top", f"top-terms-{shown}.csv", key=f"dl_top_{label or 'main'}",
                        label="CSV", extra={"keyness": KEYNESS_COLUMNS,
                                            "tfidf": TFIDF_COLUMNS}.get(view.weight, ()))


main()
