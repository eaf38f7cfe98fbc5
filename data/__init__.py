"""Stapelkaart data layer: I/O only (HTTP, cache, loaders per source, exports)."""
