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
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from data.cbs import KWB_TABLES
from data.errors import UserInputError
from indicators.weights import WEIGHT_MAX, format_weights, normalise_weights
from indicators.weights import parse_weights as parse_weight_text

# --- allow-lists ------------------------------------------------------------------------------

PAGES = ("kaart", "vergelijken", "buurtprofiel", "prioriteren", "methode", "gegevens")
YEARS = tuple(sorted(KWB_TABLES))
LEVELS = ("wijk", "buurt")
LANGS = ("nl", "en")
REFERENCES = ("nl", "gemeente")
CLASSIFIERS = ("quantiles", "natural_breaks", "equal_interval", "fixed")   # geo.classify.SCHEMES (test_app_state)
K_RANGE = (3, 7)
MAX_GEMEENTEN = 12
MAX_PARAM_LEN = 300          # longer values are refused whole (10 KB values never get parsed)

DEFAULT_GEMEENTEN = ("GM0363", "GM0479")
DEFAULT_YEAR = 2024

_GM_RE = re.compile(r"^GM\d{4}$")
_AREA_RE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
_COLOUR_RE = re.compile(r"^(composite|stacking|domain:[a-z][a-z0-9_]{0,60}|ind:[a-z][a-z0-9_]{0,60})$")


@dataclass(frozen=True)
class ViewState:
    """Everything that makes a view reproducible from its link."""

    gemeenten: tuple[str, ...] = DEFAULT_GEMEENTEN
    year: int = DEFAULT_YEAR
    level: str = "wijk"
    reference: str = "nl"
    colour: str = "stacking"              # stacking | composite | domain:<id> | ind:<id>
    classes: str = "quantiles"            # classifier name
    k: int = 5                            # number of classes
    weights: tuple[tuple[str, float], ...] = ()   # () = equal weights (the default)
    area: str | None = None               # selected wijk/buurt code
    focus: int = 0                        # index of the focus area in presentation mode
    hotspots: bool = False
    page: str = "kaart"
    lang: str = "nl"
    present: bool = False
    national: bool = False                # Kaart: every wijk/buurt of Nederland (URL nl=1)
    problems: tuple[str, ...] = field(default=(), compare=False)

    # --- URL -> state -------------------------------------------------------------------------

    @classmethod
    def from_params(cls, params: Mapping[str, object], *, domains: tuple[str, ...] | None = None,
                    colour_ids: tuple[str, ...] | None = None) -> ViewState:
        """Parse query parameters; unknown or invalid values fall back to defaults and are reported.

        ``domains`` / ``colour_ids`` (when known) tighten the allow-list for weights and colouring to
        the ids of the indicator registry.
        """
        d = cls()
        values: dict[str, object] = {}
        problems: list[str] = []
        known = {f.name for f in fields(cls)} - {"problems", "weights"} | {"w", "ref", "gm"}

        def get(name: str) -> str | None:
            raw = params.get(name)
            if raw is None:
                return None
            if isinstance(raw, (list, tuple)):
                raw = raw[-1] if raw else ""
            text = str(raw)
            if len(text) > MAX_PARAM_LEN:
                problems.append(name)
                return None
            return text.strip()

        for name in params:
            if name not in known:
                problems.append(str(name)[:40])

        def choose(name, parse, default):
            text = get(name)
            if text is None:
                return default
            try:
                value = parse(text)
            except (ValueError, TypeError):
                value = None
            if value is None:
                problems.append(name)
                return default
            return value

        def parse_gm(text: str):
            codes = [c.strip().upper() for c in text.split(",") if c.strip()]
            if not codes or len(codes) > MAX_GEMEENTEN or not all(_GM_RE.match(c) for c in codes):
                return None
            return tuple(dict.fromkeys(codes))

        def one_of(options):
            return lambda text: text if text in options else None

        def parse_int(lo, hi, options=None):
            def parse(text: str):
                if not re.fullmatch(r"\d{1,4}", text):
                    return None
                v = int(text)
                if options is not None:
                    return v if v in options else None
                return v if lo <= v <= hi else None
            return parse

        def parse_bool(text: str):
            return {"1": True, "true": True, "0": False, "false": False}.get(text.lower())

        def parse_colour(text: str):
            if not _COLOUR_RE.match(text):
                return None
            if colour_ids is not None and text not in colour_ids:
                return None
            return text

        def parse_area(text: str):
            text = text.upper()
            return text if _AREA_RE.match(text) else None

        values["gemeenten"] = choose("gm", parse_gm, d.gemeenten)
        values["year"] = choose("year", parse_int(0, 0, YEARS), d.year)
        values["level"] = choose("level", one_of(LEVELS), d.level)
        values["reference"] = choose("ref", one_of(REFERENCES), d.reference)
        values["colour"] = choose("colour", parse_colour, d.colour)
        values["classes"] = choose("classes", one_of(CLASSIFIERS), d.classes)
        values["k"] = choose("k", parse_int(*K_RANGE), d.k)
        values["area"] = choose("area", parse_area, d.area)
        values["focus"] = choose("focus", parse_int(0, 20), d.focus)
        values["hotspots"] = choose("hotspots", parse_bool, d.hotspots)
        values["page"] = choose("page", one_of(PAGES), d.page)
        values["lang"] = choose("lang", one_of(LANGS), d.lang)
        values["present"] = choose("present", parse_bool, d.present)
        values["national"] = choose("nl", parse_bool, d.national)
        values["weights"] = choose("w", lambda t: parse_weights(t, domains), d.weights)
        return cls(**values, problems=tuple(dict.fromkeys(problems)))

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
        if self.area:
            out["area"] = self.area
        if self.hotspots:
            out["hotspots"] = "1"
        if self.present:
            out["present"] = "1"
        if self.national:
            out["nl"] = "1"
        if self.weights:
            out["w"] = format_weights(self.weights)
        out["page"] = self.page
        return out

    def with_(self, **changes) -> ViewState:
        if "weights" in changes and isinstance(changes["weights"], Mapping):
            changes["weights"] = normalise_weights(changes["weights"])
        return replace(self, problems=(), **changes)

    def weight_map(self, domains: tuple[str, ...]) -> dict[str, float]:
        """Weight of every domain (1.0 unless set)."""
        given = dict(self.weights)
        return {d: given.get(d, 1.0) for d in domains}


def parse_weights(text: str, domains: tuple[str, ...] | None = None) -> tuple[tuple[str, float], ...] | None:
    """``armoede:2,werk:1`` -> ``(("armoede", 2.0), ("werk", 1.0))`` (indicators.weights, up to ``WEIGHT_MAX``);
    None when anything is invalid or every weight given is 0 (no composite)."""
    try:
        out = parse_weight_text(text, domains, maximum=WEIGHT_MAX)
    except UserInputError:
        return None
    if out and sum(out.values()) <= 0:
        return None
    return normalise_weights(out)


def share_url(base: str, state: ViewState) -> str:
    """Absolute link that reproduces ``state``: ``{base}/{page}?{params}``."""
    from urllib.parse import urlencode

    params = state.to_params()
    page = params.pop("page")
    query = urlencode(params, safe=",:")
    return f"{base.rstrip('/')}/{page}" + (f"?{query}" if query else "")
