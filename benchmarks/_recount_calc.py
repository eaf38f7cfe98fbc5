"""The independent recount (issue 21): every figure of ``python -m indicators score`` recomputed from
``../shared/data`` with pandas/numpy/scipy, from the method text alone (Methode & bronnen, nl), never from the
engine. Each rule below quotes the sentence of the method text it follows."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from core.values import MISSING_NUMBERS  # the CBS format's sentinels, a fact defined once (not engine logic)

DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data").resolve()
INCOME = DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
MIN_POP = 200  # "Gebieden met minder dan 200 inwoners krijgen geen rang, geen domeinscore ..."
D1_MIN = 10  # "minder dan 10 gebieden met een waarde ... minstens 10"
BAND = 80  # "domeinrang >= 80"
DOMAIN_SHARE = 0.5  # "minstens 50 % van de indicatoren van het domein (en minstens één)"
DOMAIN_DECIMALS = 9  # "De domeinscore wordt afgerond op 9 decimalen"
# False: the method text as it stood before the recount (``--as-written``): mid-rank percentiles, unrounded domain
# scores, suppressed areas in the base, no D1 for domain ranks, the 90 % rule for one member, stacking 0 of 0
STATED = {"rules": True}
AGES = (
    "percentage_personen_15_tot_25_jaar",
    "percentage_personen_25_tot_45_jaar",
    "percentage_personen_45_tot_65_jaar",
)

# (id, domain or None for context, direction, kind, minimum denominator) as listed on the method page
INDICATORS = [
    ("laag_inkomen", "armoede", 1, "share", 50),
    ("sociaal_minimum", "armoede", 1, "share", 50),
    ("laagste_40_huishoudens", "armoede", 1, "share", 50),
    ("inkomen_per_inwoner", "armoede", -1, "mean", 200),
    ("ww_werkleeftijd", "werk", 1, "count", 100),
    ("ao_werkleeftijd", "werk", 1, "count", 100),
    ("bijstand_werkleeftijd", "werk", 1, "count", 100),
    ("laag_opgeleid", "onderwijs", 1, "count", 100),
    ("voortijdig_schoolverlaten", "schooluitval", 1, "external", 0),
    ("sociale_huur", "wonen", 1, "share", 50),
    ("woz_waarde", "wonen", -1, "mean", 50),
    ("jeugdzorg", "jeugd", 1, "share", 100),
    ("bijstand_per_1000", None, 0, "count", 200),
    ("herkomst_buiten_europa", None, 0, "count", 200),
    ("laagste_40_personen", None, 0, "share", 200),
    ("ervaren_gezondheid_niet_goed", "gezondheid", 1, "survey", 0),
]
DOMAINS = ["armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd", "gezondheid"]
# Gezondheid comes from a second table (50150NED) with values per gemeente and buurt only; the default emulator
# serves no 50150NED. A domain whose table has no values at the level ('level_absent') or is not served
# ('source_absent') has no value and is left out of m ("telt niet mee"). The recount's areas are wijken.
SURVEY_LEVELS = ("gemeente", "buurt")
ABSENT_DOMAINS = ("gezondheid",)


def absent_why(code: str) -> str:
    """Why a 50150NED indicator has no value for ``code`` here: level first, then the missing table."""
    level = {"WK": "wijk", "GM": "gemeente", "BU": "buurt"}.get(code[:2], "land")
    return "source_absent" if level in SURVEY_LEVELS else "level_absent"


COUNTS = {"ww_werkleeftijd": "PersonenPerSoortUitkeringWW_96", "ao_werkleeftijd": "PersonenPerSoortUitkeringAO_95"}
INCOME_COLS = {
    "laagste_40_huishoudens": "pct_hh_40pct_laagste_besteedbaar_inkomen",
    "inkomen_per_inwoner": "gem_persoonlijk_inkomen_per_inwoner_x1000eur",
}
COUNTS["bijstand_werkleeftijd"] = COUNTS["bijstand_per_1000"] = "PersonenPerSoortUitkeringBijstand_94"


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").where(lambda v: ~v.isin(MISSING_NUMBERS))


def kwb_table() -> pd.DataFrame:
    """85984NED (all gemeenten and wijken of 2024), as the mirror serves it: one row per region code (a copy)."""
    return _kwb_table().copy()


@functools.cache
def _kwb_table() -> pd.DataFrame:
    rows = json.loads((DATA / "derived" / "odata" / "85984NED" / "TypedDataSet.json").read_text())
    df = pd.DataFrame(rows)
    df["code"] = df["WijkenEnBuurten"].str.strip()
    df["gemeente_code"] = np.where(df["code"].str.startswith("GM"), df["code"], "GM" + df["code"].str[2:6])
    df["name"] = df["Gemeentenaam_1"].str.strip()
    for c in df.columns:
        if c not in (
            "code",
            "gemeente_code",
            "name",
            "WijkenEnBuurten",
            "Gemeentenaam_1",
            "SoortRegio_2",
            "Codering_3",
        ):
            df[c] = _num(df[c])
    return df.set_index("code")


def pdok_wijken() -> pd.DataFrame:
    """The Wijk- en Buurtkaart 2024 wijk attributes (the selected gemeenten only: rounded percentages)."""
    g = json.loads((DATA / "derived" / "pdok_wbk2024" / "wijken.crs84.geojson").read_text())
    df = pd.DataFrame([f["properties"] for f in g["features"]]).set_index("wijkcode")
    return df.apply(lambda s: _num(s) if s.dtype != object else s)


def income() -> pd.DataFrame:
    df = pd.read_csv(INCOME, dtype={"regiocode": str})
    return df.set_index("regiocode")


def values(kwb: pd.DataFrame, pdok: pd.DataFrame | None, inc: pd.DataFrame, codes: pd.Index) -> pd.DataFrame:
    """Value, numerator, denominator per indicator for ``codes`` ('Waarde', 'Formule', 'Onderdrukking').

    ``pdok``: the map attributes (derived counts "afgeleid uit afgerond %"); None for the national file, which
    holds only the KWB table ("nooit waarden die er alleen zijn omdat een gemeente gekozen is")."""
    k = kwb.reindex(codes)
    pop = k["AantalInwoners_5"]
    out = pd.DataFrame(index=codes)
    out["population"] = pop
    p = pdok.reindex(codes) if pdok is not None else pd.DataFrame(index=codes, columns=[*AGES, "x"], dtype=float)
    work = pop * p[list(AGES)].sum(axis=1, min_count=len(AGES)) / 100 if pdok is not None else pd.Series(np.nan, codes)
    if pdok is not None:
        work = work.where(p[list(AGES)].notna().all(axis=1))
    # D2: an older file's value only where code and boundaries did not change (2 or 3 in the KWB column)
    changed = k["IndelingswijzigingGemeenteWijkBuurt_4"].isin([2, 3])
    i = inc.reindex(codes)
    specs = {
        "laagste_40_huishoudens": (i[INCOME_COLS["laagste_40_huishoudens"]].where(~changed), k["HuishoudensTotaal_29"]),
        "inkomen_per_inwoner": (i[INCOME_COLS["inkomen_per_inwoner"]].where(~changed), pop),
        "sociale_huur": (k["InBezitWoningcorporatie_49"], k["Woningvoorraad_35"]),
        "woz_waarde": (k["GemiddeldeWOZWaardeVanWoningen_39"], k["Woningvoorraad_35"]),
    }
    for ind, _dom, _d, _kind, mind in INDICATORS:
        out[f"{ind}__num"] = np.nan
        if ind in specs:
            v, den = specs[ind]
            out[f"{ind}__den"] = den
        elif ind in ("ww_werkleeftijd", "ao_werkleeftijd", "bijstand_werkleeftijd"):
            num = k[COUNTS[ind]]
            out[f"{ind}__num"], out[f"{ind}__den"] = num, work
            v = 100 * num / work
        elif ind == "bijstand_per_1000":
            num = k[COUNTS[ind]]
            out[f"{ind}__num"], out[f"{ind}__den"] = num, pop
            v = 1000 * num / pop
        elif ind == "herkomst_buiten_europa" and pdok is not None:
            num = pop * p["percentage_met_herkomstland_buiten_europa"] / 100
            out[f"{ind}__num"], out[f"{ind}__den"] = num, pop
            v = 100 * num / pop
        else:
            v, out[f"{ind}__den"] = pd.Series(np.nan, codes), pd.Series(np.nan, codes)
        den = out[f"{ind}__den"]
        why = pd.Series(np.where(v.notna(), "", "no_value"), codes, dtype=object)
        if _dom in ABSENT_DOMAINS:
            why[:] = [absent_why(code) for code in codes]
        if ind in ("laagste_40_huishoudens", "inkomen_per_inwoner"):
            why[v.isna() & (i[INCOME_COLS[ind]].notna() & changed)] = "boundary_changed"
        if mind > 0:  # "noemer kleiner dan <min>": not published
            why[den < mind] = "den_small"  # the reason even where CBS published no value
            v = v.where(~(den < mind))
        out[ind], out[f"{ind}__why0"] = v.astype(float), why
        out[f"{ind}__year"] = pd.Series(2020 if ind in INCOME_COLS else 2024, codes).where(v.notna())
    out["suppressed"] = pop < MIN_POP
    return out


def poisson_interval(num: pd.Series, den: pd.Series, scale: float) -> tuple[pd.Series, pd.Series]:
    """ "95 %-interval (Poisson, inclusief de afronding van CBS op tientallen)": exact Poisson limits of count - 5
    and count + 5 ('ook voor een opgetelde teller één keer +- 5')."""
    lo_c = (num - 5).clip(lower=0)
    hi_c = num + 5
    lo = pd.Series(np.where(lo_c > 0, stats.chi2.ppf(0.025, 2 * lo_c) / 2, 0.0), num.index)
    hi = pd.Series(stats.chi2.ppf(0.975, 2 * (hi_c + 1)) / 2, num.index)
    return scale * lo / den, scale * hi / den


def eb(num: pd.Series, den: pd.Series, ref_num: pd.Series, ref_den: pd.Series, scale: float) -> pd.Series:
    """Global empirical Bayes (Marshall 1991) towards the reference mean."""
    ok = ref_num.notna() & ref_den.notna() & (ref_den > 0)
    e, b = ref_num[ok], ref_den[ok]
    theta = e.sum() / b.sum()
    s2 = (b * (e / b - theta) ** 2).sum() / b.sum()
    a = max(s2 - theta / b.mean(), 0.0)
    w = a / (a + theta / den)
    return scale * (w * (num / den) + (1 - w) * theta)


def pct_rank(x: pd.Series, ref: pd.Series, strict: bool = False) -> pd.Series:
    """Percentile rank 0-100: the share of reference values at most x (indicators), or below x (``strict``:
    domains, 'slechter dan ... van de referentiegebieden')."""
    r = np.sort(ref.dropna().to_numpy())
    if len(r) == 0:
        return pd.Series(np.nan, x.index)
    le = np.searchsorted(r, x.to_numpy(), side="right")
    lt = np.searchsorted(r, x.to_numpy(), side="left")
    res = 100 * (lt if strict else le) / len(r) if STATED["rules"] else 100 * (lt + (le - lt + 1) / 2) / len(r)
    return pd.Series(np.where(x.notna(), res, np.nan), x.index)


def _ranked(ind: str, kind: str, direction: int, area: pd.DataFrame, ref: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The value that is ranked (EB for rates from counts) and its reference values, signed by direction."""
    if kind == "count":
        scale = 1000.0 if ind == "bijstand_per_1000" else 100.0
        a = eb(area[f"{ind}__num"], area[f"{ind}__den"], ref[f"{ind}__num"], ref[f"{ind}__den"], scale)
        r = eb(ref[f"{ind}__num"], ref[f"{ind}__den"], ref[f"{ind}__num"], ref[f"{ind}__den"], scale)
        a, r = a.where(area[ind].notna()), r.where(ref[ind].notna())
    else:
        a, r = area[ind], ref[ind]
    return direction * a, direction * r


