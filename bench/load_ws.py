"""Load test over Streamlit's own protocol: many websocket clients on one dashboard server.

``bench/load.py`` drives headless Chromium; on a 2-core machine twenty browsers use most of
the CPU, so its times are mostly the browsers waiting for a core. This test measures the
server instead: it starts ``streamlit run dashboard/app.py`` on a corpus (``load.Server``) and
opens ``--sessions`` websocket clients at once, each speaking the protocol of Streamlit's
frontend on ``/_stcore/stream`` (subprotocol ``streamlit``): a ``BackMsg`` ``rerun_script``
carrying a ``ClientState`` (the query string, the page, the widgets' values), answered by
``ForwardMsg``s (``new_session``, element ``delta``s, ``page_info_changed`` with the new query
string, ``navigation``) up to ``script_finished``.

Each client walks as a ``load.py`` session does: it opens the overview and a trends deep link
(each a new connection, as a page load in a browser is), switches the period and the measure,
types a search in the sidebar, follows the sidebar's links to Themes, Word clouds and Articles
(a rerun with the link's page and query string, carrying the sidebar's widgets only, as the
frontend does), orders the articles by hits and clears the search. A widget change is a rerun
carrying every widget's current value, the changed one's new, found by the widget's key in the
ids of the elements the last run drew; the client keeps the values as the frontend does (a
widget's default or the value the server set, until changed; dropped when its element is no
longer drawn) and its cache of large elements (``cached_message_hashes``, ``ref_hash``).

For each action it measures the time from sending the ``BackMsg`` to the ``script_finished``
that ends the run (a page load's connection, the two HTTP requests the frontend makes first and
the websocket handshake, is timed apart); a run that finishes early for a rerun the script
asked for (``st.rerun``) is followed to the end of the next one.
Each run is checked: no exception element, a successful ``script_finished``, the page asked for
with its title and its chart, table or image drawn, and the query string the change should
give (``freq=quarter`` after the period change...). A connection dropped or a run not finished
within ``--timeout`` ends that client's walk. Clients wait ``--think`` seconds between actions
(1 s by default: a user reads the page before the next click; without it twenty clients would
send reruns back to back, a far heavier load than twenty users, which measures saturation).

    python bench/load_ws.py --corpus bench/data/c100k --sessions 20 --rounds 2

writes ``bench/RESULTS-load-ws.json`` and prints a table: the median, 95th percentile and
maximum per kind of action and per step, the server's memory (its process tree) before and
after, the CPU the server used against what the machine had, completed clients and errors.
``tests/test_load_ws.py`` runs it at a small size.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The server, its memory and CPU, and the provenance and percentile helpers of the browser test.
from load import (
    ROOT,
    Server,
    _machine_cpu,
    _provenance,
    measure_and_write,
    percentile,
    under_load,
)
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.RootContainer_pb2 import RootContainer
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: What Chromium's frontend puts in every rerun's ``context_info`` (captured from its frames).
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "is_embedded": False,
           "color_scheme": "light"}
#: The frontend offers the XSRF cookie, else this, as the second subprotocol.
SUBPROTOCOLS = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"]
SUCCESS = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
EARLY = "FINISHED_EARLY_FOR_RERUN"

#: Each page, by its url path: its title and the elements of which at least one shows it drew
#: what it is for (its chart, its table or its cloud).
PAGES = {
    "": ("Overview", ("plotly_chart",)),
    "trends": ("Term trends", ("plotly_chart",)),
    "themes": ("Themes", ("plotly_chart",)),
    "words": ("Word clouds", ("imgs", "plotly_chart")),
    "articles": ("Articles", ("dataframe",)),
}

#: The deep link the walk opens, as ``load.py``'s sessions do.
DEEP_LINK = [("term", "digital economy"), ("term", "real economy"), ("freq", "year")]


class ProtocolError(RuntimeError):
    """The server sent what the frontend could not have handled (e.g. a cache miss)."""


class WalkError(RuntimeError):
    """An action could not be done (a widget or link not drawn): the walk stops there."""


@dataclass
class Run:
    """What the server sent for one action, up to the ``script_finished`` that ended it."""

    page: str | None = None  # url path of the page that ran ("" for the default page)
    status: str = ""
    early: int = 0  # runs finished early for a rerun the script asked for
    kinds: Counter[str] = field(default_factory=Counter)  # elements drawn, by kind
    headings: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    query: str = ""  # the query string after the run (the browser's address)
    not_found: bool = False  # a page_not_found message
    seconds: float = 0.0  # from sending the BackMsg to the script_finished
    connect: float | None = None  # a page load's: from its first request to the handshake
    received: int = 0  # bytes


@dataclass
class Widget:
    """A widget drawn in the last run: its kind, its proto and the script that drew it."""

    kind: str
    proto: Any
    script: str  # the page's script hash, or the entrypoint's for the sidebar


def problems(run: Run, page: str, want: dict[str, list[str] | None] | None = None) -> list[str]:
    """What is wrong with ``run`` for an action that should draw the page ``page`` (its url
    path) and leave ``want`` in the query string (a parameter's values, or None for absent).
    Empty when the run drew the page as it should."""
    title, kinds = PAGES[page]
    found: list[str] = []
    if run.status not in SUCCESS:
        found.append(f"script_finished {run.status or 'missing'}")
    found += [f"exception: {text}" for text in run.exceptions]
    if run.not_found:
        found.append("page not found")
    if run.page != page:
        found.append(f"ran page {run.page!r}, not {page!r}")
    if title not in run.headings:
        found.append(f"no title {title!r} (headings {run.headings[:4]})")
    if not any(run.kinds[k] for k in kinds):
        found.append(f"drew no {' or '.join(kinds)} (drew {dict(run.kinds)})")
    params = parse_qs(run.query)
    for name, values in (want or {}).items():
        if params.get(name) != values:
            found.append(f"query string {run.query!r}: {name} is {params.get(name)}, "
                         f"not {values}")
    return found


def _initial(kind: str, proto: Any) -> WidgetState | None:
    """The value the frontend holds for a widget just drawn: the value the server set, else its
    default; None for widgets that hold none until used (buttons, tables, charts)."""
    state = WidgetState(id=proto.id)
    given = getattr(proto, "set_value", False)
    if kind == "button_group":
        values = (list(proto.raw_values) if given
                  else [proto.options[i].content for i in proto.default])
        state.string_array_value.data.extend(values)
    elif kind == "multiselect":
        values = list(proto.raw_values) if given else [proto.options[i] for i in proto.default]
        state.string_array_value.data.extend(values)
    elif kind == "date_input":
        state.string_array_value.data.extend(proto.value if given else proto.default)
    elif kind == "slider":
        state.double_array_value.data.extend(proto.value if given else proto.default)
    elif kind == "checkbox":
        state.bool_value = proto.value if given else proto.default
    elif kind in ("text_input", "text_area"):
        if given and proto.HasField("value"):
            state.string_value = proto.value
        elif proto.HasField("default"):
            state.string_value = proto.default
        else:
            return None
    elif kind in ("selectbox", "radio"):
        if given and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default"):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "number_input":
        number = proto.value if given and proto.HasField("value") else (
            proto.default if proto.HasField("default") else None)
        if number is None:
            return None
        if proto.data_type == type(proto).INT:
            state.int_value = int(number)
        else:
            state.double_value = number
    elif kind == "file_uploader":
        state.file_uploader_state_value.SetInParent()
    else:
        return None
    return state


def _chosen(widget: Widget, value: Any) -> WidgetState:
    """The state a user's change sends: ``value`` is the option's label as shown (a segmented
    control, a select box), the text typed, or a list of labels (a multiselect)."""
    kind, proto = widget.kind, widget.proto
    state = WidgetState(id=proto.id)
    if kind == "button_group":
        labels = [o.content for o in proto.options]
        if value not in labels:
            raise WalkError(f"{proto.label!r} has no option {value!r} (options {labels})")
        state.string_array_value.data.append(value)
    elif kind == "multiselect":
        state.string_array_value.data.extend(value)
    elif kind in ("text_input", "text_area", "selectbox", "radio"):
        state.string_value = value
    elif kind == "checkbox":
        state.bool_value = bool(value)
    else:
        raise WalkError(f"changing a {kind} is not implemented")
    return state


class Client:
    """One user's tab, as Streamlit's frontend speaks to the server."""

    def __init__(self, base: str, timeout: float) -> None:
        self.base = base
        self.timeout = timeout
        self.ws: Any = None
        self._fresh()

    def _fresh(self) -> None:
        """The state of a newly loaded page."""
        self.cache: dict[str, list[Any]] = {}  # hash -> [ForwardMsg, run count when used]
        self.finished = 0  # runs finished (the cache's clock)
        self.max_age = 2  # global.maxCachedMessageAge, from new_session
        self.values: dict[str, WidgetState] = {}  # the widgets' values, by widget id
        self.widgets: dict[str, Widget] = {}  # drawn by the last run, by widget id
        self.links: dict[str, Any] = {}  # the sidebar's page links, by label
        self.paths: dict[str, str] = {}  # page script hash -> url path ("" for the default)
        self.main = ""  # the entrypoint's script hash
        self.page = ""  # url path of the page on show
        self.page_hash = ""
        self.query = ""

    # ------------------------------------------------------------------ actions

    async def open(self, path: str, query: str = "") -> Run:
        """Load the page at ``path`` with ``query`` in a new tab: a new connection and
        session, as a browser's page load (the frontend first asks for the health and the
        host configuration, then connects)."""
        from websockets.asyncio.client import connect

        await self.close()
        self._fresh()
        begun = time.perf_counter()
        for endpoint in ("_stcore/health", "_stcore/host-config"):
            await asyncio.to_thread(_get, f"{self.base}/{endpoint}", self.timeout)
        self.ws = await asyncio.wait_for(connect(
            "ws" + self.base.removeprefix("http") + "/_stcore/stream",
            subprotocols=SUBPROTOCOLS,
            origin=self.base,
            proxy=None, max_size=None, ping_interval=None), self.timeout)
        self.page, self.query = path, query
        state = ClientState(query_string=query, page_name=path)
        state.widget_states.SetInParent()
        started = time.perf_counter()
        run = await self._rerun(state, started, page_url=path)
        run.connect = started - begun
        return run

    async def change(self, key: str, value: Any) -> Run:
        """Set the widget with the key ``key`` to ``value`` (see :func:`_chosen`), as a click
        or Enter in the browser does: a rerun with every widget's value."""
        ids = [i for i in self.widgets if i.endswith("-" + key)]
        if not ids:
            raise WalkError(f"no widget with the key {key!r} on {self.page!r} (drawn: "
                            f"{sorted(i.rpartition('-')[2] for i in self.widgets)})")
        self.values[ids[0]] = _chosen(self.widgets[ids[0]], value)
        state = ClientState(query_string=self.query, page_script_hash=self.page_hash)
        state.widget_states.widgets.extend(self.values.values())
        return await self._rerun(state, time.perf_counter())

    async def follow(self, label: str) -> Run:
        """Click the sidebar's page link ``label``: a rerun of its page with its query string,
        carrying only the widgets the entrypoint drew (the sidebar's)."""
        link = self.links.get(label)
        if link is None:
            raise WalkError(f"no sidebar link {label!r} on {self.page!r} "
                            f"(links: {sorted(self.links)})")
        state = ClientState(query_string=link.query_string,
                            page_script_hash=link.page_script_hash)
        state.widget_states.widgets.extend(
            v for i, v in self.values.items()
            if i in self.widgets and self.widgets[i].script == self.main)
        self.query = link.query_string
        return await self._rerun(state, time.perf_counter())

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(Exception):  # (a connection gone: nothing to close)
                await asyncio.wait_for(ws.close(), 10)

    # ------------------------------------------------------------------ the protocol

    async def _rerun(self, state: ClientState, started: float, page_url: str | None = None
                     ) -> Run:
        from websockets.exceptions import ConnectionClosed

        path = self.page if page_url is None else page_url
        state.context_info.url = f"{self.base}/{path}"
        for name, value in CONTEXT.items():
            setattr(state.context_info, name, value)
        state.cached_message_hashes.extend(self.cache)
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        run = Run(query=self.query)
        deadline = started + self.timeout
        try:
            await self.ws.send(message.SerializeToString())
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise TimeoutError
                data = await asyncio.wait_for(self.ws.recv(), remaining)
                if not isinstance(data, bytes):
                    raise ProtocolError(f"a text frame: {data[:100]!r}")
                run.received += len(data)
                forward = ForwardMsg()
                forward.ParseFromString(data)
                if self._take(forward, run):
                    run.seconds = time.perf_counter() - started
                    return run
        except TimeoutError:
            raise TimeoutError(f"no script_finished in {self.timeout:.0f} s "
                               f"(drew {sum(run.kinds.values())} elements)") from None
        except ConnectionClosed as error:
            raise ConnectionError(f"connection dropped: {error}") from None

    def _take(self, msg: ForwardMsg, run: Run) -> bool:
        """Handle one message as the frontend does; True at the end of the run."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":  # a large element this client has: from its cache
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                raise ProtocolError(f"cached message {msg.ref_hash} missing")
            entry[1] = self.finished
            whole = ForwardMsg()
            whole.CopyFrom(entry[0])
            whole.metadata.CopyFrom(msg.metadata)  # (where it goes this time)
            msg, kind = whole, whole.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
            self.cache[msg.hash] = [msg, self.finished]
        if kind == "new_session":  # at the start of every run
            session = msg.new_session
            self.main = session.main_script_hash
            if session.config.max_cached_message_age:
                self.max_age = session.config.max_cached_message_age
            self.widgets, self.links = {}, {}
            run.kinds, run.headings = Counter(), []
        elif kind == "navigation":  # (st.navigation: the page that runs, and every page)
            self.page_hash = msg.navigation.page_script_hash
            self.paths = {p.page_script_hash: "" if p.is_default else p.url_pathname
                          for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query = run.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            run.not_found = True
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.metadata, run)
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            self._expire()
            if status == EARLY:  # the script asked for a rerun: it follows
                run.early += 1
                return False
            run.status = status
            run.page = self.page = self.paths.get(self.page_hash, self.page)
            if status in SUCCESS:  # widgets no longer drawn lose their values
                self.values = {i: v for i, v in self.values.items() if i in self.widgets}
            return True
        return False

    def _element(self, element: Any, metadata: Any, run: Run) -> None:
        kind = element.WhichOneof("type")
        run.kinds[kind] += 1
        proto = getattr(element, kind)
        if kind == "exception":
            run.exceptions.append(f"{proto.type}: {proto.message}"[:300])
        elif kind == "heading":
            run.headings.append(proto.body)
        elif kind == "page_link" and metadata.delta_path[:1] == [RootContainer.SIDEBAR]:
            self.links.setdefault(proto.label, proto)
        widget_id = getattr(proto, "id", "") if kind != "exception" else ""
        if widget_id:
            self.widgets[widget_id] = Widget(kind, proto, metadata.active_script_hash)
            state = _initial(kind, proto)
            if state is not None and (getattr(proto, "set_value", False)
                                      or widget_id not in self.values):
                self.values[widget_id] = state

    def _expire(self) -> None:
        """The frontend's cache keeps a message until it was not used for ``max_age`` runs."""
        self.finished += 1
        for key in [k for k, (_, used) in self.cache.items()
                    if self.finished - used > self.max_age]:
            del self.cache[key]


