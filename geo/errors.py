"""Errors raised by the geo package; all are StapelkaartErrors with a Dutch and an English message."""

from __future__ import annotations

from data.errors import StapelkaartError, UserInputError


class GeoError(StapelkaartError, ValueError):
    """Geometry that cannot be shown as asked (wrong CRS, invalid coverage, duplicate codes)."""

    exit_code = 2


class CoordinateError(GeoError):
    """Coordinates outside the Netherlands, swapped axes or a missing CRS."""


class YearMismatchError(UserInputError):
    """Statistics of one year were offered for boundaries of another year."""
