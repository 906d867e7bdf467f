"""policydata dashboard: the entrypoint (``streamlit run dashboard/app.py``).

It picks the corpus (``$POLICYDATA_CORPUS``, ``policydata serve --corpus``, an upload for this
session, else the bundled seeds), loads its index once per server process, reads the view from
the URL, draws the shared sidebar filters and runs the page. Pages only draw: every number comes
from :mod:`dashboard.data`, which calls the library.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script by Streamlit: make `dashboard` importable
    sys.path.insert(0, str(HERE.parent))

from dashboard import data, sidebar, state, ui  # noqa: E402

# (A local icon: a Material icon would be fetched from a font server, which offline fails.)
st.set_page_config(page_title="policydata", page_icon=str(HERE / "icon.png"), layout="wide")

PAGES = [
    st.Page(HERE / "views" / "overview.py", title="Overview", icon=":material/dashboard:",
            url_path=state.DEFAULT_PAGE, default=True),
    st.Page(HERE / "views" / "trends.py", title="Term trends", icon=":material/show_chart:",
            url_path="trends"),
    st.Page(HERE / "views" / "themes.py", title="Themes", icon=":material/category:",
            url_path="themes"),
    st.Page(HERE / "views" / "words.py", title="Word clouds", icon=":material/cloud:",
            url_path="words"),
    st.Page(HERE / "views" / "articles.py", title="Articles", icon=":material/article:",
            url_path="articles"),
]
page = st.navigation(PAGES, position="hidden")

sidebar.keep_upload_alive()
linked = data.adopt_linked_dictionary()  # (before the themes a link names are checked)
source = data.corpus_source()
ui.renewed(data.renewed(source), looked="_rescan" in st.session_state)
corpus = data.begin(source)
linked = data.dictionary_notes(linked)
state.begin(themes=list(corpus.dictionary.names), sources=corpus.index.source_names,
            bounds=data.date_bounds(corpus), page=page.url_path,
            marks=data.link_marks(corpus), notes=linked, check=data.search_check(corpus.index))
sidebar.draw(corpus, PAGES)
hint = st.container()  # (the top of the page: where the link's notes are, once all are known)
page.run()
query = state.finish()
with hint:
    ui.notes_hint(len(state.faults()), typed=state.typed_notes_only())
sidebar.share(query)
