"""Attach a score table to boundaries, refusing mixed years and reporting every unmatched region.

Areas without statistics stay on the map with NaN ("geen gegevens"); statistics without an area
are listed in the report. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from core.errors import GeoError, YearMismatchError

NO_DATA_LABEL = {"nl": "geen gegevens", "en": "no data"}


@dataclass(frozen=True)
class JoinReport:
    """What matched: codes only in the statistics, codes only in the boundaries, and the years."""

    stats_year: int
    boundary_year: int
    n_boundaries: int
    n_stats: int
    n_matched: int
    stats_without_boundary: tuple[str, ...] = field(default=())
    boundaries_without_stats: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.stats_without_boundary and not self.boundaries_without_stats

    def text(self, lang: str = "nl", max_codes: int = 5) -> str:
        """One or two short sentences for under the map; empty when everything matched."""

        def codes(items: tuple[str, ...]) -> str:
            more = len(items) - max_codes
            shown = ", ".join(items[:max_codes])
            return shown + (f" (+{more})" if more > 0 else "")

        parts = []
        if self.boundaries_without_stats:
            n = len(self.boundaries_without_stats)
            parts.append(
                f"{n} gebied(en) zonder gegevens ({codes(self.boundaries_without_stats)}), grijs op de kaart."
                if lang != "en"
                else f"{n} area(s) without data ({codes(self.boundaries_without_stats)}), grey on the map."
            )
        if self.stats_without_boundary:
            n = len(self.stats_without_boundary)
            parts.append(
                f"{n} regio('s) met gegevens maar zonder grens {self.boundary_year} "
                f"({codes(self.stats_without_boundary)}), niet op de kaart."
                if lang != "en"
                else f"{n} region(s) with data but no {self.boundary_year} boundary "
                f"({codes(self.stats_without_boundary)}), not on the map."
            )
        return " ".join(parts)


@dataclass(frozen=True)
class JoinResult:
    """The joined frame (one row per boundary, CRS of the boundaries) and its report."""

    frame: gpd.GeoDataFrame
    report: JoinReport


def _codes(frame: pd.DataFrame, what: str, on: str) -> pd.Series:
    """The stripped join codes of ``frame``; duplicates are refused (they would duplicate polygons)."""
    if on in frame.columns:
        codes = frame[on]
    elif frame.index.name == on:
        codes = frame.index.to_series()
    else:
        raise GeoError(f"De {what} hebben geen kolom '{on}'.", f"The {what} have no column '{on}'.")
    codes = codes.astype("string").str.strip()
    dup = codes[codes.duplicated()].dropna().unique().tolist()
    if dup:
        raise GeoError(
            f"De {what} bevatten dubbele codes: {', '.join(dup[:5])}; elke regio mag één keer voorkomen.",
            f"The {what} contain duplicate codes: {', '.join(dup[:5])}; each region may occur once.",
        )
    return codes.reset_index(drop=True)


def _check_years(boundaries: pd.DataFrame, table: pd.DataFrame, stats_year: int, boundary_year: int) -> None:
    """Refuse statistics of one year on boundaries of another, and frames that contradict their stated year."""
    if int(stats_year) != int(boundary_year):
        raise YearMismatchError(
            f"Statistieken van {stats_year} passen niet op grenzen van {boundary_year}: wijk- en buurtindelingen "
            f"veranderen elk jaar. Kies grenzen van {stats_year} (of statistieken van {boundary_year}).",
            f"Statistics of {stats_year} do not fit boundaries of {boundary_year}: wijk/buurt divisions change "
            f"every year. Choose {stats_year} boundaries (or {boundary_year} statistics).",
        )
    for frame, stated, what, what_en in (
        (boundaries, boundary_year, "grenzen", "boundaries"),
        (table, stats_year, "statistieken", "statistics"),
    ):
        if "year" in frame.columns:
            years = sorted(pd.to_numeric(frame["year"], errors="coerce").dropna().astype(int).unique())
            if years and years != [int(stated)]:
                raise YearMismatchError(
                    f"De {what} zijn van {', '.join(map(str, years))}, niet van {stated} zoals opgegeven.",
                    f"The {what_en} are from {', '.join(map(str, years))}, not from {stated} as stated.",
                )


def join_scores(
    boundaries: gpd.GeoDataFrame, table: pd.DataFrame, *, stats_year: int, boundary_year: int, on: str = "code"
) -> JoinResult:
    """Left-join ``table`` onto ``boundaries`` by ``on`` (default ``code``), one row per boundary.

    * ``stats_year != boundary_year`` raises YearMismatchError (a half-coloured map is worse than none);
      a ``year`` column that contradicts the stated year does too.
    * Columns of ``table`` win over same-named boundary attributes (except the geometry and the code).
    * Boundaries without statistics keep NaN values and get ``has_data=False`` ("geen gegevens");
      statistics without a boundary are listed in the report.
    """
    _check_years(boundaries, table, stats_year, boundary_year)
    b_codes = _codes(boundaries, "grenzen", on)
    t_codes = _codes(table, "statistieken", on)

    stats = table.reset_index(drop=True)
    stats = stats.drop(columns=[c for c in stats.columns if c in (on, "geometry")])
    stats.insert(0, on, t_codes.to_numpy())
    stats["has_data"] = True

    base = boundaries.drop(
        columns=[c for c in boundaries.columns if c in stats.columns and c != boundaries.geometry.name]
    )
    base = base.reset_index(drop=True)
    base.insert(0, on, b_codes.to_numpy())
    joined = base.merge(stats, on=on, how="left", validate="one_to_one")
    joined["has_data"] = joined["has_data"].fillna(False).astype(bool)
    frame = gpd.GeoDataFrame(joined, geometry=boundaries.geometry.name, crs=boundaries.crs)

    b_set, t_set = set(b_codes.dropna()), set(t_codes.dropna())
    report = JoinReport(
        stats_year=int(stats_year),
        boundary_year=int(boundary_year),
        n_boundaries=len(b_codes),
        n_stats=len(t_codes),
        n_matched=len(b_set & t_set),
        stats_without_boundary=tuple(sorted(t_set - b_set)),
        boundaries_without_stats=tuple(sorted(b_set - t_set)),
    )
    frame.attrs = {**boundaries.attrs, "join_report": report}
    return JoinResult(frame=frame, report=report)
