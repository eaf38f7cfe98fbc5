"""The view state of Stapelkaart, mirrored in the URL (``st.query_params``).

The URL is the state: ``ViewState.from_params(st.query_params)`` parses every parameter against an
allow-list; anything that does not fit (year 1900, an unknown page, a negative weight, quotes, ``../``,
markup, a 10 KB value) is replaced by its default and named in ``ViewState.problems`` so the page can
show a visible warning. Only validated values ever reach a loader (and so an OData filter).

Pure Python: no streamlit import here, so it can be tested without a running app. Its facts come from their one
source: the years from ``data.cbs.KWB_TABLES``, the weight limits and parser from ``indicators.weights``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace

from core.codes import AREA_CODE_RE, GEMEENTE_CODE_RE, level_of_code
from core.errors import UserInputError
from data.cbs import KWB_TABLES
from indicators.registry import DOMAINS
from indicators.weights import WEIGHT_DEFAULT, WEIGHT_MAX, format_weights, normalise_weights
from indicators.weights import parse_weights as parse_weight_text

# --- allow-lists ------------------------------------------------------------------------------

PAGES = ("kaart", "vergelijken", "buurtprofiel", "prioriteren", "methode", "gegevens")
YEARS = tuple(sorted(KWB_TABLES))
LEVELS = ("wijk", "buurt")
LANGS = ("nl", "en")
REFERENCES = ("nl", "gemeente")
CLASSIFIERS = ("quantiles", "natural_breaks", "equal_interval", "fixed")  # geo.classify.SCHEMES (test_app_state)
K_RANGE = (3, 7)
MAX_GEMEENTEN = 12
MAX_PARAM_LEN = 300  # longer values are refused whole (10 KB values never get parsed)
MAX_FA_LEN = 8000  # the ``fa`` focus areas (indicators.focuscodec.MAX_PARAM), parsed by loaders.view_focus_areas

DEFAULT_GEMEENTEN = ("GM0363", "GM0479")
DEFAULT_YEAR = 2024

_DIGEST_RE = re.compile(r"^[0-9a-f]{12}$")  # data.userstore.DIGEST_LEN hex digits (test_app_state)
_FOCUS_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")  # focus-area ids are slugs (indicators.focus.slug)
_MODIFIED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]{2,15})?(Z|[+-]\d{2}:?\d{2})?$")  # a CBS Modified date
_FA_BAD = re.compile(r"[<>\x00-\x1f\x7f]")  # markup and control characters (names are escaped where shown)
_COLOUR_RE = re.compile(r"^(composite|stacking|domain:[a-z][a-z0-9_]{0,60}|ind:[a-z][a-z0-9_]{0,60})$")


@dataclass(frozen=True)
class ViewState:
    """Everything that makes a view reproducible from its link."""

    gemeenten: tuple[str, ...] = DEFAULT_GEMEENTEN
    year: int = DEFAULT_YEAR
    level: str = "wijk"
    reference: str = "nl"
    colour: str = "stacking"  # stacking | composite | domain:<id> | ind:<id>
    classes: str = "quantiles"  # classifier name
    k: int = 5  # number of classes
    weights: tuple[tuple[str, float], ...] = ()  # () = equal weights (the default)
    area: str | None = None  # selected wijk/buurt code
    focus: int = 0  # index of the focus area in presentation mode
    hotspots: bool = False
    page: str = "kaart"
    lang: str = "nl"
    present: bool = False
    files: tuple[str, ...] = ()  # digests of imported indicator files (data.userstore) in this view
    fa: str = ""  # focus areas (``Name:CODE+CODE;...``); "" = the default set
    fopen: str | None = None  # id of the focus area opened on Buurtprofiel
    kv: str | None = None  # CBS Modified of the kept KWB version this view reads (None = current)
    national: bool = False  # Kaart: every wijk/buurt of Nederland (URL nl=1)
    problems: tuple[str, ...] = field(default=(), compare=False)
    dropped: tuple[str, ...] = field(default=(), compare=False)  # gemeente codes from the link that were left out
    # what ``gm=`` held that is no gemeente of the year (codes or names, capped): only matched against the CBS
    # list for suggestions (links.gemeente_suggestions), never shown
    gm_unmatched: tuple[str, ...] = field(default=(), compare=False)

    # --- URL -> state -------------------------------------------------------------------------

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, object],
        *,
        domains: tuple[str, ...] | None = None,
        colour_ids: tuple[str, ...] | None = None,
        gemeenten: Collection[str] | None = None,
    ) -> ViewState:
        """Parse query parameters; unknown or invalid values fall back to defaults and are reported.

        ``domains`` / ``colour_ids`` (when known) tighten the allow-list for weights and colouring to
        the ids of the indicator registry; ``gemeenten`` (when known) to the codes of the year's list, so one
        unknown code in ``gm=`` is dropped (and named in ``dropped``) while the others are shown.
        """
        r = _Reader(params, set(gemeenten) if gemeenten is not None else None)
        d = cls()
        # the URL names (to_params): field names, except w, ref, gm and nl
        known = (
            {f.name for f in fields(cls)}
            - {"problems", "weights", "dropped", "gm_unmatched", "reference", "gemeenten", "national"}
        ) | {"w", "ref", "gm", "nl"}
        r.problems.extend(str(name)[:40] for name in params if name not in known)
        values = {
            "gemeenten": r.choose("gm", r.parse_gm, d.gemeenten),
            "year": r.choose("year", _parse_int(0, 0, YEARS), d.year),
            "level": r.choose("level", _one_of(LEVELS), d.level),
            "reference": r.choose("ref", _one_of(REFERENCES), d.reference),
            "colour": r.choose("colour", lambda t: _parse_colour(t, colour_ids), d.colour),
            "classes": r.choose("classes", _one_of(CLASSIFIERS), d.classes),
            "k": r.choose("k", _parse_int(*K_RANGE), d.k),
            "area": r.choose("area", area_code, d.area),
            "focus": r.choose("focus", _parse_int(0, 20), d.focus),
            "hotspots": r.choose("hotspots", _parse_bool, d.hotspots),
            "page": r.choose("page", _one_of(PAGES), d.page),
            "lang": r.choose("lang", _one_of(LANGS), d.lang),
            "present": r.choose("present", _parse_bool, d.present),
            "fa": r.choose("fa", lambda t: None if _FA_BAD.search(t) else t, d.fa),
            "fopen": r.choose("fopen", lambda t: t if _FOCUS_ID_RE.match(t) else None, d.fopen),
            "kv": r.choose("kv", lambda t: t if _MODIFIED_RE.match(t) else None, d.kv),
            "national": r.choose("nl", _parse_bool, d.national),
            "weights": r.choose("w", lambda t: parse_weights(t, domains), d.weights),
            "files": r.choose("files", _parse_files, d.files),
        }
        return cls(
            **values,
            problems=tuple(dict.fromkeys(r.problems)),
            dropped=tuple(dict.fromkeys(r.bad_codes)),
            gm_unmatched=tuple(dict.fromkeys(r.unmatched)),
        )

    # --- state -> URL -------------------------------------------------------------------------

    def to_params(self) -> dict[str, str]:
        """Only what differs from the default, so links stay short; ``page`` is always included."""
        d = ViewState()
        out: dict[str, str] = {}
        if self.gemeenten != d.gemeenten:
            out["gm"] = ",".join(self.gemeenten)
        for name in ("year", "level", "colour", "classes", "k", "focus", "lang"):
            if getattr(self, name) != getattr(d, name):
                out[name] = str(getattr(self, name))
        if self.reference != d.reference:
            out["ref"] = self.reference
        out.update(self._set_params())
        out["page"] = self.page
        return out

    def _set_params(self) -> dict[str, str]:
        """The URL names of the fields that are off by default (empty, False, no weights): only those set."""
        out: dict[str, str] = {}
        if self.area:
            out["area"] = self.area
        for name in ("fa", "fopen", "kv"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        for name, flag in (("hotspots", self.hotspots), ("present", self.present), ("nl", self.national)):
            if flag:
                out[name] = "1"
        if self.weights:
            out["w"] = format_weights(self.weights)
        if self.files:
            out["files"] = ",".join(self.files)
        return out

    def with_(self, **changes) -> ViewState:
        if "weights" in changes and isinstance(changes["weights"], Mapping):
            changes["weights"] = normalise_weights(changes["weights"])
        return replace(self, problems=(), dropped=(), gm_unmatched=(), **changes)

    def weight_map(self, domains: tuple[str, ...]) -> dict[str, float]:
        """Weight of every domain (1.0 unless set)."""
        given = dict(self.weights)
        return {d: given.get(d, 1.0) for d in domains}


class _Reader:
    """Reads query parameters for ViewState.from_params, collecting what it could not use: ``problems`` (URL
    names), ``bad_codes`` (gemeente codes of the right form but not of the year's list, named), ``unmatched``."""

    def __init__(self, params: Mapping[str, object], known_gm: set[str] | None):
        self.params = params
        self.known_gm = known_gm
        self.problems: list[str] = []
        self.bad_codes: list[str] = []
        self.unmatched: list[str] = []

    def get(self, name: str) -> str | None:
        raw = self.params.get(name)
        if raw is None:
            return None
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        text = str(raw)
        if len(text) > (MAX_FA_LEN if name == "fa" else MAX_PARAM_LEN):
            self.problems.append(name)
            return None
        return text.strip()

    def choose(self, name: str, parse, default):
        text = self.get(name)
        if text is None:
            return default
        try:
            value = parse(text)
        except (ValueError, TypeError):
            value = None
        if value is None:
            self.problems.append(name)
            return default
        return value

    def parse_gm(self, text: str):
        codes = [c.strip().upper() for c in text.split(",") if c.strip()]
        good = [c for c in codes if GEMEENTE_CODE_RE.match(c) and (self.known_gm is None or c in self.known_gm)]
        bad = [c for c in codes if GEMEENTE_CODE_RE.match(c) and c not in good]  # named: GM + 4 digits only
        self.bad_codes.extend(bad)
        self.unmatched.extend(c[:40] for c in codes[:10] if c not in good)
        if len(good) + len(self.bad_codes) < len(codes):  # malformed parts: not echoed
            self.problems.append("gm")
        if not good or len(good) > MAX_GEMEENTEN:
            return None
        return tuple(dict.fromkeys(good))


def _parse_files(text: str):
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(_DIGEST_RE.match(p) for p in parts):
        return None
    return tuple(dict.fromkeys(parts))


def _one_of(options):
    return lambda text: text if text in options else None


def _parse_int(lo, hi, options=None):
    def parse(text: str):
        if not re.fullmatch(r"\d{1,4}", text):
            return None
        v = int(text)
        if options is not None:
            return v if v in options else None
        return v if lo <= v <= hi else None

    return parse


def _parse_bool(text: str):
    return {"1": True, "true": True, "0": False, "false": False}.get(text.lower())


def _parse_colour(text: str, colour_ids):
    if not _COLOUR_RE.match(text):
        return None
    if colour_ids is not None and text not in colour_ids:
        return None
    return text


def domain_ids() -> tuple[str, ...]:
    return tuple(DOMAINS)


def colour_ids() -> tuple[str, ...]:
    """What the map may be coloured by: composite, stacking count, a domain, a scored indicator."""
    from indicators.registry import scored_indicators

    return ("composite", "stacking", *(f"domain:{d}" for d in DOMAINS), *(f"ind:{i.id}" for i in scored_indicators()))


def parse_weights(text: str, domains: tuple[str, ...] | None = None) -> tuple[tuple[str, float], ...] | None:
    """``armoede:2,werk:0`` -> ``(("armoede", 2.0), ("werk", 0.0))`` (indicators.weights, up to ``WEIGHT_MAX``).

    A weight of 0 means "not counted" and is kept. None when anything is invalid or when every domain weighs 0
    (no composite); a domain the link does not name weighs 1 (``domains``: the registry's ids when not given).
    """
    try:
        out = parse_weight_text(text, domains, maximum=WEIGHT_MAX)
    except UserInputError:
        return None
    return usable_weights(out, domains)


def usable_weights(weights: Mapping[str, float], domains: tuple[str, ...] | None = None):
    """The one rule for weights (a link, a slider): the sum over the domains must be above 0, else there is no
    composite (None). A domain not named weighs ``WEIGHT_DEFAULT``. Returns the normalised weights."""
    every = tuple(domains) if domains is not None else tuple(DOMAINS)
    if weights and sum(max(float(weights.get(d, WEIGHT_DEFAULT)), 0.0) for d in {*every, *weights}) <= 0:
        return None
    return normalise_weights(weights)


def area_code(text: object) -> str | None:
    """A wijk/buurt/gemeente code (upper case), or None for anything else (a crafted map value, a bad link)."""
    if not isinstance(text, str):
        return None
    code = text.strip().upper()
    return code if AREA_CODE_RE.match(code) else None


def area_fits(area: str | None, level: str) -> bool:
    """Whether ``area`` (a code) is of ``level``: a wijk code on the wijk level, a buurt code on the buurt level."""
    return bool(area) and level in ("wijk", "buurt") and level_of_code(area) == level


def share_url(base: str, state: ViewState) -> str:
    """Absolute link that reproduces ``state``: ``{base}/{page}?{params}``."""
    from urllib.parse import urlencode

    params = state.to_params()
    page = params.pop("page")
    query = urlencode(params, safe=",:;")
    return f"{base.rstrip('/')}/{page}" + (f"?{query}" if query else "")
