"""Strings of the conversation itself: welcome, help, small talk, FAQ answers, privacy commands."""

MESSAGES = {
    "welcome.title": {
        "nl": "Welkom bij de NWOW-assistent",
        "fr": "Bienvenue dans l'assistant NWOW",
        "de": "Willkommen beim NWOW-Assistenten",
        "en": "Welcome to the NWOW assistant",
    },
    "welcome.body": {
        "nl": (
            "Ik help je met de nieuwe manier van werken: telewerk, Teams, Office 365, MFA, BeSecure, WiKiPol "
            "en meer. Stel je vraag gewoon in je eigen woorden, in het Nederlands, Frans, Duits of Engels."
        ),
        "fr": (
            "Je vous aide avec la nouvelle façon de travailler : télétravail, Teams, Office 365, MFA, "
            "BeSecure, WiKiPol et plus encore. Posez votre question avec vos propres mots, en français, "
            "néerlandais, allemand ou anglais."
        ),
        "de": (
            "Ich helfe Ihnen bei der neuen Arbeitsweise: Telearbeit, Teams, Office 365, MFA, BeSecure, WiKiPol "
            "und mehr. Stellen Sie Ihre Frage einfach in Ihren eigenen Worten, auf Deutsch, Niederländisch, "
            "Französisch oder Englisch."
        ),
        "en": (
            "I help you with the new way of working: telework, Teams, Office 365, MFA, BeSecure, WiKiPol and "
            "more. Just ask your question in your own words, in English, Dutch, French or German."
        ),
    },
    "welcome.privacy": {
        "nl": "Ik bewaar je naam niet. Typ 'mijn gegevens' om te zien wat ik bijhoud.",
        "fr": "Je ne conserve pas votre nom. Tapez « mes données » pour voir ce que je garde.",
        "de": "Ich speichere Ihren Namen nicht. Tippen Sie „meine Daten“, um zu sehen, was ich aufbewahre.",
        "en": "I do not keep your name. Type 'my data' to see what I keep.",
    },
    "help.title": {
        "nl": "Wat ik voor je kan doen",
        "fr": "Ce que je peux faire pour vous",
        "de": "Was ich für Sie tun kann",
        "en": "What I can do for you",
    },
    "help.ask": {
        "nl": "**Vragen beantwoorden** over telewerk en digitale tools. Bijvoorbeeld: *Hoe installeer ik Teams op mijn gsm?*",
        "fr": "**Répondre à vos questions** sur le télétravail et les outils numériques. Par exemple : *Comment installer Teams sur mon GSM ?*",
        "de": "**Fragen beantworten** zu Telearbeit und digitalen Werkzeugen. Zum Beispiel: *Wie installiere ich Teams auf meinem Handy?*",
        "en": "**Answer questions** about telework and digital tools. For example: *How do I install Teams on my phone?*",
    },
    "help.offices": {
        "nl": "**Een satellietkantoor vinden** dicht bij huis: *satellietkantoor bij Leuven*",
        "fr": "**Trouver un bureau satellite** près de chez vous : *bureau satellite près de Namur*",
        "de": "**Ein Satellitenbüro finden** in Ihrer Nähe: *Satellitenbüro bei Eupen*",
        "en": "**Find a satellite office** near home: *satellite office near Ghent*",
    },
    "help.feedback": {
        "nl": "**Je mening geven** over de nieuwe manier van werken: typ *feedback*",
        "fr": "**Donner votre avis** sur la nouvelle façon de travailler : tapez *avis*",
        "de": "**Ihre Meinung sagen** zur neuen Arbeitsweise: tippen Sie *Feedback*",
        "en": "**Give feedback** on the new way of working: type *feedback*",
    },
    "help.privacy": {
        "nl": "**Je gegevens**: *mijn gegevens* toont wat ik bewaar, *verwijder mijn gegevens* wist het.",
        "fr": "**Vos données** : *mes données* montre ce que je garde, *supprimer mes données* l'efface.",
        "de": "**Ihre Daten**: *meine Daten* zeigt, was ich aufbewahre, *meine Daten löschen* löscht es.",
        "en": "**Your data**: *my data* shows what I keep, *delete my data* erases it.",
    },
    "help.staff": {
        "nl": "Voor DRI: *samenvatting*, *bevragingen*. Voor ambassadeurs: *onbeantwoord*.",
        "fr": "Pour la DRI : *résumé*, *enquêtes*. Pour les ambassadeurs : *sans réponse*.",
        "de": "Für die DRI: *Zusammenfassung*, *Umfragen*. Für Botschafter: *unbeantwortet*.",
        "en": "For DRI: *summary*, *pulses*. For ambassadors: *unanswered*.",
    },
    "button.topics": {
        "nl": "Onderwerpen bekijken",
        "fr": "Parcourir les thèmes",
        "de": "Themen ansehen",
        "en": "Browse topics",
    },
    "button.offices": {
        "nl": "Satellietkantoor zoeken",
        "fr": "Trouver un bureau satellite",
        "de": "Satellitenbüro finden",
        "en": "Find a satellite office",
    },
    "button.feedback": {
        "nl": "Feedback geven",
        "fr": "Donner mon avis",
        "de": "Feedback geben",
        "en": "Give feedback",
    },
    "button.help": {"nl": "Help", "fr": "Aide", "de": "Hilfe", "en": "Help"},
    "button.mydata": {
        "nl": "Mijn gegevens",
        "fr": "Mes données",
        "de": "Meine Daten",
        "en": "My data",
    },
    "smalltalk.greeting": {
        "nl": "Hallo! Waarmee kan ik je helpen? Stel gerust je vraag, of typ 'help'.",
        "fr": "Bonjour ! Comment puis-je vous aider ? Posez votre question, ou tapez « aide ».",
        "de": "Hallo! Wie kann ich Ihnen helfen? Stellen Sie Ihre Frage oder tippen Sie „Hilfe“.",
        "en": "Hello! How can I help? Ask your question, or type 'help'.",
    },
    "smalltalk.thanks": {
        "nl": "Graag gedaan! Nog een vraag? Ik luister.",
        "fr": "Avec plaisir ! Une autre question ? Je vous écoute.",
        "de": "Gern geschehen! Noch eine Frage? Ich höre zu.",
        "en": "You're welcome! Anything else? Just ask.",
    },
    "smalltalk.goodbye": {
        "nl": "Tot later! Je vindt me hier terug wanneer je wil.",
        "fr": "À bientôt ! Vous me retrouvez ici quand vous voulez.",
        "de": "Bis später! Sie finden mich hier, wann immer Sie möchten.",
        "en": "See you! I'm here whenever you need me.",
    },
    "faq.fallback_note": {
        "nl": "Dit antwoord bestaat nog niet in het Nederlands; hier is het in het {language}.",
        "fr": "Cette réponse n'existe pas encore en français ; la voici en {language}.",
        "de": "Diese Antwort gibt es noch nicht auf Deutsch; hier ist sie auf {language}.",
        "en": "This answer is not available in English yet; here it is in {language}.",
    },
    "faq.helpful": {
        "nl": "Was dit nuttig?",
        "fr": "Cette réponse vous a-t-elle aidé ?",
        "de": "War das hilfreich?",
        "en": "Was this helpful?",
    },
    "faq.related": {
        "nl": "Zie ook",
        "fr": "Voir aussi",
        "de": "Siehe auch",
        "en": "See also",
    },
    "faq.vote_up": {"nl": "👍 Ja", "fr": "👍 Oui", "de": "👍 Ja", "en": "👍 Yes"},
    "faq.vote_down": {"nl": "👎 Nee", "fr": "👎 Non", "de": "👎 Nein", "en": "👎 No"},
    "faq.vote_thanks_up": {
        "nl": "Bedankt voor je stem! Fijn dat het hielp.",
        "fr": "Merci pour votre vote ! Ravi que cela vous ait aidé.",
        "de": "Danke für Ihre Bewertung! Schön, dass es geholfen hat.",
        "en": "Thanks for your vote! Glad it helped.",
    },
    "faq.vote_thanks_down": {
        "nl": "Bedankt voor je stem. De ambassadeurs gebruiken dit om het antwoord te verbeteren.",
        "fr": "Merci pour votre vote. Les ambassadeurs s'en servent pour améliorer la réponse.",
        "de": "Danke für Ihre Bewertung. Die Botschafter nutzen sie, um die Antwort zu verbessern.",
        "en": "Thanks for your vote. The ambassadors use it to improve the answer.",
    },
    "faq.did_you_mean": {
        "nl": "Bedoel je een van deze?",
        "fr": "Vouliez-vous dire l'une de ces questions ?",
        "de": "Meinten Sie eine dieser Fragen?",
        "en": "Did you mean one of these?",
    },
    "faq.none_of_these": {
        "nl": "Geen van deze",
        "fr": "Aucune de celles-ci",
        "de": "Keine davon",
        "en": "None of these",
    },
    "faq.unknown_title": {
        "nl": "Dat weet ik nog niet",
        "fr": "Je ne le sais pas encore",
        "de": "Das weiß ich noch nicht",
        "en": "I don't know that yet",
    },
    "faq.unknown_body": {
        "nl": (
            "Sorry, daar heb ik nog geen antwoord op. De NWOW-ambassadeurs zien de vragen die ik niet kan "
            "beantwoorden (zonder je naam) om de kennisbank aan te vullen, en een van hen kan je ook "
            "persoonlijk antwoorden."
        ),
        "fr": (
            "Désolé, je n'ai pas encore de réponse à cela. Les ambassadeurs NWOW voient les questions "
            "auxquelles je ne sais pas répondre (sans votre nom) pour compléter la base de connaissances, "
            "et l'un d'eux peut aussi vous répondre personnellement."
        ),
        "de": (
            "Entschuldigung, darauf habe ich noch keine Antwort. Die NWOW-Botschafter sehen die Fragen, die "
            "ich nicht beantworten kann (ohne Ihren Namen), um die Wissensdatenbank zu ergänzen, und einer "
            "von ihnen kann Ihnen auch persönlich antworten."
        ),
        "en": (
            "Sorry, I don't have an answer to that yet. The NWOW ambassadors see the questions I cannot "
            "answer (without your name) to complete the knowledge base, and one of them can also answer "
            "you personally."
        ),
    },
    "faq.unknown_tips": {
        "nl": "Probeer het anders te formuleren met een paar kernwoorden (bv. *Teams gsm*), of bekijk de onderwerpen.",
        "fr": "Essayez de reformuler avec quelques mots-clés (p. ex. *Teams GSM*), ou parcourez les thèmes.",
        "de": "Formulieren Sie die Frage mit einigen Stichworten neu (z. B. *Teams Handy*) oder sehen Sie sich die Themen an.",
        "en": "Try rephrasing with a few keywords (e.g. *Teams phone*), or browse the topics.",
    },
    "faq.topics_title": {
        "nl": "Onderwerpen",
        "fr": "Thèmes",
        "de": "Themen",
        "en": "Topics",
    },
    "faq.topic_entries": {
        "nl": "Vragen over {topic}",
        "fr": "Questions sur {topic}",
        "de": "Fragen zu {topic}",
        "en": "Questions about {topic}",
    },
    "faq.entry_gone": {
        "nl": "Dat antwoord bestaat niet meer. Stel je vraag gerust opnieuw.",
        "fr": "Cette réponse n'existe plus. N'hésitez pas à reposer votre question.",
        "de": "Diese Antwort gibt es nicht mehr. Stellen Sie Ihre Frage gern noch einmal.",
        "en": "That answer no longer exists. Feel free to ask again.",
    },
    "language.nl": {"nl": "Nederlands", "fr": "néerlandais", "de": "Niederländisch", "en": "Dutch"},
    "language.fr": {"nl": "Frans", "fr": "français", "de": "Französisch", "en": "French"},
    "language.de": {"nl": "Duits", "fr": "allemand", "de": "Deutsch", "en": "German"},
    "language.en": {"nl": "Engels", "fr": "anglais", "de": "Englisch", "en": "English"},
    "mydata.title": {
        "nl": "Wat ik over je bewaar",
        "fr": "Ce que je garde à votre sujet",
        "de": "Was ich über Sie aufbewahre",
        "en": "What I keep about you",
    },
    "mydata.body": {
        "nl": (
            "Ik bewaar je naam niet, alleen een pseudoniem: een code die met een geheime sleutel uit je "
            "account-id wordt berekend (een hash met sleutel, geen versleuteling; je id is er niet uit terug te "
            "halen). Daaraan gekoppeld: {surveys} feedbackantwoord(en), {votes} stem(men) op antwoorden{remembered}. "
            "Onbeantwoorde vragen bewaar ik zonder enige identiteit."
        ),
        "fr": (
            "Je ne conserve pas votre nom, seulement un pseudonyme : un code calculé à partir de l'identifiant "
            "de votre compte avec une clé secrète (un hachage à clé, pas un chiffrement ; on ne peut pas en "
            "retrouver votre identifiant). Y sont liés : {surveys} réponse(s) au questionnaire, {votes} vote(s) "
            "sur des réponses{remembered}. Les questions sans réponse sont conservées sans aucune identité."
        ),
        "de": (
            "Ich speichere Ihren Namen nicht, nur ein Pseudonym: einen Code, der mit einem geheimen Schlüssel aus "
            "Ihrer Konto-ID berechnet wird (ein Hash mit Schlüssel, keine Verschlüsselung; Ihre ID lässt sich "
            "daraus nicht zurückgewinnen). Damit verknüpft: {surveys} Feedback-Antwort(en), {votes} "
            "Bewertung(en) von Antworten{remembered}. Unbeantwortete Fragen bewahre ich ohne jede Identität auf."
        ),
        "en": (
            "I do not keep your name, only a pseudonym: a code computed from your account id with a secret key "
            "(a keyed hash, not encryption; your id cannot be recovered from it). Linked to it: {surveys} "
            "feedback response(s), {votes} vote(s) on answers{remembered}. Unanswered questions are kept "
            "without any identity."
        ),
    },
    "mydata.retention": {
        "nl": "Alles wordt automatisch gewist {days} dagen nadat het werd opgeslagen.",
        "fr": "Tout est effacé automatiquement {days} jours après avoir été enregistré.",
        "de": "Alles wird {days} Tage nach dem Speichern automatisch gelöscht.",
        "en": "Everything is deleted automatically {days} days after it was stored.",
    },
    "mydata.remembered": {
        "nl": ", en je thuisgebied: {value}",
        "fr": ", et votre région de domicile : {value}",
        "de": ", und Ihr Wohngebiet: {value}",
        "en": ", and your home area: {value}",
    },
    "mydata.delete_button": {
        "nl": "Verwijder mijn gegevens",
        "fr": "Supprimer mes données",
        "de": "Meine Daten löschen",
        "en": "Delete my data",
    },
    "mydata.confirm": {
        "nl": "Wil je echt alles verwijderen wat ik over je bewaar? Dit kan niet ongedaan worden gemaakt.",
        "fr": "Voulez-vous vraiment supprimer tout ce que je garde à votre sujet ? C'est irréversible.",
        "de": "Möchten Sie wirklich alles löschen, was ich über Sie aufbewahre? Das ist endgültig.",
        "en": "Do you really want to delete everything I keep about you? This cannot be undone.",
    },
    "mydata.confirm_published": {
        "nl": (
            "Maandcijfers die al gepubliceerd zijn, veranderen niet meer: je antwoorden blijven daarin "
            "meegeteld, alleen in totalen van minstens {min_group} personen."
        ),
        "fr": (
            "Les chiffres mensuels déjà publiés ne changent plus : vos réponses y restent comptées, uniquement "
            "dans des totaux d'au moins {min_group} personnes."
        ),
        "de": (
            "Bereits veröffentlichte Monatszahlen ändern sich nicht mehr: Ihre Antworten bleiben darin "
            "mitgezählt, nur in Summen von mindestens {min_group} Personen."
        ),
        "en": (
            "Monthly figures already published no longer change: your answers stay counted in them, only in "
            "totals of at least {min_group} people."
        ),
    },
    "mydata.confirm_yes": {
        "nl": "Ja, verwijderen",
        "fr": "Oui, supprimer",
        "de": "Ja, löschen",
        "en": "Yes, delete",
    },
    "mydata.confirm_no": {"nl": "Nee", "fr": "Non", "de": "Nein", "en": "No"},
    "mydata.deleted": {
        "nl": "Klaar: ik heb {count} gegeven(s) over je verwijderd.",
        "fr": "C'est fait : j'ai supprimé {count} donnée(s) vous concernant.",
        "de": "Erledigt: Ich habe {count} Datensatz/Datensätze über Sie gelöscht.",
        "en": "Done: I deleted {count} item(s) about you.",
    },
    "mydata.kept": {
        "nl": "Oké, ik heb niets verwijderd.",
        "fr": "D'accord, je n'ai rien supprimé.",
        "de": "In Ordnung, ich habe nichts gelöscht.",
        "en": "OK, I deleted nothing.",
    },
    "staff.refused": {
        "nl": "Sorry, dit overzicht is voorbehouden aan {audience}.",
        "fr": "Désolé, cet aperçu est réservé à {audience}.",
        "de": "Entschuldigung, diese Übersicht ist {audience} vorbehalten.",
        "en": "Sorry, this overview is reserved for {audience}.",
    },
    "staff.audience_dri": {
        "nl": "DRI",
        "fr": "la DRI",
        "de": "der DRI",
        "en": "DRI",
    },
    "staff.audience_ambassadors": {
        "nl": "de NWOW-ambassadeurs",
        "fr": "les ambassadeurs NWOW",
        "de": "den NWOW-Botschaftern",
        "en": "the NWOW ambassadors",
    },
    "privacy.sent_privately": {
        "nl": "Dat is persoonlijk: ik stuur mijn antwoord naar ons privégesprek.",
        "fr": "C'est personnel : je vous envoie ma réponse dans notre conversation privée.",
        "de": "Das ist persönlich: Ich schicke Ihnen meine Antwort in unseren privaten Chat.",
        "en": "That is personal: I am sending my answer to our private chat.",
    },
    "privacy.ask_privately": {
        "nl": "Dat is persoonlijk: vraag het me in een privégesprek met mij.",
        "fr": "C'est personnel : demandez-le-moi dans une conversation privée avec moi.",
        "de": "Das ist persönlich: Fragen Sie mich das bitte in einem privaten Chat mit mir.",
        "en": "That is personal: please ask me in a private chat with me.",
    },
    "group.mention_hint": {
        "nl": "Noem me met @ om een vraag te stellen.",
        "fr": "Mentionnez-moi avec @ pour poser une question.",
        "de": "Erwähnen Sie mich mit @, um eine Frage zu stellen.",
        "en": "Mention me with @ to ask a question.",
    },
    "error.bad_request": {
        "nl": "Dat verzoek begreep ik niet. Probeer het opnieuw of typ 'help'.",
        "fr": "Je n'ai pas compris cette demande. Réessayez ou tapez « aide ».",
        "de": "Diese Anfrage habe ich nicht verstanden. Versuchen Sie es erneut oder tippen Sie „Hilfe“.",
        "en": "I did not understand that request. Try again or type 'help'.",
    },
}
