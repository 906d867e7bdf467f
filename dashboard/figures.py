"""Figure builders: plotly charts and word clouds drawn from the library's frames.

Every string that came from the corpus or the user is escaped before it reaches plotly (whose
labels accept a little HTML), and word clouds are drawn with a fixed random state, so the same
data always gives the same picture.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from policydata.analysis import MEASURES, measure_values
from policydata.columns import printable

PALETTE = ["#1f5a96", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8d6a9f",
           "#c05621", "#3d405b", "#81b29a", "#e07a5f", "#5f0f40"]
CJK_FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
]
CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def chart_config(filename: str) -> dict[str, object]:
    """Plotly config: the camera button downloads the chart as a PNG named ``filename``."""
    return {**CONFIG, "toImageButtonOptions": {"format": "png", "scale": 2,
                                               "filename": filename}}


def esc(text: object) -> str:
    """Escape text for plotly labels and hovers (which read a little HTML), with control,
    invisible and direction-changing characters shown as codes."""
    return html.escape(printable(text), quote=False)


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
                      hoverlabel={"align": "left", "bgcolor": "white",
                                  "font": {"color": "#1b1f24", "size": 13}},
                      font={"size": 13})
    return fig


def trend_figure(frame: pd.DataFrame, measure: str, window: int) -> go.Figure:
    """Lines of each term per period, over a strip of the articles behind every point.

    Each point carries its period and term (``customdata``) so a click can drill down.
    """
    values = measure_values(frame, measure, window=window)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22],
                        vertical_spacing=0.09)
    for i, (term, part) in enumerate(frame.groupby("term", sort=False)):
        y = values.loc[part.index]
        custom = np.column_stack([part["period"], [esc(term)] * len(part), part["count"],
                                  part["docs"], part["articles"], part["words"]])
        fig.add_trace(go.Scatter(
            x=part["period"], y=y, name=esc(term), mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "width": 2},
            marker={"size": 6}, customdata=custom, connectgaps=False,
            selected={"marker": {"size": 13}}, unselected={"marker": {"opacity": 0.45}},
            hovertemplate=("<b>%{customdata[1]}</b> · %{customdata[0]}<br>"
                           f"{MEASURES[measure]}: %{{y:,.2f}}<br>"
                           "matches: %{customdata[2]:,}<br>"
                           "articles with it: %{customdata[3]:,} of %{customdata[4]:,}<br>"
                           "words in period: %{customdata[5]:,}<extra></extra>"),
        ), row=1, col=1)
    periods = frame.drop_duplicates("period")
    fig.add_trace(go.Bar(
        x=periods["period"], y=periods["articles"], name="articles", showlegend=False,
        marker={"color": "#9aa5b1"}, customdata=periods[["words"]],
        hovertemplate="%{x}: %{y:,} articles, %{customdata[0]:,} words<extra></extra>",
    ), row=2, col=1)
    title = MEASURES[measure] + (f", {window}-period moving average" if window > 1 else "")
    fig.update_yaxes(title_text=title, row=1, col=1, rangemode="tozero")
    fig.update_yaxes(title_text="articles", row=2, col=1, rangemode="tozero",
                     **_whole_ticks(periods["articles"]))
    fig.update_xaxes(type="category", row=2, col=1, tickangle=-45, nticks=24)
    fig.update_xaxes(type="category", row=1, col=1)
    return _layout(fig, 520)


def _whole_ticks(values: pd.Series) -> dict[str, object]:
    """Axis options for a count of things: no ticks between whole numbers when they are few."""
    return {"dtick": 1, "tick0": 0} if len(values) and values.max() <= 4 else {}


def corpus_figure(frame: pd.DataFrame) -> go.Figure:
    """Articles (bars) and words (line) per period: thin periods look thin."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=frame["period"], y=frame["articles"], name="articles",
                         marker={"color": PALETTE[0]},
                         hovertemplate="%{x}: %{y:,} articles<extra></extra>"))
    fig.add_trace(go.Scatter(x=frame["period"], y=frame["words"], name="words",
                             mode="lines" if len(frame) > 60 else "lines+markers",
                             line={"color": PALETTE[1]},
                             hovertemplate="%{x}: %{y:,} words<extra></extra>"),
                  secondary_y=True)
    fig.update_yaxes(title_text="articles", secondary_y=False, rangemode="tozero",
                     **_whole_ticks(frame["articles"]))
    fig.update_yaxes(title_text="words", secondary_y=True, rangemode="tozero", showgrid=False,
                     tickformat=".2s")
    fig.update_xaxes(type="category", tickangle=-45, nticks=24)
    return _layout(fig, 360)


