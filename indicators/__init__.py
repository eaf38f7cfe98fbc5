"""Stapelkaart indicator engine: pure pandas/numpy (never imports streamlit)."""