def _get(url: str, timeout: float) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as reply:
        reply.read()


# ---------------------------------------------------------------------- the walk

@dataclass
class Session:
    """What one client saw."""

    number: int
    timings: dict[str, list[float]] = field(default_factory=dict)  # by kind of action
    steps: dict[str, list[float]] = field(default_factory=dict)  # by action
    errors: list[str] = field(default_factory=list)
    connects: list[float] = field(default_factory=list)  # the page loads' connections
    runs: int = 0
    early: int = 0
    received: int = 0
    done: bool = False


#: One round of the walk: (kind, label, what to do, the page it should draw, the query
#: parameters it should leave: values, or None for absent).
WALK: list[tuple[str, str, tuple[Any, ...], str, dict[str, list[str] | None]]] = [
    ("page load", "overview", ("open", ""), "", {}),
    ("page load", "trends deep link", ("open", "trends", urlencode(DEEP_LINK)), "trends",
     {"term": ["digital economy", "real economy"], "freq": ["year"]}),
    ("filter change", "trends, period quarter", ("change", "w_freq", "quarter"), "trends",
     {"freq": ["quarter"]}),
    ("filter change", "trends, measure % of articles",
     ("change", "w_measure", "% of articles"), "trends", {"measure": ["docs"]}),
    ("filter change", "trends, search 'economy'", ("change", "w_q", "economy"), "trends",
     {"q": ["economy"], "measure": ["docs"]}),
    ("page change", "Themes", ("follow", "Themes"), "themes", {"q": ["economy"]}),
    ("page change", "Word clouds", ("follow", "Word clouds"), "words", {"q": ["economy"]}),
    ("page change", "Articles", ("follow", "Articles"), "articles", {"q": ["economy"]}),
    ("filter change", "articles, order by hits", ("change", "w_sort", "most hits"),
     "articles", {"sort": ["hits"], "q": ["economy"]}),
    ("filter change", "articles, search cleared", ("change", "w_q", ""), "articles",
     {"q": None, "sort": ["hits"]}),
]


