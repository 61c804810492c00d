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
}
