"""Strings of the feedback survey and the DRI / ambassador overviews."""

MESSAGES = {
    "survey.title": {
        "nl": "Hoe ervaar je de nieuwe manier van werken?",
        "fr": "Comment vivez-vous la nouvelle façon de travailler ?",
        "de": "Wie erleben Sie die neue Arbeitsweise?",
        "en": "How do you find the new way of working?",
    },
    "survey.intro": {
        "nl": "Het duurt een minuut. Je naam wordt niet bewaard; resultaten worden alleen per groep van minstens {min_group} personen getoond.",
        "fr": "Cela prend une minute. Votre nom n'est pas conservé ; les résultats ne sont montrés que par groupe d'au moins {min_group} personnes.",
        "de": "Es dauert eine Minute. Ihr Name wird nicht gespeichert; Ergebnisse werden nur für Gruppen von mindestens {min_group} Personen gezeigt.",
        "en": "It takes a minute. Your name is not kept; results are only shown for groups of at least {min_group} people.",
    },
    "survey.tool": {
        "nl": "Over welk hulpmiddel of onderwerp?",
        "fr": "À propos de quel outil ou sujet ?",
        "de": "Zu welchem Werkzeug oder Thema?",
        "en": "Which tool or topic?",
    },
    "survey.tool_missing": {
        "nl": "Kies een hulpmiddel of onderwerp.",
        "fr": "Choisissez un outil ou un sujet.",
        "de": "Wählen Sie ein Werkzeug oder Thema.",
        "en": "Pick a tool or topic.",
    },
    "survey.rating": {
        "nl": "Je score (1 = slecht, 5 = uitstekend)",
        "fr": "Votre note (1 = mauvais, 5 = excellent)",
        "de": "Ihre Bewertung (1 = schlecht, 5 = ausgezeichnet)",
        "en": "Your rating (1 = poor, 5 = excellent)",
    },
    "survey.rating_missing": {
        "nl": "Geef een score van 1 tot 5.",
        "fr": "Donnez une note de 1 à 5.",
        "de": "Geben Sie eine Bewertung von 1 bis 5.",
        "en": "Give a rating from 1 to 5.",
    },
    "survey.works": {
        "nl": "Wat werkt goed?",
        "fr": "Qu'est-ce qui fonctionne bien ?",
        "de": "Was funktioniert gut?",
        "en": "What works well?",
    },
    "survey.obstacles": {
        "nl": "Wat zit in de weg?",
        "fr": "Qu'est-ce qui vous freine ?",
        "de": "Was steht im Weg?",
        "en": "What gets in the way?",
    },
    "survey.optional": {
        "nl": "Optioneel, max. {max} tekens",
        "fr": "Facultatif, max. {max} caractères",
        "de": "Optional, max. {max} Zeichen",
        "en": "Optional, up to {max} characters",
    },
    "survey.unit": {
        "nl": "Je eenheid",
        "fr": "Votre unité",
        "de": "Ihre Einheit",
        "en": "Your unit",
    },
    "survey.unit_missing": {
        "nl": "Kies je eenheid.",
        "fr": "Choisissez votre unité.",
        "de": "Wählen Sie Ihre Einheit.",
        "en": "Pick your unit.",
    },
    "survey.contact": {
        "nl": "Een NWOW-ambassadeur mag me hierover contacteren",
        "fr": "Un ambassadeur NWOW peut me contacter à ce sujet",
        "de": "Ein NWOW-Botschafter darf mich dazu kontaktieren",
        "en": "An NWOW ambassador may contact me about this",
    },
    "survey.submit": {
        "nl": "Versturen",
        "fr": "Envoyer",
        "de": "Senden",
        "en": "Send",
    },
    "survey.fix": {
        "nl": "Bijna klaar: {problems}",
        "fr": "Presque fini : {problems}",
        "de": "Fast fertig: {problems}",
        "en": "Almost done: {problems}",
    },
    "survey.thanks": {
        "nl": "Bedankt voor je feedback! De NWOW-ambassadeurs en DRI gebruiken ze om de nieuwe manier van werken te verbeteren.",
        "fr": "Merci pour votre avis ! Les ambassadeurs NWOW et la DRI s'en servent pour améliorer la nouvelle façon de travailler.",
        "de": "Danke für Ihr Feedback! Die NWOW-Botschafter und die DRI nutzen es, um die neue Arbeitsweise zu verbessern.",
        "en": "Thank you for your feedback! The NWOW ambassadors and DRI use it to improve the new way of working.",
    },
    "survey.already": {
        "nl": "Ik heb dit antwoord al ontvangen, bedankt! Wil je nog iets kwijt, typ dan 'feedback' voor een nieuw formulier.",
        "fr": "J'ai déjà reçu cette réponse, merci ! Pour ajouter autre chose, tapez « avis » pour un nouveau formulaire.",
        "de": "Diese Antwort habe ich bereits erhalten, danke! Wenn Sie noch etwas sagen möchten, tippen Sie „Feedback“ für ein neues Formular.",
        "en": "I already have this answer, thank you! To add something else, type 'feedback' for a new form.",
    },
    "survey.outdated": {
        "nl": "Dit formulier is van een eerdere versie. Hier is het opnieuw met je antwoorden: verstuur het nog eens.",
        "fr": "Ce formulaire date d'une version précédente. Le voici à nouveau avec vos réponses : envoyez-le encore une fois.",
        "de": "Dieses Formular stammt aus einer früheren Version. Hier ist es erneut mit Ihren Antworten: Senden Sie es bitte noch einmal.",
        "en": "This form is from an earlier version. Here it is again with your answers: please send it once more.",
    },
    "tool.teams": {"nl": "Teams", "fr": "Teams", "de": "Teams", "en": "Teams"},
    "tool.yammer": {"nl": "Yammer", "fr": "Yammer", "de": "Yammer", "en": "Yammer"},
    "tool.office365": {"nl": "Office 365", "fr": "Office 365", "de": "Office 365", "en": "Office 365"},
    "tool.telework": {"nl": "Telewerk", "fr": "Télétravail", "de": "Telearbeit", "en": "Telework"},
    "tool.satellite": {
        "nl": "Satellietkantoren",
        "fr": "Bureaux satellites",
        "de": "Satellitenbüros",
        "en": "Satellite offices",
    },
    "tool.wikipol": {"nl": "WiKiPol", "fr": "WiKiPol", "de": "WiKiPol", "en": "WiKiPol"},
    "tool.besecure": {"nl": "BeSecure", "fr": "BeSecure", "de": "BeSecure", "en": "BeSecure"},
    "tool.other": {"nl": "Iets anders", "fr": "Autre chose", "de": "Etwas anderes", "en": "Something else"},
    "summary.title": {
        "nl": "Feedback van {period}",
        "fr": "Avis : {period}",
        "de": "Feedback {period}",
        "en": "Feedback for {period}",
    },
    "summary.totals": {
        "nl": "{responses} antwoorden, gemiddelde score {mean}. {unanswered} onbeantwoorde vragen.",
        "fr": "{responses} réponses, note moyenne {mean}. {unanswered} questions sans réponse.",
        "de": "{responses} Antworten, Durchschnittsbewertung {mean}. {unanswered} unbeantwortete Fragen.",
        "en": "{responses} responses, mean rating {mean}. {unanswered} unanswered questions.",
    },
    "summary.by_tool": {
        "nl": "Per hulpmiddel",
        "fr": "Par outil",
        "de": "Nach Werkzeug",
        "en": "By tool",
    },
    "summary.row": {
        "nl": "{responses} antw. · gem. {mean}",
        "fr": "{responses} rép. · moy. {mean}",
        "de": "{responses} Antw. · Ø {mean}",
        "en": "{responses} resp. · mean {mean}",
    },
    "summary.suppressed": {
        "nl": "Cijfers per afgesloten maand; groepen met minder dan {min_group} respondenten, en groepen die "
        "een kleinere zouden verraden, worden niet getoond.",
        "fr": "Chiffres par mois clôturé ; les groupes de moins de {min_group} répondants, et ceux qui en "
        "trahiraient un plus petit, ne sont pas affichés.",
        "de": "Zahlen pro abgeschlossenem Monat; Gruppen mit weniger als {min_group} Befragten und Gruppen, "
        "die eine kleinere verraten würden, werden nicht angezeigt.",
        "en": "Figures per closed month; groups with fewer than {min_group} respondents, and groups that "
        "would give a smaller one away, are not shown.",
    },
    "summary.none": {
        "nl": "Geen cijfers voor deze maand: geen feedback, of te weinig respondenten.",
        "fr": "Pas de chiffres pour ce mois : aucun avis, ou trop peu de répondants.",
        "de": "Keine Zahlen für diesen Monat: kein Feedback oder zu wenige Befragte.",
        "en": "No figures for this month: no feedback, or too few respondents.",
    },
    "unanswered.title": {
        "nl": "Vragen waar de FAQ nog geen antwoord op heeft, {period} (nieuwste eerst)",
        "fr": "Questions encore sans réponse dans la FAQ, {period} (les plus récentes d'abord)",
        "de": "Fragen, auf die die FAQ noch keine Antwort hat, {period} (neueste zuerst)",
        "en": "Questions the FAQ still cannot answer, {period} (newest first)",
    },
    "unanswered.row": {
        "nl": "{count}× ({lang})",
        "fr": "{count}× ({lang})",
        "de": "{count}× ({lang})",
        "en": "{count}× ({lang})",
    },
    "unanswered.none": {
        "nl": "Geen onbeantwoorde vragen ({period}).",
        "fr": "Aucune question sans réponse ({period}).",
        "de": "Keine unbeantworteten Fragen ({period}).",
        "en": "No unanswered questions ({period}).",
    },
    "unanswered.hint": {
        "nl": "Voeg ze toe als vraagvarianten of nieuwe items in faq/ en controleer met `nwow faq check`.",
        "fr": "Ajoutez-les comme variantes ou nouvelles entrées dans faq/ et vérifiez avec `nwow faq check`.",
        "de": "Fügen Sie sie als Varianten oder neue Einträge in faq/ hinzu und prüfen Sie mit `nwow faq check`.",
        "en": "Add them as question variants or new entries in faq/ and check with `nwow faq check`.",
    },
    "digest.title": {
        "nl": "NWOW-weekoverzicht",
        "fr": "Résumé hebdomadaire NWOW",
        "de": "NWOW-Wochenübersicht",
        "en": "NWOW weekly digest",
    },
}
