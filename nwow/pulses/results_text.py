"""The words of the pulses' section of the feedback report, in the four working languages (the shape of
nwow/feedback/report_text.py: `MESSAGES = {key: {lang: text}}`; the column names both sections use are
the report's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from nwow.feedback.report_text import MESSAGES as REPORT_MESSAGES
from nwow.language import localized

__all__ = ["MESSAGES", "pt"]

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "pulses": {"nl": "Pulsbevragingen", "fr": "Sondages éclair", "de": "Pulsbefragungen", "en": "Pulses"},
    "note": {
        "nl": "Antwoorden worden pas getoond als een pulsbevraging gesloten is, en veranderen daarna niet meer; "
        "tot dan enkel de aantallen. Een cijfer wordt alleen getoond als het minstens de minimale groep van "
        "de bevraging telt en geen aftrekking van getoonde cijfers een kleinere groep oplevert; wat niet "
        "getoond wordt (–) telt mee in 'andere antwoorden' of 'andere eenheden samen'. Opmerkingen zijn "
        "ontdaan van persoonsgegevens, zonder eenheid, in alfabetische volgorde.",
        "fr": "Les réponses ne sont affichées qu'une fois le sondage clôturé, et ne changent plus ensuite ; "
        "jusque-là, seulement les nombres. Un chiffre n'est affiché que s'il compte au moins le groupe minimal "
        "du sondage et qu'aucune soustraction de chiffres affichés ne donne un groupe plus petit ; ce qui n'est "
        "pas affiché (–) est compté dans « autres réponses » ou « autres unités ensemble ». Les commentaires "
        "sont expurgés des données personnelles, sans unité, par ordre alphabétique.",
        "de": "Antworten werden erst gezeigt, wenn eine Pulsbefragung geschlossen ist, und ändern sich danach "
        "nicht mehr; bis dahin nur die Anzahlen. Eine Zahl wird nur gezeigt, wenn sie mindestens die "
        "Mindestgruppe der Befragung umfasst und keine Subtraktion gezeigter Zahlen eine kleinere Gruppe "
        "ergibt; was nicht gezeigt wird (–), zählt unter „andere Antworten“ oder „andere Einheiten zusammen“. "
        "Kommentare sind von personenbezogenen Daten bereinigt, ohne Einheit, alphabetisch sortiert.",
        "en": "Answers are shown only once a pulse is closed, and never change afterwards; until then, only "
        "the counts. A figure is shown only if it counts at least the pulse's minimum group and no subtraction "
        "of shown figures gives a smaller group; what is not shown (–) is counted under 'other answers' or "
        "'other units together'. Comments are scrubbed of personal data, without unit, in alphabetical order.",
    },
    "none": {
        "nl": "Geen pulsbevraging in deze periode.",
        "fr": "Aucun sondage éclair sur cette période.",
        "de": "Keine Pulsbefragung in diesem Zeitraum.",
        "en": "No pulse in this period.",
    },
    "dates": {
        "nl": "{opens} tot en met {closes} · {state} · minimale groep {n}",
        "fr": "du {opens} au {closes} · {state} · groupe minimal {n}",
        "de": "{opens} bis {closes} · {state} · Mindestgruppe {n}",
        "en": "{opens} to {closes} · {state} · minimum group {n}",
    },
    "state.closed": {"nl": "gesloten", "fr": "clôturé", "de": "geschlossen", "en": "closed"},
    "state.running": {"nl": "loopt", "fr": "en cours", "de": "läuft", "en": "running"},
    "counts": {
        "nl": "{delivered} bezorgd, {respondents} beantwoord: responsgraad {rate}.",
        "fr": "{delivered} remis, {respondents} réponses : taux de réponse {rate}.",
        "de": "{delivered} zugestellt, {respondents} beantwortet: Rücklaufquote {rate}.",
        "en": "{delivered} delivered, {respondents} answered: response rate {rate}.",
    },
    "running": {
        "nl": "De antwoorden worden getoond zodra de bevraging gesloten is.",
        "fr": "Les réponses seront affichées dès que le sondage sera clôturé.",
        "de": "Die Antworten werden gezeigt, sobald die Befragung geschlossen ist.",
        "en": "The answers are shown once the pulse is closed.",
    },
    "too_few": {
        "nl": "Geen resultaten: minder dan {n} respondenten.",
        "fr": "Pas de résultats : moins de {n} répondants.",
        "de": "Keine Ergebnisse: weniger als {n} Befragte.",
        "en": "No results: fewer than {n} respondents.",
    },
    "rate_by_unit": {
        "nl": "Responsgraad per eenheid",
        "fr": "Taux de réponse par unité",
        "de": "Rücklaufquote nach Einheit",
        "en": "Response rate by unit",
    },
    "question": {
        "nl": "Vraag {number}: {text}",
        "fr": "Question {number} : {text}",
        "de": "Frage {number}: {text}",
        "en": "Question {number}: {text}",
    },
    "col.delivered": {"nl": "Bezorgd", "fr": "Remis", "de": "Zugestellt", "en": "Delivered"},
    "col.rate": {"nl": "Responsgraad", "fr": "Taux de réponse", "de": "Rücklaufquote", "en": "Response rate"},
    "col.others": {
        "nl": "Andere antwoorden",
        "fr": "Autres réponses",
        "de": "Andere Antworten",
        "en": "Other answers",
    },
    "col.comment": {"nl": "Opmerking", "fr": "Commentaire", "de": "Kommentar", "en": "Comment"},
    "answer.yes": {"nl": "Ja", "fr": "Oui", "de": "Ja", "en": "Yes"},
    "answer.no": {"nl": "Nee", "fr": "Non", "de": "Nein", "en": "No"},
    "all": {
        "nl": "Alle respondenten",
        "fr": "Tous les répondants",
        "de": "Alle Befragten",
        "en": "All respondents",
    },
    "other_units": {
        "nl": "Andere eenheden samen",
        "fr": "Autres unités ensemble",
        "de": "Andere Einheiten zusammen",
        "en": "Other units together",
    },
    "unit_not_given": {
        "nl": "Eenheid niet opgegeven",
        "fr": "Unité non indiquée",
        "de": "Einheit nicht angegeben",
        "en": "Unit not given",
    },
    "previous": {
        "nl": "Vergeleken met {title} ({id}):",
        "fr": "Par rapport à {title} ({id}) :",
        "de": "Verglichen mit {title} ({id}):",
        "en": "Compared with {title} ({id}):",
    },
    "change.mean": {
        "nl": "gemiddelde {previous} → {current} ({delta})",
        "fr": "moyenne {previous} → {current} ({delta})",
        "de": "Mittelwert {previous} → {current} ({delta})",
        "en": "mean {previous} → {current} ({delta})",
    },
    "change.share": {
        "nl": "{answer} {previous} → {current} ({delta} procentpunt)",
        "fr": "{answer} {previous} → {current} ({delta} points de pourcentage)",
        "de": "{answer} {previous} → {current} ({delta} Prozentpunkte)",
        "en": "{answer} {previous} → {current} ({delta} percentage points)",
    },
    "comments_hidden": {
        "nl": "Opmerkingen worden alleen getoond bij minstens {n} respondenten.",
        "fr": "Les commentaires ne sont affichés qu'à partir de {n} répondants.",
        "de": "Kommentare werden erst ab {n} Befragten gezeigt.",
        "en": "Comments are shown only with at least {n} respondents.",
    },
    "no_comments": {
        "nl": "Geen opmerkingen.",
        "fr": "Aucun commentaire.",
        "de": "Keine Kommentare.",
        "en": "No comments.",
    },
}


def pt(key: str, lang: str, /, **values: Any) -> str:
    """Pulse report text `key` in `lang` (Dutch when the language is unknown), with `values` filled in; a
    key the pulses do not define is the feedback report's (the column names the two sections share)."""
    return localized(MESSAGES[key] if key in MESSAGES else REPORT_MESSAGES[key], lang, **values)
