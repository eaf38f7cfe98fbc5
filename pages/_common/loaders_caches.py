"""The caches every page shares: ``shared`` (st.cache_resource: one object per input for all sessions, never
copied), :func:`clear_caches` and what this process has loaded (how loading is shown). Below loaders_frames.py and
loaders_files.py, so neither imports the door (pages/_common/loaders.py)."""

from __future__ import annotations

import streamlit as st

from data.health import forget_absent

# The big frames (KWB, boundaries, scores) are shared read-only by every session: st.cache_resource hands out
# the cached object itself, where st.cache_data unpickles a fresh copy on every call (~22 % of a Kaart run's
# CPU with 30 visitors, py-spy in benchmarks/bench_load). Nothing modifies them in place (pandas
# copy-on-write: every derived frame is new; tests/test_app_services.py checks a page run leaves them equal);
# refresh and snapshot import clear both caches (clear_caches).
shared = st.cache_resource(show_spinner=False, ttl=3600, max_entries=32)


def clear_caches() -> None:
    """Forget every cached frame (after a refresh, a snapshot import or a new default file)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    forget_absent()  # a second table the service lacked is asked for again
    _LOADED.clear()


# Inputs this process has loaded and scored at least once (gemeenten, year, level, reference): only to choose
# how loading is shown (a status box with its steps the first time, a spinner that appears after 0.5 s when
# the frames are in memory). Streamlit's st.status sleeps 50 ms each time one is made.
_LOADED: set[tuple] = set()


def mark_loaded(*key) -> None:
    _LOADED.add(key)


def is_loaded(*key) -> bool:
    return key in _LOADED
