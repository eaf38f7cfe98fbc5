"""Thresholds of the method (issue 20: one definition each).

``WORST_BAND``: a domain is "in the worst band" when its domain rank is >= 100 - WORST_BAND, i.e. among the
worst 20 % of its reference (stacking counts these; the map's fixed scheme highlights 80-100).

``MIN_REFERENCE_AREAS``: a reference, and a base an indicator is ranked against, needs at least this many areas
(with a value); fewer and there is no rank (rule D1 for the own-gemeente base).
"""

from __future__ import annotations

__all__ = ["MIN_REFERENCE_AREAS", "WORST_BAND", "WORST_BAND_FROM"]

WORST_BAND = 20.0
#: the lowest domain rank in the worst band (80.0)
WORST_BAND_FROM = 100.0 - WORST_BAND

MIN_REFERENCE_AREAS = 10
