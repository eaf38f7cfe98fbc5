"""A minimal honest Streamlit client: the browser's own websocket protocol, without a browser.

It does what the Streamlit frontend does on page load: open ``/_stcore/stream`` (subprotocol ``streamlit``,
same-origin ``Origin`` header), send one ``BackMsg.rerun_script`` with the page's query string and URL path,
and read ``ForwardMsg``s until ``script_finished``. The protobuf classes are Streamlit's own
(``streamlit.proto``), so the server cannot tell it from a browser tab at the protocol level (it renders no
pixels and runs no JavaScript: pydeck/Vega work in the browser is not measured).

    run = await open_page("http://127.0.0.1:8501", "gm=GM0479&w=armoede:2", page="kaart")
    run.seconds, run.errors, run.texts, run.deck_specs

Used by ``benchmarks/bench_load.py`` (many concurrent sessions) and ``tests/test_deploy.py`` (the same link
through two replicas gives the same view).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_OK = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
ALERT_ERROR = 1  # streamlit.proto.Alert_pb2.Alert.Format.ERROR


@dataclass
class PageRun:
    """What one script run sent: its duration, rendered texts in order, errors, deck specs, cookies seen."""

    seconds: float = float("nan")
    finished: bool = False
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deck_specs: list[str] = field(default_factory=list)
    page_not_found: bool = False
    messages: int = 0
    session_id: str = ""

    def view_digest(self) -> str:
        """A hash of what the page showed (texts, map specs): equal digests = the same view."""
        h = hashlib.sha256()
        for part in [*self.texts, *self.deck_specs]:
            h.update(part.encode("utf-8", "replace"))
            h.update(b"\0")
        return h.hexdigest()[:16]


def _collect(msg: ForwardMsg, run: PageRun) -> None:
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        run.session_id = msg.new_session.initialize.session_id or run.session_id
    elif kind == "page_not_found":
        run.page_not_found = True
        run.errors.append(f"page_not_found: {msg.page_not_found.page_name}")
    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        _collect_element(msg.delta.new_element, run)


def _collect_element(el, run: PageRun) -> None:
    """One new element: errors, visible texts and map specs into ``run``."""
    which = el.WhichOneof("type")
    if which == "exception":
        run.errors.append(f"exception: {el.exception.type}: {el.exception.message}")
    elif which == "alert":
        if el.alert.format == ALERT_ERROR:
            run.errors.append(f"st.error: {el.alert.body}")
        run.texts.append(el.alert.body)
    elif which in ("markdown", "heading", "text"):
        run.texts.append(getattr(el, which).body)
    elif which == "metric":
        run.texts.append(f"{el.metric.label}={el.metric.body}")
    elif which == "deck_gl_json_chart":
        run.deck_specs.append(el.deck_gl_json_chart.json)
    elif which == "component_instance" and el.component_instance.component_name.endswith(".deckmap"):
        # the map component: its JSON arguments plus a digest of each binary one (colours, tooltip values)
        binary = {a.key: hashlib.sha256(a.bytes).hexdigest()[:16] for a in el.component_instance.special_args}
        run.deck_specs.append(el.component_instance.json_args + repr(sorted(binary.items())))


def _rerun_msg(query_string: str, page: str) -> bytes:
    back = BackMsg()
    back.rerun_script.query_string = query_string
    back.rerun_script.page_name = page
    back.rerun_script.page_script_hash = ""
    return back.SerializeToString()


async def open_page(
    base_url: str,
    query_string: str = "",
    *,
    page: str = "",
    timeout: float = 300.0,
    hold: asyncio.Event | None = None,
    ran: asyncio.Event | None = None,
    headers: dict[str, str] | None = None,
) -> PageRun:
    """Open one session, run the page once, return what it showed.

    ``hold``: keep the websocket (and so the server session) open until the event is set, so a caller can
    measure the server's memory with all sessions alive; ``ran`` is set as soon as the run is over.
    ``headers``: extra handshake headers (e.g. the ``Cookie`` a proxy routes on).
    """
    from websockets.asyncio.client import connect

    parts = urlsplit(base_url)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    run = PageRun()
    async with connect(
        ws_url,
        subprotocols=["streamlit"],
        origin=f"{parts.scheme}://{parts.netloc}",
        max_size=None,
        open_timeout=30,
        ping_interval=None,
        additional_headers=headers or None,
    ) as ws:
        t0 = time.perf_counter()
        await ws.send(_rerun_msg(query_string, page))
        deadline = t0 + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                run.errors.append(f"timeout after {timeout:.0f} s")
                break
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=left)
            except TimeoutError:
                run.errors.append(f"timeout after {timeout:.0f} s")
                break
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            run.messages += 1
            _collect(msg, run)
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished in FINISHED_OK:
                    run.seconds = time.perf_counter() - t0
                    run.finished = True
                    break
                if msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append("compile error")
                    break
                # FINISHED_EARLY_FOR_RERUN: the app called st.rerun; a new run follows, keep the clock going.
                run.texts.clear()
                run.deck_specs.clear()
        if ran is not None:
            ran.set()
        if hold is not None:
            await hold.wait()
    return run


async def widget_changes(
    base_url: str, query_string: str, key: str, values, *, open_keys: tuple[str, ...] = (), timeout: float = 300.0
) -> dict:
    """Open the page, then change the widget with user key ``key`` to each of ``values`` as the browser does:
    one ``rerun_script`` per change with that widget's new state and, when the widget sits in an st.fragment,
    the fragment's id (Streamlit then reruns only the fragment). ``open_keys``: keyed expanders (on_change="rerun")
    to open first, as a click does (their open state goes with every later change, as the browser sends all
    widget states). Returns ``{"first": s, "changes": [s, ...], "fragment": bool, "bytes": [n, ...]}``: seconds
    from sending to ``script_finished`` and bytes received."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from websockets.asyncio.client import connect

    parts = urlsplit(base_url)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    watch = _WidgetWatch(key, open_keys)
    found, expanders = watch.found, watch.expanders

    async with connect(
        ws_url,
        subprotocols=["streamlit"],
        origin=f"{parts.scheme}://{parts.netloc}",
        max_size=None,
        open_timeout=30,
        ping_interval=None,
    ) as ws:
        t0 = time.perf_counter()
        await ws.send(_rerun_msg(query_string, ""))
        await _until_finished(ws, watch, timeout)
        first = time.perf_counter() - t0
        opened = []
        for k in open_keys:
            if k not in expanders:
                raise RuntimeError(f"no expander with key {k!r} on the page")
            opened.append(WidgetState(id=expanders[k][0], bool_value=True))
            back = BackMsg()
            back.rerun_script.query_string = query_string
            back.rerun_script.page_script_hash = found.get("page_hash", "")
            if expanders[k][1]:
                back.rerun_script.fragment_id = expanders[k][1]
            back.rerun_script.widget_states.widgets.extend(opened)
            await ws.send(back.SerializeToString())
            await _until_finished(ws, watch, timeout)
        if "id" not in found:
            raise RuntimeError(f"no widget with key {key!r} on the page")
        out = {"first": first, "changes": [], "bytes": [], "fragment": bool(found.get("fragment"))}
        for value in values:
            back = BackMsg()
            rs = back.rerun_script
            rs.query_string = query_string
            rs.page_script_hash = found.get("page_hash", "")
            if found.get("fragment"):
                rs.fragment_id = found["fragment"]
            rs.widget_states.widgets.extend([*opened, _widget_state(WidgetState, found, value)])
            await ws.send(back.SerializeToString())
            seconds, size = await _until_finished(ws, watch, timeout)
            out["changes"].append(seconds)
            out["bytes"].append(size)
            out.setdefault("drawn", []).append(found.get("drawn"))
        return out


