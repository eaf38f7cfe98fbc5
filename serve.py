"""Entry point that serves app.py as an st.App with the map component's routes (``streamlit run serve.py``).

Adds ``/_stapelkaart/geo/<digest>.skq`` (prepared geometry by content hash) and immutable cache headers for
the map component's content-hashed bundle; see components/deckmap/server.py. ``streamlit run app.py`` keeps
working (the map then falls back to Streamlit's component file route and the browser's Cache Storage).

It also drops Streamlit's ``clear_cache`` back-message (:class:`NoClearCache`): Streamlit handles it from any
connected browser by emptying ``st.cache_data`` and ``st.cache_resource`` for every visitor (the national view
then re-fetches 340 PDOK pages), and has no setting to turn that off (1.67: ``AppSession.handle_backmsg`` calls
``_handle_clear_cache_request`` unconditionally; ``client.toolbarMode = "minimal"`` only hides the menu item).
The shared caches are emptied by an admin action (Gegevens) or a restart, never by a visitor's message.
"""

from __future__ import annotations

import logging

import streamlit as st
from starlette.middleware import Middleware
from streamlit.proto.BackMsg_pb2 import BackMsg

from components.deckmap import server

log = logging.getLogger("stapelkaart.serve")


def is_clear_cache(data: bytes | None) -> bool:
    """True if ``data`` is a serialised BackMsg whose type is ``clear_cache`` (anything unparsable: False, left to
    Streamlit, which refuses it itself)."""
    if not data:
        return False
    msg = BackMsg()
    try:
        msg.ParseFromString(data)
    except Exception:  # noqa: BLE001 (protobuf's DecodeError has no stable import path; Streamlit handles it)
        return False
    return msg.WhichOneof("type") == "clear_cache"


class NoClearCache:
    """ASGI middleware: websocket frames that are a ``clear_cache`` BackMsg never reach Streamlit (logged)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return

        async def guarded_receive():
            while True:
                event = await receive()
                if event.get("type") == "websocket.receive" and is_clear_cache(event.get("bytes")):
                    log.warning("clear_cache van een browser genegeerd (de gedeelde caches blijven staan)")
                    continue
                return event

        await self.app(scope, guarded_receive, send)


app = st.App("app.py", routes=server.routes(), middleware=[*server.middleware(), Middleware(NoClearCache)])
