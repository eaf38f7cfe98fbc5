"""Stapelkaart geometry tools: pure geopandas/shapely (never imports streamlit)."""
