"""The words and reason codes of the recount (issue 21): each rank's base label, the reason a value or rank is
missing, the composite note, recomputed from the figures of ``_recount_calc`` and the method text's sentences
('Elke rang noemt het aantal gebieden met gegevens; is dat minder dan de helft, dan noemt het label die
werkelijke basis', D1, D2, onderdrukking)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks._recount_calc import DOMAINS, INDICATORS, MIN_POP


def _n(x: float) -> str:
    return f"{int(x):,}".replace(",", "\u202f")


MAX_NAMED = 3  # "landelijk alleen in A, B en C": a small national base in at most this many gemeenten


def _base_label(n: float, base: str, total: int, gemeente: str, names: str, where: list[str]) -> str | None:
    """``where``: the names of the gemeenten the base areas lie in."""
    if not base or base.startswith("base_small") or np.isnan(n):
        return None
    if base == "gm":
        return f"t.o.v. {_n(n)} wijken van {gemeente} met gegevens (geen landelijke gegevens)"
    if base == "sel":
        return f"t.o.v. {_n(n)} wijken van {names} met gegevens"
    pct = f"{100 * n / total:.0f}"
    if n >= total / 2:
        return f"t.o.v. {_n(n)} wijken van Nederland met gegevens ({pct} % van alle {_n(total)})"
    only = sorted(where)
    tail = ""
    if 0 < len(only) <= MAX_NAMED:
        tail = ", landelijk alleen in " + (only[0] if len(only) == 1 else ", ".join(only[:-1]) + " en " + only[-1])
    return f"t.o.v. {_n(n)} wijken met gegevens ({pct} % van Nederland){tail}"


def _names(where: str, gm_name: pd.Series) -> list[str]:
    return [gm_name[c] for c in where.split(",") if c]


def labels(full: pd.DataFrame, reference: str, kwb: pd.DataFrame) -> pd.DataFrame:
    """The text columns of the CLI's JSON, from the recount's figures."""
    total = int(kwb.index.str.startswith("WK").sum())
    gm_name = kwb["name"]
    gms = sorted(full["gemeente_code"].unique())
    names = ", ".join(gm_name[g] for g in gms)
    out = pd.DataFrame(index=full.index)
    out["reference"] = f"{_n(total)} wijken van Nederland, 2024" if reference == "nl" else f"wijken van {names}, 2024"
    sup = full["suppressed"]
    for ind, dom, *_ in INDICATORS:
        why = full[f"{ind}__why0"].copy()
        if dom is None:
            for col in ("rank", "ref_n", "eb", "ref"):  # context: shown, never ranked
                out[f"{ind}__{col}"] = None
        else:
            small = full[f"{ind}__base"].str.startswith("base_small") & full[ind].notna()
            why[small] = full.loc[small, f"{ind}__base"]
            out[f"{ind}__ref"] = [
                _base_label(n, b, total, gm_name[g], names, _names(wh, gm_name)) if r == r else None
                for n, b, g, r, wh in zip(
                    full[f"{ind}__ref_n"],
                    full[f"{ind}__base"],
                    full["gemeente_code"],
                    full[f"{ind}__rank"],
                    full[f"{ind}__where"],
                )
            ]
        why[sup] = "suppressed"
        out[f"{ind}__why"] = why
    for d in DOMAINS:
        col = f"domain__{d}"
        base = full[f"{col}__base"].replace("ref", "nl" if reference == "nl" else "sel")
        out[f"{col}__ref"] = [
            _base_label(n, b, total, gm_name[g], names, _names(wh, gm_name)) if r == r else None
            for n, b, g, r, wh in zip(
                full[f"{col}__ref_n"], base, full["gemeente_code"], full[f"{col}__rank"], full[f"{col}__where"]
            )
        ]
    # The CLI prints the engine's codes (the pages word them): "withheld" (fewer known domains than needed,
    # the number in composite__need), "suppressed" and "population:<minimum>".
    note = np.where(full["composite"].notna(), "", "withheld")
    out["composite__note"] = np.where(sup, "suppressed", note)
    out["suppressed_reason"] = np.where(sup, f"population:{MIN_POP}", None)
    return out