async def _act(client: Client, session: Session, kind: str, label: str,
               action: tuple[Any, ...], page: str, want: dict[str, list[str] | None]) -> None:
    verb, *args = action
    try:
        run = await getattr(client, verb)(*args)
    except Exception as error:
        raise WalkError(f"{kind}: {label} (action {session.runs + 1}): "
                        f"{type(error).__name__}: {str(error)[:300]}") from None
    session.runs += 1
    session.early += run.early
    session.received += run.received
    if run.connect is not None:
        session.connects.append(run.connect)
    session.timings.setdefault(kind, []).append(run.seconds)
    session.steps.setdefault(f"{kind}: {label}", []).append(run.seconds)
    session.errors += [f"{kind}: {label}: {p}" for p in problems(run, page, want)]


async def _walk(base: str, session: Session, rounds: int, timeout: float, think: float,
                delay: float = 0.0) -> None:
    await asyncio.sleep(delay)
    client = Client(base, timeout)
    try:
        for _ in range(rounds):
            for step, (kind, label, action, page, want) in enumerate(WALK):
                if step:
                    await asyncio.sleep(think)  # a user reads before the next click
                await _act(client, session, kind, label, action, page, want)
            await asyncio.sleep(think)
        session.done = True
    except Exception as error:  # a failed client is counted, not hidden
        session.errors.append(f"{type(error).__name__}: {str(error)[:400]}")
    finally:
        await client.close()


