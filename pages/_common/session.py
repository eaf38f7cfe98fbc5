"""The one owner of the view in a session: the only code that reads or writes the view in ``st.session_state``
and the address bar (``st.query_params``).

``ViewState`` (pages/_common/state.py) is the codec (URL <-> view, the only parser of query parameters); this
module keeps the session's view and binds widgets to it through one table, :data:`WIDGETS` (view field <->
widget key <-> widget value). Every bound widget is seeded from the view right before it is created and writes
back through its ``on_change`` callback, which runs before the script: the whole run (sidebar, navigation,
page, share link) then reads one view. The address bar is written once, at the end of a run
(:func:`commit`), with the view's parameters; the path names the page, so ``page=`` is not repeated there and
a page change adds one history entry (Back returns in one press).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import streamlit as st

from core.codes import level_of_code
from indicators.weights import WEIGHT_DEFAULT
from pages._common import loaders
from pages._common.state import (
    CLASSIFIERS,
    K_RANGE,
    LANGS,
    LEVELS,
    REFERENCES,
    YEARS,
    ViewState,
    area_code,
    area_fits,
    colour_ids,
    domain_ids,
    usable_weights,
)

log = logging.getLogger(__name__)

SHELL = threading.local()  # SHELL.active: the shell is running this page (set around ``page.run()``)
VIEW = "_view"
LAST_PARAMS = "_last_params"
PROBLEMS = "_param_problems"
GM_HINTS = "_gm_hints"  # (what gm= held that is no gemeente, whether the view fell back to the default)
SEEDED_LANG = "_seeded_lang"  # widget key -> the language its widget was last seeded in (see _seed)
NOTICE = "_view_notice"  # i18n key of a change that was refused or adjusted (said once, where it happened)


@dataclass(frozen=True)
class Bind:
    """One view field shown by one widget: ``to_widget(view value)`` seeds it, ``from_widget`` reads it back,
    ``valid`` checks what came back (a radio or select box hands back its *shown* text when that text changed
    under it, e.g. "Wijken" after a language switch: never a value of the view)."""

    field: str
    key: str
    to_widget: Callable = lambda x: x
    from_widget: Callable = lambda x: x
    valid: Callable[[object], bool] = lambda _x: True


def _one_of(options) -> Callable[[object], bool]:
    return lambda value: value in options


#: field -> widget (the URL name and parser of each field: ViewState.from_params in state.py)
WIDGETS: dict[str, Bind] = {
    b.field: b
    for b in (
        Bind("lang", "w_lang", valid=_one_of(LANGS)),
        Bind(
            "gemeenten",
            "w_gemeenten",
            list,
            tuple,
            valid=lambda v: all(isinstance(c, str) and level_of_code(c) == "gemeente" for c in v),
        ),
        Bind("year", "w_year", valid=_one_of(YEARS)),
        Bind("level", "w_level", valid=_one_of(LEVELS)),
        Bind("reference", "w_ref", valid=_one_of(REFERENCES)),
        Bind("present", "w_present", bool, bool),
        Bind("colour", "w_colour", valid=lambda v: v in colour_ids()),
        Bind("classes", "w_classes", valid=_one_of(CLASSIFIERS)),
        Bind("k", "w_k", int, int, valid=lambda v: isinstance(v, (int, float)) and K_RANGE[0] <= v <= K_RANGE[1]),
        Bind("hotspots", "w_hotspots", bool, bool),
        Bind("national", "w_national", bool, bool),
    )
}


def weight_key(domain: str) -> str:
    """The one widget key of a domain's weight (the same slider key on Kaart and Prioriteren)."""
    return f"w_weight_{domain}"


# --- the session's view ------------------------------------------------------------------------------


def address(v: ViewState, keep_page: bool = False) -> dict[str, str]:
    """What the address bar holds for ``v``: its parameters without ``page`` (the path names the page), unless
    ``keep_page`` (a link that arrived with ``page=`` naming this page keeps it: no rewrite, no history entry)."""
    params = v.to_params()
    if not keep_page:
        params.pop("page", None)
    return params


def _params_now() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params}


