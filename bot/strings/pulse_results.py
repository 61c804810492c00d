"""Strings of the pulses' part of DRI's summary card (their results: nwow/pulses/results.py)."""

from __future__ import annotations

from typing import Final

MESSAGES: Final = {
    "pulse_results.title": {
        "nl": "Pulsbevragingen",
        "fr": "Sondages éclair",
        "de": "Pulsbefragungen",
        "en": "Pulses",
    },
    "pulse_results.counts": {
        "nl": "{state} · {delivered} bezorgd, {respondents} beantwoord ({rate})",
        "fr": "{state} · {delivered} remis, {respondents} réponses ({rate})",
        "de": "{state} · {delivered} zugestellt, {respondents} beantwortet ({rate})",
        "en": "{state} · {delivered} delivered, {respondents} answered ({rate})",
    },
    "pulse_results.running": {
        "nl": "Loopt tot en met {closes}: de antwoorden worden getoond zodra de bevraging gesloten is.",
        "fr": "En cours jusqu'au {closes} : les réponses seront affichées dès la clôture du sondage.",
        "de": "Läuft bis {closes}: Die Antworten werden gezeigt, sobald die Befragung geschlossen ist.",
        "en": "Running until {closes}: the answers are shown once the pulse is closed.",
    },
    "pulse_results.too_few": {
        "nl": "Geen resultaten: minder dan {n} respondenten.",
        "fr": "Pas de résultats : moins de {n} répondants.",
        "de": "Keine Ergebnisse: weniger als {n} Befragte.",
        "en": "No results: fewer than {n} respondents.",
    },
    "pulse_results.mean": {
        "nl": "gemiddelde {mean}",
        "fr": "moyenne {mean}",
        "de": "Mittelwert {mean}",
        "en": "mean {mean}",
    },
    "pulse_results.share": {
        "nl": "{answer}: {share}",
        "fr": "{answer} : {share}",
        "de": "{answer}: {share}",
        "en": "{answer}: {share}",
    },
    "pulse_results.change": {
        "nl": "{figure} (vorige: {previous})",
        "fr": "{figure} (précédent : {previous})",
        "de": "{figure} (vorher: {previous})",
        "en": "{figure} (previous: {previous})",
    },
    "pulse_results.not_shown": {
        "nl": "niet getoond (te kleine groepen)",
        "fr": "non affiché (groupes trop petits)",
        "de": "nicht gezeigt (zu kleine Gruppen)",
        "en": "not shown (groups too small)",
    },
    "pulse_results.more": {
        "nl": "Per eenheid, de opmerkingen en de vorige bevragingen: nwow feedback report.",
        "fr": "Par unité, les commentaires et les sondages précédents : nwow feedback report.",
        "de": "Nach Einheit, die Kommentare und frühere Befragungen: nwow feedback report.",
        "en": "By unit, the comments and earlier pulses: nwow feedback report.",
    },
}
