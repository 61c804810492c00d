"""The words of the feedback report (headings, column names, notes) in the four working languages.

Same shape as bot/strings (`MESSAGES = {key: {lang: text}}`); kept here because the report is built by the
domain package and the CLI, not by the Teams layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from nwow.feedback.periods import Month, Week
from nwow.language import DEFAULT_LANG, localized

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "title": {
        "nl": "NWOW-feedback: rapport",
        "fr": "Avis NWOW : rapport",
        "de": "NWOW-Feedback: Bericht",
        "en": "NWOW feedback report",
    },
    "period": {
        "nl": "Periode: {since} tot en met {until} (afgesloten kalendermaanden)",
        "fr": "Période : de {since} à {until} inclus (mois civils clôturés)",
        "de": "Zeitraum: {since} bis einschließlich {until} (abgeschlossene Kalendermonate)",
        "en": "Period: {since} to {until} (closed calendar months)",
    },
    "generated": {
        "nl": "Gemaakt op {at}",
        "fr": "Généré le {at}",
        "de": "Erstellt am {at}",
        "en": "Generated {at}",
    },
    "privacy_note": {
        "nl": "Cijfers worden per afgesloten kalendermaand gepubliceerd en veranderen daarna niet meer. Een groep "
        "wordt alleen getoond met minstens {n} verschillende respondenten, van wie niemand meer dan de helft van "
        "de antwoorden gaf; groepen waaruit door aftrekken een kleinere groep te berekenen zou zijn, worden ook "
        'verborgen en tellen mee in "andere samen". Opmerkingen worden alleen getoond voor hulpmiddelen en '
        "eenheden met een eigen rij.",
        "fr": "Les chiffres sont publiés par mois civil clôturé et ne changent plus ensuite. Un groupe n'est "
        "affiché qu'avec au moins {n} répondants distincts, dont aucun n'a donné plus de la moitié des réponses ; "
        "les groupes qui permettraient de calculer un groupe plus petit par soustraction sont aussi masqués et "
        "comptés dans « autres ensemble ». Les commentaires ne sont affichés que pour les outils et unités qui "
        "ont leur propre ligne.",
        "de": "Zahlen werden pro abgeschlossenem Kalendermonat veröffentlicht und ändern sich danach nicht mehr. "
        "Eine Gruppe wird nur mit mindestens {n} verschiedenen Befragten gezeigt, von denen keiner mehr als die "
        "Hälfte der Antworten gab; Gruppen, aus denen sich durch Subtraktion eine kleinere Gruppe berechnen "
        "ließe, werden ebenfalls verborgen und unter „andere zusammen“ gezählt. Kommentare werden nur für "
        "Werkzeuge und Einheiten mit eigener Zeile gezeigt.",
        "en": "Figures are published per closed calendar month and never change afterwards. A group is shown "
        "only with at least {n} distinct respondents, none of whom gave more than half of its answers; groups "
        "from which a smaller group could be worked out by subtraction are hidden too and counted under "
        '"others together". Comments are shown only for tools and units with a row of their own.',
    },
    "overview": {"nl": "Overzicht", "fr": "Vue d'ensemble", "de": "Überblick", "en": "Overview"},
    "by_tool": {"nl": "Per hulpmiddel", "fr": "Par outil", "de": "Nach Werkzeug", "en": "By tool"},
    "by_unit": {"nl": "Per eenheid", "fr": "Par unité", "de": "Nach Einheit", "en": "By unit"},
    "ratings_chart": {
        "nl": "Gemiddelde score per hulpmiddel (1–5), {month}",
        "fr": "Note moyenne par outil (1–5), {month}",
        "de": "Durchschnittsbewertung nach Werkzeug (1–5), {month}",
        "en": "Mean rating per tool (1–5), {month}",
    },
    "trend_chart": {
        "nl": "Gemiddelde score per maand",
        "fr": "Note moyenne par mois",
        "de": "Durchschnittsbewertung pro Monat",
        "en": "Mean rating per month",
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
    "col.month": {"nl": "Maand", "fr": "Mois", "de": "Monat", "en": "Month"},
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
    "others.tool": {
        "nl": "Andere hulpmiddelen samen",
        "fr": "Autres outils ensemble",
        "de": "Andere Werkzeuge zusammen",
        "en": "Other tools together",
    },
    "others.unit": {
        "nl": "Andere eenheden samen",
        "fr": "Autres unités ensemble",
        "de": "Andere Einheiten zusammen",
        "en": "Other units together",
    },
    "others.entry": {
        "nl": "Andere FAQ-items samen",
        "fr": "Autres entrées FAQ ensemble",
        "de": "Andere FAQ-Einträge zusammen",
        "en": "Other FAQ entries together",
    },
    "no_figures": {
        "nl": "geen cijfers (minder dan {n} respondenten)",
        "fr": "pas de chiffres (moins de {n} répondants)",
        "de": "keine Zahlen (weniger als {n} Befragte)",
        "en": "no figures (fewer than {n} respondents)",
    },
    "no_votes": {
        "nl": "Te weinig stemmers om de duimpjes te tonen.",
        "fr": "Trop peu de votants pour afficher les pouces.",
        "de": "Zu wenige Abstimmende, um die Daumen zu zeigen.",
        "en": "Too few voters to show the thumbs.",
    },
    "no_responses": {
        "nl": "Geen antwoorden in deze periode.",
        "fr": "Aucune réponse sur cette période.",
        "de": "Keine Antworten in diesem Zeitraum.",
        "en": "No responses in this period.",
    },
    "none": {"nl": "Geen.", "fr": "Aucun.", "de": "Keine.", "en": "None."},
    "comments_note": {
        "nl": "Opmerkingen over hulpmiddelen of uit eenheden zonder eigen rij worden niet getoond.",
        "fr": "Les commentaires sur des outils ou d'unités sans ligne propre ne sont pas affichés.",
        "de": "Kommentare zu Werkzeugen oder aus Einheiten ohne eigene Zeile werden nicht gezeigt.",
        "en": "Comments about tools or from units without a row of their own are not shown.",
    },
    "weeks": {
        "nl": "weken {first} tot en met {last}",
        "fr": "semaines {first} à {last}",
        "de": "Wochen {first} bis {last}",
        "en": "weeks {first} to {last}",
    },
    "week": {"nl": "week {first}", "fr": "semaine {first}", "de": "Woche {first}", "en": "week {first}"},
    "unanswered_total": {
        "nl": "{weeks}: {count} onbeantwoorde vragen in totaal; bijna-gelijke vragen zijn samengeteld.",
        "fr": "{weeks} : {count} questions sans réponse au total ; les quasi-doublons sont regroupés.",
        "de": "{weeks}: {count} unbeantwortete Fragen insgesamt; fast gleiche Fragen sind zusammengefasst.",
        "en": "{weeks}: {count} unanswered questions in total; near-duplicates are counted together.",
    },
    "no_weeks": {
        "nl": "Nog geen afgesloten week in deze periode.",
        "fr": "Pas encore de semaine clôturée sur cette période.",
        "de": "Noch keine abgeschlossene Woche in diesem Zeitraum.",
        "en": "No closed week in this period yet.",
    },
    "votes_total": {
        "nl": "{up} duimpjes omhoog, {down} omlaag, van {voters} personen.",
        "fr": "{up} pouces vers le haut, {down} vers le bas, de {voters} personnes.",
        "de": "{up} Daumen hoch, {down} Daumen runter, von {voters} Personen.",
        "en": "{up} thumbs up, {down} thumbs down, from {voters} people.",
    },
    # --- where questions end (Ask an ambassador; nwow/tickets/figures.py) ---
    "outcomes": {
        "nl": "Wat er met de vragen gebeurde",
        "fr": "Ce que sont devenues les questions",
        "de": "Was aus den Fragen wurde",
        "en": "Where questions ended",
    },
    "outcomes_note": {
        "nl": "Per vraag geteld zoals Copilot Studio sessies telt. Verlaten: een suggestie of een 'ik weet het niet' waarop 30 minuten niets volgde. Onderwerpen en eenheden met minder dan {n} vraagstellers staan bij 'andere samen'.",
        "fr": "Comptées par question comme Copilot Studio compte les sessions. Abandonnée : une suggestion ou un « je ne sais pas » sans suite pendant 30 minutes. Les sujets et unités de moins de {n} demandeurs sont dans « autres ensemble ».",
        "de": "Pro Frage gezählt, wie Copilot Studio Sitzungen zählt. Abgebrochen: ein Vorschlag oder ein „weiß ich nicht“, auf den 30 Minuten nichts folgte. Themen und Einheiten mit weniger als {n} Fragenden stehen unter „andere zusammen“.",
        "en": "Counted per question the way Copilot Studio counts sessions. Abandoned: a suggestion or an 'I don't know' followed by nothing for 30 minutes. Topics and units with fewer than {n} askers are under 'others together'.",
    },
    "outcome.questions": {"nl": "Vragen", "fr": "Questions", "de": "Fragen", "en": "Questions"},
    "outcome.askers": {"nl": "Vraagstellers", "fr": "Demandeurs", "de": "Fragende", "en": "Askers"},
    "outcome.answered": {
        "nl": "Beantwoord door de FAQ",
        "fr": "Répondues par la FAQ",
        "de": "Von den FAQ beantwortet",
        "en": "Answered by the FAQ",
    },
    "outcome.resolved": {
        "nl": "Opgelost via 'Bedoel je'",
        "fr": "Résolues via « Vouliez-vous dire »",
        "de": "Über „Meinten Sie“ gelöst",
        "en": "Resolved through 'Did you mean'",
    },
    "outcome.ambassador_answered": {
        "nl": "Beantwoord door een ambassadeur",
        "fr": "Répondues par un ambassadeur",
        "de": "Von einem Botschafter beantwortet",
        "en": "Answered by an ambassador",
    },
    "outcome.escalated": {
        "nl": "Bij een ambassadeur, nog open",
        "fr": "Chez un ambassadeur, encore ouvertes",
        "de": "Bei einem Botschafter, noch offen",
        "en": "With an ambassador, still open",
    },
    "outcome.abandoned": {"nl": "Verlaten", "fr": "Abandonnées", "de": "Abgebrochen", "en": "Abandoned"},
    "outcome.out_of_scope": {
        "nl": "Buiten de scope",
        "fr": "Hors du champ",
        "de": "Außerhalb des Bereichs",
        "en": "Out of scope",
    },
    "outcome.escalated_total": {
        "nl": "Doorgegeven aan een ambassadeur",
        "fr": "Transmises à un ambassadeur",
        "de": "An einen Botschafter weitergegeben",
        "en": "Escalated to an ambassador",
    },
    "outcome.votes": {
        "nl": "{up} duimpjes omhoog, {down} omlaag op de antwoorden.",
        "fr": "{up} pouces vers le haut, {down} vers le bas sur les réponses.",
        "de": "{up} Daumen hoch, {down} Daumen runter zu den Antworten.",
        "en": "{up} thumbs up, {down} thumbs down on the answers.",
    },
    "outcome.no_figures": {
        "nl": "Geen cijfers: geen vragen, of minder dan {n} vraagstellers.",
        "fr": "Pas de chiffres : aucune question, ou moins de {n} demandeurs.",
        "de": "Keine Zahlen: keine Fragen oder weniger als {n} Fragende.",
        "en": "No figures: no questions, or fewer than {n} askers.",
    },
    "outcome.by_topic": {"nl": "Per onderwerp", "fr": "Par sujet", "de": "Nach Thema", "en": "By topic"},
    "outcome.by_unit": {"nl": "Per eenheid", "fr": "Par unité", "de": "Nach Einheit", "en": "By unit"},
    "outcome.trend": {
        "nl": "Per week",
        "fr": "Par semaine",
        "de": "Pro Woche",
        "en": "Trend by week",
    },
    "outcome.others": {
        "nl": "Andere samen",
        "fr": "Autres ensemble",
        "de": "Andere zusammen",
        "en": "Others together",
    },
    "outcome.no_topic": {"nl": "Geen onderwerp", "fr": "Sans sujet", "de": "Ohne Thema", "en": "No topic"},
    "outcome.unknown_unit": {
        "nl": "Eenheid onbekend",
        "fr": "Unité inconnue",
        "de": "Einheit unbekannt",
        "en": "Unit not given",
    },
    "outcome.times": {
        "nl": "Tijd tot antwoord van een ambassadeur",
        "fr": "Délai de réponse d'un ambassadeur",
        "de": "Zeit bis zur Antwort eines Botschafters",
        "en": "Time to an ambassador's answer",
    },
    "outcome.times_row": {
        "nl": "{tickets} vragen beantwoord; mediaan {median} werkuren ({calendar} uur in kalendertijd); 90% binnen {p90} werkuren.",
        "fr": "{tickets} questions répondues ; médiane {median} heures ouvrables ({calendar} heures calendrier) ; 90 % en {p90} heures ouvrables.",
        "de": "{tickets} Fragen beantwortet; Median {median} Arbeitsstunden ({calendar} Stunden Kalenderzeit); 90 % innerhalb von {p90} Arbeitsstunden.",
        "en": "{tickets} questions answered; median {median} working hours ({calendar} hours of calendar time); 90% within {p90} working hours.",
    },
    "outcome.no_times": {
        "nl": "Geen cijfers (minder dan {n} vraagstellers kregen een antwoord).",
        "fr": "Pas de chiffres (moins de {n} demandeurs ont reçu une réponse).",
        "de": "Keine Zahlen (weniger als {n} Fragende erhielten eine Antwort).",
        "en": "No figures (fewer than {n} askers got an answer).",
    },
    "outcome.open": {
        "nl": "Vragen die het langst op een ambassadeur wachten (nu)",
        "fr": "Questions qui attendent un ambassadeur depuis le plus longtemps (maintenant)",
        "de": "Fragen, die am längsten auf einen Botschafter warten (jetzt)",
        "en": "Questions waiting longest for an ambassador (now)",
    },
    "outcome.waiting": {
        "nl": "Wacht (werkuren)",
        "fr": "Attente (heures ouvrables)",
        "de": "Wartet (Arbeitsstunden)",
        "en": "Waiting (working hours)",
    },
    "outcome.share": {"nl": "Aandeel", "fr": "Part", "de": "Anteil", "en": "Share"},
    "outcome.category": {"nl": "Uitkomst", "fr": "Issue", "de": "Ergebnis", "en": "Outcome"},
}


MONTH_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip


def rt(key: str, lang: str, /, **values: Any) -> str:
    """Report text `key` in `lang` (Dutch when the language is unknown), with `values` filled in."""
    return localized(MESSAGES[key], lang, **values)


def month_name(month: Month, lang: str) -> str:
    """ "oktober 2026", "octobre 2026", "Oktober 2026", "October 2026"."""
    names = MONTH_NAMES.get(lang) or MONTH_NAMES[DEFAULT_LANG]
    return f"{names[month.month - 1]} {month.year}"


def weeks_label(weeks: Sequence[Week], lang: str) -> str:
    """ "weeks 2026-W41 to 2026-W44" (or "week 2026-W44") in `lang`."""
    if not weeks:
        raise ValueError("no weeks")
    first, last = min(weeks), max(weeks)
    if first == last:
        return rt("week", lang, first=first.key)
    return rt("weeks", lang, first=first.key, last=last.key)
