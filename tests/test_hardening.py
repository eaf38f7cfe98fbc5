"""Issue 22, hardening: a visitor's ``clear_cache`` back-message does not empty the shared caches (serve.py)."""

from __future__ import annotations

import asyncio
import os

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

serve = pytest.importorskip("serve", reason="serve.py needs the built map component (components/deckmap/build.sh)")


def _msg(**kw) -> bytes:
    m = BackMsg()
    for k, v in kw.items():
        setattr(m, k, v)
    return m.SerializeToString()


def test_the_clear_cache_back_message_never_reaches_streamlit():
    events = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "bytes": _msg(clear_cache=True)},
        {"type": "websocket.receive", "bytes": _msg(app_heartbeat=True)},
        {"type": "websocket.receive", "bytes": b"\xff\xff not a protobuf"},
        {"type": "websocket.disconnect"},
    ]
    seen = []

    async def app(scope, receive, send):
        while True:
            event = await receive()
            seen.append(event)
            if event["type"] == "websocket.disconnect":
                return

    async def receive():
        return events.pop(0)

    asyncio.run(serve.NoClearCache(app)({"type": "websocket"}, receive, None))
    kinds = [
        BackMsg.FromString(e["bytes"]).WhichOneof("type") if e.get("bytes", b"")[:1] != b"\xff" else "junk"
        for e in seen
        if e["type"] == "websocket.receive"
    ]
    assert kinds == ["app_heartbeat", "junk"]  # clear_cache dropped; the rest passes unchanged
    assert seen[0]["type"] == "websocket.connect" and seen[-1]["type"] == "websocket.disconnect"


def test_http_passes_untouched():
    called = []

    async def app(scope, receive, send):
        called.append(scope["type"])

    asyncio.run(serve.NoClearCache(app)({"type": "http"}, None, None))
    assert called == ["http"]


@pytest.mark.browser
def test_a_live_server_drops_clear_cache_from_a_websocket_client(tmp_path):
    import websockets.sync.client as ws

    from tests._browser import serve as run_server

    log = tmp_path / "server.log"
    env = dict(os.environ, STAPELKAART_CACHE_DIR=str(tmp_path / "cache"))
    for url in run_server(env, log=log):
        with ws.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"]) as conn:
            conn.send(_msg(clear_cache=True))
            conn.send(_msg(app_heartbeat=True))
            conn.recv(timeout=10)  # the heartbeat's ack: the socket is served
    assert "clear_cache van een browser genegeerd" in log.read_text()
