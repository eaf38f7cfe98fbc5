"""The strings of the Gegevens page: cache, refresh, per-view imports, snapshots and the admin gate (issue 11),
merged into ``i18n.STRINGS`` (kept apart so i18n.py stays readable)."""

DATA_STRINGS: dict[str, dict[str, str]] = {
    "cache_title": {"nl": "In de cache", "en": "Cached"},
    "cache_dir": {"nl": "Cachemap: {path}", "en": "Cache folder: {path}"},  # path: fmt.code
    # stale copies shown on every data page (loaders.data_notices; the selection's KWB: i18n.py "stale")
    "stale_national": {
        "nl": "Gecachte landelijke kerncijfers (CBS) van {date} worden getoond (ophalen lukte niet).",
        "en": "Cached national key figures (CBS) from {date} are shown (fetching failed).",
    },
    "stale_boundaries": {
        "nl": "Gecachte grenzen (PDOK) van {date} worden getoond (ophalen lukte niet).",
        "en": "Cached boundaries (PDOK) from {date} are shown (fetching failed).",
    },
    "stale_attributes": {
        "nl": "Gecachte gemeentekenmerken (PDOK) van {date} worden getoond (ophalen lukte niet).",
        "en": "Cached gemeente attributes (PDOK) from {date} are shown (fetching failed).",
    },
    "fetch_title": {"nl": "Ophalen / verversen", "en": "Fetch / refresh"},
    "fetch_button": {"nl": "Ophalen", "en": "Fetch"},
    "refresh_button": {"nl": "Verversen (opnieuw ophalen)", "en": "Refresh (fetch again)"},
    "fetch_done": {"nl": "Klaar: {what}", "en": "Done: {what}"},
    "import_title": {"nl": "Eigen indicatorbestand importeren", "en": "Import your own indicator file"},
    "import_help": {
        "nl": "CSV of Excel met een kolom met wijk-/buurtcodes (WK…/BU…) en numerieke kolommen. "
        "Het bestand hoort bij deze weergave: de link noemt het (files=…), wie een link zonder het "
        "bestand opent ziet de cijfers niet.",
        "en": "CSV or Excel with a column of district/neighbourhood codes (WK…/BU…) and numeric columns. "
        "The file belongs to this view: the link names it (files=…); whoever opens a link without it "
        "does not see its figures.",
    },
    "upload": {"nl": "Bestand kiezen", "en": "Choose file"},
    "upload_button": {"nl": "Bestand kiezen", "en": "Choose file"},
    "upload_drag": {"nl": "Sleep een bestand hierheen", "en": "Drag and drop a file here"},
    "no_results": {"nl": "Geen resultaten", "en": "No results"},
    "upload_limit": {"nl": "hoogstens {mb} MB per bestand · {types}", "en": "at most {mb} MB per file · {types}"},
    # Streamlit's own hint under a text field being typed in (English whatever the UI language): replaced
    "input_enter_apply": {"nl": "Enter om toe te passen", "en": "Press Enter to apply"},
    "input_enter_submit": {"nl": "Enter om het formulier te versturen", "en": "Press Enter to submit form"},
    "import_year": {"nl": "Jaar van de cijfers", "en": "Year of the figures"},
    "import_button": {"nl": "Importeren", "en": "Import"},
    "import_ok": {"nl": "{source} geïmporteerd: {rows}, {cols}.", "en": "{source} imported: {rows}, {cols}."},
    "n_areas": {"nl": "{n} gebieden", "en": "{n} areas"},
    "n_areas_one": {"nl": "1 gebied", "en": "1 area"},
    "n_columns": {"nl": "{n} kolommen", "en": "{n} columns"},
    "n_columns_one": {"nl": "1 kolom", "en": "1 column"},
    "import_problems": {"nl": "Het bestand is niet geïmporteerd:", "en": "The file was not imported:"},
    "imported_files": {"nl": "Geïmporteerde bestanden", "en": "Imported files"},
    "remove": {"nl": "Verwijderen", "en": "Remove"},
    "preview": {"nl": "Voorbeeld", "en": "Preview"},
    "snapshot_title": {"nl": "Momentopname", "en": "Snapshot"},
    "snapshot_export": {"nl": "Momentopname downloaden", "en": "Download snapshot"},
    "snapshot_import": {"nl": "Momentopname importeren", "en": "Import snapshot"},
    "snapshot_ok": {"nl": "Momentopname geïmporteerd.", "en": "Snapshot imported."},
    "income_hint": {
        "nl": "Tip: het CBS-bestand 'Inkomen per gemeente en wijk 2020' vult het domein armoede aan.",
        "en": "Tip: the CBS file 'Income per municipality and district 2020' adds to the poverty domain.",
    },
    "unknown_params": {
        "nl": "{n} onbekende instelling(en) in de link genegeerd.",
        "en": "{n} unknown setting(s) in the link ignored.",
    },
    "gm_dropped": {
        "nl": "Gemeente {codes} bestaat niet in KWB {year} en is weggelaten; de andere worden getoond. "
        "Kies gemeenten in de lijst links.",
        "en": "Municipality {codes} does not exist in KWB {year} and was left out; the others are shown. "
        "Pick municipalities in the list on the left.",
    },
    "files_missing": {
        "nl": "Het geïmporteerde bestand {files} bestaat niet (meer) op deze server en is weggelaten.",
        "en": "The imported file {files} does not exist (any more) on this server and was left out.",
    },
    "admin_title": {"nl": "Beheer", "en": "Administration"},
    "admin_on": {"nl": "Beheeracties staan aan voor deze sessie.", "en": "Admin actions are on for this session."},
    "admin_logout": {"nl": "Beheer afsluiten", "en": "Leave administration"},
    "admin_token": {"nl": "Beheertoken", "en": "Admin token"},
    "admin_login": {"nl": "Beheer openen", "en": "Open administration"},
    "admin_bad": {"nl": "Dat token klopt niet.", "en": "That token is not correct."},
    "snapshot_import_admin": {
        "nl": "Een momentopname inlezen vervangt de gedeelde gegevens voor iedereen en is een beheeractie "
        "(zie Beheer hierboven); downloaden kan iedereen.",
        "en": "Importing a snapshot replaces the shared data for everyone and is an admin action "
        "(see Administration above); anyone can download one.",
    },
    "admin_needed": {
        "nl": "Dit verandert wat iedereen ziet en is een beheeractie (zie Beheer hierboven).",
        "en": "This changes what everyone sees and is an admin action (see Administration above).",
    },
    "import_in_view": {
        "nl": "Opgeslagen als {digest}; de link van deze weergave noemt het nu (Kopieer link).",
        "en": "Stored as {digest}; the link of this view now names it (Copy link).",
    },
    "no_files_in_view": {
        "nl": "Deze weergave gebruikt geen geïmporteerde bestanden.",
        "en": "This view uses no imported files.",
    },
    "file_default": {"nl": "standaard voor iedereen", "en": "default for everyone"},
    "remove_help": {
        "nl": "Haalt het bestand uit deze weergave (en uit de link); het blijft op de server.",
        "en": "Takes the file out of this view (and the link); it stays on the server.",
    },
    "default_on": {"nl": "Standaard maken", "en": "Make default"},
    "default_off": {"nl": "Niet meer standaard", "en": "No longer default"},
    "refresh_new_version": {
        "nl": "Deze verversing bracht een nieuwe CBS-versie van KWB {year}: {old} → {new}. "
        "Hieronder staat wat er daardoor veranderde.",
        "en": "This refresh brought a new CBS version of KWB {year}: {old} → {new}. "
        "Below is what changed because of it.",
    },
    "refresh_same_version": {
        "nl": "CBS heeft geen nieuwe versie van KWB {year}: de cache houdt de versie van {date}, "
        "er is dus niets veranderd.",
        "en": "CBS has no new version of KWB {year}: the cache keeps the version of {date}, so nothing changed.",
    },
    "refresh_not_checked": {
        "nl": "CBS gaf geen antwoord, dus is niet na te gaan of er een nieuwe versie van KWB {year} "
        "is; de cache houdt de versie van {date}.",
        "en": "CBS did not answer, so whether there is a new version of KWB {year} cannot be "
        "checked; the cache keeps the version of {date}.",
    },
    "refresh_open_profile": {
        "nl": "Open in Buurtprofiel (per gebied of focusgebied)",
        "en": "Open in Area profile (per area or focus area)",
    },
    "refresh_close": {"nl": "Sluit dit overzicht", "en": "Close this overview"},
    # the cache table on Gegevens (columns, kinds, statuses)
    "fr_kind": {"nl": "Soort", "en": "Kind"},
    "fr_year": {"nl": "Jaar", "en": "Year"},
    "fr_level": {"nl": "Niveau", "en": "Level"},
    "fr_gemeenten": {"nl": "Gemeenten", "en": "Municipalities"},
    "fr_fetched_at": {"nl": "Opgehaald (UTC)", "en": "Fetched (UTC)"},
    "fr_age_days": {"nl": "Leeftijd (dagen)", "en": "Age (days)"},
    "fr_status": {"nl": "Status", "en": "Status"},
    "fr_source": {"nl": "Bron", "en": "Source"},
    "fr_kind_kwb": {"nl": "Kerncijfers (KWB)", "en": "Key figures (KWB)"},
    "fr_kind_boundaries": {"nl": "Grenzen (PDOK)", "en": "Boundaries (PDOK)"},
    "fr_kind_gemeenten": {"nl": "Gemeentelijst", "en": "List of municipalities"},
    "fr_status_ok": {"nl": "in orde", "en": "ok"},
    "fr_status_incomplete": {"nl": "onvolledig", "en": "incomplete"},
    "fr_status_corrupt": {"nl": "beschadigd (niet gebruikt)", "en": "damaged (not used)"},
    "fr_level_gemeente": {"nl": "gemeente", "en": "municipality"},
}
