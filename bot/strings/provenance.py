"""Strings that say content is not validated yet: provisional answers and example offices."""

MESSAGES = {
    "provenance.draft_answer_dri": {
        "nl": "⚠️ Voorlopig antwoord — nog niet gevalideerd door DRI",
        "fr": "⚠️ Réponse provisoire — pas encore validée par la DRI",
        "de": "⚠️ Vorläufige Antwort — noch nicht von der DRI validiert",
        "en": "⚠️ Provisional answer — not yet validated by DRI",
    },
    "provenance.draft_answer_ispo": {
        "nl": "⚠️ Voorlopig antwoord — nog niet gevalideerd door ISPO",
        "fr": "⚠️ Réponse provisoire — pas encore validée par l'ISPO",
        "de": "⚠️ Vorläufige Antwort — noch nicht vom ISPO validiert",
        "en": "⚠️ Provisional answer — not yet validated by ISPO",
    },
    "provenance.example_offices": {
        "nl": "⚠️ Voorbeeld — nog niet gevalideerd door DRI: deze kantoren, hun uren en toegangsregels zijn verzonnen.",
        "fr": "⚠️ Exemple — pas encore validé par la DRI : ces bureaux, leurs horaires et leurs règles d'accès sont fictifs.",
        "de": "⚠️ Beispiel — noch nicht von der DRI validiert: Diese Büros, ihre Zeiten und Zugangsregeln sind erfunden.",
        "en": "⚠️ Example — not yet validated by DRI: these offices, their hours and access rules are invented.",
    },
    "provenance.example_some_offices": {
        "nl": "⚠️ Kantoren met „voorbeeld” zijn nog niet gevalideerd door DRI: hun gegevens zijn verzonnen.",
        "fr": "⚠️ Les bureaux marqués « exemple » ne sont pas encore validés par la DRI : leurs données sont fictives.",
        "de": "⚠️ Mit „Beispiel“ markierte Büros sind noch nicht von der DRI validiert: Ihre Angaben sind erfunden.",
        "en": "⚠️ Offices marked 'example' are not yet validated by DRI: their details are invented.",
    },
    "provenance.example_office": {
        "nl": "⚠️ Voorbeeld — nog niet gevalideerd door DRI",
        "fr": "⚠️ Exemple — pas encore validé par la DRI",
        "de": "⚠️ Beispiel — noch nicht von der DRI validiert",
        "en": "⚠️ Example — not yet validated by DRI",
    },
}
