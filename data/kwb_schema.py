"""Canonical variable names for CBS KWB topics.

CBS OData keys carry a year-specific position suffix (``AantalInwoners_5`` in 2024, ``_5`` or another
number in other years). Stapelkaart resolves variables by the key *prefix* at run time and names the
column with the snake_case of that prefix, so the same concept has the same column name in every year.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

_SUFFIX_RE = re.compile(r"_\d+$")


def key_prefix(key: str) -> str:
    """``AantalInwoners_5`` -> ``AantalInwoners``; ``k_40HuishoudensMetLaagsteInkomen_87`` -> ``k_40HuishoudensMetLaagsteInkomen``."""
    return _SUFFIX_RE.sub("", key)


def snake(text: str) -> str:
    """snake_case of a CamelCase key prefix or a title.

    >>> snake("GemiddeldeWOZWaardeVanWoningen")
    'gemiddelde_woz_waarde_van_woningen'
    >>> snake("k_15Tot25Jaar")
    'k_15_tot_25_jaar'
    >>> snake("BasisonderwijsVmboMbo1")
    'basisonderwijs_vmbo_mbo_1'
    """
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    s = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", s)
    s = re.sub(r"(?<=[a-zA-Z])(?=[0-9])", "_", s)
    s = re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()
    return re.sub(r"_+", "_", s)


def canonical_name(key: str) -> str:
    """Canonical column name of an OData key: ``AantalInwoners_5`` -> ``aantal_inwoners``."""
    return snake(key_prefix(key))


def canonical_names(properties: Iterable[Mapping]) -> dict[str, str]:
    """Map every Topic ``Key`` of a DataProperties list to a unique canonical name.

    A prefix that occurs more than once in the table (``Nederland_17`` under *Herkomstland* and
    ``Nederland_20`` under *Geboren in Nederland*) is qualified with ``__`` + snake_case of its parent
    TopicGroup title (and, if that still clashes, its grandparent's: ``appartement__gemiddelde_elektriciteitslevering_naar_woningtype``).
    """
    props = list(properties)
    by_id = {p.get("ID"): p for p in props}
    topics = [p for p in props if p.get("Type") == "Topic" and p.get("Key")]

    def ancestors(p: Mapping) -> list[str]:
        titles, parent = [], by_id.get(p.get("ParentID"))
        while parent is not None:
            titles.append(snake(str(parent.get("Title") or "")))
            parent = by_id.get(parent.get("ParentID"))
        return titles

    names = {p["Key"]: canonical_name(p["Key"]) for p in topics}
    for depth in range(1, 6):
        counts = Counter(names.values())
        clashing = [p for p in topics if counts[names[p["Key"]]] > 1]
        if not clashing:
            break
        for p in clashing:
            path = "_".join(reversed(ancestors(p)[:depth])) or p["Key"]
            names[p["Key"]] = f"{canonical_name(p['Key'])}__{path}"
    return names
