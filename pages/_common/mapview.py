"""The choropleth: scores joined to boundaries and classed (geo.classify) for the map component
(components.deckmap): geometry travels once per (gemeenten, year, level) as a content-hashed file; a rerun
sends one palette index per area, the palette, the tooltip values and the outlined codes.

No basemap: the component draws the polygons in RD metres, so the map renders offline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import field as dfield
from functools import cached_property

import numpy as np
import pandas as pd

from components.deckmap import field, flags_field
from core.codes import wijk_of
from core.colours import NODATA_RGBA
from core.errors import StapelkaartError
from geo.classify import class_colors, classify, legend, lisa_colors, lisa_legend
from geo.layer import focus_outlines
from indicators import registry as reg
from indicators.result import scores
from indicators.tables import STACKING_BREAKS, STACKING_LABELS
from pages._common import wording
from pages._common.fmt import fmt_num
from pages._common.i18n import label, t
from pages._common.state import ViewState

log = logging.getLogger(__name__)


@dataclass(eq=False)
class MapData:
    legend_rows: list[dict]
    colour_label: str
    n_areas: int
    joined: pd.DataFrame  # one row per boundary (tables, PNG export), order of the boundaries
    focus_names: list[str]
    fill: np.ndarray  # RGBA per row of ``joined`` (PNG export)
    entries: list
    geometry: object  # geo.quantize.EncodedGeometry
    classes: np.ndarray  # palette index per area, order of ``geometry.codes``
    palette: list  # RGBA per palette index; the last is the no-data grey
    fields: list  # tooltip lines (components.deckmap.field)
    outline_codes: list = dfield(default_factory=list)  # members of the focus areas shown, outlined
    gdf: object = None
    focus_groups: dict = dfield(default_factory=dict)
    focus_labels: dict = dfield(default_factory=dict)
    legend_lines: list = dfield(default_factory=list)  # the rules behind the colours (wording.legend_lines)
    values: np.ndarray = None  # the colouring's value per row of ``joined`` (for ``table``)
    ranks: np.ndarray = None  # its rank (1 = highest)
    lang: str = "nl"
    decimals: int = 1

    @cached_property
    def table(self) -> pd.DataFrame:
        """``joined`` with the tooltip's content as text per area (the area table, colour never the only carrier):
        formatted when the table is opened, never on a rerun that does not show it."""
        finite = np.isfinite(self.values)
        words = wording.tooltip_fields(self.joined, self.lang)  # "k van n bekend (m domeinen): ...", composite n of m
        return self.joined.assign(
            sk_value=[fmt_num(v, self.decimals, self.lang) for v in self.values],
            sk_rank=[
                f"{fmt_num(r, 0, self.lang)} / {fmt_num(int(finite.sum()), 0, self.lang)}" if ok else "–"
                for r, ok in zip(self.ranks, finite)
            ],
            sk_stack=words["sk_stack"].to_numpy(),
            sk_composite=words["sk_composite"].to_numpy(),
        )

    @cached_property
    def outlines(self):
        """Dissolved focus areas (RD) for the PNG export only: computed when asked for, never per rerun."""
        if not self.focus_groups:
            return None
        try:
            return focus_outlines(self.gdf, self.focus_groups, names=self.focus_labels, close_gaps_m=60)[
                ["name", "geometry"]
            ]
        except (StapelkaartError, ValueError) as exc:  # outlines are an extra; the map stands without them
            log.warning("Focusgebieden niet getekend: %s", exc)
            return None


def colour_label(colour: str, lang: str) -> str:
    if colour == "composite":
        return t("colour_composite", lang)
    if colour == "stacking":
        return t("colour_stacking", lang)
    kind, _, ident = colour.partition(":")
    if kind == "domain":
        return t("colour_domain", lang, label=label(reg.DOMAINS[ident], lang))
    return t("colour_ind", lang, label=label(reg.INDICATORS[ident], lang))


def colour_field(frame: pd.DataFrame, colour: str) -> pd.Series | None:
    """The typed field a colouring shows: composite, stacking k, a domain score or an indicator rank."""
    view = scores(frame)
    if colour == "composite":
        return view.composite.value
    if colour == "stacking":
        return view.stacking.k
    kind, _, ident = colour.partition(":")
    if kind == "domain":
        return view.domain(ident).score
    if kind == "ind":
        return view.indicator(ident).rank
    return frame.get(ident)


def _values(joined: pd.DataFrame, colour: str) -> np.ndarray:
    col = colour_field(joined, colour)
    v = pd.to_numeric(col, errors="coerce") if col is not None else pd.Series(np.nan, index=joined.index)
    if colour == "stacking":  # no domain at all available: 'geen gegevens', never a misleading 0
        dom = [d.score for d in scores(joined).domains.values() if d.score is not None]
        v = v.where(~pd.concat(dom, axis=1).isna().all(axis=1)) if dom else pd.Series(np.nan, index=joined.index)
    return v.to_numpy(float)


def palette_of(fill_rgba: np.ndarray) -> tuple[np.ndarray, list]:
    """(uint8 index per area, palette) from one RGBA per area: vectorised; the no-data grey sorts last."""
    colours, inverse = np.unique(np.asarray(fill_rgba, dtype=np.uint8).reshape(-1, 4), axis=0, return_inverse=True)
    is_nd = (colours == np.asarray(NODATA_RGBA, dtype=np.uint8)).all(axis=1)
    order = np.concatenate([np.flatnonzero(~is_nd), np.flatnonzero(is_nd)])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[np.asarray(inverse).ravel()].astype(np.uint8), colours[order].astype(int).tolist()


def build(view: ViewState, frame) -> MapData:
    """What the map component, legend, area table and exports show of ``frame`` (loaders.map_frame) for
    ``view``'s colouring, classes and language: no data is loaded here."""
    lang = view.lang
    scored, gdf, geometry = frame.scored, frame.boundaries, frame.geometry
    joined = frame.joined.copy(deep=False)  # the cached join is never touched
    joined.attrs = {}
    values = _values(joined, view.colour)
    if view.hotspots and "lisa" in joined:
        fill = lisa_colors(joined["lisa"].tolist())
        entries = lisa_legend(joined["lisa"].tolist(), lang=lang)
    else:
        scheme = "fixed" if view.colour == "stacking" else view.classes
        kw = {"breaks": list(STACKING_BREAKS)} if view.colour == "stacking" else {}
        cls = classify(values, scheme, view.k, **kw)  # state.CLASSIFIERS are all geo.classify schemes
        fill = class_colors(cls)
        entries = legend(values, cls, lang=lang, decimals=0 if view.colour == "stacking" else None)
        if view.colour == "stacking":
            names = STACKING_LABELS
            for i, e in enumerate(entries[:-1]):
                entries[i] = e.__class__(**{**e.__dict__, "label": names[i] if i < len(names) else e.label})
    fill = np.asarray(fill, dtype=np.uint8)

    # names now (the area list); the rest of the area table's text only when it is opened (MapData.table)
    finite = np.isfinite(values)
    ranks = pd.Series(values).rank(ascending=False, method="min").to_numpy()
    joined = joined.assign(sk_name=wording.area_names(joined).to_numpy())

    # what travels per rerun, in the geometry's area order (an area without a row: no data)
    pos = pd.Index(joined["code"].astype(str)).get_indexer(list(geometry.codes))
    have = pos >= 0
    take = np.where(have, pos, 0)
    index, palette = palette_of(fill)
    if not palette or list(palette[-1]) != list(NODATA_RGBA):
        palette.append(list(NODATA_RGBA))
    classes = np.where(have, index[take], len(palette) - 1).astype(np.uint8)
    blank = np.where(have, 1.0, np.nan)
    fields = tooltip_fields(view, values[take] * blank, ranks[take] * blank, int(finite.sum()))
    # issue 10: stacking and composite with n (known) and m (counted), the same measure as every other screen
    fields += [
        field(
            spec["label"],
            np.asarray(spec["values"], dtype="float64")[take] * blank,
            decimals=spec["decimals"],
            missing=spec["missing"],
        )
        for spec in wording.tooltip_numbers(joined, lang)
    ]
    flags = wording.tooltip_flags(joined, lang)  # which domains stack: names, two bytes per area
    fields.insert(
        4,
        flags_field(
            flags["label"], flags["masks"][take] * blank, flags["names"], missing=flags["missing"], none=flags["none"]
        ),
    )

    why = wording.composite_reasons(joined, lang)  # why no composite, per area (issue 21): after the flags line
    fields.insert(
        5, flags_field(why["label"], why["masks"][take] * blank, why["names"], missing=why["missing"], none=why["none"])
    )

    focus_names, outline_codes, groups, labels = [], [], {}, {}
    # the view's focus areas with a member among the selected gemeenten: of this level, or wijk focus areas on the
    # buurt map (outlined by every buurt of a member wijk, issue 21)
    down = view.level == "buurt"
    fs = [
        f
        for f in frame.focus_areas
        if (f.level == view.level or (down and f.level == "wijk")) and set(f.gemeenten) & set(view.gemeenten)
    ]
    if fs:
        known = set(geometry.codes)
        by_wijk: dict[str, list[str]] = {}
        if down:
            for c in geometry.codes:
                by_wijk.setdefault(wijk_of(c) or "", []).append(c)
        groups = {
            f.id: list(f.codes) if f.level == view.level else [b for w in f.codes for b in by_wijk.get(w, [])]
            for f in fs
        }
        labels = {f.id: label(f, lang).split(" (")[0] for f in fs}
        outline_codes = [c for f in fs for c in groups[f.id] if c in known]
        focus_names = [labels[f.id] for f in fs if any(c in known for c in groups[f.id])]
    rows = [{"hex": "#{:02x}{:02x}{:02x}".format(*e.color[:3]), "label": e.label, "n": e.n} for e in entries]
    title = (
        t("hotspots", lang).replace("Toon h", "H").replace("Show h", "H")
        if view.hotspots
        else colour_label(view.colour, lang)
    )
    return MapData(
        rows,
        title,
        len(joined),
        joined,
        focus_names,
        fill,
        entries,
        geometry,
        classes,
        palette,
        fields,
        outline_codes,
        gdf,
        groups,
        labels,
        legend_lines=wording.legend_lines(scored.result, view) if scored.result is not None else [],
        values=values,
        ranks=ranks,
        lang=lang,
        decimals=0 if view.colour == "stacking" else 1,
    )


def focus_fit(gdf, codes) -> tuple[float, float, float, float] | None:
    """RD bounds that frame the members ``codes`` with as much context around them (presentation mode)."""
    sel = gdf[gdf["code"].isin(list(codes))]
    if not len(sel):
        return None
    x0, y0, x1, y1 = (float(v) for v in sel.total_bounds)
    px, py = x1 - x0, y1 - y0
    return (x0 - px, y0 - py, x1 + px, y1 + py)


def tooltip_fields(view: ViewState, values, ranks, n_ranked: int) -> list:
    """The colouring's value and rank under the area's name and code (which come with the geometry file); the
    stacking and composite lines (k van n bekend, m domeinen) follow from ``wording.tooltip_numbers``."""
    lang = view.lang
    return [
        field(t("tooltip_value", lang), values, decimals=0 if view.colour == "stacking" else 1, missing="–"),
        field(t("tooltip_rank", lang), ranks, decimals=0, suffix=f" / {n_ranked}", missing="–"),
    ]
