"""Stapelkaart: the entrypoint. Each page is one thin file in pages/; the shell is pages/_common/shell.py.

Run: ``streamlit run app.py`` (or ``make run``). The URL holds the whole view (see pages/_common/state.py).
"""

from pages._common.shell import main

main()
