"""Data every notice test starts from: Zaanstad (GM0479) cached from the mirror."""

from __future__ import annotations


def prime_zaanstad() -> None:
    """Fetch and cache Zaanstad's KWB 2024 and its wijk boundaries from the mirror."""
    from data.cbs import load_kwb
    from data.pdok import load_boundaries

    load_kwb(["GM0479"], 2024, levels=["gemeente", "wijk", "buurt"])
    load_boundaries(["GM0479"], 2024, "wijk")