def init() -> ViewState:
    """Parse the URL on the first run of a session, or when the URL changed outside the app (Back, a typed
    link); otherwise the session's view stands (a page change without a query string keeps it)."""
    params = _params_now()
    changed = bool(params) and params != st.session_state.get(LAST_PARAMS)
    if VIEW not in st.session_state or changed:
        v = ViewState.from_params(params, domains=domain_ids(), colour_ids=colour_ids())
        known = loaders.catalogue(v.year).known  # None when the list cannot be loaded: codes kept
        if known is not None and "gm" in params:
            v = ViewState.from_params(params, domains=domain_ids(), colour_ids=colour_ids(), gemeenten=known)
        if "page" not in params and VIEW in st.session_state:
            v = replace(v, page=current().page)  # Back/forward: the path names the page
        good, missing = loaders.parse_files(",".join(v.files))
        if missing:
            v = replace(v, files=tuple(good))
        st.session_state[PROBLEMS] = (v.problems, v.dropped, tuple(missing))
        asked = {c.strip().upper() for c in str(params.get("gm") or "").split(",")}
        st.session_state[GM_HINTS] = (v.gm_unmatched, not set(v.gemeenten) & asked)  # fell back: replace
        _store(v)
        st.session_state[LAST_PARAMS] = params  # what the address bar says now
    return current()


def current() -> ViewState:
    return st.session_state.get(VIEW) or ViewState()


def _store(v: ViewState) -> ViewState:
    st.session_state[VIEW] = v
    st.session_state[loaders.VIEW_FILES] = v.files
    return v


def change(**changes) -> ViewState:
    """The view with ``changes``; a new gemeente set, year or level drops an area that no longer fits."""
    old = current()
    new = old.with_(**changes)
    if (new.gemeenten, new.year, new.level) != (old.gemeenten, old.year, old.level) and "area" not in changes:
        new = new.with_(area=new.area if area_fits(new.area, new.level) else None)
    return _store(new)


def commit() -> ViewState:
    """Write the view to the address bar (only when it differs: each write is one browser history entry).
    Called at the end of every run (shell) and of every map-section rerun (Kaart), so the address bar equals
    the view the screen shows after each change, in that run."""
    v = current()
    now = _params_now()
    params = address(v, keep_page=now.get("page") == v.page)
    if params != now:
        if params:
            st.query_params.from_dict(params)
        else:  # from_dict({}) sends nothing: the bar would keep the old view
            st.query_params.clear()
    st.session_state[LAST_PARAMS] = params
    return v


def update(**changes) -> ViewState:
    """``change`` and ``commit`` at once: for a page that calls ``st.rerun()`` right after (the rerun starts
    from the address bar as it is at that moment, so it must already hold the change)."""
    change(**changes)
    return commit()


def go(page: str) -> None:
    """``st.switch_page`` with the view in the query string (without it the address bar loses the view and
    the view written back afterwards is a second history entry)."""
    st.switch_page(page, query_params=address(current()))


def enter_page(slug: str) -> ViewState:
    v = current()
    return change(page=slug) if v.page != slug else v


# --- widgets bound to the view -----------------------------------------------------------------------


def bind(name: str) -> dict:
    """Keyword arguments for the widget of view field ``name``: its key, seeded from the view, and the callback
    that writes a change back into the view. Create the widget right after (``st.radio(..., **bind("level"))``)."""
    b = WIDGETS[name]
    return {"key": _seed(b.key, b.to_widget(getattr(current(), name))), "on_change": _changed, "args": (name,)}


def _seed(key: str, value) -> str:
    """The widget state of ``key`` set to the view's ``value`` (before the widget is created); returns ``key``.

    Also set, equal or not, on the first run in a new language: a radio or select box keeps its *shown* text
    in the browser ("Wijken") and the server reads it back as the option it was ("wijk"), so an unchanged value
    sends nothing and the browser keeps the old text, matching no option of the new language (nothing checked,
    a Dutch label in an English select box). Setting it makes Streamlit send the value in the new text."""
    lang, seeded = current().lang, st.session_state.setdefault(SEEDED_LANG, {})
    if st.session_state.get(key) != value or seeded.get(key, lang) != lang:
        st.session_state[key] = value
    seeded[key] = lang
    return key


def _changed(name: str) -> None:
    b = WIDGETS[name]
    raw = st.session_state.get(b.key)
    if not b.valid(raw):  # not a value of the view: the widget is seeded anew from it
        return
    value = b.from_widget(raw)
    if name == "gemeenten" and not value:  # at least one gemeente: the view keeps its own, and says so
        st.session_state[NOTICE] = "gemeenten_empty"
        return
    change(**{name: value})


def bind_weight(domain: str) -> dict:
    """Keyword arguments for the slider of ``domain``'s weight (seeded from the view, written back to it)."""
    key = _seed(weight_key(domain), float(current().weight_map(domain_ids())[domain]))
    return {"key": key, "on_change": _weight_changed, "args": (domain,)}


def _weight_changed(domain: str) -> None:
    weights = {**current().weight_map(domain_ids()), domain: float(st.session_state[weight_key(domain)])}
    set_weights(weights)


