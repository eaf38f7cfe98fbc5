"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the view models of Methode & bronnen
(``method``: how the view's scores were made, what is cached) and Gegevens (``data_status``: the cache, the admin
gate, the view's imported files). The actions of Gegevens (refresh, imports, defaults) are ``loaders_files``'."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.errors import StapelkaartError
from data.admin import admin_enabled, how_to_enable
from data.refresh import freshness_table
from indicators.hotspots import MAP_RULE
from pages._common.loaders_files import active_files, cache_path, default_files, file_info, user_files
from pages._common.loaders_frames import engine_settings, kwb, kwb_table_id, scored
from pages._common.loaders_health import health_measures
from pages._common.loaders_healthview import HealthSource, health_source
from pages._common.loaders_notices import data_notices


def _result(view, version: str | None):
    """The score result of the view in ``version`` (a kept KWB version), None without data."""
    try:
        return scored(view.gemeenten, view.year, view.level, view.reference, None, version).result
    except StapelkaartError:  # no data for this view: the texts without 'sources used' and with engine defaults
        return None


@dataclass(frozen=True)
class Method:
    """What Methode & bronnen (pages/methode.py) draws from data."""

    settings: Mapping  # the engine settings the view's scores used (worst band, minima); engine defaults without data
    result: object | None  # the score result of the view in its version (``kv``): coverage, availability; or None
    table_id: str | None  # the CBS table id of the view's year's KWB; None when the year has none
    hotspot: Mapping  # the map's hotspot rule (alpha, correction), worded by ``indicators.hotspots.rule_text``
    freshness: pd.DataFrame  # one row per cache entry (``data.refresh.freshness_table``)
    health: HealthSource  # whether 50150NED is there, its buurten per survey year
    health_measures: tuple[dict, ...]  # every declared monitor measure with its status per level


def method(view) -> Method:
    """The settings, sources and cache state the method page shows for ``view``."""
    result = _result(view, view.kv)
    current = result if not view.kv else _result(view, None)  # the settings of the current version's scores
    tid = kwb_table_id(view.year)
    return Method(
        settings=engine_settings(current),
        result=result,
        table_id=None if tid == "?" else tid,
        hotspot=dict(MAP_RULE),
        freshness=freshness_table(),
        health=health_source(),
        health_measures=tuple(health_measures()),
    )


@dataclass(frozen=True)
class DataStatus:
    """What Gegevens (pages/gegevens.py) draws from data; read again after an action changed the cache or files."""

    admin_enabled: bool  # STAPELKAART_ADMIN_TOKEN is set (whether this session entered it is the page's)
    how_to_enable: str  # how an administrator turns the admin actions on, in the view's language
    cache_path: str  # the server's cache folder (shown to the admin only)
    freshness: pd.DataFrame  # one row per cache entry (``data.refresh.freshness_table``)
    kwb: pd.DataFrame | None  # the view's KWB frame (its gemeenten, year, ``kv``); None without gemeenten or data
    kwb_error: StapelkaartError | None  # why ``kwb`` did not load
    notices: tuple[str, ...]  # stale or degraded data behind the view (plain text), () without gemeenten
    defaults: tuple[str, ...]  # the files an admin made everyone's default (digests)
    active: tuple[str, ...]  # the files the view names, then the defaults
    files: Mapping  # digest -> stored metadata (filename, year, ...) of every active file

    def imported(self, digest: str):
        """The stored file ``digest`` with its frame and warnings (the preview right after an import)."""
        return user_files((digest,))[0]


def data_status(view) -> DataStatus:
    """The cache, the admin gate and the view's files as Gegevens shows them."""
    frame, error = None, None
    if view.gemeenten:
        try:
            frame = kwb(tuple(sorted(view.gemeenten)), view.year, view.kv)
        except StapelkaartError as exc:
            error = exc
    active = active_files()
    return DataStatus(
        admin_enabled=admin_enabled(),
        how_to_enable=how_to_enable(view.lang),
        cache_path=cache_path(),
        freshness=freshness_table(),
        kwb=frame,
        kwb_error=error,
        notices=tuple(data_notices(view)) if view.gemeenten else (),
        defaults=tuple(default_files()),
        active=active,
        files={d: file_info(d) for d in active},
    )
