"""Streamlit custom components of Stapelkaart (each with its own frontend build)."""