def number_label(value: float, decimals: int = 2) -> str:
    """A figure written in full: whole numbers with thousands separators, others to
    ``decimals`` places (never in exponent form).

    >>> number_label(12880.0), number_label(1234.567), number_label(99.6, 1)
    ('12,880', '1,234.57', '99.6')
    """
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}"


def bar_figure(labels: list[str], values: list[float], *, hover: list[str], title: str,
               height: int | None = None, color: str = PALETTE[0],
               decimals: int = 2, top: float | None = None) -> go.Figure:
    """Horizontal ranked bars with the exact value written beside each bar (``top``: the
    largest value on the scale, to share it with another chart)."""
    fig = go.Figure(go.Bar(
        y=[esc(v) for v in labels], x=values, orientation="h", marker={"color": color},
        text=[number_label(v, decimals) for v in values],
        textposition="outside", cliponaxis=False,
        hovertext=[esc(h) for h in hover], hoverinfo="text"))
    fig.update_yaxes(autorange="reversed", automargin=True)
    top = max([v for v in values if v == v] + [top or 0] or [0]) or 1
    fig.update_xaxes(title_text=title, range=[0, top * 1.22])
    return _layout(fig, height or max(240, 26 * len(labels) + 80))


def theme_share_figure(summary: pd.DataFrame, title: str) -> go.Figure:
    """Share of articles with each theme, the exact figure beside each bar."""
    return bar_figure(
        summary["theme"].tolist(), summary["share"].round(1).tolist(),
        hover=[f"{t}: {d:,} articles, {c:,} matches"
               for t, d, c in zip(summary["theme"], summary["docs"], summary["count"])],
        title=title, decimals=1)


def theme_lines(frame: pd.DataFrame, measure: str, window: int) -> go.Figure:
    """Themes over time."""
    values = measure_values(frame, measure, window=window, by="theme")
    fig = go.Figure()
    for i, (theme, part) in enumerate(frame.groupby("theme", sort=False)):
        # (The name travels in customdata: a template would read '%{x}' in a theme's name.)
        fig.add_trace(go.Scatter(
            x=part["period"], y=values.loc[part.index], name=esc(theme), mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)]}, marker={"size": 4},
            customdata=np.column_stack([part["count"], part["docs"], part["articles"],
                                        [esc(theme)] * len(part)]),
            hovertemplate=("<b>%{customdata[3]}</b> · %{x}<br>"
                           f"{MEASURES[measure]}: %{{y:,.2f}}"
                           "<br>matches: %{customdata[0]:,}<br>articles with it: "
                           "%{customdata[1]:,} of %{customdata[2]:,}<extra></extra>")))
    fig.update_yaxes(title_text=MEASURES[measure], rangemode="tozero")
    fig.update_xaxes(type="category", tickangle=-45, nticks=24)
    return _layout(fig, 460)


def cooccurrence_figure(frame: pd.DataFrame) -> go.Figure:
    """Heatmap: articles having both themes (the diagonal: articles with the theme)."""
    names = list(dict.fromkeys(frame["theme"]))
    matrix = frame.pivot(index="theme", columns="other", values="articles").loc[names, names]
    labels = [esc(n) for n in names]
    z = matrix.to_numpy()
    # The colours span the pairs; the diagonal (each theme's own articles) would wash them
    # out, so it takes the darkest colour and its number says the rest.
    pairs = z[~np.eye(len(z), dtype=bool)]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, colorscale="Blues", text=z, zmin=0,
        zmax=max(int(pairs.max()) if pairs.size else 0, 1),
        texttemplate="%{text:,}", hovertemplate="%{y} and %{x}: %{z:,} articles<extra></extra>",
        showscale=False))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(tickangle=-35, automargin=True)
    return _layout(fig, max(420, 42 * len(names) + 160))


def _font() -> str | None:
    for path in CJK_FONTS:
        if path.exists():
            return str(path)
    return None


def wordcloud_png(terms: list[str], weights: list[float], *, width: int = 900,
                  height: int = 520, colormap: str = "viridis") -> bytes | None:
    """A word cloud as PNG bytes (None when there is nothing to draw).

    Drawn with a fixed random state and sorted input, so it is the same for the same data;
    text is rendered into pixels, never interpreted.
    """
    from wordcloud import WordCloud

    pairs = sorted(((t, float(w)) for t, w in zip(terms, weights) if w > 0 and t.strip()),
                   key=lambda p: (-p[1], p[0]))
    if not pairs:
        return None
    cloud = WordCloud(width=width, height=height, background_color="white", random_state=7,
                      colormap=colormap, font_path=_font(), prefer_horizontal=0.95,
                      max_words=len(pairs), collocations=False, normalize_plurals=False,
                      min_font_size=8)
    cloud.generate_from_frequencies(dict(pairs))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()
