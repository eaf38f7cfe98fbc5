"""CompactDeck sends the same map as pydeck's Deck in fewer bytes."""

import json

import pydeck as pdk

from geo.deck import CompactDeck, deck_bytes


def _layer():
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[4.9, 52.3], [4.91, 52.3], [4.91, 52.31], [4.9, 52.3]]]},
               "properties": {"name": "A &amp; B &lt;img&gt;", "code": "WK0363MC"}}
    return pdk.Layer("GeoJsonLayer", data={"type": "FeatureCollection", "features": [feature]}, get_fill_color=[1, 2, 3])


def test_compact_deck_is_the_same_json_with_fewer_bytes():
    layer = _layer()  # one layer object: pydeck gives every new Layer a random id
    plain = pdk.Deck(layers=[layer], map_style=None, map_provider=None)
    compact = CompactDeck(layers=[layer], map_style=None, map_provider=None)
    assert json.loads(compact.to_json()) == json.loads(plain.to_json())
    assert deck_bytes(compact) < 0.8 * deck_bytes(plain)
    assert "\n" not in compact.to_json()
