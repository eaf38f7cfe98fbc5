"""Part of the loaders door (pages/_common/loaders.py lists what pages call): everything Vergelijken draws from data
(:func:`focus_compare`), a frozen view model over loaders_focus.py (the focus areas and their table) and
loaders_notices.py (which imports loaders_focus.py, so this is its own module)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.errors import StapelkaartError
from indicators.tables import absolute_counts
from pages._common.loaders_focus import FocusAreas, focus, focus_table, without_boundaries
from pages._common.loaders_frames import Scored, boundaries, catalogue, kwb_table_id, score_settings, scored
from pages._common.loaders_notices import data_notices


@dataclass(frozen=True)
class FocusCompare:
    """Everything Vergelijken draws from data (:func:`focus_compare`); the absolute counts on request
    (:meth:`counts`, ~0.4 s)."""

    focus: FocusAreas  # the view's focus areas, their level and gemeenten (``problem``, ``member_names`` loaded)
    settings: dict  # the engine settings the view's scores used (the worst band of the intro)
    table: pd.DataFrame  # indicators.focusscore.score_focus: the focus areas at ``focus.level``, gemeenten, Nederland
    error: StapelkaartError | None  # why there is no table (no data): the page says so; notices etc. then empty
    notices: list[str]  # stale copies and degraded sources behind the table (loaders_notices.data_notices)
    no_map: list[str]  # the focus gemeenten PDOK has no boundaries for ([] while the table is empty)
    gemeente_names: dict[str, str]  # code -> name of the year's gemeenten
    table_id: str  # the CBS table id of the view's year (the exports' source line)

    def scores(self) -> Scored:
        """The unweighted scores of ``focus.gemeenten`` at ``focus.level`` (counts, the PDF's settings and source)."""
        view = self.focus.view
        return scored(self.focus.gemeenten, view.year, self.focus.level, view.reference, None, view.kv)

    def boundaries(self):
        """The boundaries of ``focus.gemeenten`` at ``focus.level`` (the PDF's map thumbnails); None when PDOK has
        none for them."""
        view = self.focus.view
        try:
            return boundaries(self.focus.gemeenten, view.year, self.focus.level)
        except StapelkaartError:  # e.g. Eindhoven in the mirror: the PDF is printed without a map
            return None

    def counts(self) -> dict[str, dict[str, float]]:
        """indicators.tables.absolute_counts per row of ``table`` (a focus area: its members), from the unweighted
        scoring of ``focus.gemeenten`` (counts do not depend on weights)."""
        s = self.scores()
        codes = {
            fid: tuple(str(r["members"]).split(";")) if r["kind"] == "focus" else (fid,)
            for fid, r in self.table.iterrows()
        }
        return absolute_counts(s.result.parts, codes)


def focus_compare(view, weights: dict[str, float] | None) -> FocusCompare:
    """Vergelijken's data for ``view`` with ``weights``: :class:`FocusCompare`. A table that cannot be made for want
    of data is ``error``, not raised: the page still shows the focus areas' problem and editor above it."""
    fa = focus(view)
    settings = score_settings(view)
    _ = fa.problem, fa.member_names  # the KWB frame of the focus gemeenten, loaded with the rest
    try:
        table = focus_table(view, weights, fa.areas)
    except StapelkaartError as exc:
        return FocusCompare(fa, settings, pd.DataFrame(), exc, [], [], {}, kwb_table_id(view.year))
    notices = data_notices(view, page="vergelijken")
    no_map = [] if table.empty else without_boundaries(fa.gemeenten, view.year, fa.level)
    return FocusCompare(fa, settings, table, None, notices, no_map, catalogue(view.year).names, kwb_table_id(view.year))