def set_weights(weights: Mapping[str, float]) -> ViewState:
    """The weights of the view; every domain at 0 leaves no composite: equal weights then, and a notice."""
    usable = usable_weights(weights, domain_ids())
    if usable is None:
        st.session_state[NOTICE] = "weights_all_zero"
        return change(weights={})
    return change(weights=usable)


def reset_weights() -> None:
    """Callback of 'Gewichten terugzetten': equal weights (1) for every domain."""
    change(weights=dict.fromkeys(domain_ids(), WEIGHT_DEFAULT))


def bind_area(key: str, options) -> dict:
    """An area picker (a select box of ``options``, "" = none) bound to the view's area."""
    area = current().area
    _seed(key, area if area in options else "")
    return {"key": key, "on_change": _area_changed, "args": (key,)}


def _area_changed(key: str) -> None:
    change(area=st.session_state.get(key) or None)


def bind_profile_pick(key: str, options) -> dict:
    """The Buurtprofiel's list of focus areas (``"fa:<id>"``) and areas, bound to the view's ``fopen`` / ``area``.
    The pick is written back before the script runs, so the page menu and the share link of the same run hold it
    also when the page then ends with st.stop (a focus-area profile does)."""
    v = current()
    now = f"fa:{v.fopen}" if v.fopen and f"fa:{v.fopen}" in options else v.area
    _seed(key, now if now in options else None)
    return {"key": key, "on_change": _profile_picked, "args": (key,)}


def _profile_picked(key: str) -> None:
    choice = st.session_state.get(key)
    if isinstance(choice, str):
        if choice.startswith("fa:"):
            change(fopen=choice[3:], area=None)
        else:
            change(area=choice, fopen=None)


def take_notice(key: str) -> bool:
    """Whether the last change was refused or adjusted for reason ``key`` (an i18n key); said once."""
    said = st.session_state.get(NOTICE) == key
    return said and st.session_state.pop(NOTICE) == key


def map_click(key: str) -> Callable[[], None]:
    """The on_change callback of the map component under ``key``: its value ``{"code": ..., "seq": n}`` becomes
    the view's area. Anything else (a crafted value: a list, a string) is ignored and logged with an error id."""

    def clicked() -> None:
        value = st.session_state.get(key)
        code = area_code(value.get("code")) if isinstance(value, Mapping) else None
        if code is None:
            if value is not None:
                error_id = loaders.log_unexpected(
                    TypeError(f"map value of type {type(value).__name__}"), context=f"{current().page}: map click"
                )
                log.warning("map component value ignored (error id %s)", error_id)
            return
        change(area=code)

    return clicked


# --- what the opened link did not use (read by links.warn_bad_params) ----------------------------------


def link_problems() -> tuple[tuple, tuple, tuple]:
    return st.session_state.get(PROBLEMS) or ((), (), ())


def gm_hints() -> tuple[tuple, bool]:
    return st.session_state.get(GM_HINTS) or ((), False)


def fix_gemeente(code: str, fell_back: bool) -> None:
    """A gemeente picked to replace what the link named wrongly: added to the view (or replacing the default)."""
    v = current()
    gemeenten = (code,) if fell_back else tuple(dict.fromkeys((*v.gemeenten, code)))
    change(gemeenten=gemeenten, area=None)
    st.session_state[GM_HINTS] = ((), False)
    problems, _dropped, missing = link_problems()
    st.session_state[PROBLEMS] = (tuple(p for p in problems if p != "gm"), (), missing)


SHARE_SLOT, SHARE_DONE, NAV_SLOT = "_share_slot", "_share_done", "_nav_slot"


def set_share_slot(slot, nav) -> None:
    """The sidebar placeholders of the share link and the page menu for this run (filled after the page ran)."""
    st.session_state[SHARE_SLOT], st.session_state[SHARE_DONE], st.session_state[NAV_SLOT] = slot, False, nav


def nav_slot():
    return st.session_state.get(NAV_SLOT)


def share_slot(*, taken: bool = False):
    """The share link's placeholder; ``taken``: a page section writes it (the shell then leaves it alone).
    None when the section itself already wrote it (``taken`` False) or there is none."""
    if taken:
        st.session_state[SHARE_DONE] = True
        return st.session_state.get(SHARE_SLOT)
    return None if st.session_state.get(SHARE_DONE) else st.session_state.get(SHARE_SLOT)


def once(key: str) -> bool:
    """True the first time ``key`` is asked for in this session (e.g. the arrival of a ``?page=`` link)."""
    first, st.session_state[key] = not st.session_state.get(key), True
    return first


def arrived_with_page() -> bool:
    """The address bar names a page in ``page=`` (a link such as ``/?page=vergelijken``)."""
    return "page" in st.query_params
