"""The explicit command table: typed phrases mapped to the commands they trigger.

Text is folded (case, accents, punctuation) and looked up whole: "Mijn gegevens!" is the "my data"
command, "ik heb een vraag over mijn gegevens in OneDrive" is a question for the FAQ. No substring tests.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from nwow.language import Lang, fold


class Command(StrEnum):
    HELP = "help"
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    CANCEL = "cancel"
    TOPICS = "topics"
    FEEDBACK = "feedback"
    OFFICES = "offices"
    FORGET_HOME = "offices.forget"
    MY_DATA = "mydata"
    DELETE_MY_DATA = "mydata.delete"
    SUMMARY = "summary"
    UNANSWERED = "unanswered"
    MY_QUESTIONS = "tickets.mine"
    PULSES = "pulses"


_PHRASES: Final[dict[Command, dict[Lang, tuple[str, ...]]]] = {
    Command.HELP: {
        "nl": ("help", "hulp", "wat kan je", "wat kun je", "wat kan je doen", "menu"),
        "fr": ("aide", "aidez moi", "que sais tu faire", "que pouvez vous faire"),
        "de": ("hilfe", "was kannst du", "was konnen sie"),
        "en": ("help me", "what can you do", "commands"),
    },
    Command.GREETING: {
        "nl": (
            "hallo",
            "hoi",
            "dag",
            "goeiedag",
            "goedendag",
            "goedemorgen",
            "goedemiddag",
            "goedenavond",
            "hey",
        ),
        "fr": ("bonjour", "salut", "bonsoir", "coucou"),
        "de": ("guten tag", "guten morgen", "guten abend", "servus", "moin", "hallo zusammen"),
        "en": ("hi", "hello", "good morning", "good afternoon", "good evening", "hi there"),
    },
    Command.THANKS: {
        "nl": ("bedankt", "dank je", "dank u", "dankjewel", "dank je wel", "dank u wel", "top bedankt"),
        "fr": ("merci", "merci beaucoup", "merci bien", "je vous remercie"),
        "de": ("danke", "danke schon", "vielen dank", "dankeschon"),
        "en": ("thanks", "thank you", "thx", "cheers", "thanks a lot"),
    },
    Command.GOODBYE: {
        "nl": ("tot ziens", "doei", "dag en bedankt", "tot later"),
        "fr": ("au revoir", "a bientot", "a plus"),
        "de": ("auf wiedersehen", "tschuss", "bis spater"),
        "en": ("bye", "goodbye", "see you"),
    },
    Command.CANCEL: {
        "nl": ("annuleer", "annuleren", "stop", "stoppen"),
        "fr": ("annuler", "arreter", "arrete"),
        "de": ("abbrechen", "abbruch"),
        "en": ("cancel", "quit"),
    },
    Command.TOPICS: {
        "nl": ("onderwerpen", "thema's", "themas", "onderwerpen bekijken"),
        "fr": ("themes", "sujets", "parcourir les themes"),
        "de": ("themen", "themen ansehen"),
        "en": ("topics", "browse topics"),
    },
    Command.FEEDBACK: {
        "nl": ("feedback", "feedback geven", "mening", "mijn mening", "enquete"),
        "fr": ("avis", "donner mon avis", "mon avis", "retour", "sondage"),
        "de": ("feedback geben", "meinung", "umfrage", "ruckmeldung"),
        "en": ("give feedback", "survey"),
    },
    Command.OFFICES: {
        "nl": ("satellietkantoor", "satellietkantoren", "satellietkantoor zoeken", "kantoor dicht bij huis"),
        "fr": ("bureau satellite", "bureaux satellites", "trouver un bureau satellite"),
        "de": ("satellitenburo", "satellitenburos", "satellitenburo finden"),
        "en": ("satellite office", "satellite offices", "find a satellite office"),
    },
    Command.FORGET_HOME: {
        "nl": ("vergeet mijn thuisgebied", "vergeet mijn woonplaats"),
        "fr": ("oublie ma region", "oubliez ma region", "oublie mon domicile"),
        "de": ("vergiss mein wohngebiet", "wohngebiet vergessen"),
        "en": ("forget my home area", "forget my home"),
    },
    Command.MY_DATA: {
        "nl": ("mijn gegevens", "mijn data", "wat weet je over mij", "privacy"),
        "fr": ("mes donnees", "mes informations", "vie privee"),
        "de": ("meine daten", "datenschutz"),
        "en": ("my data", "what do you know about me"),
    },
    Command.DELETE_MY_DATA: {
        "nl": ("verwijder mijn gegevens", "wis mijn gegevens", "mijn gegevens verwijderen"),
        "fr": ("supprimer mes donnees", "supprime mes donnees", "effacer mes donnees"),
        "de": ("meine daten loschen", "losche meine daten", "daten loschen"),
        "en": ("delete my data", "erase my data", "forget me"),
    },
    Command.SUMMARY: {
        "nl": ("samenvatting",),
        "fr": ("resume",),
        "de": ("zusammenfassung",),
        "en": ("summary",),
    },
    Command.UNANSWERED: {
        "nl": ("onbeantwoord", "onbeantwoorde vragen"),
        "fr": ("sans reponse", "questions sans reponse"),
        "de": ("unbeantwortet", "unbeantwortete fragen"),
        "en": ("unanswered", "unanswered questions"),
    },
    Command.MY_QUESTIONS: {
        "nl": ("mijn vragen", "mijn tickets"),
        "fr": ("mes questions",),
        "de": ("meine fragen",),
        "en": ("my questions", "my tickets"),
    },
    Command.PULSES: {
        "nl": ("bevragingen", "peilingen"),
        "fr": ("enquetes", "sondages"),
        "de": ("umfragen",),
        "en": ("pulses", "pulse status"),
    },
}

# Words people use whatever language they speak: the reply follows the client's locale instead.
_SHARED: Final = frozenset({"help", "feedback", "hallo", "stop", "privacy", "menu", "merci", "survey"})

_NOT_WORD = re.compile(r"[^\w']+")


def normalize_command_text(text: str) -> str:
    """Fold case and accents, drop punctuation and extra spaces: ' Mes données ! ' -> 'mes donnees'."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split()).strip("'")


def _build_table() -> dict[str, tuple[Command, Lang]]:
    table: dict[str, tuple[Command, Lang]] = {}
    for command, by_lang in _PHRASES.items():
        for lang, phrases in by_lang.items():
            for phrase in phrases:
                key = normalize_command_text(phrase)
                if key in table and table[key][0] is not command:
                    raise ValueError(f"phrase {phrase!r} is claimed by {table[key][0]} and {command}")
                table.setdefault(key, (command, lang))
    return table


COMMAND_TABLE: Final[dict[str, tuple[Command, Lang]]] = _build_table()


def lookup_command(text: str) -> tuple[Command, Lang | None] | None:
    """The command `text` is, with the language of its phrase (None for words every language uses)."""
    key = normalize_command_text(text)
    found = COMMAND_TABLE.get(key)
    if found is None:
        return None
    return found[0], None if key in _SHARED else found[1]
