"""HTTP side of the map component for ``st.App`` (Streamlit >= 1.53 runs on Starlette; st.App takes routes
and middleware): the geometry route and immutable cache headers for content-hashed files.

``Cache-Control: public, max-age=31536000, immutable`` is sent for

* ``/_stapelkaart/geo/<digest>.skq`` (prepared geometry, name = content hash, from ``components.deckmap.store``);
* ``/component/components.deckmap.deckmap/assets/*`` (the esbuild bundle, name = content hash).

Streamlit itself sends only ``Cache-Control: public`` for component files (no max-age, no validator), so
without this the bundle and geometry are downloaded on every page load.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GEO_PREFIX = "/_stapelkaart/geo/"
ASSET_PREFIX = "/component/components.deckmap.deckmap/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
_ACTIVE = {"routes": False}  # one cell: set once serve.py builds its st.App


def routes_active() -> bool:
    """True when this process serves :func:`routes` (set when serve.py builds its st.App)."""
    return _ACTIVE["routes"]


async def _geometry(request: Request) -> Response:
    from components.deckmap.store import path_of

    path = path_of(request.path_params["name"])
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(
        path.read_bytes(),
        media_type="application/octet-stream",
        headers={"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"},
    )


def routes() -> list[Route]:
    _ACTIVE["routes"] = True
    return [Route(GEO_PREFIX + "{name}", _geometry, methods=["GET"])]


class _ImmutableAssets:
    """Overrides Cache-Control for the component's content-hashed bundle (raw ASGI: no body buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(ASSET_PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers.append((b"cache-control", IMMUTABLE.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_wrapper)


def middleware() -> list[Middleware]:
    return [Middleware(_ImmutableAssets)]
