"""Recognise "where is the nearest satellite office?" questions and the place they name, in 4 languages."""

from __future__ import annotations

import re
from typing import Final

from nwow.language import fold, word_set
from nwow.offices.model import Province
from nwow.offices.places import PlaceIndex, built_place_index, default_place_index, normalize_place

__all__ = ["extract_place", "extract_province", "is_forget_home_request", "is_office_question"]


# Matched on folded text (lower case, no accents).
_SATELLITE: Final = re.compile(r"satelli")  # satellietkantoor, satellite, bureau satellite, Satellitenbüro
_OFFICE_WORD: Final = re.compile(
    r"\b(?:kantoor|kantoren|werkplek\w*|bureaux?|buros?|bueros?|arbeitsplatz\w*|offices?|workplaces?|desks?)\b"
)
# Asking where, or for the nearest: what tells "where is the nearest satellite office?" from "what is one?".
_WHERE: Final = re.compile(
    r"\b(?:waar|dichtstbijzijnde|dichtste?|dichtbij|dicht bij|in de buurt|nabij|vlakbij|zoek\w*|vind\w*"
    r"|ou (?:est|sont|se trouve\w*|trouver|puis|peut)|plus proches?|pres|proches?|trouver"
    r"|wo|nachste\w*|nachstgelegen\w*|nahe|finden|such\w*"
    r"|where|nearest|closest|near|close to|find)\b"
)

_FORGET_HOME: Final = re.compile(
    r"\bvergeet\b.{0,20}\b(?:thuis|woonplaats|gemeente|regio|buurt)"
    r"|\boubli\w*\b.{0,20}\b(?:domicile|commune|region|zone|lieu)"
    r"|\bvergiss\w*\b.{0,20}\b(?:wohnort|gemeinde|region|zuhause)"
    r"|\bforget\b.{0,20}\b(?:home|area|place|town)"
)

# Words of office questions that are never the place, folded. Some are also place names ('As', 'Ham').
_NOT_A_PLACE: Final = word_set(
    """
    waar is het de een dichtstbijzijnde dichtste dichtst satellietkantoor satellietkantoren satelliet kantoor kantoren
    werkplek werken werk thuis huis mijn mij me ik bij nabij in buurt dichtbij vlakbij rond te van voor op aan
    welk welke wat hoe zijn er een graag aub alstublieft dank kan kun
    ou est le la les un une des du de bureau bureaux satellite satellites pres proche plus chez moi mon ma
    a au aux dans autour region pour travailler quel quels quelle svp merci
    wo ist das der die den dem ein eine nachste nachstgelegene satellitenburo satellitenbueros buro buros
    nahe von bei im in um zu hause mein meine mir arbeiten arbeitsplatz bitte danke gibt es
    where is the a an nearest closest satellite office offices near close to at around home my me i work
    working please thanks can which what there
    einem einer einen eines meinem meiner meinen unserem unserer ihrem ihrer
    mijn onze ons jouw uw notre nos votre vos mon ma mes
    as ham boom peer lens mont bree op
    """
)

# Words after which the place usually comes.
_PREPOSITIONS: Final = word_set(
    "bij nabij rond te in naar vlakbij dichtbij van pres de a autour dans near to at around bei von um nahe"
)

# Words that ask for a list of a province's offices rather than the nearest ones.
_LISTING: Final = word_set("alle lijst overzicht provincie tous toutes liste province provinz all list every")

_WORD: Final = re.compile(r"[^\W_](?:[\w'’\-]*\w)?")
_POSTAL_CODE: Final = re.compile(r"(?<!\d)[1-9]\d{3}(?!\d)")
_MAX_NAME_WORDS: Final = 4


def is_office_question(text: str) -> bool:
    """Whether `text` asks where a satellite office is, or for the nearest, in Dutch, French, German or
    English: an office word with a "where / nearest / near" word or a postal code ('waar is het
    dichtstbijzijnde satellietkantoor', 'bureau le plus proche de chez moi', 'office near 3000'), or a
    satellite-office word with a place or a list request ('satellietkantoor Gent', 'alle satellietkantoren in
    Henegouwen'). Questions about what satellite offices are or how to use them are left to the FAQ."""
    folded = fold(text)
    satellite = _SATELLITE.search(folded) is not None
    if not satellite and _OFFICE_WORD.search(folded) is None:
        return False
    if _WHERE.search(folded) or _POSTAL_CODE.search(text):
        return True
    if not satellite:
        return False
    words = {normalize_place(w.group()) for w in _WORD.finditer(text)}
    if _LISTING & words:
        return True
    index = built_place_index()
    if index is not None:
        return extract_place(text, index, guess=False) is not None
    # The index is not built yet (it is at start-up): a capitalised word after the keyword stands in.
    return re.search(r"(?i:satelli)\w*\W+(?:\w+\W+)?[A-ZÀ-Ý]", text) is not None


def is_forget_home_request(text: str) -> bool:
    """Whether `text` asks the bot to forget the remembered home area ('vergeet mijn woonplaats')."""
    return _FORGET_HOME.search(fold(text)) is not None


def extract_place(question: str, index: PlaceIndex | None = None, *, guess: bool = True) -> str | None:
    """The place named in a free question, as written: a postal code or a known place name; with `guess`,
    also the words after the last preposition when they come close to a place ('... bij Gnet', a typo the
    dialog then asks about). None when the question names no place."""
    code = _POSTAL_CODE.search(question)
    if code is not None:
        return code.group()
    places = index or default_place_index()
    words = list(_WORD.finditer(question))
    folded = [normalize_place(w.group()) for w in words]

    best: tuple[int, int, int, str] | None = None  # (after a preposition, length, start, text)
    for start in range(len(words)):
        for length in range(min(_MAX_NAME_WORDS, len(words) - start), 0, -1):
            span = folded[start : start + length]
            if all(word in _NOT_A_PLACE for word in span):
                continue
            text = question[words[start].start() : words[start + length - 1].end()]
            if not places.exact(text):
                continue
            after_preposition = int(start > 0 and folded[start - 1] in _PREPOSITIONS)
            rank = (after_preposition, length, start, text)
            if best is None or rank[:3] > best[:3]:
                best = rank
            break
    if best is not None:
        return best[3]
    if not guess:
        return None

    last = max((i for i, word in enumerate(folded) if word in _PREPOSITIONS), default=None)
    if last is None:
        return None
    tail = [w for w, f in zip(words[last + 1 :], folded[last + 1 :], strict=True) if f not in _NOT_A_PLACE]
    if not tail or len(tail) > _MAX_NAME_WORDS:
        return None
    text = question[tail[0].start() : tail[-1].end()]
    return text if places.resolve(text).status != "unknown" else None


def extract_province(question: str, index: PlaceIndex | None = None) -> Province | None:
    """The province whose offices the question asks to list ('alle satellietkantoren in Henegouwen',
    'tous les bureaux satellites de la province de Liège'); None when it asks for the nearest ones."""
    words = list(_WORD.finditer(question))
    folded = [normalize_place(w.group()) for w in words]
    if not _LISTING.intersection(folded):
        return None
    places = index or default_place_index()
    for length in range(min(_MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - length + 1):
            text = question[words[start].start() : words[start + length - 1].end()]
            if all(word in _NOT_A_PLACE or word in _LISTING for word in folded[start : start + length]):
                continue
            province = places.province(text)
            if province is not None:
                return province
    return None