async def _run(server: Server, sessions: int, rounds: int, timeout: float, ramp: float,
               think: float, memory: dict[str, int], cpu: dict[str, float]) -> list[Session]:
    # One client first, alone: it makes the server load (or build) the index. It walks
    # twice: the memory the load or build used for a while is returned during the second walk
    # (seen on a 10,000-article corpus: 594 MB after the first, 501 MB after the second), and
    # would otherwise hide what the clients add.
    for walk in range(2):
        warm = Session(-1 - walk)
        await _walk(server.url, warm, 1, timeout * 4, 0.0)
        if warm.errors:
            raise RuntimeError(f"warm-up client failed: {warm.errors[:3]}")
        memory["loaded" if walk == 0 else "warm"] = server.rss()
    memory["peak"] = memory["warm"]
    group = [Session(i) for i in range(sessions)]
    cpu["server"], cpu["machine"], cpu["clients"], cpu["wall"] = (
        server.cpu(), _machine_cpu(), time.process_time(), time.perf_counter())
    await asyncio.gather(*(_walk(server.url, s, rounds, timeout, think, i * ramp)
                           for i, s in enumerate(group)))
    cpu["server"] = server.cpu() - cpu["server"]
    cpu["machine"] = _machine_cpu() - cpu["machine"]
    cpu["clients"] = time.process_time() - cpu["clients"]
    cpu["wall"] = time.perf_counter() - cpu["wall"]
    return group


