"""Strings shared by several features."""

MESSAGES = {
    "error.generic": {
        "nl": "Sorry, er ging iets mis aan mijn kant. Probeer het zo meteen opnieuw.",
        "fr": "Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
        "de": "Entschuldigung, bei mir ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.",
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "common.cancelled": {
        "nl": "Oké, ik ben gestopt. Typ 'help' om te zien wat ik kan.",
        "fr": "D'accord, j'ai arrêté. Tapez « aide » pour voir ce que je sais faire.",
        "de": "In Ordnung, ich habe abgebrochen. Tippen Sie „Hilfe“, um zu sehen, was ich kann.",
        "en": "OK, I stopped. Type 'help' to see what I can do.",
    },
    "common.flow_help": {
        "nl": "Beantwoord de vraag hierboven om verder te gaan, of typ 'annuleren' om te stoppen.",
        "fr": "Répondez à la question ci-dessus pour continuer, ou tapez « annuler » pour arrêter.",
        "de": "Beantworten Sie die Frage oben, um fortzufahren, oder tippen Sie „abbrechen“, um aufzuhören.",
        "en": "Answer the question above to go on, or type 'cancel' to stop.",
    },
    "card.not_right": {
        "nl": "Sorry, dat zag er niet juist uit. Gebruik de knoppen op de kaart, of typ je vraag.",
        "fr": "Désolé, cela ne semblait pas correct. Utilisez les boutons de la carte, ou tapez votre question.",
        "de": "Entschuldigung, das sah nicht richtig aus. Verwenden Sie die Schaltflächen der Karte, oder tippen Sie Ihre Frage.",
        "en": "Sorry, that did not look right. Use the buttons on the card, or type your question.",
    },
    "card.shortened": {
        "nl": "… (ingekort: dit bericht was te lang voor Teams)",
        "fr": "… (raccourci : ce message était trop long pour Teams)",
        "de": "… (gekürzt: diese Nachricht war zu lang für Teams)",
        "en": "… (shortened: this message was too long for Teams)",
    },
    "card.more": {
        "nl": "… en nog {count}.",
        "fr": "… et {count} de plus.",
        "de": "… und {count} weitere.",
        "en": "… and {count} more.",
    },
}
