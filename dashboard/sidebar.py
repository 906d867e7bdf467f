"""The sidebar shared by every page: navigation, filters, the corpus, the link to this view."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import data, state, ui
from policydata import analysis as an
from policydata.themes import LINK_PREFIX
from policydata.uploads import (
    UPLOAD_LIMITS,
    UPLOAD_MAX_IDLE_SECONDS,
    UploadError,
    check_upload_room,
    new_upload_folder,
    save_upload,
    sweep_uploads,
    touch_upload,
)

NOTES_SHOWN = 5  # notes on a link shown one by one; the rest share one box
#: A link longer than this many characters is shown in a box LINK_BOX pixels high, scrolled.
LONG_LINK = 400
LINK_BOX = 160


def draw(corpus: data.Corpus, pages: list[Any]) -> None:
    """Navigation links carrying the view, the shared filters, and the corpus chooser."""
    index = corpus.index
    with st.sidebar:
        st.markdown("### policydata")
        # Filled once the page has run: the links carry the view as the page left it (an
        # article opened, a point clicked), not as it was when the run began.
        st.session_state["_nav_box"] = (st.container(), pages)
        st.divider()
        view = state.current().view
        head, clear = st.columns([3, 2], vertical_alignment="center")
        head.markdown("**Filters** apply on every page")
        if view.back and state.current().page != "articles":  # (there, above the table)
            # "Read these articles" set the filters of a trend's point on every page: the
            # way back to the filters as they were, wherever the user went next.
            page, label = state.way_back(view.back)
            st.page_link(page, label=label.partition(",")[0],  # (the sidebar is narrow)
                         icon=":material/arrow_back:", query_params=parse_qs(view.back))
            st.caption("The filters below are a trend point's, set by 'Read these "
                       "articles'; the link above restores yours.")
        if state.narrows(view.filter, state.current().bounds) and clear.button(
                "Clear", key="clear_filters", icon=":material/filter_alt_off:", type="tertiary",
                help="Remove every filter: the whole corpus (the page's own choices stay)."):
            state.set_view(view.with_filter(start=None, end=None, themes=(), query="",
                                            sources=()))
        state.control("w_dates", st.date_input, "Date range", format="YYYY-MM-DD",
                      **state.date_limits(view.filter.start, view.filter.end),
                      help="Inclusive. Choose the corpus's first and last date, or Clear, for "
                           "all of it.")
        start = state.current().view.filter.start
        cut = corpus.cut_by_start(state.current().view.filter)
        if cut and start:
            st.caption(f"{ui.rows(cut, 'article')} dated only {an.dates_cut_by(start)} "
                       f"{'is' if cut == 1 else 'are'} left out: a date without a day stands "
                       f"on the first of its month or year, before {start:%Y-%m-%d}.")
        state.control("w_theme", st.multiselect, "Themes", list(corpus.dictionary.names),
                      format_func=ui.chip,
                      placeholder="Any theme",
                      help="Articles with at least one match of any chosen theme.")
        state.control("w_q", st.text_input, "Search", max_chars=200,
                      placeholder="e.g. digital economy, data element*",
                      help="A word or phrase; * ends a prefix; commas separate alternatives "
                           "(not in a number such as 10,000). Hyphens and case do not matter. "
                           "At most 200 characters: a longer paste is not taken.")
        state.control("w_source", st.multiselect, "Sources", index.source_names,
                      format_func=ui.chip,
                      placeholder="Any source")
        st.session_state["_notes_box"] = st.container()
        st.divider()
        _corpus_box(corpus)
        st.session_state["_share_box"] = st.container()


def share(query: str) -> None:
    """Show the page links, notes and the link that reproduce the view (called after the
    page has run)."""
    nav = st.session_state.pop("_nav_box", None)
    if nav is not None:
        box, pages = nav
        with box:
            for page in pages:
                st.page_link(Addressed(page, state.page_address(page.url_path)),
                             query_params=state.params(), width="stretch")
    notes_box = st.session_state.pop("_notes_box", None)
    if notes_box is not None:
        with notes_box:
            notes = state.notes()
            for note in notes[:NOTES_SHOWN]:
                said = ui.plain(note[:1].upper() + note[1:])
                if note == state.LINKED_IN_USE:  # (what the link brought, not a fault in it)
                    st.info(said, icon=":material/category:")
                else:
                    st.warning(said, icon=":material/link_off:")
            rest = notes[NOTES_SHOWN:]
            if rest:  # (a link with 200 bad parameters gets 6 boxes, not 200)
                listed = "; ".join(rest)
                st.warning(ui.plain(f"{len(rest):,} more: " + (
                    listed if len(listed) <= 600 else listed[:600] + "...")),
                    icon=":material/link_off:")
    box = st.session_state.pop("_share_box", None)
    if box is None:
        return
    with box:
        st.markdown("**Link to this view**")
        link = state.link(query)
        # (A link carrying an edited dictionary runs to thousands of characters: it scrolls in
        # a box of a few lines rather than filling the sidebar; the copy button copies it all.)
        st.code(link, language=None, wrap_lines=True,
                height=LINK_BOX if len(link) > LONG_LINK else "content")
        for note in link_caveats(state.current().marks):
            st.caption(note)


class Addressed(st.Page):
    """A page of ``st.navigation`` whose links point at ``address``.

    ``st.page_link`` writes a page's url path as its link's address, relative to the page on
    show; the default page's is "", so its link (``?term=...``) led to the page on show, not
    to the Overview, when opened in a new tab or copied. This copy of the registered page
    (the same script, title, icon and script hash, which ``st.page_link`` checks against
    ``st.navigation``'s: a click still changes pages within the session) gives its link the
    address :func:`state.page_address` makes, absolute from the app's root.
    """

    def __init__(self, page: st.Page, address: str) -> None:
        self.__dict__.update(vars(page))  # (not st.Page.__init__: this is no new page)
        self._address = address

    @property
    def url_path(self) -> str:
        return self._address


def _corpus_box(corpus: data.Corpus) -> None:
    source = corpus.source
    with st.expander(f"Corpus: {ui.plain(source.label)}", icon=":material/folder_open:"):
        info = corpus.info()
        st.caption(f"{ui.rows(info['documents'], 'article')}, {ui.rows(info['words'], 'word')}; "
                   f"{len(info['skipped']):,} not loaded (files, rows or zip entries; see the "
                   "Overview's load report).")
        if source.uploaded:
            if st.button("Back to the shared corpus", key="upload_reset"):
                _drop_upload()
                st.rerun()
            st.caption("Your corpus is made of the files listed below: add or remove (×) files "
                       "and load them again to change it.")
        limits = UPLOAD_LIMITS
        files = st.file_uploader(
            "Use your own corpus for this session",
            type=["zip", "csv", "tsv", "json", "jsonl", "ndjson", "parquet", "txt", "text", "md",
                  "markdown"],
            accept_multiple_files=True, key="upload_files",
            max_upload_size=limits.upload_mb,
            help=f"A zip of text/Markdown files, or CSV, TSV, JSON, JSON Lines or Parquet "
                 f"files with date, title and text columns. Up to {limits.upload_mb} MB in all, "
                 f"{limits.files:,} files.")
        if files and st.button("Load these files", key="upload_go", type="primary"):
            _use_upload([(f.name, f.getvalue()) for f in files])


def keep_upload_alive() -> None:
    """Mark this session's upload as in use (uploads unused for two hours are removed); say so
    and go back to the shared corpus when it is gone."""
    if (not st.session_state.get("_swept")  # abandoned uploads go, on a session's first
            or time.monotonic() - _last_sweep[0] > SWEEP_EVERY_SECONDS):  # run and now and then
        st.session_state["_swept"] = True
        _sweep()
    folder = st.session_state.get("upload_folder")
    if folder and not touch_upload(Path(folder)):
        _drop_upload()
        st.session_state["upload_expired"] = True
    if st.session_state.pop("upload_expired", False):
        st.toast(f"Your uploaded corpus was removed after {UPLOAD_MAX_IDLE_SECONDS // 3600} "
                 "hours unused; this is the shared corpus.", icon=":material/timer_off:")


def _use_upload(files: list[tuple[str, bytes]]) -> None:
    _sweep()  # (abandoned sessions' uploads)
    try:
        check_upload_room()
        folder = new_upload_folder(owner=_owner())
    except UploadError as error:
        st.error(f"Upload refused: {ui.plain(error)}")
        return
    try:
        problems = save_upload(files, folder / "corpus")
    except UploadError as error:
        shutil.rmtree(folder, ignore_errors=True)
        st.error(f"Upload refused: {ui.plain(error)}")
        return
    _drop_upload()  # (the session's previous upload, replaced once the new one is saved)
    st.session_state["upload_source"] = data.upload_source(folder, problems)
    st.session_state["upload_folder"] = str(folder)
    st.rerun()


#: How often the server looks for uploads no session can reach any more (at most; on a run).
SWEEP_EVERY_SECONDS = 60
_last_sweep = [-float("inf")]  # (when it last did, process-wide)


def _sweep() -> None:
    """Remove uploads unused for two hours or whose session has ended, and their indexes
    from memory."""
    _last_sweep[0] = time.monotonic()
    for folder in sweep_uploads(ended=_sessions_ended()):
        data.forget_upload(folder)


#: This server process, in the owner of its uploads: several servers may share a temporary
#: folder, and each knows only its own sessions.
_PROCESS = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _owner() -> str | None:
    """Who an upload made now belongs to: this process's session running now."""
    context = get_script_run_ctx()
    return f"{_PROCESS}/{context.session_id}" if context is not None else None


def _sessions_ended() -> Callable[[str], bool] | None:
    """What tells whether the session an upload belongs to has ended: its browser tab was
    closed or reloaded (a reload starts a new session) and the time it could reconnect in
    (``server.disconnectedSessionTTL``, 2 minutes by default) has passed. Only this process's
    sessions are judged: another server's uploads go after two hours unused.

    Streamlit's runtime has no public call for this: its session manager is asked. None
    (uploads are then removed after two hours unused, as before) when it cannot be asked or
    does not know this very session (another Streamlit version, or no server, as under
    AppTest).
    """
    if not st.runtime.exists():
        return None
    manager = getattr(st.runtime.get_instance(), "_session_mgr", None)
    session_info = getattr(manager, "get_session_info", None)
    this = get_script_run_ctx()
    if not callable(session_info) or this is None or session_info(this.session_id) is None:
        return None

    def ended(owner: str) -> bool:
        process, _, session = owner.partition("/")
        return process == _PROCESS and session_info(session) is None

    return ended


def _drop_upload() -> None:
    folder = st.session_state.pop("upload_folder", None)
    st.session_state.pop("upload_source", None)
    if folder:
        data.forget_upload(folder)
        shutil.rmtree(folder, ignore_errors=True)


def link_caveats(marks: dict[str, str]) -> list[str]:
    """What the share link cannot take to others: an uploaded corpus, a theme dictionary too
    long to carry (``marks``: :func:`dashboard.data.link_marks`).

    >>> link_caveats({"dict": "z.eNqLLkktLlGyUlBKL0rMS1Eoyk"})
    ['The link carries your own theme dictionary: whoever opens it counts with it.']
    >>> for note in link_caveats({"corpus": "0a1b2c3d4e5f", "dict": "14b0f455e465"}):
    ...     print(note[:60])
    This view uses your uploaded corpus, which only you can see:
    Your theme dictionary is too long to travel in a link: other
    """
    notes = []
    if "corpus" in marks:
        notes.append("This view uses your uploaded corpus, which only you can see: for anyone "
                     "else the link opens the shared corpus, with a note that says so.")
    made_with = marks.get("dict", "")
    if made_with.startswith(LINK_PREFIX):
        notes.append("The link carries your own theme dictionary: whoever opens it counts "
                     "with it.")
    elif made_with:
        notes.append("Your theme dictionary is too long to travel in a link: others get the "
                     "default dictionary, with a note that says so; send them the file "
                     "(download it on the Themes page).")
    return notes