#: Kinds of errors, by what their message holds (the first that matches).
ERROR_KINDS = [
    ("exception element", ("exception: ",)),
    ("timeout", ("TimeoutError", "no script_finished")),
    ("connection dropped", ("connection dropped", "ConnectionError", "ConnectionRefused",
                            "URLError", "InvalidStatus")),
    ("script not finished successfully", ("script_finished ",)),
    ("page not drawn as asked", ("drew no", "no title", "ran page", "page not found",
                                 "query string")),
    ("widget or link missing", ("no widget", "no option", "no sidebar link")),
    ("server log", ("server log: ",)),
]


def _error_kind(error: str) -> str:
    return next((kind for kind, marks in ERROR_KINDS if any(m in error for m in marks)),
                "other")


def _figures(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_s": round(statistics.median(values), 3),
            "p95_s": round(percentile(values, 0.95), 3), "max_s": round(max(values), 3)}


def run(corpus: Path, *, sessions: int = 20, rounds: int = 2, cache: Path | None = None,
        timeout: float = 120.0, ramp: float = 0.5, think: float = 1.0) -> dict[str, Any]:
    """Run the load test and return its figures (see the module docstring)."""
    memory = {"loaded": 0, "warm": 0, "peak": 0}
    cpu = {"server": 0.0, "machine": 0.0, "clients": 0.0, "wall": 0.0}
    group, elapsed, after, articles, server = under_load(
        corpus, cache, lambda server: _run(server, sessions, rounds, timeout, ramp, think,
                                           memory, cpu), memory)
    timings: dict[str, list[float]] = {}
    steps: dict[str, list[float]] = {}
    for session in group:
        for kind, values in session.timings.items():
            timings.setdefault(kind, []).extend(values)
        for label, values in session.steps.items():
            steps.setdefault(label, []).extend(values)
    reruns = timings.get("filter change", [])
    errors = [f"client {s.number}: {e}" for s in group for e in s.errors]
    errors += [f"server log: {line}" for line in server.log.errors]
    runs = sum(s.runs for s in group)
    connects = [c for s in group for c in s.connects]
    return {
        "corpus": str(corpus),
        "articles": articles,
        **_provenance(),
        "client": "websocket (Streamlit's protocol, no browser)",
        "sessions": sessions,
        "rounds": rounds,
        "ramp_s": ramp,
        "think_s": think,
        "timeout_s": timeout,
        "completed": sum(s.done for s in group),
        "errors": errors,
        "error_kinds": dict(Counter(_error_kind(e) for e in errors)),
        "seconds": round(elapsed, 1),
        "runs": runs,
        "runs_per_s": round(runs / cpu["wall"], 2) if cpu["wall"] else None,
        "early_reruns": sum(s.early for s in group),
        "received_mb": round(sum(s.received for s in group) / 2**20, 1),
        "rerun_p50_s": round(statistics.median(reruns), 3) if reruns else None,
        "rerun_p95_s": round(percentile(reruns, 0.95), 3) if reruns else None,
        "rerun_max_s": round(max(reruns), 3) if reruns else None,
        "actions": {kind: _figures(v) for kind, v in sorted(timings.items())},
        "steps": {label: _figures(v) for label, v in steps.items()},
        # A page load's connection before its run: two HTTP requests and the handshake.
        "connect": _figures(connects) if connects else None,
        # While the clients ran together: CPU seconds of the server, of the clients (this
        # process), of the whole machine, and what was available.
        # (The server runs the scripts of all sessions in one Python process: a run holds the
        # interpreter lock most of the time, so the server uses about one core at most.)
        "cpu_server_s": round(cpu["server"], 1),
        "cpu_server_per_run_s": round(cpu["server"] / runs, 3) if runs else None,
        "cpu_clients_s": round(cpu["clients"], 1),
        "cpu_machine_s": round(cpu["machine"], 1),
        "cpu_others_s": round(max(cpu["machine"] - cpu["server"] - cpu["clients"], 0.0), 1),
        "cpu_available_s": round(cpu["wall"] * (os.cpu_count() or 1), 1),
        "server_rss_start_mb": round(memory["start"] / 2**20),
        "server_rss_loaded_mb": round(memory["loaded"] / 2**20),
        "server_rss_before_mb": round(memory["warm"] / 2**20),
        "server_rss_peak_mb": round(memory["peak"] / 2**20),
        "server_rss_after_mb": round(after / 2**20),
        "rss_per_session_mb": round((memory["peak"] - memory["warm"]) / 2**20
                                    / max(sessions, 1), 1),
    }


