"""What changed for an area between two versions of the KWB data ("Wat is er veranderd").

Two situations, one comparison:

* **two versions of the same table** (CBS revises KWB tables during the year and fills variables later;
  ``data.cache.versions``): same year, same area division, so every area is comparable;
* **two years**: only areas whose code and boundaries did not change in between are comparable, read from
  CBS *Indelingswijziging* of every later year (``1`` = unchanged; ``2``, ``3`` or a missing flag = not
  comparable, as in :mod:`indicators.trend`). A year in between without a frame makes the gap unknown. A code
  that exists in only one of the two years' frames (indelingen) is **not comparable**, never "appeared" or
  "disappeared". Reasons come in Dutch and English (``Changes.reason(id, lang)``, ``REASONS``).

Per area (and per focus area: its members' figures and the aggregate's indicators):

* ``figure_changes``: every KWB variable whose value **changed**, **appeared** (missing before, a value now) or
  **disappeared** (a value before, missing now), with old -> new. NaN equals NaN; numbers are compared
  exactly as CBS published them (no tolerance beyond float representation).
* ``indicator_changes``: per registry indicator of two score tables (``ScoreResult.table`` or
  ``focusscore.score_focus``): old -> new value, old -> new rank (rank movement = new - old, + = more
  disadvantaged relative to the reference), and per area the stacking count and domains before and after.
* ``health_changes`` (issue 23, two years only): "ervaren gezondheid niet goed" (50150NED, its own survey years,
  independent of the KWB tables) old -> new per buurt or gemeente (its own value) and per focus area (the
  adults-weighted mean of its buurten, :func:`indicators.health.area_trend`), and the rank movement against the
  **same reference in both years** (every region of the level in NL with a value in both years). Where there is
  no comparison the row says why as a code (``HEALTH_WHY``; the page layer words it): the table is absent, the
  level has no values (wijk), a year is no survey year, or the area has no value in a year.

Pure pandas: the caller loads the versions (``data.cache.get(key, version=...)``) and scores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.codes import level_of_code
from core.errors import UserInputError
from indicators import health as ih
from indicators.registry import INDICATORS
from indicators.result import scores
from indicators.trend import CHANGE_COLUMNS, change_flag

ID_COLUMNS = ("code", "level", "name", "gemeente_code", "year")
STATUS = {
    "changed": {"nl": "gewijzigd", "en": "changed"},
    "appeared": {"nl": "nieuw", "en": "appeared"},
    "disappeared": {"nl": "verdwenen", "en": "disappeared"},
}
FIGURE_COLUMNS = ["area", "kind", "member", "name", "variable", "title", "status", "old", "new", "difference"]


@dataclass(frozen=True)
class Version:
    """Which data one side of the comparison is: table, year, CBS ``Modified``, fetch time, cache version."""

    table_id: str | None
    year: int | None
    modified: str | None
    fetched_at: str | None
    version: str | None = None

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Version:
        src = dict(frame.attrs.get("source") or {})
        year = src.get("year")
        if year is None and "year" in frame.columns and len(frame):
            year = int(frame["year"].iloc[0])
        return cls(
            src.get("table_id"),
            None if year is None else int(year),
            src.get("modified"),
            src.get("fetched_at"),
            src.get("version"),
        )

    def text(self, lang: str = "nl") -> str:
        date = (self.modified or "?")[:10]
        fetched = (self.fetched_at or "?")[:10]
        if lang == "en":
            return f"{self.table_id or 'KWB'} {self.year}, CBS version of {date} (fetched {fetched})"
        return f"{self.table_id or 'KWB'} {self.year}, CBS-versie van {date} (opgehaald {fetched})"


@dataclass
class Changes:
    """Result of :func:`what_changed`: long tables plus the two versions and what could not be compared."""

    figures: pd.DataFrame
    indicators: pd.DataFrame
    areas: pd.DataFrame
    old: Version
    new: Version
    not_comparable: dict[str, str] = field(default_factory=dict)  # id -> reason (Dutch)
    not_comparable_en: dict[str, str] = field(default_factory=dict)  # id -> reason (English)

    @property
    def years(self) -> bool:
        """True when the two sides are two years (not two versions of one year's table)."""
        return self.old.year is not None and self.new.year is not None and self.old.year != self.new.year

    def reason(self, aid: str, lang: str = "nl") -> str | None:
        """Why ``aid`` (an area code or a focus id) is not compared, in ``lang``; None when it is."""
        return (self.not_comparable_en if lang == "en" else self.not_comparable).get(aid)


def _by_code(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.set_index(frame["code"].astype(str), drop=False) if "code" in frame.columns else frame
    return out[~out.index.duplicated()]


# Why an area cannot be compared between two years, in both languages (``{y}``, ``{a}``, ``{b}``: years).
REASONS = {
    "no_frame": {
        "nl": "geen gegevens voor {y}: indelingswijziging tussen {a} en {b} onbekend",
        "en": "no data for {y}: boundary changes between {a} and {b} unknown",
    },
    "code_changed": {
        "nl": "code gewijzigd in {y} (indelingswijziging 2)",
        "en": "code changed in {y} (indelingswijziging 2)",
    },
    "bounds_changed": {
        "nl": "grenzen gewijzigd in {y} (indelingswijziging 3)",
        "en": "boundaries changed in {y} (indelingswijziging 3)",
    },
    "flag_unknown": {"nl": "indelingswijziging {y} onbekend", "en": "indelingswijziging {y} unknown"},
    "only_new": {
        "nl": "bestaat niet in de indeling van {a} (alleen in {b}): niet vergelijkbaar",
        "en": "does not exist in the {a} division (only in {b}): not comparable",
    },
    "only_old": {
        "nl": "bestaat niet in de indeling van {b} (alleen in {a}): niet vergelijkbaar",
        "en": "does not exist in the {b} division (only in {a}): not comparable",
    },
    "neither": {"nl": "komt in {a} noch in {b} voor", "en": "exists in neither {a} nor {b}"},
    "members": {"nl": "leden niet vergelijkbaar: {list}", "en": "members not comparable: {list}"},
}


def _reason(key: str, **kw) -> dict[str, str]:
    return {lang: text.format(**kw) for lang, text in REASONS[key].items()}


def comparability(
    old: pd.DataFrame, new: pd.DataFrame, codes: Sequence[str], between: Mapping[int, pd.DataFrame] | None = None
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Split ``codes`` into comparable ones and ``{code: {"nl": reason, "en": reason}}`` for the others.

    Two versions of one year: every code is comparable. Two years ``a < b``: a code must exist in both frames
    (a code of only one year's indeling is *not comparable*, never "appeared" or "disappeared"), and CBS
    *Indelingswijziging* must be ``1`` in every year after ``a`` up to ``b`` (``between``: the frames of the
    years in between; a missing one makes the gap unknown).
    """
    y_old, y_new = Version.of(old).year, Version.of(new).year
    if y_old is None or y_new is None or y_old == y_new:
        return list(codes), {}
    if y_new < y_old:
        old, new, y_old, y_new = new, old, y_new, y_old
    frames = {**dict(between or {}), y_new: new}
    in_old = set(old["code"].astype(str)) if "code" in old.columns else set()
    in_new = set(new["code"].astype(str)) if "code" in new.columns else set()
    ok, why = [], {}
    for code in codes:
        reason = None
        if code not in in_old or code not in in_new:
            key = (
                "neither"
                if code not in in_old and code not in in_new
                else "only_new"
                if code not in in_old
                else "only_old"
            )
            reason = _reason(key, a=y_old, b=y_new)
        for y in range(y_old + 1, y_new + 1):
            if reason is not None:
                break
            if y not in frames:
                reason = _reason("no_frame", y=y, a=y_old, b=y_new)
                break
            flag = change_flag(frames[y], code)
            if flag != 1:
                reason = _reason({2.0: "code_changed", 3.0: "bounds_changed"}.get(flag, "flag_unknown"), y=y)
        if reason is None:
            ok.append(code)
        else:
            why[code] = reason
    return ok, why


def comparable_codes(
    old: pd.DataFrame,
    new: pd.DataFrame,
    codes: Sequence[str],
    between: Mapping[int, pd.DataFrame] | None = None,
    lang: str = "nl",
) -> tuple[list[str], dict[str, str]]:
    """:func:`comparability` with the reasons in ``lang`` (see the module docstring)."""
    ok, why = comparability(old, new, codes, between)
    return ok, {c: r[lang] for c, r in why.items()}


def _differ(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(changed, appeared, disappeared) masks for two aligned series (numbers or text)."""
    na_a, na_b = a.isna().to_numpy(), b.isna().to_numpy()
    both = ~na_a & ~na_b
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        av, bv = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
        changed = both & (av != bv)
    else:
        sa = a.astype("string").fillna("").to_numpy(dtype=object)
        sb = b.astype("string").fillna("").to_numpy(dtype=object)
        changed = both & (sa != sb)
    return changed, na_a & ~na_b, ~na_a & na_b


def figure_changes(
    old: pd.DataFrame, new: pd.DataFrame, codes: Sequence[str] | None = None, *, titles: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Every KWB variable that changed, appeared or disappeared per area (long; columns ``FIGURE_COLUMNS``).

    ``codes``: the areas to compare (default: every area in either frame). A variable in only one frame
    counts as missing in the other; an area in only one frame too. ``Indelingswijziging`` flags are left
    out (they describe the year, not the area's figures).
    """
    o, n = _by_code(old), _by_code(new)
    codes = list(dict.fromkeys(codes if codes is not None else [*o.index, *n.index]))
    skip = set(ID_COLUMNS) | set(CHANGE_COLUMNS)
    variables = [c for c in dict.fromkeys([*o.columns, *n.columns]) if c not in skip]
    titles = dict(titles or {})
    for frame in (old, new):
        for name, meta in (frame.attrs.get("columns") or {}).items():
            titles.setdefault(name, (meta or {}).get("title") or name)
    names = (
        n["name"].reindex(codes).fillna(o["name"].reindex(codes))
        if "name" in n.columns
        else pd.Series(pd.NA, index=codes)
    )
    rows = []
    for var in variables:
        a = o[var].reindex(codes) if var in o.columns else pd.Series(np.nan, index=codes)
        b = n[var].reindex(codes) if var in n.columns else pd.Series(np.nan, index=codes)
        changed, appeared, gone = _differ(a, b)
        for mask, status in ((changed, "changed"), (appeared, "appeared"), (gone, "disappeared")):
            for i in np.flatnonzero(mask):
                ov, nv = a.iloc[i], b.iloc[i]
                diff = (
                    (float(nv) - float(ov))
                    if status == "changed"
                    and isinstance(ov, (int, float, np.number))
                    and isinstance(nv, (int, float, np.number))
                    else np.nan
                )
                rows.append(
                    {
                        "area": codes[i],
                        "kind": "area",
                        "member": codes[i],
                        "name": names.iloc[i],
                        "variable": var,
                        "title": titles.get(var, var),
                        "status": status,
                        "old": None if pd.isna(ov) else ov,
                        "new": None if pd.isna(nv) else nv,
                        "difference": diff,
                    }
                )
    out = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return out.sort_values(["area", "variable"], kind="stable").reset_index(drop=True)


def indicator_changes(
    old: pd.DataFrame, new: pd.DataFrame, ids: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per area and registry indicator: value and rank before/after; per area: stacking before/after.

    ``old``/``new``: score tables indexed by area id (``ScoreResult.table`` or ``score_focus`` output).
    Returns ``(indicators, areas)``: ``indicators`` long with ``area, indicator, status, old, new, difference,
    rank_old, rank_new, rank_move`` for rows whose value or rank changed, appeared or disappeared;
    ``areas`` one row per area with ``stacking_old/new``, ``stacking_domains_old/new``,
    ``composite_old/new``.
    """
    ids = list(dict.fromkeys(ids if ids is not None else [*old.index, *new.index]))
    o, n = old.reindex(ids), new.reindex(ids)
    so, sn = scores(o), scores(n)
    nan = pd.Series(np.nan, index=ids)
    na = pd.Series(pd.NA, index=ids)

    def or_(value: pd.Series | None, missing: pd.Series) -> pd.Series:
        return missing if value is None else value

    rows = []
    for ind in INDICATORS.values():
        if ind.id not in o.columns and ind.id not in n.columns:
            continue
        a = pd.to_numeric(o.get(ind.id, pd.Series(np.nan, index=ids)), errors="coerce")
        b = pd.to_numeric(n.get(ind.id, pd.Series(np.nan, index=ids)), errors="coerce")
        ra = pd.to_numeric(or_(so.indicator(ind.id).rank, nan), errors="coerce")
        rb = pd.to_numeric(or_(sn.indicator(ind.id).rank, nan), errors="coerce")
        changed, appeared, gone = _differ(a, b)
        rank_changed, _, _ = _differ(ra, rb)
        for mask, status in (
            (changed | (rank_changed & ~appeared & ~gone), "changed"),
            (appeared, "appeared"),
            (gone, "disappeared"),
        ):
            for i in np.flatnonzero(mask):
                rows.append(
                    {
                        "area": ids[i],
                        "indicator": ind.id,
                        "label": ind.text("nl"),
                        "status": status,
                        "old": a.iloc[i],
                        "new": b.iloc[i],
                        "difference": b.iloc[i] - a.iloc[i],
                        "rank_old": ra.iloc[i],
                        "rank_new": rb.iloc[i],
                        "rank_move": rb.iloc[i] - ra.iloc[i],
                    }
                )
    indicators = pd.DataFrame(
        rows,
        columns=[
            "area",
            "indicator",
            "label",
            "status",
            "old",
            "new",
            "difference",
            "rank_old",
            "rank_new",
            "rank_move",
        ],
    )
    name = n["name"].fillna(o["name"]) if "name" in n.columns and "name" in o.columns else pd.Series(pd.NA, index=ids)
    areas = pd.DataFrame(
        {
            "area": ids,
            "name": name.to_numpy(),
            "stacking_old": or_(so.stacking.k, na).astype("Int64").to_numpy(),
            "stacking_new": or_(sn.stacking.k, na).astype("Int64").to_numpy(),
            "stacking_domains_old": or_(so.stacking.which, na).to_numpy(),
            "stacking_domains_new": or_(sn.stacking.which, na).to_numpy(),
            "composite_old": pd.to_numeric(or_(so.composite.value, nan), errors="coerce").to_numpy(),
            "composite_new": pd.to_numeric(or_(sn.composite.value, nan), errors="coerce").to_numpy(),
        }
    )
    areas["n_changed"] = areas["area"].map(indicators["area"].value_counts()).fillna(0).astype(int)
    return indicators.reset_index(drop=True), areas


def what_changed(
    old_frame: pd.DataFrame,
    new_frame: pd.DataFrame,
    codes: Sequence[str],
    *,
    focus_areas: Sequence = (),
    old_scores: pd.DataFrame | None = None,
    new_scores: pd.DataFrame | None = None,
    between: Mapping[int, pd.DataFrame] | None = None,
) -> Changes:
    """The "Wat is er veranderd" view for ``codes`` and ``focus_areas`` (``indicators.focus.FocusArea``).

    ``old_frame``/``new_frame``: tidy KWB frames of the two versions or years (their ``attrs["source"]``
    give the dates). ``old_scores``/``new_scores``: score tables of both, indexed by area/focus id (the
    areas' ``ScoreResult.table`` concatenated with ``score_focus`` output), for values, ranks and stacking.
    Areas or focus-area members whose boundaries are not comparable are left out and named in
    ``not_comparable``; when none of the asked areas is comparable a UserInputError says why.
    """
    members = [c for f in focus_areas for c in f.codes]
    asked = list(dict.fromkeys([*codes, *members]))
    ok, why = comparability(old_frame, new_frame, asked, between)
    focus_ok = [f for f in focus_areas if all(c in ok for c in f.codes)]
    for f in focus_areas:
        if f not in focus_ok:
            bad = [c for c in f.codes if c in why]
            why[f.id] = {
                lang: REASONS["members"][lang].format(list=", ".join(f"{c} ({why[c][lang]})" for c in bad))
                for lang in ("nl", "en")
            }
    if asked and not ok:
        text = {lang: "; ".join(f"{c}: {r[lang]}" for c, r in list(why.items())[:10]) for lang in ("nl", "en")}
        raise UserInputError(
            f"Geen van de gekozen gebieden is vergelijkbaar tussen {Version.of(old_frame).text()} en "
            f"{Version.of(new_frame).text()}: {text['nl']}.",
            f"None of the selected areas is comparable between {Version.of(old_frame).text('en')} and "
            f"{Version.of(new_frame).text('en')}: {text['en']}.",
        )
    area_codes = [c for c in codes if c in ok]
    figures = figure_changes(
        old_frame, new_frame, list(dict.fromkeys([*area_codes, *[c for f in focus_ok for c in f.codes]]))
    )
    parts = [figures[figures["member"].isin(area_codes)]]
    for f in focus_ok:
        sub = figures[figures["member"].isin(f.codes)].copy()
        sub["area"], sub["kind"] = f.id, "focus"
        parts.append(sub)
    figures = pd.concat(parts, ignore_index=True) if parts else figures
    ids = [*area_codes, *[f.id for f in focus_ok]]
    if old_scores is not None and new_scores is not None:
        indicators, areas = indicator_changes(old_scores, new_scores, ids)
    else:
        indicators, areas = indicator_changes(pd.DataFrame(index=ids), pd.DataFrame(index=ids), ids)
    return Changes(
        figures,
        indicators,
        areas,
        Version.of(old_frame),
        Version.of(new_frame),
        {k: r["nl"] for k, r in why.items()},
        {k: r["en"] for k, r in why.items()},
    )


#: Why a health row has no old -> new (``health_changes``' ``why``; "" = compared): the table is not available,
#: the level has no values in it (wijk), a year is no survey year, the area has no value in a year, a focus area's
#: adults are unknown for a buurt used or are 0.
HEALTH_WHY = ("source_absent", "level_absent", "not_survey", "no_value", "weights_unknown", "no_adults")
HEALTH_COLUMNS = [
    "area",
    "kind",
    "level",
    "old",
    "new",
    "difference",
    "rank_old",
    "rank_new",
    "rank_move",
    "reference_n",
    "n_used",
    "why",
    "years",
]
_AREA_REASONS = {  # indicators.health.area_trend's reasons -> HEALTH_WHY codes
    "geen buurt met een waarde in beide jaren": "no_value",
    "bevolking onbekend": "weights_unknown",
    "geen volwassenen": "no_adults",
}


def _health_row(aid: str, kind: str, level: str | None, why: str = "", years: tuple = (), **values) -> dict:
    row: dict[str, object] = dict.fromkeys(HEALTH_COLUMNS, np.nan)
    row.update(area=aid, kind=kind, level=level, why=why, years=tuple(years), **values)
    return row


def _region_health(code: str, frame: pd.DataFrame, y_old: int, y_new: int) -> dict:
    level = level_of_code(code)
    tr = ih.trend(frame, y_old, y_new)
    old, new = (float(frame[y].get(code, np.nan)) for y in (y_old, y_new))
    missing = tuple(y for y, v in ((y_old, old), (y_new, new)) if np.isnan(v))
    if missing:  # the year that has a value is still shown; no change, no rank against the both-years reference
        return _health_row(code, "area", level, "no_value", missing, old=old, new=new)
    r = tr.loc[code]
    return _health_row(
        code,
        "area",
        level,
        old=old,
        new=new,
        difference=new - old,
        rank_old=r[f"rank_{y_old}"],
        rank_new=r[f"rank_{y_new}"],
        rank_move=r["rank_change"],
        reference_n=tr.attrs["reference_n"],
        n_used=1,
    )


def _focus_health(focus: Mapping[str, Sequence[str]], buurten, weights, y_old: int, y_new: int) -> list[dict]:
    if not focus:
        return []
    if buurten is None:
        return [_health_row(fid, "focus", "buurt", "level_absent") for fid in focus]
    if weights is None:
        return [_health_row(fid, "focus", "buurt", "weights_unknown") for fid in focus]
    members = {fid: ih.buurten_of(list(codes), list(buurten.index)) for fid, codes in focus.items()}
    tr = ih.area_trend(buurten, weights, members, y_old, y_new)
    rows = []
    for fid in focus:
        r = tr.loc[fid]
        why = _AREA_REASONS.get(r["reason"], "") if isinstance(r["reason"], str) else ""
        values = {"old": r[f"value_{y_old}"], "new": r[f"value_{y_new}"], "n_used": r["n_used"]}
        if not why:
            values.update(
                difference=r["change"],
                rank_old=r[f"rank_{y_old}"],
                rank_new=r[f"rank_{y_new}"],
                rank_move=r["rank_change"],
                reference_n=tr.attrs["reference_n"],
            )
        rows.append(_health_row(fid, "focus", "buurt", why, **values))
    return rows


def health_changes(
    values: Mapping[str, pd.DataFrame | None] | None,
    codes: Sequence[str],
    y_old: int,
    y_new: int,
    *,
    focus: Mapping[str, Sequence[str]] | None = None,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """ "Ervaren gezondheid niet goed" between two survey years per area (``codes``) and focus area (``focus``: id ->
    member codes of any level, each standing for its buurten), one row each (``HEALTH_COLUMNS``).

    ``values``: level -> :func:`indicators.health.by_year` of **every** region of that level in NL (the reference),
    a level the table has no values at left out (its areas get ``level_absent``); None when the table is absent
    (``source_absent`` for every row). ``weights``: adults per buurt (:func:`indicators.health.adult_weights`) for
    the focus areas. ``old``/``new`` are the values of ``y_old``/``y_new``; ``rank_old``/``rank_new`` percentile
    ranks (100 = least healthy) against the regions of the level with a value in both years (``reference_n``; for
    a focus area: the buurten), ``rank_move`` = new - old. A year that is no survey year of the table
    (``not_survey``, ``years`` names it) or an area without a value in a year (``no_value``, ``years`` names it;
    the other year's value stays) has no change and no rank: never a value carried over from another year.
    """
    focus = dict(focus or {})
    if values is None:
        return pd.DataFrame(
            [_health_row(c, "area", level_of_code(c), "source_absent") for c in codes]
            + [_health_row(f, "focus", "buurt", "source_absent") for f in focus],
            columns=HEALTH_COLUMNS,
        )
    surveys = sorted({int(y) for frame in values.values() if frame is not None for y in frame.columns})
    not_survey = tuple(y for y in (y_old, y_new) if y not in surveys)
    rows = []
    for code in codes:
        level = level_of_code(code)
        frame = values.get(level) if level else None
        if frame is None:
            rows.append(_health_row(code, "area", level, "level_absent"))
        elif not_survey:
            rows.append(_health_row(code, "area", level, "not_survey", not_survey))
        else:
            rows.append(_region_health(code, frame, y_old, y_new))
    if not_survey:
        rows += [_health_row(f, "focus", "buurt", "not_survey", not_survey) for f in focus]
    else:
        rows += _focus_health(focus, values.get("buurt"), weights, y_old, y_new)
    out = pd.DataFrame(rows, columns=HEALTH_COLUMNS)
    out.attrs = {"surveys": tuple(surveys), "y_old": y_old, "y_new": y_new}
    return out