class _WidgetWatch:
    """Reads the page's messages for :func:`widget_changes`: the page hash, the widget with user key ``key``
    (id, kind, fragment), the keyed expanders in ``open_keys`` and the map version drawn."""

    def __init__(self, key: str, open_keys: tuple[str, ...]) -> None:
        self.key, self.open_keys = key, open_keys
        self.found: dict = {}
        self.expanders: dict[str, tuple[str, str]] = {}  # user key -> (widget id, fragment id)

    def __call__(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.found["page_hash"] = msg.new_session.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
            block = msg.delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                for k in self.open_keys:
                    if block.expandable.id.endswith(f"-{k}"):
                        self.expanders[k] = (block.expandable.id, msg.delta.fragment_id)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.delta.fragment_id)

    def _element(self, el, fragment_id: str) -> None:
        inner = getattr(el, el.WhichOneof("type") or "", None)
        wid = getattr(inner, "id", "") if inner is not None else ""
        if isinstance(wid, str) and wid.endswith(f"-{self.key}"):
            self.found.update(id=wid, kind=el.WhichOneof("type"), fragment=fragment_id)
        if el.WhichOneof("type") == "component_instance":  # what the map drew (its args' version)
            self.found["drawn"] = json.loads(el.component_instance.json_args or "{}").get("version")


async def _until_finished(ws, watch: _WidgetWatch, timeout: float) -> tuple[float, int]:
    """Read messages until ``script_finished``: (seconds, bytes received); a failed run raises."""
    t0, size = time.perf_counter(), 0
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=timeout)
        size += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        watch(msg)
        if msg.WhichOneof("type") == "script_finished":
            if msg.script_finished not in FINISHED_OK:
                raise RuntimeError(f"run ended with {msg.script_finished}")
            return time.perf_counter() - t0, size


def _widget_state(widget_state, found: dict, value):
    """The browser's state message for the found widget set to ``value`` (slider: a list; int or float)."""
    state = widget_state(id=found["id"])
    if found["kind"] == "slider":
        state.double_array_value.data.append(float(value))
    elif isinstance(value, int):
        state.int_value = value
    else:
        state.double_value = float(value)
    return state