def _gemeenten(codes: pd.Index) -> str:
    """The gemeente codes (GMxxxx, sorted, comma-joined) of wijk codes WKxxxxww: the gemeente is in the code."""
    return ",".join(sorted({"GM" + c[2:6] for c in codes}))


def indicator_ranks(sel: pd.DataFrame, nat: pd.DataFrame | None, local: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank, EB value and base size per indicator for the areas of ``sel``; reference ``nat`` (Nederland) or the
    selection itself (``nat`` None). D1: under 10 reference values, the own gemeente's areas if >= 10."""
    out = pd.DataFrame(index=sel.index)
    live = sel[~sel["suppressed"]]
    for ind, dom, direction, kind, _m in INDICATORS:
        if dom is None:
            continue
        ref = nat if nat is not None else sel
        ref = ref[(~ref["suppressed"] | (not STATED["rules"])) & ref[ind].notna()]
        rank = pd.Series(np.nan, sel.index)
        ebv = pd.Series(np.nan, sel.index)
        refn = pd.Series(np.nan, sel.index)
        base = pd.Series("", sel.index, dtype=object)  # which base: nl / sel, gm (D1), base_small:n:10
        where = pd.Series("", sel.index, dtype=object)  # the gemeenten the base areas lie in
        if len(ref) >= D1_MIN:
            a, r = _ranked(ind, kind, direction, live, ref)
            rank[live.index], refn[live.index] = pct_rank(a, r), len(ref)
            ebv[live.index] = direction * a if kind == "count" else np.nan
            base[live.index] = "nl" if nat is not None else "sel"
            where[live.index] = _gemeenten(ref.index)
        else:
            for gm, grp in live.groupby("gemeente_code"):
                pool = grp if local is None else local[(local["gemeente_code"] == gm) & ~local["suppressed"]]
                gref = pool[pool[ind].notna()]
                base[grp.index] = "gm" if len(gref) >= D1_MIN else f"base_small:{len(gref)}:{D1_MIN}"
                if len(gref) < D1_MIN:
                    continue
                a, r = _ranked(ind, kind, direction, grp, gref)
                rank[grp.index], refn[grp.index] = pct_rank(a, r), len(gref)
                ebv[grp.index] = direction * a if kind == "count" else np.nan
        rank[sel[ind].isna()] = np.nan
        refn[rank.isna()] = np.nan
        out[f"{ind}__rank"], out[f"{ind}__ref_n"], out[f"{ind}__base"] = rank, refn, base
        out[f"{ind}__where"] = where
        if kind == "count":
            out[f"{ind}__eb"] = ebv.where(sel[ind].notna())
    return out


def domain_scores(ranks: pd.DataFrame) -> pd.DataFrame:
    """'Gemiddelde van de indicatorrangen van het domein; alleen als minstens 50 % ... (en minstens één)'."""
    out = pd.DataFrame(index=ranks.index)
    for d in DOMAINS:
        cols = [f"{i}__rank" for i, dom, *_ in INDICATORS if dom == d]
        n = ranks[cols].notna().sum(axis=1)
        score = ranks[cols].mean(axis=1)
        out[f"domain__{d}"] = score.round(DOMAIN_DECIMALS if STATED["rules"] else 15).where(
            (n >= 1) & (n >= DOMAIN_SHARE * len(cols))
        )
        out[f"domain__{d}__n"], out[f"domain__{d}__m"] = n, len(cols)
    return out


def domain_ranks(
    dom: pd.DataFrame, ref_dom: pd.DataFrame, sel: pd.DataFrame, local: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Domain rank against the reference areas' domain scores (D1 fallback to the own gemeente), band >= 80."""
    out = pd.DataFrame(index=dom.index)
    live = ~sel["suppressed"]
    for d in DOMAINS:
        col = f"domain__{d}"
        ref = ref_dom[col].dropna()
        rank = pd.Series(np.nan, dom.index)
        refn = pd.Series(np.nan, dom.index)
        base = pd.Series("", dom.index, dtype=object)
        where = pd.Series("", dom.index, dtype=object)
        if len(ref) >= D1_MIN or not STATED["rules"]:
            rank[:], refn[:], base[:] = pct_rank(dom[col], ref, strict=True), len(ref), "ref"
            where[:] = _gemeenten(ref.index)
        else:
            for gm, idx in sel[live].groupby("gemeente_code").groups.items():
                g = (dom.loc[idx, col] if local is None else local.loc[local["gemeente_code"] == gm, col]).dropna()
                base[idx] = "gm"
                if len(g) >= D1_MIN:
                    rank[idx], refn[idx] = pct_rank(dom.loc[idx, col], g, strict=True), len(g)
        rank[dom[col].isna()] = np.nan
        refn[rank.isna()] = np.nan
        out[f"{col}__rank"], out[f"{col}__ref_n"], out[f"{col}__base"] = rank, refn, base
        out[f"{col}__where"] = where
        out[f"{col}__band"] = (rank >= BAND).where(rank.notna())
    return out
