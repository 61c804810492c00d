"""The words of the feedback report (headings, column names, notes) in the four working languages.

Same shape as bot/strings (`MESSAGES = {key: {lang: text}}`); kept here because the report is built by the
domain package and the CLI, not by the Teams layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from nwow.language import DEFAULT_LANG

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "title": {
        "nl": "NWOW-feedback: rapport",
        "fr": "Avis NWOW : rapport",
        "de": "NWOW-Feedback: Bericht",
        "en": "NWOW feedback report",
    },
    "period": {
        "nl": "Periode: {since} tot en met {until}",
        "fr": "Période : du {since} au {until} inclus",
        "de": "Zeitraum: {since} bis einschließlich {until}",
        "en": "Period: {since} to {until} inclusive",
    },
    "generated": {
        "nl": "Gemaakt op {at}",
        "fr": "Généré le {at}",
        "de": "Erstellt am {at}",
        "en": "Generated {at}",
    },
    "privacy_note": {
        "nl": "Groepen met minder dan {n} verschillende respondenten worden niet getoond en hun opmerkingen "
        "worden achtergehouden; soms wordt daarom ook een andere kleine groep verborgen.",
        "fr": "Les groupes de moins de {n} répondants distincts ne sont pas affichés et leurs commentaires "
        "sont retenus ; un autre petit groupe est parfois masqué pour la même raison.",
        "de": "Gruppen mit weniger als {n} verschiedenen Befragten werden nicht angezeigt und ihre Kommentare "
        "zurückgehalten; manchmal wird deshalb auch eine andere kleine Gruppe verborgen.",
        "en": "Groups with fewer than {n} distinct respondents are not shown and their comments are withheld; "
        "another small group is sometimes hidden too, so that the totals cannot reveal them.",
    },
    "overview": {"nl": "Overzicht", "fr": "Vue d'ensemble", "de": "Überblick", "en": "Overview"},
    "by_tool": {"nl": "Per hulpmiddel", "fr": "Par outil", "de": "Nach Werkzeug", "en": "By tool"},
    "by_unit": {"nl": "Per eenheid", "fr": "Par unité", "de": "Nach Einheit", "en": "By unit"},
    "weekly": {"nl": "Per week", "fr": "Par semaine", "de": "Pro Woche", "en": "Weekly trend"},
    "ratings_chart": {
        "nl": "Gemiddelde score per hulpmiddel (1–5)",
        "fr": "Note moyenne par outil (1–5)",
        "de": "Durchschnittsbewertung nach Werkzeug (1–5)",
        "en": "Mean rating per tool (1–5)",
    },
    "trend_chart": {
        "nl": "Gemiddelde score per week",
        "fr": "Note moyenne par semaine",
        "de": "Durchschnittsbewertung pro Woche",
        "en": "Mean rating per week",
    },
    "unanswered": {
        "nl": "Meest gestelde onbeantwoorde vragen",
        "fr": "Questions sans réponse les plus fréquentes",
        "de": "Häufigste unbeantwortete Fragen",
        "en": "Top unanswered questions",
    },
    "thumbs_down": {
        "nl": "FAQ-antwoorden met de meeste duimpjes omlaag",
        "fr": "Réponses de la FAQ avec le plus de pouces vers le bas",
        "de": "FAQ-Antworten mit den meisten Daumen nach unten",
        "en": "FAQ entries with the most thumbs down",
    },
    "comments": {"nl": "Opmerkingen", "fr": "Commentaires", "de": "Kommentare", "en": "Comments"},
    "col.group": {"nl": "Groep", "fr": "Groupe", "de": "Gruppe", "en": "Group"},
    "col.tool": {"nl": "Hulpmiddel", "fr": "Outil", "de": "Werkzeug", "en": "Tool"},
    "col.unit": {"nl": "Eenheid", "fr": "Unité", "de": "Einheit", "en": "Unit"},
    "col.week": {"nl": "Week", "fr": "Semaine", "de": "Woche", "en": "Week"},
    "col.respondents": {"nl": "Respondenten", "fr": "Répondants", "de": "Befragte", "en": "Respondents"},
    "col.responses": {"nl": "Antwoorden", "fr": "Réponses", "de": "Antworten", "en": "Responses"},
    "col.mean": {"nl": "Gemiddelde", "fr": "Moyenne", "de": "Mittelwert", "en": "Mean"},
    "col.stdev": {
        "nl": "Spreiding (std.afw.)",
        "fr": "Dispersion (écart type)",
        "de": "Streuung (Std.-Abw.)",
        "en": "Spread (std dev)",
    },
    "col.question": {"nl": "Vraag", "fr": "Question", "de": "Frage", "en": "Question"},
    "col.count": {"nl": "Aantal", "fr": "Nombre", "de": "Anzahl", "en": "Count"},
    "col.variants": {
        "nl": "Andere formuleringen",
        "fr": "Autres formulations",
        "de": "Andere Formulierungen",
        "en": "Other wordings",
    },
    "col.langs": {"nl": "Talen", "fr": "Langues", "de": "Sprachen", "en": "Languages"},
    "col.entry": {"nl": "FAQ-item", "fr": "Entrée FAQ", "de": "FAQ-Eintrag", "en": "FAQ entry"},
    "col.down": {"nl": "Omlaag", "fr": "Négatif", "de": "Negativ", "en": "Down"},
    "col.up": {"nl": "Omhoog", "fr": "Positif", "de": "Positiv", "en": "Up"},
    "col.works": {"nl": "Wat werkt", "fr": "Ce qui fonctionne", "de": "Was funktioniert", "en": "What works"},
    "col.obstacles": {
        "nl": "Wat in de weg zit",
        "fr": "Ce qui gêne",
        "de": "Was im Weg steht",
        "en": "What gets in the way",
    },
    "col.section": {"nl": "Sectie", "fr": "Section", "de": "Abschnitt", "en": "Section"},
    "all": {
        "nl": "Alle antwoorden",
        "fr": "Toutes les réponses",
        "de": "Alle Antworten",
        "en": "All responses",
    },
    "suppressed_small": {
        "nl": "verborgen (minder dan {n})",
        "fr": "masqué (moins de {n})",
        "de": "verborgen (weniger als {n})",
        "en": "suppressed (fewer than {n})",
    },
    "suppressed_complementary": {
        "nl": "verborgen (beschermt een kleinere groep)",
        "fr": "masqué (protège un groupe plus petit)",
        "de": "verborgen (schützt eine kleinere Gruppe)",
        "en": "suppressed (protects a smaller group)",
    },
    "no_responses": {
        "nl": "Geen antwoorden in deze periode.",
        "fr": "Aucune réponse sur cette période.",
        "de": "Keine Antworten in diesem Zeitraum.",
        "en": "No responses in this period.",
    },
    "none": {"nl": "Geen.", "fr": "Aucun.", "de": "Keine.", "en": "None."},
    "withheld": {
        "nl": "{count} opmerking(en) achtergehouden (kleine groepen).",
        "fr": "{count} commentaire(s) retenu(s) (petits groupes).",
        "de": "{count} Kommentar(e) zurückgehalten (kleine Gruppen).",
        "en": "{count} comment(s) withheld (small groups).",
    },
    "unanswered_total": {
        "nl": "{count} onbeantwoorde vragen in totaal; bijna-gelijke vragen zijn samengeteld.",
        "fr": "{count} questions sans réponse au total ; les quasi-doublons sont regroupés.",
        "de": "{count} unbeantwortete Fragen insgesamt; fast gleiche Fragen sind zusammengefasst.",
        "en": "{count} unanswered questions in total; near-duplicates are counted together.",
    },
    "votes_total": {
        "nl": "{up} duimpjes omhoog, {down} omlaag.",
        "fr": "{up} pouces vers le haut, {down} vers le bas.",
        "de": "{up} Daumen hoch, {down} Daumen runter.",
        "en": "{up} thumbs up, {down} thumbs down.",
    },
}


def rt(key: str, lang: str, /, **values: Any) -> str:
    """Report text `key` in `lang` (Dutch when the language is unknown), with `values` filled in."""
    texts = MESSAGES[key]
    template = texts.get(lang) or texts[DEFAULT_LANG]
    return template.format(**values) if values else template