def table(result: dict[str, Any]) -> str:
    plural = "s" * (result["sessions"] != 1)
    lines = [f"Load test over the websocket: {result['sessions']} concurrent client{plural} x "
             f"{result['rounds']} rounds, {result['think_s']} s between actions, on "
             f"{result['corpus']} ({result.get('articles') or '?'} articles, commit "
             f"{result.get('commit') or '?'}, {result.get('date') or '?'}) "
             f"({result['completed']} of {result['sessions']} completed, "
             f"{len(result['errors'])} errors, {result['runs']} runs, {result['seconds']} s)",
             "", "| action | count | median | 95th percentile | max |",
             "| --- | --- | --- | --- | --- |"]
    rows = [*result["actions"].items(), *result["steps"].items()]
    if result.get("connect"):
        rows.append(("page load's connection, before its run", result["connect"]))
    for kind, figures in rows:
        lines.append(f"| {kind} | {figures['n']} | {figures['p50_s']:.2f} s | "
                     f"{figures['p95_s']:.2f} s | {figures['max_s']:.2f} s |")
    if result["errors"]:
        lines += ["", "Errors by kind: " + ", ".join(
            f"{kind} {n}" for kind, n in result["error_kinds"].items()) + "."]
    lines += ["", f"Server memory (process tree): {result['server_rss_start_mb']:,} MB at "
              f"start, {result['server_rss_loaded_mb']:,} MB after the first client loaded "
              f"the index, {result['server_rss_before_mb']:,} MB after its second walk, "
              f"{result['server_rss_peak_mb']:,} MB at the peak with "
              f"{result['sessions']} client{plural} ({result['rss_per_session_mb']} MB per "
              f"extra client), {result['server_rss_after_mb']:,} MB at the end.",
              "", f"CPU while the clients ran: the server {result['cpu_server_s']:,} s "
              f"({result['cpu_server_per_run_s']} s per run), the clients "
              f"{result['cpu_clients_s']:,} s, other processes {result['cpu_others_s']:,} s, "
              f"of {result['cpu_available_s']:,} s available; {result['runs_per_s']} runs "
              f"per second, {result['received_mb']} MB received."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=2, help="walks per client")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a client waits between its actions (default 1: a user "
                             "reads the page before clicking)")
    parser.add_argument("--ramp", type=float, default=0.5,
                        help="seconds between the starts of two clients (default 0.5)")
    parser.add_argument("--cache", "--cache-dir", dest="cache", type=Path,
                        help="the index cache folder (default: a new temporary one)")
    parser.add_argument("--json", "--out", dest="out", type=Path,
                        default=ROOT / "bench" / "RESULTS-load-ws.json")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per action")
    args = parser.parse_args(argv)
    return measure_and_write(
        lambda: run(args.corpus, sessions=args.sessions, rounds=args.rounds, cache=args.cache,
                    timeout=args.timeout, ramp=args.ramp, think=args.think),
        table, args.out, corpus=args.corpus, sessions=args.sessions, rounds=args.rounds)


if __name__ == "__main__":
    sys.exit(main())
