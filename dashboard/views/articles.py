"""Articles: the filtered table, a reader with the query highlighted, keyword in context."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

import streamlit as st

from dashboard import data, state, ui
from policydata.analysis import passages
from policydata.corpus import why_not_loaded
from policydata.filters import View, link_id
from policydata.tokens import MAX_QUERY_LENGTH

SORTS = {"-date": "newest first", "date": "oldest first", "hits": "most hits"}
LONG_BODY = 8000  # characters of an article read on the page itself; longer ones scroll
PASSAGE = 1500  # longest paragraph shown whole among the passages with a match


def main() -> None:
    corpus = data.current()
    run = state.current()
    st.title("Articles")
    state.control("w_sort", st.segmented_control, "Order", list(SORTS), format_func=SORTS.get,
                  required=True)
    view = run.view
    listed = corpus.articles(view.filter, sort=view.sort)  # (its first data.LISTED rows)
    order = SORTS[view.sort]
    counted = bool(view.filter.query or view.filter.themes)  # (hits: a search's or a theme's)
    if view.sort == "hits" and not counted:
        order = "newest first (no search or theme to count hits of)"
    ui.sentence(corpus.describe(view.filter) + f", {order}.")
    searched = ", ".join(view.terms)
    if searched and not counted and len(
            searched) <= MAX_QUERY_LENGTH:  # (trend terms are no filter: offer them as one)
        # (Put in the sidebar's search box, as if typed: the view and the address follow it,
        # where a link to this same page left the browser's address as it was.)
        st.button(ui.plain(f"Search for the trend terms: {searched}"), key="search_terms",
                  icon=":material/search:", type="tertiary",
                  on_click=st.session_state.update, kwargs={"w_q": searched})
    if view.back:  # opened from a trend point: the way back, with the filters as they were
        page, label = state.way_back(view.back)
        st.page_link(page, label=label, icon=":material/arrow_back:",
                     query_params=parse_qs(view.back))
        st.caption("The sidebar's filters, on every page, are now this point's; the link "
                   "above restores yours.")
    if not listed.count:
        ui.no_articles(corpus, view.filter)
        return
    ui.cut_note(listed)
    columns = ["date", "hits", "title", "words", "source", "themes"]  # hits in sight
    if not counted:
        columns.remove("hits")  # no search and no theme: nothing to count
    shown = listed.rows
    # The selection is a row number, so each table (its filter and order) is its own widget: a
    # new order or search starts with the open article's row ticked, not with whatever article
    # now stands at the row that was ticked.
    at = [i for i, doc in enumerate(shown["id"].astype(str)) if link_id(doc) == view.doc][:1]
    # (a title 400 pixels wide shows most of a title at 1,280 pixels and leaves the words in
    # sight at 1,024; the source and themes scroll into sight)
    event = ui.table(shown, key=state.keyed("articles_table", view.filter, view.sort),
                     on_select="rerun", selection_mode="single-row",
                     selection_default={"selection": {"rows": at}} if at else None,
                     column_order=columns,
                     column_config={"title": st.column_config.TextColumn(width=400),
                                    "date": st.column_config.TextColumn(width=90),
                                    "words": st.column_config.NumberColumn(
                                        width="small", format="localized"),
                                    "hits": st.column_config.NumberColumn(
                                        width="small", format="localized"),
                                    "themes": st.column_config.TextColumn(width="medium")})
    rows = event.selection.rows if event and event.selection else []
    if rows:
        picked = link_id(str(shown["id"].iat[rows[0]]))  # (how the link names it)
        if picked != st.session_state.get("_article_pick", view.doc):
            st.session_state["_article_pick"] = picked
            state.set_view(replace(view, doc=picked))
            view = run.view
    ui.csv_download(listed.whole, "articles", ui.file_name("articles", [], view.filter),
                    key="dl_articles",
                    label=f"Download {'the' if listed.count == 1 else 'all'} "
                          f"{ui.rows(listed.count)} (CSV)")
    # Without a search, the theme of a theme point's drill-down (``focus_theme``) is what the
    # lines show and the reader marks.
    theme = "" if view.filter.query else view.focus_theme
    if view.filter.query:
        kwic(corpus.kwic(view.filter.query, view.filter, sort=view.sort, by=view.kwic),
             listed.hits, repr(view.filter.query), view)  # (a line for each match)
    elif theme:
        kwic(corpus.theme_kwic(theme, view.filter, sort=view.sort, by=view.kwic),
             listed.hits if view.filter.themes == (theme,) else corpus.articles(
                 view.filter, sort=view.sort, with_theme=theme).hits,
             f"the theme {theme!r}", view)
    read(corpus, view, theme)


def kwic(lines: data.KwicLines, total: int, what: str, view: View) -> None:
    """The keyword-in-context lines of the search or theme (``what``), ``total`` in all."""
    with st.expander(f"Keyword in context for {ui.plain(what)} ({ui.rows(total, 'line')})",
                     icon=":material/format_quote:", expanded=not view.doc):
        if not view.kwic:
            st.caption(f"Article by article in the table's order ({SORTS[view.sort]}), and in "
                       "an article from first to last.")
        ui.kwic_lines(lines, total, ui.file_name("kwic", [], view.filter),
                      key="dl_articles_kwic")


def read(corpus: data.Corpus, view: View, theme: str) -> None:
    """The article reader: title, details, body, with the query's matches marked (without a
    query, the theme's)."""
    st.subheader("Reader")
    doc_id, query = view.doc, view.filter.query
    if not doc_id:
        st.info("Select a row in the table to read the article.", icon=":material/article:")
        return
    doc = corpus.article(doc_id, query, theme)
    if doc is None:
        # (it may be in the load report: a duplicate, a bad date...)
        why = why_not_loaded(corpus.info()["skipped"], doc_id)
        cut = [] if why or "#" in doc_id else corpus.ids_starting_with(doc_id + "#")
        if cut:  # (ids of table rows hold '#': typed as it is, a browser drops the rest)
            why = (f"ids such as {cut[0]!r} start so; a # in a link is written %23 (the "
                   "browser keeps what follows a bare # to itself)")
        st.warning(ui.plain(f"No article with the id {doc_id!r} in this corpus"
                            + (f": {why}." if why else ".")))
        state.set_view(replace(view, doc=""))  # (nor in the link)
        return
    if not corpus.selects(view.filter, doc_id):
        # (Opened before the filters changed, or by a link naming other filters: kept open,
        # and said so, until another is chosen or it is closed.)
        box = st.empty()
        with box.container():
            st.caption("This article is not among the articles the filters select; it stays "
                       "open until you choose another or close it.")
            closed = st.button("Close the article", key="close_article",
                               icon=":material/close:", type="tertiary")
        if closed:
            box.empty()
            state.set_view(replace(view, doc=""))
            st.session_state.pop("_article_pick", None)  # (its row may be picked again)
            st.info("Select a row in the table to read the article.",
                    icon=":material/article:")
            return
    if doc["title"].strip():
        ui.marked(doc["title"], doc["title_marks"], heading=True)
    else:  # (a header or front matter without a title: none is made up from the file name)
        st.caption("This article has no title: its file gives none.")
    details = (f"{doc['date']} · {doc['source']} · {doc['words']:,} words · "
               f"{doc['themes'] or 'no themes'} · {doc['path']}"
               + (f" (id {doc_id})" if doc_id != doc["path"] else ""))
    ui.text(details, css="color:#5b6270;font-size:.9rem")
    if doc["url"]:
        ui.source_link(doc["url"], css="color:#5b6270;font-size:.9rem")
    if query or theme:
        marked = len(doc["title_marks"]) + len(doc["body_marks"])
        st.caption(f"{ui.rows(doc['hits'], 'match')} of "
                   + ("the search" if query else ui.plain(f"the theme {theme!r}"))
                   + ((" is" if marked == 1 else " are") + " marked." if marked == doc["hits"]
                      else f", {marked:,} of them in the text shown, marked."))
    if doc["length"] > len(doc["body"]):
        st.caption(f"The article is {doc['length']:,} characters long; the first "
                   f"{len(doc['body']):,} are shown.")
    if doc["body_marks"]:
        state.control("w_passages", st.toggle, "Only the passages with a match",
                      help="Read the matches without scrolling through the whole article: "
                           "its paragraphs with a match, and of a paragraph longer than "
                           f"{PASSAGE:,} characters only its sentences with one.")
    if doc["body_marks"] and state.current().view.passages:
        found = passages(doc["body"], doc["body_marks"], longest=PASSAGE)
        st.caption(f"{ui.rows(len(found), 'passage')} of the article with a match (a paragraph, "
                   f"or the sentences of a paragraph longer than {PASSAGE:,} characters), "
                   "[...] between them.")
        ui.marked_passages(found)
        return
    if len(doc["body"]) > LONG_BODY:  # a long article scrolls in its own box
        with st.container(height=720):
            ui.marked(doc["body"], doc["body_marks"])
    else:
        ui.marked(doc["body"], doc["body_marks"])


main()
