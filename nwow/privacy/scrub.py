"""Scrub personal data from free text (comments, escalated questions) before DRI or a report shows it.

What is replaced, each by a bracketed placeholder in the reader's language:
- e-mail addresses;
- runs of 9 or more digits, with or without dots, dashes or spaces between them: Belgian national register
  numbers (YY.MM.DD-XXX.CC), badge and account numbers (a date or a time has fewer digits);
- phone numbers (Belgian +32 / 0032 / 0 prefixed, mobile 04xx, and international +NN numbers);
- person names: after an introducing phrase ("mijn naam is", "je m'appelle", "ich heiße", "my name is",
  "collega", "monsieur", "Herr", ...) and pairs of capitalised words that are not at a sentence start and
  not known product or organisation words (Microsoft Teams, Police On Web, ...).

It errs on the side of scrubbing: a product name written as two capitalised words that the list does not
know is scrubbed too. It is a safeguard, not a guarantee; reports still show free text only for groups of
at least the minimum size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from nwow.language import Lang

__all__ = ["Scrubbed", "scrub_personal_data"]

PLACEHOLDERS: Final[dict[str, dict[Lang, str]]] = {
    "email": {"nl": "[e-mail]", "fr": "[e-mail]", "de": "[E-Mail]", "en": "[e-mail]"},
    "phone": {"nl": "[telefoon]", "fr": "[téléphone]", "de": "[Telefon]", "en": "[phone]"},
    "id": {"nl": "[nummer]", "fr": "[numéro]", "de": "[Nummer]", "en": "[number]"},
    "name": {"nl": "[naam]", "fr": "[nom]", "de": "[Name]", "en": "[name]"},
}

# Longest text scrubbed (the rest is dropped): comments and questions are clipped below this when stored.
MAX_LENGTH: Final = 2_000

_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_PHONE = re.compile(r"(?<![\w+.])(?:(?:\+|00)\d{2}[\s./-]?\(?0?\)?|0)\d{1,3}(?:[\s./-]?\d{2,3}){2,4}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.-]?\d){8,}(?!\d)")
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+"
_INTRODUCED = re.compile(
    r"(?i:\b(?:mijn naam is|ik ben|ik heet|collega|mevrouw|meneer|dhr\.?|mevr\.?|je m'appelle|je suis|"
    r"mon nom est|mon collègue|ma collègue|monsieur|madame|m\.|mme|ich heiße|ich bin|mein name ist|"
    r"kollege|kollegin|herr|frau|my name is|i am|i'm|colleague|mr\.?|mrs\.?|ms\.?)\s+)"
    rf"({_NAME_WORD}(?:\s+(?:van|de|der|den|le|la|von|du)?\s*{_NAME_WORD}){{0,2}})"
)
_CAPITALISED_PAIR = re.compile(rf"(?<![.!?:]\s)(?<!^)\b({_NAME_WORD})\s+({_NAME_WORD})\b")

# Capitalised words that are products, places or organisations staff write about, not people.
KNOWN_WORDS: Final = frozenset(
    w.casefold()
    for w in [
        "Microsoft",
        "Teams",
        "Yammer",
        "Viva",
        "Engage",
        "Office",
        "Outlook",
        "OneDrive",
        "SharePoint",
        "Stream",
        "Word",
        "Excel",
        "PowerPoint",
        "Windows",
        "Police",
        "On",
        "Web",
        "WiKiPol",
        "PolNews",
        "PolDoc",
        "BeSecure",
        "Portal",
        "Lite",
        "Forms",
        "Planner",
        "Authenticator",
        "Federale",
        "Fédérale",
        "Politie",
        "Police",
        "Polizei",
        "Federal",
        "Lokale",
        "Locale",
        "Integrated",
        "Geïntegreerde",
        "Intégrée",
        "DRI",
        "ISPO",
        "ISLP",
        "CALog",
        "GPI",
        "NWOW",
        "New",
        "Way",
        "Working",
        "Nieuwe",
        "Werken",
        "Brussel",
        "Bruxelles",
        "Brüssel",
        "Brussels",
        "Antwerpen",
        "Anvers",
        "Gent",
        "Gand",
        "Brugge",
        "Bruges",
        "Namen",
        "Namur",
        "Luik",
        "Liège",
        "Lüttich",
        "Bergen",
        "Mons",
        "Hasselt",
        "Leuven",
        "Louvain",
        "Eupen",
        "Kortrijk",
        "Courtrai",
        "Vlaanderen",
        "Flandre",
        "Wallonie",
        "Wallonië",
        "Henegouwen",
        "Hainaut",
        "Limburg",
        "Luxemburg",
        "Luxembourg",
        "Waals",
        "Brabant",
        "Oost",
        "West",
        "Vlaams",
        "Flamand",
        "Google",
        "Android",
        "Apple",
        "iPhone",
        "Samsung",
        "Cisco",
        "Zoom",
        "Skype",
        "Signal",
        "WhatsApp",
        "Citrix",
        "Chrome",
        "Edge",
        "Firefox",
        "Covid",
        "Corona",
        "CROSS-COVID",
        "Maandag",
        "Dinsdag",
        "Woensdag",
        "Donderdag",
        "Vrijdag",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Hallo",
        "Bonjour",
        "Goedemorgen",
        "Dag",
        "Beste",
        "Cher",
        "Chère",
        "Liebe",
        "Lieber",
        "Dear",
        "Hi",
        "Hello",
        "Dank",
        "Merci",
        "Danke",
        "Thanks",
    ]
)


@dataclass(frozen=True)
class Scrubbed:
    text: str
    replaced: int

    @property
    def changed(self) -> bool:
        return self.replaced > 0


def scrub_personal_data(text: str, lang: Lang = "nl") -> Scrubbed:
    """`text` with e-mail addresses, long numbers (national register, badge), phone numbers and person
    names replaced by placeholders in `lang`; and how many were replaced."""
    text = text[:MAX_LENGTH]
    count = 0

    def placeholder(kind: str) -> str:
        nonlocal count
        count += 1
        return PLACEHOLDERS[kind][lang]

    text = _EMAIL.sub(lambda _m: placeholder("email"), text)
    text = _PHONE.sub(lambda _m: placeholder("phone"), text)
    text = _LONG_NUMBER.sub(lambda _m: placeholder("id"), text)
    text = _INTRODUCED.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + placeholder("name"), text)

    def pair(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        if first.casefold() in KNOWN_WORDS or second.casefold() in KNOWN_WORDS:
            return match.group(0)
        return placeholder("name")

    text = _CAPITALISED_PAIR.sub(pair, text)
    return Scrubbed(text, count)
