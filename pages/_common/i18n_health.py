"""The strings of the gezondheid domain (issue 23): why a health value is missing, the domain's absence in the
legend, the trend tables and the method section; merged into ``i18n.STRINGS``."""

HEALTH_STRINGS: dict[str, dict[str, str]] = {
    "why_level_absent": {
        "nl": "geen wijkcijfers in 50150NED (alleen buurten en gemeenten; nooit een gemiddelde van buurtpercentages)",
        "en": "no district figures in 50150NED (neighbourhoods and municipalities only; never an average of "
        "neighbourhood percentages)",
    },
    "why_source_absent": {
        "nl": "de gezondheidstabel CBS 50150NED is niet beschikbaar",
        "en": "the health table CBS 50150NED is not available",
    },
    "health_absent_level": {
        "nl": "Gezondheid telt hier niet mee: geen wijkcijfers in 50150NED (alleen buurten en gemeenten). "
        "Stapeling en samengestelde score tellen {m} domeinen.",
        "en": "Health does not count here: no district figures in 50150NED (neighbourhoods and municipalities "
        "only). Stacking and the composite count {m} domains.",
    },
    "health_absent_source": {
        "nl": "Gezondheid telt niet mee: {why}. Stapeling en samengestelde score tellen {m} domeinen.",
        "en": "Health does not count: {why}. Stacking and the composite count {m} domains.",
    },
    "health_weight_absent_level": {
        "nl": "Telt op wijkniveau niet mee: 50150NED heeft geen wijkcijfers (wel buurten en gemeenten).",
        "en": "Does not count at district level: 50150NED has no district figures (neighbourhoods and "
        "municipalities only).",
    },
    "health_survey_year": {
        "nl": "Gezondheid: RIVM-peiling {survey} (de laatste peiling in of voor {year}).",
        "en": "Health: RIVM survey {survey} (the latest survey in or before {year}).",
    },
    "health_trend_title": {
        "nl": "Gezondheid tussen peiljaren (ervaren gezondheid niet goed, % volwassenen)",
        "en": "Health between survey years (self-rated health not good, % adults)",
    },
    "health_trend_none": {
        "nl": "Geen gezondheidstrend: {why}.",
        "en": "No health trend: {why}.",
    },
    "health_trend_base": {
        "nl": "Rangverschuiving t.o.v. dezelfde {n} buurten met beide jaren ({y1} en {y2}), 100 = minst gezond.",
        "en": "Rank movement against the same {n} neighbourhoods with both years ({y1} and {y2}), 100 = least healthy.",
    },
    "health_trend_base_gemeente": {
        "nl": "Rangverschuiving t.o.v. dezelfde {n} gemeenten met beide jaren ({y1} en {y2}), 100 = minst gezond.",
        "en": "Rank movement against the same {n} municipalities with both years ({y1} and {y2}), 100 = least healthy.",
    },
    "health_changed_title": {
        "nl": "Gezondheid {y1} → {y2} (ervaren gezondheid niet goed, % volwassenen; RIVM-peilingen)",
        "en": "Health {y1} → {y2} (self-rated health not good, % adults; RIVM surveys)",
    },
    "health_changed_none": {"nl": "Gezondheid, {area}: {why}.", "en": "Health, {area}: {why}."},
    "health_changed_source": {
        "nl": "geen vergelijking, {why}",
        "en": "no comparison, {why}",
    },
    "health_changed_not_survey": {
        "nl": "geen peiljaar: {years} (peiljaren van de Gezondheidsmonitor: {surveys}); kies twee peiljaren",
        "en": "not a survey year: {years} (Health Monitor survey years: {surveys}); choose two survey years",
    },
    "health_changed_no_value": {
        "nl": "geen waarde in {years} in 50150NED{other}; geen verandering en geen rang",
        "en": "no value in {years} in 50150NED{other}; no change and no rank",
    },
    "health_changed_other": {"nl": " ({year}: {value} %)", "en": " ({year}: {value} %)"},
    "health_changed_weights_unknown": {
        "nl": "aantal volwassenen onbekend voor een of meer van zijn buurten (nooit een ongewogen gemiddelde)",
        "en": "number of adults unknown for one or more of its neighbourhoods (never an unweighted mean)",
    },
    "health_changed_no_adults": {
        "nl": "geen volwassenen in zijn buurten met beide jaren",
        "en": "no adults in its neighbourhoods with both years",
    },
    "health_changed_focus": {
        "nl": "Een focusgebied: gemiddelde van zijn buurten met beide jaren, gewogen naar volwassenen (inwoners "
        "min 0-15-jarigen, KWB {year}), gerangschikt t.o.v. dezelfde {n} buurten met beide jaren.",
        "en": "A focus area: mean of its neighbourhoods with both years, weighted by adults (inhabitants minus "
        "those aged 0-15, KWB {year}), ranked against the same {n} neighbourhoods with both years.",
    },
    "health_trend_weights": {
        "nl": "Een focusgebied of gemeente: gemiddelde van zijn buurten met beide jaren, gewogen naar volwassenen "
        "(inwoners min 0-15-jarigen, KWB {year}); een Nederland-rij: alle buurten met beide jaren, zo gewogen.",
        "en": "A focus area or municipality: mean of its neighbourhoods with both years, weighted by adults "
        "(inhabitants minus those aged 0-15, KWB {year}); the Netherlands row: every neighbourhood with both "
        "years, weighted the same way.",
    },
    "health_col_area": {"nl": "Gebied", "en": "Area"},
    "health_col_change_pp": {"nl": "Verandering (procentpunt)", "en": "Change (percentage points)"},
    "health_col_rank_move": {"nl": "Rangverschuiving", "en": "Rank movement"},
    "health_col_rank_year": {"nl": "Rang {year}", "en": "Rank {year}"},
    "health_col_n_buurten": {"nl": "Buurten (met beide jaren)", "en": "Neighbourhoods (with both years)"},
    "method_health_title": {"nl": "Gezondheid (tweede CBS-tabel)", "en": "Health (a second CBS table)"},
    "method_health": {
        "nl": "Het domein gezondheid heeft één indicator: **ervaren gezondheid niet goed** = 100 min het % "
        "volwassenen (18+) dat de eigen gezondheid als goed of zeer goed ervaart. Bron: RIVM "
        "Gezondheidsmonitor Volwassenen en Ouderen, tabel *Gezondheid per wijk en buurt* (CBS 50150NED), "
        "gepubliceerd op dataderden.cbs.nl. Het zijn **modelschattingen voor kleine gebieden** (RIVM): per buurt "
        "geschat uit de enquête met een statistisch model, geen tellingen. Peiljaren: {years}; een kaartjaar "
        "gebruikt de laatste peiling in of voor dat jaar (2024 → 2024, 2023 → 2022). Waarden zijn er per buurt "
        "en gemeente; op wijkniveau ontbreekt de waarde (geen wijkcijfers in 50150NED), nooit een gemiddelde "
        "van buurtpercentages. Een focusgebied, gemeente- of Nederland-trend weegt buurten naar volwassenen "
        "(inwoners min 0-15-jarigen: KWB heeft geen aantal 18+ per buurt). Heeft de dienst de tabel niet, dan "
        "is het domein **afwezig**: het telt niet mee in de m van stapeling en samengestelde score (m = 7 op "
        "buurt- en gemeenteniveau met de tabel, anders 6).",
        "en": "The health domain has one indicator: **self-rated health not good** = 100 minus the % of adults "
        "(18+) who rate their own health as good or very good. Source: RIVM Health Monitor Adults and Elderly, "
        "table *Gezondheid per wijk en buurt* (CBS 50150NED), published on dataderden.cbs.nl. These are "
        "**small-area model estimates** (RIVM): estimated per neighbourhood from the survey with a statistical "
        "model, not counts. Survey years: {years}; a map year uses the latest survey in or before that year "
        "(2024 → 2024, 2023 → 2022). Values exist per neighbourhood and municipality; at district level the "
        "value is missing (no district figures in 50150NED), never an average of neighbourhood percentages. A "
        "focus-area, municipality or Netherlands trend weights neighbourhoods by adults (inhabitants minus those "
        "aged 0-15: KWB has no count of adults per neighbourhood). When the service lacks the table the domain "
        "is **absent**: it is not counted in the m of stacking and composite (m = 7 at neighbourhood and "
        "municipality level with the table, 6 otherwise).",
    },
    "method_health_status": {  # {status} is a sentence with its own full stop (healthui.status_text)
        "nl": "Nu: {status}",
        "en": "Now: {status}",
    },
    "health_measures_title": {
        "nl": "Maten van de Gezondheidsmonitor (50150NED)",
        "en": "Health Monitor measures (50150NED)",
    },
    "health_measures_caption": {
        "nl": "Alleen ervaren gezondheid is een indicator; de andere maten zijn vastgelegd zodat een volledige "
        "50150NED ze vult. Per niveau: of de tabel die de dienst nu heeft ze bevat.",
        "en": "Only self-rated health is an indicator; the other measures are declared so that a full 50150NED "
        "fills them. Per level: whether the table the service has now holds them.",
    },
    "health_col_measure": {"nl": "Maat (% volwassenen 18+)", "en": "Measure (% adults 18+)"},
    "health_col_level_buurt": {"nl": "Buurten", "en": "Neighbourhoods"},
    "health_col_level_gemeente": {"nl": "Gemeenten", "en": "Municipalities"},
    "health_measure_ok": {"nl": "in deze gegevens", "en": "in this data"},
    "health_measure_no_table": {"nl": "tabel niet beschikbaar", "en": "table not available"},
    "health_status_ok": {
        "nl": "50150NED geladen ({n} buurten met een waarde in {year}).",
        "en": "50150NED loaded ({n} neighbourhoods with a value in {year}).",
    },
}
