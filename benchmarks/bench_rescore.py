"""Rescoring ~17 000 areas after a weight change: vectorised engine vs a straightforward per-row loop.

Data: the real 85984NED rows served by the cbs-mirror (``../shared/data/derived/odata/85984NED/TypedDataSet.json``,
read directly), the PDOK 2024 wijk attributes (age %, for the working-age fallback) and the real CBS income file.
The 3 393 wijken of Nederland are **replicated 5 times** (codes suffixed ``_r0`` .. ``_r4``) to 16 965 rows,
about the number of wijken + buurten in Nederland; the values are real, the replication is not.

Measured:
* ``rescore``: ``ScoreResult.reweight(new weights)`` (composite, n of m, note for all rows, table updated),
  median of 25 runs, against a per-row implementation (``iterrows`` over the domain scores, weighted mean
  with renormalisation per row) of the same rule. Target: < 50 ms and >= 50x.
* ``full score``: ``score_areas`` from the tidy frame (rates, ranks, domains, stacking, composite), once.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared" / "data").resolve()
TYPED = SHARED / "derived" / "odata" / "85984NED" / "TypedDataSet.json"
PROPS = SHARED / "cbs_schema" / "85984NED_DataProperties.json"
WIJK_STATS = SHARED / "kwb" / "cbs_wijkbuurtkaart2024v2_wijk_stats_GM0363_GM0479.csv"
INCOME = SHARED / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
REPLICAS = 5
TEXT_KEYS = ("WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "MeestVoorkomendePostcode_125")


def tidy_from_typed_dataset() -> pd.DataFrame:
    """The 3 393 real wijken as a tidy frame with canonical column names (as data.cbs.load_kwb would give)."""
    from data.kwb_schema import canonical_names

    names = canonical_names(json.loads(PROPS.read_text()))
    raw = pd.DataFrame(json.loads(TYPED.read_text()))
    code = raw["Codering_3"].str.strip()
    ids = pd.DataFrame(
        {
            "code": code,
            "level": np.where(code.str.startswith("WK"), "wijk", "gemeente"),
            "name": raw["Gemeentenaam_1"].str.strip(),
            "gemeente_code": "GM" + code.str[2:6],
            "year": 2024,
        }
    )
    values = pd.DataFrame(
        {
            n: pd.to_numeric(raw[k], errors="coerce").astype("float64") if k in raw else np.nan
            for k, n in names.items()
            if k not in TEXT_KEYS
        }
    )
    frame = pd.concat([ids, values], axis=1)
    return frame[frame["level"] == "wijk"].reset_index(drop=True)


def replicate(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    parts = []
    for k in range(n):
        part = frame.copy()
        part["code"] = part["code"] + f"_r{k}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def per_row_composite(domain_x: pd.DataFrame, weights: dict[str, float], min_domains: int) -> pd.Series:
    """The straightforward version: one Python iteration per area (what the engine must not do)."""
    out = {}
    for code, row in domain_x.iterrows():
        num = den = 0.0
        n = 0
        for d, w in weights.items():
            x = row[d]
            if w > 0 and not np.isnan(x):
                num += w * x
                den += w
                n += 1
        out[code] = num / den if n >= min_domains and den > 0 else np.nan
    return pd.Series(out)


def main() -> None:
    from indicators.engine import make_reference, score_areas
    from indicators.rates import UserValues

    if not TYPED.exists():
        print("rescore: skipped (../shared/data absent)")
        return
    base = tidy_from_typed_dataset()
    frame = replicate(base, REPLICAS)
    attrs = pd.read_csv(WIJK_STATS).rename(columns={"wijkcode": "code"})
    attrs = replicate(attrs[["code"] + [c for c in attrs.columns if c.startswith("percentage_")]], REPLICAS)
    income = pd.read_csv(INCOME).drop_duplicates("regiocode").set_index("regiocode")
    codes = frame["code"]
    orig = codes.str.replace(r"_r\d+$", "", regex=True)
    user = [
        UserValues(ind, pd.Series(income[col].reindex(orig).to_numpy(), index=codes), 2020, "CBS inkomen 2020")
        for ind, col in (
            ("laagste_40_huishoudens", "pct_hh_40pct_laagste_besteedbaar_inkomen"),
            ("inkomen_per_inwoner", "gem_persoonlijk_inkomen_per_inwoner_x1000eur"),
        )
    ]
    ref = make_reference(frame, "nl", "wijk", 2024)
    t0 = time.perf_counter()
    result = score_areas(
        {2024: frame}, 2024, level="wijk", reference=ref, user_values=user, attributes={2024: attrs}, min_domains=2
    )
    full = time.perf_counter() - t0

    weights = {"armoede": 2.0, "werk": 1.0, "onderwijs": 1.0, "schooluitval": 1.0, "wonen": 0.5, "jeugd": 1.0}
    result.reweight(weights)  # warm-up
    times = []
    for _ in range(25):
        t = time.perf_counter()
        new = result.reweight(weights)
        times.append(time.perf_counter() - t)
    fast = statistics.median(times)
    t = time.perf_counter()
    slow_values = per_row_composite(result.domain_x, weights, 2)
    slow = time.perf_counter() - t
    fast_values = new.universe["composite"]
    same = np.allclose(fast_values.to_numpy(), slow_values.reindex(fast_values.index).to_numpy(), equal_nan=True)
    n = len(result.universe)
    scored = int(fast_values.notna().sum())
    print(
        f"rescore: {fast * 1000:.1f} ms for {n} areas (median of 25; target < 50 ms); per-row loop {slow * 1000:.0f} ms; "
        f"ratio {slow / fast:.0f}x (target >= 50x); results equal: {same}"
    )
    print(
        f"rescore detail: real 85984NED wijken ({len(base)}) replicated {REPLICAS}x to {n} rows; {scored} with a "
        f"composite (min_domains=2: only 115 wijken have 2024 KWB benefits/housing in the mirror); "
        f"full score_areas once: {full * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
