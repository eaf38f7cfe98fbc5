"""A pydeck Deck that serialises compactly.

``st.pydeck_chart`` sends ``Deck.to_json()`` to the browser, and pydeck indents that JSON by two spaces
(``pydeck.bindings.json_tools.serialize``). For polygon layers the indentation is ~30 % of the bytes, so a
prepared map layer that is 0.20 of a naive ``GeoDataFrame.to_json()`` becomes 0.28 on the wire.
:class:`CompactDeck` emits the same JSON without whitespace (``benchmarks/bench_payload.py`` measures it).
"""

from __future__ import annotations

import json

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize


class CompactDeck(pdk.Deck):
    """``pdk.Deck`` whose ``to_json`` has no indentation, no spaces after separators and no ``\\uXXXX``
    escapes (the text goes to the browser as UTF-8)."""

    def to_json(self) -> str:  # noqa: D102 - same contract as pydeck's
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def deck_bytes(deck: pdk.Deck) -> int:
    """Bytes of the JSON that ``st.pydeck_chart`` sends for ``deck``."""
    return len(deck.to_json().encode("utf-8"))
