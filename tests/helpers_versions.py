"""The SYNTHETIC versions of 85984NED served by cbs-mirror, shared by the table-version tests (issue 20: through a
tests/ module, never imported from another test file). Registered as a pytest plugin in tests/conftest.py, so
the ``serve`` fixture is available to every test.

* version 1 — **SYNTHETIC**: the real 85984NED rows of Zaanstad and Amsterdam (gemeente + wijken) from
  ``../shared/data/derived/odata/85984NED``, with two variables left empty in every row
  (``PersonenPerSoortUitkeringBijstand_94``, ``GemiddeldeWOZWaardeVanWoningen_39``), ``Modified`` as published
  (2025-03-27);
* version 2 — **SYNTHETIC**: the real rows (so version 2 *fills* what version 1 left empty: the real CBS
  revision pattern) plus four invented edits: three changed values and one value removed; ``Modified``
  2025-10-01;
* version 3 — **SYNTHETIC**: version 2 under ``Modified`` 2026-01-15, served with a 503 on every TypedDataSet
  request (a refresh that fails half-way).
"""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA, start_mirror

REAL = SHARED_DATA / "derived" / "odata" / "85984NED"
SCHEMA = SHARED_DATA / "cbs_schema"
GM = ["GM0363", "GM0479"]
LEVELS = ("gemeente", "wijk")
BLANK_IN_V1 = ("PersonenPerSoortUitkeringBijstand_94", "GemiddeldeWOZWaardeVanWoningen_39")
EDITS_IN_V2 = {
    ("WK047911", "AantalInwoners_5"): +25,
    ("WK0363FG", "Woningvoorraad_35"): +3,
    ("GM0479", "HuishoudensTotaal_29"): -10,
    ("WK0363MC", "InBezitWoningcorporatie_49"): None,
}
ID_KEYS = {"WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "IndelingswijzigingGemeenteWijkBuurt_4"}
MODIFIED = {1: "2025-03-27T02:00:00", 2: "2025-10-01T02:00:00", 3: "2026-01-15T02:00:00"}


def real_rows() -> list[dict]:
    rows = json.loads((REAL / "TypedDataSet.json").read_text())
    return [
        r
        for r in rows
        if r["WijkenEnBuurten"].strip() in GM or r["WijkenEnBuurten"].strip()[:6] in ("WK0363", "WK0479")
    ]


def version_rows(n: int) -> list[dict]:
    rows = copy.deepcopy(real_rows())
    if n == 1:
        for r in rows:
            for k in BLANK_IN_V1:
                r.pop(k, None)
        return rows
    by_code = {r["WijkenEnBuurten"].strip(): r for r in rows}
    for (code, key), delta in EDITS_IN_V2.items():
        if delta is None:
            by_code[code].pop(key)
        else:
            by_code[code][key] = by_code[code][key] + delta
    return rows


def write_table(folder, n: int):
    """A --tables folder serving version ``n`` of 85984NED (schema and dimension: the real files)."""
    t = folder / "85984NED"
    t.mkdir(parents=True)
    infos = json.loads((SCHEMA / "85984NED_TableInfos.json").read_text())
    infos[0]["Modified"] = MODIFIED[n]
    (t / "TypedDataSet.json").write_text(json.dumps(version_rows(n)))
    (t / "table.json").write_text(
        json.dumps(
            {
                "id": "85984NED",
                "TableInfos": infos,
                "DataProperties": str(SCHEMA / "85984NED_DataProperties.json"),
                "CategoryGroups": [],
                "dimensions": {"WijkenEnBuurten": str(REAL / "WijkenEnBuurten.json")},
                "TypedDataSet": "TypedDataSet.json",
                "synthetic": f"SYNTHETIC test version {n} of 85984NED, made by tests/helpers_versions.py",
            }
        )
    )
    return folder


@pytest.fixture
def serve(tmp_path, monkeypatch, cache_dir):
    """serve(n) starts a mirror with version n (stopping the previous one) and points the loaders at it."""
    procs = []

    def _serve(n: int):
        if procs:
            procs[-1].proc.terminate()
            procs[-1].proc.wait(10)
        run_dir = tmp_path / f"m{len(procs)}"
        run_dir.mkdir()
        m = start_mirror(run_dir, "--tables", str(write_table(tmp_path / f"v{len(procs)}", n)))
        procs.append(m)
        monkeypatch.setenv("STAPELKAART_CBS_URL", m.url)
        monkeypatch.setenv("STAPELKAART_PDOK_URL", m.url)
        monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", m.url)
        return m

    yield _serve
    for m in procs:
        if m.proc.poll() is None:
            m.proc.terminate()
            m.proc.wait(10)


def cache_keys():
    from data import cache

    return [cache.CacheKey.make("kwb", 2024, lv, [g]) for g in GM for lv in LEVELS]


def expected_differences(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(code, canonical variable, status) computed from the two served row sets, not from the loaded frames."""
    canonical = {meta["key"]: name for name, meta in frame.attrs["columns"].items()}
    old = {r["WijkenEnBuurten"].strip(): r for r in version_rows(1)}
    new = {r["WijkenEnBuurten"].strip(): r for r in version_rows(2)}
    return row_differences(old, new, old.keys() | new.keys(), canonical)


def row_differences(old: dict, new: dict, codes, canonical: dict) -> set[tuple[str, str, str]]:
    """(code, canonical variable, status) between two served row sets ({code: row}) for ``codes``: a value only
    in ``new`` appeared, only in ``old`` disappeared, different in both changed (identity keys left out)."""
    out = set()
    for code in codes:
        a, b = old.get(code, {}), new.get(code, {})
        for key in (a.keys() | b.keys()) - ID_KEYS:
            va, vb = a.get(key), b.get(key)
            if va is None and vb is not None:
                out.add((code, canonical[key], "appeared"))
            elif va is not None and vb is None:
                out.add((code, canonical[key], "disappeared"))
            elif va != vb:
                out.add((code, canonical[key], "changed"))
    return out
