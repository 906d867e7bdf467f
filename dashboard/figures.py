"""Figure builders: plotly charts and word clouds drawn from the library's frames.

Every string that came from the corpus or the user is escaped before it reaches plotly (whose
labels accept a little HTML), and word clouds are drawn with a fixed random state, so the same
data always gives the same picture.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from policydata.analysis import MEASURES, measure_values
from policydata.columns import printable

#: Line colours, told apart even twelve at once (no two reds or purples: the themes' chart has
#: eleven lines): the app's blue, Tableau 10's nine others, a light blue and a light green
#: (the 11th was a dark slate, which beside the first line's blue looked the same).
PALETTE = ["#1f5a96", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948",
           "#9c755f", "#ff9da7", "#bab0ac", "#a0cbe8", "#8cd17d"]
PALE = "#b7c6d8"  # a bar that counts less (not significant)
PALE_TEXT = "#8a94a3"  # its number
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


#: Pixels at the top of a chart kept for plotly's toolbar (shown on hover).
TOOLBAR = 28
#: A marker shape for each line of a trend (with its colour): lines at the same values, as
#: several terms at 100% of articles, still show each other's points. Eleven against twelve
#: colours: the first 132 lines each have their own pair.
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star",
           "cross", "pentagon", "hexagon", "star-diamond"]

#: Longest name written on a chart (legend, axis label); the hover has the whole name.
LABEL = 60


def short(text: object, most: int = LABEL) -> str:
    """A name cut to ``most`` characters for a chart's legend or axis, with an ellipsis.

    >>> short("digital economy"), short("L" * 100, 10)
    ('digital economy', 'LLLLLLLLL…')
    """
    text = str(text)
    return text if len(text) <= most else text[:most - 1] + "…"


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
                      hoverlabel={"align": "left", "bgcolor": "white",
                                  "font": {"color": "#1b1f24", "size": 13}},
                      font={"size": 13})
    return fig


def trend_figure(frame: pd.DataFrame, measure: str, window: int, *, by: str = "term",
                 partial: dict[str, tuple[dt.date, dt.date]] | None = None,
                 chosen: str = "") -> go.Figure:
    """Lines of each term (or theme: ``by``) per period, over a strip of the articles behind
    every point.

    Each point carries its period and name (``customdata``) so a click can drill down; each
    line has its own marker shape, so lines at the same values still show. Partial periods
    (``partial``, from :func:`policydata.analysis.partial_periods`) stand on a grey band
    marked "partial", with hatched bars, and their hover says which days they cover; with
    smoothing, the hover gives the period's own value beside the average. The ``chosen``
    period, whose articles the page lists, has a dotted line across both panels. Lines
    without a match are drawn first, under the others. A point is
    as large as the articles behind it allow (:func:`point_sizes`): a period of one article
    does not look as solid as one of hundreds.
    """
    partial = partial or {}
    values = measure_values(frame, measure, window=window, by=by)
    alone = measure_values(frame, measure, by=by)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22],
                        vertical_spacing=0.09)
    covered = {p: f"<br><i>partial period: {a} to {b} only</i>" for p, (a, b) in partial.items()}
    # (trailing: a point averages its period and those before it, so a peak shows later)
    shown = MEASURES[measure] + (f", trailing {window}-period average" if window > 1 else "")
    whole = measure == "count" and window == 1  # (matches: a whole number, said as such)
    lines = list(enumerate(frame.groupby(by, sort=False)))
    # Lines without a match first, underneath: at zero they would hide a line that has a
    # match or two (the legend keeps the order asked for, and each line its colour).
    lines.sort(key=lambda line: bool(line[1][1]["count"].sum()))
    for i, (name, part) in lines:
        # (The name travels in customdata: a template would read '%{x}' in a theme's name.)
        custom = np.column_stack([
            part["period"], [esc(name)] * len(part), part["count"], part["docs"],
            part["articles"], part["words"],
            ["no articles" if np.isnan(v) else number_label(v) for v in alone.loc[part.index]],
            [covered.get(p, "") for p in part["period"]],
            # (whether the period has articles: a smoothed line's point in one without
            # them has no articles to list on a click, see state.take_click)
            ["1" if a else "0" for a in part["articles"]]])
        fig.add_trace(go.Scatter(
            x=part["period"], y=values.loc[part.index], name=esc(short(name)),
            mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "width": 2},
            marker={"size": point_sizes(part["articles"], frame["articles"].max()),
                    "symbol": SYMBOLS[i % len(SYMBOLS)]},
            legendgroup=str(i), legendrank=1000 + i,
            customdata=custom, connectgaps=False,
            selected={"marker": {"size": 13}}, unselected={"marker": {"opacity": 0.45}},
            hovertemplate=("<b>%{customdata[1]}</b> · %{customdata[0]}<br>"
                           f"{shown}: %{{y:,.{0 if whole else 2}f}}<br>"
                           + ("this period alone: %{customdata[6]}<br>" if window > 1 else "")
                           + "matches: %{customdata[2]:,}<br>"
                           "articles with it: %{customdata[3]:,} of %{customdata[4]:,}<br>"
                           "words in period: %{customdata[5]:,}%{customdata[7]}<extra></extra>"),
        ), row=1, col=1)
    periods = frame.drop_duplicates("period")
    fig.add_trace(go.Bar(
        x=periods["period"], y=periods["articles"], name="articles", showlegend=False,
        marker={"color": "#9aa5b1", "pattern": _hatched(periods["period"], partial)},
        customdata=np.column_stack([periods["words"],
                                    [covered.get(p, "") for p in periods["period"]]]),
        hovertemplate="%{x}: %{y:,} articles, %{customdata[0]:,} words%{customdata[1]}"
                      "<extra></extra>",
    ), row=2, col=1)
    _mark_partial(fig, periods["period"].tolist(), partial)
    labels = periods["period"].tolist()
    if chosen in labels:  # the point whose articles are listed below the chart
        fig.add_vline(x=labels.index(chosen), line={"color": "#1b1f24", "width": 1,
                                                    "dash": "dot"}, row="all", col=1)
    # The scale starts a little below zero: a point at zero drawn on the axis's edge took a
    # click only on its upper half, and a term never used has all its points there.
    fig.update_yaxes(title_text=shown, row=1, col=1, range=value_range(values))
    fig.update_yaxes(title_text="articles", row=2, col=1, rangemode="tozero",
                     **_whole_ticks(periods["articles"]))
    fig.update_xaxes(type="category", row=2, col=1, tickangle=-45,
                     **_period_ticks(periods["period"].tolist()))
    fig.update_xaxes(type="category", row=1, col=1)
    rows = _legend_rows([esc(short(name)) for name in frame[by].drop_duplicates()])
    height = 500 + 28 * rows + TOOLBAR
    fig = _layout(fig, height)
    # The legend at the top of the figure, below the strip where the chart's toolbar shows
    # on hover (over the legend, it hid the names at its right), with room for all its rows.
    fig.update_layout(margin={"t": 16 + 28 * rows + TOOLBAR},
                      legend={"yref": "container", "y": 1 - TOOLBAR / height,
                              "yanchor": "top"})
    # A drag across the chart zooms in on those periods, the counts keeping their scale from
    # zero (a double click zooms out). Streamlit's default for a chart whose points are
    # clicked is to pan, which slid the lines aside and left part of the chart empty.
    fig.update_layout(dragmode="zoom")
    fig.update_yaxes(fixedrange=True)
    return fig


def value_range(values: pd.Series) -> list[float]:
    """The value axis of a trend: from a little below zero (so a point at zero is whole, and
    takes a click anywhere on it) to a little above the largest value (1 when all are zero).

    >>> value_range(pd.Series([0.0, 2.5, float("nan")]))
    [-0.1, 2.7]
    >>> value_range(pd.Series([0.0, 0.0]))
    [-0.04, 1.08]
    """
    top = float(np.nanmax(values)) if values.notna().any() else 0.0
    top = top if top > 0 else 1.0
    return [round(-0.04 * top, 12), round(top * 1.08, 12)]


#: The smallest and the largest point of a trend line, in pixels (see :func:`point_sizes`).
POINT_SIZES = (3.0, 9.0)


def point_sizes(articles: pd.Series, most: float) -> list[float]:
    """Each point's size by the articles behind its period (``most``: the most behind any
    period of the chart): the area grows with the articles, from :data:`POINT_SIZES`'s
    smallest (none) to its largest, so thin periods look thin.

    >>> point_sizes(pd.Series([0, 1, 4, 100]), 100)
    [3.0, 3.6, 4.2, 9.0]
    """
    low, high = POINT_SIZES
    if not most or most <= 0:
        return [high] * len(articles)
    return [round(low + (high - low) * float(np.sqrt(max(a, 0) / most)), 1) for a in articles]


def coinciding_lines(frame: pd.DataFrame, measure: str, window: int, *, by: str = "term",
                     share: float = 0.9) -> list[tuple[list[str], bool]]:
    """Groups of lines of :func:`trend_figure` that lie on top of each other: the same value
    in at least ``share`` of the periods drawn (those with a value: with articles, or under a
    moving average in reach of some; the last line drawn hides the others), each with whether
    that value is 0 in most of those periods (terms used in none of the articles there).

    >>> frame = pd.DataFrame({"period": ["1", "2"] * 3, "term": ["a", "a", "b", "b", "c", "c"],
    ...                       "count": [1, 2, 1, 2, 1, 3], "docs": [1, 1, 1, 1, 1, 1],
    ...                       "articles": [1, 1, 1, 1, 1, 1], "words": [9, 9, 9, 9, 9, 9]})
    >>> coinciding_lines(frame, "docs", 1), coinciding_lines(frame, "count", 1)
    ([(['a', 'b', 'c'], False)], [(['a', 'b'], False)])
    >>> coinciding_lines(frame.assign(count=[0, 0, 0, 0, 0, 5]), "count", 1)
    [(['a', 'b'], True)]
    """
    values = (frame.assign(_value=measure_values(frame, measure, window=window, by=by))
              .pivot_table(index="period", columns=by, values="_value", sort=False,
                           dropna=False).dropna(how="all"))
    names = list(frame[by].drop_duplicates())
    if len(values) == 0:
        return []
    group_of = {name: i for i, name in enumerate(names)}
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            same = np.isclose(values[first], values[second], rtol=1e-9, atol=1e-12)
            if same.mean() >= share:
                old, new = group_of[second], group_of[first]
                group_of = {n: new if g == old else g for n, g in group_of.items()}
    groups: dict[int, list[str]] = {}
    for name in names:
        groups.setdefault(group_of[name], []).append(name)
    return [(g, bool((values[g[0]] == 0).mean() > 0.5)) for g in groups.values() if len(g) > 1]


def _legend_rows(names: list[str], width: int = 860) -> int:
    """Rows a horizontal legend of these names takes in a chart about ``width`` pixels wide.

    >>> _legend_rows(["a", "b"]), _legend_rows(["a long theme name here"] * 8)
    (1, 2)
    """
    rows, used = 1, 0.0
    for name in names:
        item = 46 + 6.5 * len(name)  # the line sample, the gap and the text at 13 px
        if used and used + item > width:
            rows, used = rows + 1, 0
        used += item
    return rows


def period_ticks(labels: list[str], most: int = 24) -> list[str]:
    """The periods to label on a crowded axis: round ones, at most ``most`` of them.

    Every period when they fit; else quarter starts, half years or Januaries (for months),
    first quarters (for quarters), then only years divisible by 2, 5, 10, 20, 50...

    >>> period_ticks([str(y) for y in range(1793, 2024)])[:4]
    ['1800', '1810', '1820', '1830']
    >>> period_ticks([f"{y}Q{q}" for y in range(2010, 2024) for q in range(1, 5)])[:3]
    ['2010Q1', '2011Q1', '2012Q1']
    >>> period_ticks([f"{y}-{m:02d}" for y in (2020, 2021, 2022) for m in range(1, 13)])[:3]
    ['2020-01', '2020-04', '2020-07']
    """
    if len(labels) <= most:
        return labels

    def place(label: str) -> int:  # 0-based month or quarter within the year
        if "Q" in label:
            return int(label[5:]) - 1
        return int(label[5:]) - 1 if "-" in label else 0

    steps = [3, 6] if "-" in labels[0] else []
    chosen = labels
    for step in steps:  # within a year (months only)
        chosen = [lb for lb in labels if place(lb) % step == 0]
        if len(chosen) <= most:
            return chosen
    for years in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        chosen = [lb for lb in labels if place(lb) == 0 and int(lb[:4]) % years == 0]
        if len(chosen) <= most:
            return chosen
    return chosen


def _period_ticks(labels: list[str]) -> dict[str, object]:
    """Axis options labelling only round periods when there are too many to label each."""
    return {"tickmode": "array", "tickvals": period_ticks(labels)}


def _whole_ticks(values: pd.Series) -> dict[str, object]:
    """Axis options for a count of things: no ticks between whole numbers when they are few."""
    return {"dtick": 1, "tick0": 0} if len(values) and values.max() <= 4 else {}


def _hatched(periods: pd.Series, partial: dict[str, tuple[dt.date, dt.date]]) -> dict:
    """The bar pattern that hatches the bars of partial periods."""
    return {"shape": ["/" if p in partial else "" for p in periods]}


def _mark_partial(fig: go.Figure, periods: list[str],
                  partial: dict[str, tuple[dt.date, dt.date]]) -> None:
    """A grey band marked "partial" behind each partial period, across every panel."""
    for k, period in enumerate(periods):
        if period in partial:
            fig.add_vrect(x0=k - 0.5, x1=k + 0.5, fillcolor="#e4e7eb", opacity=0.55,
                          layer="below", line_width=0, row="all", col=1)
            # (Above the plot area: inside it, the label sat on a point at the top edge.)
            fig.add_annotation(x=k, y=1, yref="y domain", yanchor="bottom",
                               text="partial", showarrow=False,
                               font={"size": 11, "color": "#5b6270"}, row=1, col=1)


def corpus_figure(frame: pd.DataFrame,
                  partial: dict[str, tuple[dt.date, dt.date]] | None = None) -> go.Figure:
    """Articles (bars) and words (line) per period: thin periods look thin, and partial ones
    (``partial``, as for :func:`trend_figure`) stand on a grey band, with hatched bars. A
    period without articles has a bar at 0 and a gap in the words line."""
    partial = partial or {}
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    covered = [f" (partial period: {partial[p][0]} to {partial[p][1]} only)" if p in partial
               else "" for p in frame["period"]]
    fig.add_trace(go.Bar(x=frame["period"], y=frame["articles"], name="articles",
                         marker={"color": PALETTE[0], "pattern": _hatched(frame["period"],
                                                                          partial)},
                         customdata=covered, legendgroup="articles", showlegend=not partial,
                         hovertemplate="%{x}: %{y:,} articles%{customdata}<extra></extra>"))
    if partial:  # (the legend draws a trace's first bar, which may be hatched)
        fig.add_trace(go.Bar(x=[None], y=[None], name="articles", legendgroup="articles",
                             marker={"color": PALETTE[0]}, hoverinfo="skip"))
    # A period without articles breaks the words line, as it breaks a trend: a line down to
    # 0 and back at every month a monthly source skips drew a sawtooth (the bar says 0).
    fig.add_trace(go.Scatter(x=frame["period"], y=frame["words"].where(frame["articles"] > 0),
                             name="words", mode="lines+markers", connectgaps=False,
                             line={"color": PALETTE[1]},
                             marker={"size": 4 if len(frame) > 60 else 6},
                             hovertemplate="%{x}: %{y:,} words<extra></extra>"),
                  secondary_y=True)
    fig.update_yaxes(title_text="articles", secondary_y=False, rangemode="tozero",
                     **_whole_ticks(frame["articles"]))
    # (Ticks of its own, at round numbers: ticks lined up with the articles' grid fall on
    # numbers such as 8.1k.)
    fig.update_yaxes(title_text="words", secondary_y=True, rangemode="tozero", showgrid=False,
                     tickmode="auto", nticks=6, tickformat="~s")
    fig.update_xaxes(type="category", tickangle=-45, **_period_ticks(frame["period"].tolist()))
    _mark_partial(fig, frame["period"].tolist(), partial)
    fig = _layout(fig, 360)
    if partial:  # the legend above the bands' labels, which sit on the plot's top edge
        fig.update_layout(margin={"t": 56}, legend={"y": 1.09})
    return fig


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
               decimals: int = 2, top: float | None = None,
               pale: list[bool] | None = None) -> go.Figure:
    """Horizontal ranked bars with the exact value written beside each bar, every one to
    ``decimals`` places (a score of 59 beside one of 59.59 is written 59.00) (``top``: the
    largest value on the scale, to share it with another chart; ``pale``: bars drawn pale,
    such as terms whose keyness is not significant).

    >>> list(bar_figure(["a", "b"], [59.59, 59.0], hover=["", ""], title="").data[0].text)
    ['59.59', '59.00']
    >>> list(bar_figure(["a"], [1200.0], hover=[""], title="", decimals=0).data[0].text)
    ['1,200']
    """
    colors = [PALE if p else color for p in pale] if pale else color
    names = [esc(v) for v in labels]
    fig = go.Figure(go.Bar(
        y=names, x=values, orientation="h", marker={"color": colors},
        text=[f"{v:,.{decimals}f}" for v in values], textposition="outside",
        cliponaxis=False,
        # (a pale bar can be a sliver on a shared scale: its number is pale too)
        textfont={"color": [PALE_TEXT if p else "#31333f" for p in pale] if pale else None},
        hovertext=[esc(h) for h in hover], hoverinfo="text"))
    # Long names on two lines, so a chart in half the page keeps them whole (the longest
    # cut: the hover has them whole).
    ticks = [_two_lines(esc(short(v))) for v in labels]
    fig.update_yaxes(autorange="reversed", automargin=True, tickvals=names, ticktext=ticks)
    top = max([v for v in values if v == v] + [top or 0] or [0]) or 1
    # Room beside the longest bar for its number, wider as that number is longer (from the
    # scale's top alone, so two charts sharing a scale share the range).
    longest = len(f"{top:,.{decimals}f}") + 1
    fig.update_xaxes(title_text=title, range=[0, top * (1.2 + 0.04 * longest)])
    row = 38 if any("<br>" in t for t in ticks) else 26
    return _layout(fig, height or max(240, row * len(labels) + 80))


def bar_scale(tops: list[pd.DataFrame | str], n: int) -> float:
    """One scale for ranked bar charts side by side, so their lengths compare: the largest
    ``score`` among the first ``n`` rows of each frame (``bar_figure``'s ``top``); a message
    shown in place of a frame is passed over.

    >>> bar_scale([pd.DataFrame({"score": [9.0, 4.0]}), pd.DataFrame({"score": [12.5]}),
    ...            "No articles match."], 25)
    12.5
    >>> bar_scale(["No articles match."], 25)
    0.0
    """
    return max([float(t["score"].head(n).max()) for t in tops
                if isinstance(t, pd.DataFrame) and len(t)] or [0.0])


def _two_lines(label: str, width: int = 24) -> str:
    """A long label broken at the space nearest its middle (plotly reads ``<br>``).

    >>> _two_lines("digital economy"), _two_lines("International competition and opening up")
    ('digital economy', 'International competition<br>and opening up')
    """
    return "<br>".join(_halves(label, width))


def _halves(label: str, width: int) -> list[str]:
    """A label as one line, or two broken at the space nearest its middle when it is longer
    than ``width``.

    >>> _halves("a <br> b c", 4)
    ['a <br>', 'b c']
    """
    if len(label) <= width or " " not in label:
        return [label]
    middle = len(label) // 2
    cut = min((i for i, c in enumerate(label) if c == " "), key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1:]]


def _axis_label(name: str, width: int) -> str:
    """An axis label of a name: on two lines of about ``width`` characters when it has a space
    to break at, else (or when still longer) cut to ``width``; escaped.

    >>> _axis_label("High-quality development and modernisation", 22)
    'High-quality development<br>and modernisation'
    >>> _axis_label("L" * 199, 22) == "L" * 21 + "…"
    True
    >>> _axis_label("<b>B</b><br>x", 22)
    '&lt;b&gt;B&lt;/b&gt;&lt;br&gt;x'
    """
    lines = _halves(short(name, 2 * width), width)  # (split before escaping: a name may
    # hold "<br>" itself, and it must stay text)
    if any(len(line) > width + 6 for line in lines):  # (no space near the middle)
        lines = [short(name, width)]
    return "<br>".join(esc(line) for line in lines)


def theme_share_figure(summary: pd.DataFrame, title: str) -> go.Figure:
    """Share of articles with each theme, the exact figure beside each bar."""
    fig = bar_figure(
        summary["theme"].tolist(), summary["share"].round(1).tolist(),
        hover=[f"{t}: {d:,} articles, {c:,} matches"
               for t, d, c in zip(summary["theme"], summary["docs"], summary["count"])],
        title=title, decimals=1)
    # The room for the numbers beside the bars can pass 100: no tick there for a share. Three
    # ticks, upright: in a narrow column (the Overview's at 1024 pixels) more were turned on
    # end, and every bar has its exact number beside it.
    if fig.layout.xaxis.range[1] > 100:
        fig.update_xaxes(tickvals=[0, 50, 100])
    else:
        fig.update_xaxes(nticks=4)
    fig.update_xaxes(tickangle=0)
    return fig


#: Most themes a theme trend chart draws (the page picks those with the most matches): past
#: that, the legend grows taller than the chart.
TREND_THEMES = 15
#: Most themes the co-occurrence heatmap is drawn for (the page picks those found in the most
#: articles): past that, names and numbers overlap.
HEATMAP_THEMES = 25


def cooccurrence_figure(frame: pd.DataFrame) -> go.Figure:
    """Heatmap: articles having both themes (the diagonal: articles with the theme), of a
    :func:`policydata.analysis.theme_cooccurrence` frame."""
    names = list(dict.fromkeys(frame["theme"]))
    matrix = frame.pivot(index="theme", columns="other", values="articles").loc[names, names]
    labels = [esc(n) for n in names]
    z = matrix.to_numpy()
    # The colours span the pairs; the diagonal (each theme's own articles) would wash them
    # out, so it takes the darkest colour and its number says the rest.
    pairs = z[~np.eye(len(z), dtype=bool)]
    # The hover reads along the row: "12 of the 40 articles with A (30.0%) also have B".
    share = frame.pivot(index="theme", columns="other", values="share").loc[names, names]
    said = [[(f"{z[i][i]:,} articles with {labels[i]}" if i == j else
              f"{z[i][j]:,} of the {z[i][i]:,} articles with {labels[i]} "
              f"({share.iat[i, j]:.1f}%) also have {labels[j]}")
             for j in range(len(names))] for i in range(len(names))]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, colorscale="Blues", text=z, zmin=0,
        zmax=max(int(pairs.max()) if pairs.size else 0, 1), customdata=said,
        texttemplate="%{text:,}", hovertemplate="%{customdata}<extra></extra>",
        textfont={"size": 12},  # (left to plotly, the numbers shrink to 7 px at 1024 px)
        showscale=False))
    # Names on two lines rather than cut ("High-quality development and modernisat..."); the
    # hover has the whole names.
    ticks = [_axis_label(n, 26) for n in names]
    fig.update_yaxes(autorange="reversed", automargin=True, tickvals=labels, ticktext=ticks)
    # Columns are narrow (11 themes in 600 pixels): shorter names, steeper, do not overlap.
    fig.update_xaxes(tickangle=-50, automargin=True, tickvals=labels,
                     ticktext=[_axis_label(n, 22) for n in names])
    return _layout(fig, max(420, 42 * len(names) + 160))


#: A small font for clouds without Chinese, Japanese or Korean text: drawn twice as fast as
#: with the CJK font, whose large collection file is read for every size tried.
LATIN_FONTS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]


def _font(terms: list[str]) -> str | None:
    """The font to draw these terms with: the CJK font when one needs it (or when it is the
    only one installed), else a small Latin font."""
    cjk = any(ord(c) >= 0x2E80 for term in terms for c in term)
    for path in (CJK_FONTS if cjk else [*LATIN_FONTS, *CJK_FONTS]):
        if path.exists():
            return str(path)
    return None


CLOUD_TERM = 40  # longest term drawn in a word cloud, in characters
#: Pixels kept clear around each word of a cloud (wordcloud's default, 2, let two words of one
#: colour and size, drawn edge to edge, read as one: "bosniatobacco").
CLOUD_MARGIN = 6

#: Word cloud colours: each at least 4.5:1 against white (WCAG AA for text), so a small word
#: stays readable (viridis ends in a pale yellow that does not).
CLOUD_COLORS = ("#1f3b73", "#2f6690", "#1b6b4a", "#7b2d26", "#5b4b8a", "#8a4f00", "#24515f",
                "#6b2f6b")


def cloud_color(word: str, *_: object, **__: object) -> str:
    """A word's colour in a cloud: one of :data:`CLOUD_COLORS`, the same for a word in every
    cloud (so two clouds side by side colour a shared word alike).

    >>> cloud_color("digital economy") == cloud_color("digital economy")
    True
    """
    return CLOUD_COLORS[zlib.crc32(word.encode("utf-8")) % len(CLOUD_COLORS)]


#: A cloud's canvas (width, height) and smallest font, in pixels: alone on the page, and one
#: of two side by side (drawn narrower with a larger smallest font, as it is shown at about
#: 400 pixels wide: at 900 its smallest words came out 4 pixels high and ran together).
CLOUD_WIDE = (900, 520, 8)
CLOUD_NARROW = (600, 560, 13)


def wordcloud_png(terms: list[str], weights: list[float], *,
                  canvas: tuple[int, int, int] = CLOUD_WIDE) -> bytes | None:
    """A word cloud as PNG bytes (None when there is nothing to draw), on ``canvas``
    (:data:`CLOUD_WIDE` or :data:`CLOUD_NARROW`).

    Drawn with a fixed random state and sorted input, so it is the same for the same data;
    text is rendered into pixels, never interpreted. Terms too small to place at the
    canvas's smallest font are left out (the bars beside the cloud list them).
    """
    width, height, smallest = canvas
    from wordcloud import WordCloud

    # A term longer than the cloud is wide cannot be placed (wordcloud raises): cut to
    # CLOUD_TERM characters (the bars beside the cloud give it whole).
    drawn: dict[str, float] = {}
    for t, w in zip(terms, weights):
        if w > 0 and t.strip():
            label = short(t, CLOUD_TERM)
            drawn[label] = max(drawn.get(label, 0.0), float(w))
    pairs = sorted(drawn.items(), key=lambda p: (-p[1], p[0]))
    if not pairs:
        return None
    cloud = WordCloud(width=width, height=height, background_color="white", random_state=7,
                      color_func=cloud_color, font_path=_font([t for t, _ in pairs]),
                      prefer_horizontal=0.95, max_words=len(pairs), collocations=False,
                      normalize_plurals=False, min_font_size=smallest, font_step=2,
                      margin=CLOUD_MARGIN)
    try:
        cloud.generate_from_frequencies(dict(pairs))
    except ValueError:  # ("Couldn't find space to draw": not even the largest term fits)
        return None
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()
