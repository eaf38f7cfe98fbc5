"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the view models of the pages that
rank and profile areas of the view's gemeenten, Prioriteren (:func:`ranking`) and Buurtprofiel of a wijk or buurt
(:func:`profile`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from core.errors import StapelkaartError
from data.refresh import years_cached
from indicators.trend import trend as comparable_trend
from pages._common.loaders_focus import view_focus_areas
from pages._common.loaders_frames import Scored, engine_settings, scored
from pages._common.loaders_notices import data_notices
from pages._common.state import domain_ids


@dataclass(frozen=True, eq=False)
class Ranking:
    """What Prioriteren draws from data: ``scored`` (the view's scores with its weights and kept version ``kv``),
    ``settings`` (the engine settings: worst band, minimum domains and population) and ``notices`` (what the
    data layer reported about the frames behind it)."""

    scored: Scored
    settings: dict
    notices: list[str]


def _weighted(view) -> Scored:
    return scored(view.gemeenten, view.year, view.level, view.reference, view.weight_map(domain_ids()), view.kv)


def ranking(view) -> Ranking:
    """Prioriteren's data for ``view``; raises StapelkaartError when its scores cannot be loaded."""
    s = _weighted(view)
    return Ranking(s, engine_settings(s.result), data_notices(view))


@dataclass(frozen=True, eq=False)
class Profile:
    """What Buurtprofiel draws from data for the view's gemeenten: ``scored`` (weighted, as Prioriteren),
    ``notices``, ``focus_areas`` (the view's, offered in its list), ``years`` (the years with cached KWB data of
    the view's level) and ``trend`` (the composite of ``view.area`` per year with comparability, computed when
    first read; None when no area of these scores is chosen or there is only one year)."""

    view: object
    scored: Scored
    notices: list[str]
    focus_areas: list
    years: list[int]

    @cached_property
    def trend(self) -> pd.DataFrame | None:
        area = self.view.area
        if not area or area not in self.scored.table.index or len(self.years) <= 1:
            return None
        return _trend(self.view, area, self.years)


def profile(view) -> Profile:
    """Buurtprofiel's data for ``view`` (its area ``view.area``); raises StapelkaartError when the scores cannot
    be loaded."""
    s = _weighted(view)
    return Profile(view, s, data_notices(view), view_focus_areas(view), years_cached(view.gemeenten, view.level))


def _trend(view, code: str, years: list[int]) -> pd.DataFrame:
    """Composite per year with comparability from indicators.trend (breaks in boundaries end a series)."""
    frames, values = {}, {}
    for y in years:
        try:
            s = scored(view.gemeenten, y, view.level, view.reference)
        except StapelkaartError:  # a year that does not load is left out of the trend (and said so)
            continue
        frames[y] = s.kwb
        values[y] = float(s.table["composite"].get(code, np.nan)) if code in s.table.index else np.nan
    return comparable_trend(frames, code, values, lang=view.lang) if frames else pd.DataFrame()
