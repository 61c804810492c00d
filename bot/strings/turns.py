"""Strings about a turn that could not be completed."""

MESSAGES = {
    "error.busy": {
        "nl": "Sorry, ik kon je bericht niet verwerken omdat er tegelijk nog iets anders binnenkwam. Stuur het gerust opnieuw.",
        "fr": "Désolé, je n'ai pas pu traiter votre message car autre chose arrivait en même temps. Renvoyez-le sans problème.",
        "de": "Entschuldigung, ich konnte Ihre Nachricht nicht verarbeiten, weil gleichzeitig etwas anderes ankam. Senden Sie sie einfach noch einmal.",
        "en": "Sorry, I could not handle your message because something else arrived at the same time. Please send it again.",
    },
}
