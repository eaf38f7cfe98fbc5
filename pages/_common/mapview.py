"""The choropleth: scores joined to boundaries, classed (geo.classify), prepared (geo.layer), as a pydeck Deck.

No basemap: ``map_style=None`` and ``map_provider=None`` so the map renders offline; the polygons are the map.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk

from data.errors import StapelkaartError
from geo.crs import WGS84
from indicators import registry as reg
from pages._common import loaders, wording
from pages._common.fmt import fmt_num
from pages._common.i18n import label, t
from pages._common.state import ViewState


log = logging.getLogger(__name__)


@dataclass
class MapData:
    deck: pdk.Deck
    legend_rows: list[dict]
    colour_label: str
    n_areas: int
    joined: pd.DataFrame
    focus_names: list[str]
    bounds: tuple
    fill: np.ndarray = None
    entries: list = None
    outlines: object = None
    legend_lines: list = None  # the rules behind the colours (wording.legend_lines)


def colour_label(colour: str, lang: str) -> str:
    if colour == "composite":
        return t("colour_composite", lang)
    if colour == "stacking":
        return t("colour_stacking", lang)
    kind, _, ident = colour.partition(":")
    if kind == "domain":
        return t("colour_domain", lang, label=label(reg.DOMAINS[ident], lang))
    return t("colour_ind", lang, label=label(reg.INDICATORS[ident], lang))


def colour_column(colour: str) -> str:
    if colour == "composite":
        return "composite"
    if colour == "stacking":
        return "stacking_count"
    kind, _, ident = colour.partition(":")
    return f"domain__{ident}" if kind == "domain" else f"{ident}__rank" if kind == "ind" else ident


def _values(joined: pd.DataFrame, colour: str) -> np.ndarray:
    col = colour_column(colour)
    v = pd.to_numeric(joined[col], errors="coerce") if col in joined else pd.Series(np.nan, index=joined.index)
    if colour == "stacking":   # no domain at all available: 'geen gegevens', never a misleading 0
        dom = [c for c in joined.columns if c.startswith("domain__") and c.count("__") == 1]
        if dom:
            v = v.where(~joined[dom].isna().all(axis=1))
        else:
            v = pd.Series(np.nan, index=joined.index)
    return v.to_numpy(float)


def build(view: ViewState, scored: loaders.Scored, gdf, focus_only: str | None = None) -> MapData:
    lang = view.lang
    joined = loaders.join_scores(gdf, scored.table, stats_year=view.year, boundary_year=view.year).frame \
        if len(scored.table) else gdf.assign(has_data=False)
    joined.attrs = {}
    values = _values(joined, view.colour)
    if view.hotspots and "lisa" in joined:
        fill = loaders.lisa_colors(joined["lisa"].tolist())
        entries = loaders.lisa_legend(joined["lisa"].tolist(), lang=lang)
    else:
        scheme = "fixed" if view.colour == "stacking" else view.classes
        kw = {"breaks": list(loaders.STACKING_BREAKS)} if view.colour == "stacking" else {}
        cls = loaders.classify(values, scheme, view.k, **kw)      # state.CLASSIFIERS are all geo.classify schemes
        fill = loaders.class_colors(cls)
        entries = loaders.legend(values, cls, lang=lang, decimals=0 if view.colour == "stacking" else None)
        if view.colour == "stacking":
            names = loaders.STACKING_LABELS
            for i, e in enumerate(entries[:-1]):
                entries[i] = e.__class__(**{**e.__dict__, "label": names[i] if i < len(names) else e.label})
    fill = np.asarray(fill, dtype=np.uint8)

    # tooltip fields (escaped by geo.layer); stacking and composite with n and m (pages/_common/wording.py)
    ranks = pd.Series(values).rank(ascending=False, method="min")
    words = wording.tooltip_fields(joined, lang)
    joined = joined.assign(
        sk_value=[fmt_num(v, 0 if view.colour == "stacking" else 1, lang) for v in values],
        sk_rank=[f"{int(r)} / {int(np.isfinite(values).sum())}" if np.isfinite(v) else "–" for r, v in zip(ranks, values)],
        sk_stack=words["sk_stack"].to_numpy(), sk_composite=words["sk_composite"].to_numpy(),
        sk_name=words["sk_name"].to_numpy(),
    )
    props = ("code", "sk_name", "sk_value", "sk_rank", "sk_stack", "sk_composite")
    key = (view.gemeenten, view.year, view.level, view.colour, view.classes, view.k, view.hotspots,
           view.weights, loaders.user_file_signature())
    layer = loaders.map_layer(key, joined[list(props) + ["geometry"]], props, fill.tobytes())
    layers = [pdk.Layer("GeoJsonLayer", data=layer.data, id="areas", pickable=True, stroked=True, filled=True,
                        get_fill_color="properties.fill", get_line_color=[255, 255, 255],
                        line_width_min_pixels=0.5, auto_highlight=True, highlight_color=[31, 78, 121, 120])]
    focus_names = []
    outlines = None
    bounds = layer.bounds
    groups = {f.id: [c for c in f.codes] for f in loaders.focus_areas()
              if f.gemeente_code in view.gemeenten and view.level == "wijk"}
    if groups:
        names = {f.id: label(f, lang).split(" (")[0] for f in loaders.focus_areas()}
        try:
            outlines = loaders.focus_outlines(gdf, groups, names=names, close_gaps_m=60)
            outlines = outlines[["name", "geometry"]]
            focus_names = outlines["name"].tolist()
            ol = outline_geojson(outlines)
            layers.append(pdk.Layer("GeoJsonLayer", data=ol, id="focus", pickable=False, stroked=True, filled=False,
                                    get_line_color=[20, 20, 20], line_width_min_pixels=4))
            pts = loaders.label_points(outlines)
            layers.append(pdk.Layer("TextLayer", data=pts, id="focus_labels", get_position="position",
                                    get_text="label_plain", get_size=30 if view.present else 18, get_color=[0, 0, 0],
                                    background=True, get_background_color=[255, 255, 255, 230],
                                    font_weight=700, pickable=False))
            if focus_only and focus_only in names.values():
                row = outlines[outlines["name"] == focus_only]
                x0, y0, x1, y1 = (float(x) for x in row.to_crs(WGS84).total_bounds)
                px, py = (x1 - x0) * 1.0, (y1 - y0) * 1.0       # context around the focus area
                bounds = (x0 - px, y0 - py, x1 + px, y1 + py)
        except (StapelkaartError, ValueError) as exc:  # outlines are an extra; the choropleth stands without them
            log.warning("Focusgebieden niet getekend: %s", exc)
    vs = loaders.view_state_for_bounds(bounds, 1100, 650 if not view.present else 800)
    tip = wording.tooltip_html(lang)
    deck = loaders.CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**vs), **basemap(),
                    tooltip={"html": tip, "style": {"backgroundColor": "#1a1a1a", "color": "#ffffff",
                                                    "fontSize": "14px"}})
    rows = [{"hex": "#%02x%02x%02x" % tuple(e.color[:3]), "label": e.label, "n": e.n} for e in entries]
    title = t("hotspots", lang).replace("Toon h", "H").replace("Show h", "H") if view.hotspots else colour_label(view.colour, lang)
    return MapData(deck, rows, title, len(joined), joined, focus_names, bounds,
                   fill, entries, outlines, wording.legend_lines(scored.result, view))


BLANK_STYLE = {"version": 8, "sources": {}, "layers": [
    {"id": "background", "type": "background", "paint": {"background-color": "#f4f6f8"}}]}


def basemap() -> dict:
    """No tiles by default (works offline: a blank inline style, no request); STAPELKAART_BASEMAP=carto adds them."""
    import json
    import os
    from urllib.parse import quote
    if os.environ.get("STAPELKAART_BASEMAP", "").lower() == "carto":
        return {"map_style": "light", "map_provider": "carto"}
    return {"map_style": "data:application/json;charset=utf-8," + quote(json.dumps(BLANK_STYLE)), "map_provider": None}


def outline_geojson(outlines) -> dict:
    import json
    return json.loads(outlines[["name", "geometry"]].assign(name="").to_crs(WGS84).to_json())


def _has_domains(joined: pd.DataFrame) -> np.ndarray:
    """True where at least one domain score exists (else stacking says nothing: shown as '–', not 'geen')."""
    dom = [c for c in joined.columns if c.startswith("domain__") and c.count("__") == 1]
    return joined[dom].notna().any(axis=1).to_numpy() if dom else np.zeros(len(joined), dtype=bool)


def _stack_text(value: object, lang: str) -> str:
    if not isinstance(value, str) or not value:
        return t("none", lang)
    return ", ".join(label(reg.DOMAINS[d], lang) if d in reg.DOMAINS else d for d in value.split(";"))
