"""Small drawing helpers shared by the pages: safe text, the page sentence, downloads."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from policydata.columns import csv_text


def text(value: str, *, tag: str = "p", css: str = "") -> None:
    """Show text exactly as it is: escaped HTML, never read as Markdown, HTML or LaTeX."""
    style = f' style="{css}"' if css else ""
    st.html(f"<{tag} class='pd-text'{style}>{html.escape(value)}</{tag}>")


def sentence(value: str) -> None:
    """The one sentence each page starts with, saying what is shown."""
    text(value, css="font-size:1.05rem;margin:0 0 .5rem 0;color:#31333f")


def marked(value: str, marks: list[tuple[int, int]], *, tag: str = "div") -> None:
    """Text with the given character spans highlighted; everything escaped."""
    pieces = []
    last = 0
    for start, end in sorted(marks):
        if start < last:
            continue
        pieces.append(html.escape(value[last:start]))
        pieces.append(f"<mark>{html.escape(value[start:end])}</mark>")
        last = end
    pieces.append(html.escape(value[last:]))
    body = "".join(pieces).replace("\n\n", "</p><p>").replace("\n", "<br>")
    size = "font-size:1.5rem;font-weight:600;" if tag == "h3" else ""
    st.html(f"<{tag} class='pd-reader' style='line-height:1.6;max-width:52rem;{size}'>"
            f"<p style='margin:0 0 .8rem 0'>{body}</p></{tag}>")


def csv_download(frame: pd.DataFrame, command: str | None, name: str, *, key: str,
                 label: str = "Download CSV") -> None:
    """A CSV download: with ``command``, exactly the command line's columns."""
    data = csv_text(frame, command) if command else frame.to_csv(index=False,
                                                                 lineterminator="\n")
    st.download_button(label, data=data, file_name=name, mime="text/csv", key=key,
                       on_click="ignore", icon=":material/download:")
