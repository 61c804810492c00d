"""Recognise "where is the nearest satellite office?" questions and the place they name, in 4 languages."""

from __future__ import annotations

import re
from typing import Final

from nwow.language import fold
from nwow.offices.model import Province
from nwow.offices.places import PlaceIndex, default_place_index, normalize_place

__all__ = ["extract_place", "extract_province", "is_forget_home_request", "is_office_question"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Matched on folded text (lower case, no accents).
_OFFICE_QUESTION: Final = re.compile(
    r"satelli"  # satellietkantoor, satelliet-kantoor, satellite, bureau satellite, Satellitenbüro
    r"|\b(?:kantoor|kantoren|werkplek|werkplekken)\b.{0,30}"
    r"\b(?:dicht\s*bij|dichtbij|vlakbij|in de buurt|nabij)\b"
    r"|\bdichtstbijzijnde\s+(?:kantoor|werkplek)"
    r"|\bbureaux?\b.{0,30}"
    r"\b(?:pres de chez|proche de chez|le plus proche|les plus proches|pres de|proches? de)\b"
    r"|\b(?:buro|bueros?|buros|arbeitsplatz)\b.{0,30}\b(?:in der nahe|nahe|nachste|nachstgelegene)\b"
    r"|\b(?:nachste|nachstgelegene)[ns]?\s+(?:buro|arbeitsplatz)"
    r"|\b(?:office|offices|workplace|desk)\b.{0,30}\b(?:near|close to|closest|nearest)\b"
    r"|\b(?:nearest|closest)\s+(?:office|workplace|desk)"
    r"|\bwork(?:ing)?\s+(?:near|close to)\s+(?:home|my home)"
)

_FORGET_HOME: Final = re.compile(
    r"\bvergeet\b.{0,20}\b(?:thuis|woonplaats|gemeente|regio|buurt)"
    r"|\boubli\w*\b.{0,20}\b(?:domicile|commune|region|zone|lieu)"
    r"|\bvergiss\w*\b.{0,20}\b(?:wohnort|gemeinde|region|zuhause)"
    r"|\bforget\b.{0,20}\b(?:home|area|place|town)"
)

# Words of office questions that are never the place, folded. Some are also place names ('As', 'Ham').
_NOT_A_PLACE: Final = _words(
    """
    waar is het de een dichtstbijzijnde dichtste satellietkantoor satellietkantoren satelliet kantoor kantoren
    werkplek werken werk thuis huis mijn mij me ik bij nabij in buurt dichtbij vlakbij rond te van voor op aan
    welk welke wat hoe zijn er een graag aub alstublieft dank kan kun
    ou est le la les un une des du de bureau bureaux satellite satellites pres proche plus chez moi mon ma
    a au aux dans autour region pour travailler quel quels quelle svp merci
    wo ist das der die den dem ein eine nachste nachstgelegene satellitenburo satellitenbueros buro buros
    nahe von bei im in um zu hause mein meine mir arbeiten arbeitsplatz bitte danke gibt es
    where is the a an nearest closest satellite office offices near close to at around home my me i work
    working please thanks can which what
    as ham boom peer lens mont bree op
    """
)

# Words after which the place usually comes.
_PREPOSITIONS: Final = _words(
    "bij nabij rond te in naar vlakbij dichtbij van pres de a autour dans near to at around bei von um nahe"
)

# Words that ask for a list of a province's offices rather than the nearest ones.
_LISTING: Final = _words("alle lijst overzicht provincie tous toutes liste province provinz all list every")

_WORD: Final = re.compile(r"[^\W_](?:[\w'’\-]*\w)?")
_POSTAL_CODE: Final = re.compile(r"(?<!\d)[1-9]\d{3}(?!\d)")
_MAX_NAME_WORDS: Final = 4


def is_office_question(text: str) -> bool:
    """Whether `text` asks for a (nearest) satellite office, in Dutch, French, German or English."""
    return _OFFICE_QUESTION.search(fold(text)) is not None


def is_forget_home_request(text: str) -> bool:
    """Whether `text` asks the bot to forget the remembered home area ('vergeet mijn woonplaats')."""
    return _FORGET_HOME.search(fold(text)) is not None


def extract_place(question: str, index: PlaceIndex | None = None) -> str | None:
    """The place named in a free question, as written: a postal code, a place name, or a misspelt name after
    a preposition ('... bij Gnet') that resolves to something; None when the question names no place."""
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

    for position in range(len(words) - 1, -1, -1):
        if folded[position] not in _PREPOSITIONS:
            continue
        tail = [
            w
            for w, f in zip(words[position + 1 :], folded[position + 1 :], strict=True)
            if f not in _NOT_A_PLACE
        ]
        if not tail:
            continue
        text = question[tail[0].start() : tail[min(len(tail), _MAX_NAME_WORDS) - 1].end()]
        if places.resolve(text).status != "unknown":
            return text
    return None


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
