"""Understand office questions in Dutch, French, German and English: is it one, and which place or province.

A message is an office question when it combines concepts (vocabulary.py): an office or place-to-work
word with a "near / where" word, a place, a province or a postal code ('bureau satellite Hainaut',
'Satellitenbüro in der Nähe von Lüttich', 'satellietkantoor Kortrjik'); or working with "near / where" and
a place ('waar kan ik werken dicht bij Brugge'). Words are compared folded (case, accents), in any order;
places and provinces come from the place index, in every national language, with typos. Questions about
what satellite offices are or how to use them name no place and are left to the FAQ.

`understand` says what the finder should do: list a province's offices, answer for a place, or ask which
one was meant (a typo, a name several places share, a name that is a province and a town elsewhere).
The cost is bounded whatever the text: only its first MAX_CHARS characters and MAX_WORDS words are read,
and only a few spans are compared approximately.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz, process

from nwow.language import LANGS, Lang, detect_language, fold
from nwow.offices import vocabulary as v
from nwow.offices.model import Place, PlaceResolution, Province, ResolutionStatus
from nwow.offices.places import (
    PlaceIndex,
    built_place_index,
    default_place_index,
    normalize_place,
    strip_province_prefix,
)

__all__ = [
    "OfficeQuery",
    "extract_place",
    "extract_province",
    "is_forget_home_request",
    "is_office_question",
    "office_language",
    "understand",
]

MAX_CHARS: Final = 400
MAX_WORDS: Final = 60
_MAX_NAME_WORDS: Final = 4
# Spans compared approximately with the place names, at most (each costs about a millisecond).
_MAX_FUZZY_SPANS: Final = 4
# A misspelt place makes a message an office question when it comes this close (0-100; one letter
# wrong in a name of five or more) ...
TYPO_INTENT_SCORE: Final = 85.0
# ... and is offered as "did you mean?" in a question with an office and a "near" word when it comes this
# close ('satellietkantoor dicht bij Gnet').
TYPO_SUGGEST_SCORE: Final = 75.0
# Misspelt places are looked for in words of at least this many letters.
_MIN_TYPO_LENGTH: Final = 4
_OFFICE_TYPO_SCORE: Final = 88.0
_MIN_OFFICE_TYPO_LENGTH: Final = 6

_WORD: Final = re.compile(r"[^\W_](?:[\w'’\-]*\w)?")
_POSTAL_CODE: Final = re.compile(r"^[1-9]\d{3}$")
# Numbers that are more often a year than a postal code ('satellietkantoren in 2020').
_YEARS: Final = range(1990, 2040)

_FORGET_HOME: Final = re.compile(
    r"\bvergeet\b.{0,20}\b(?:thuis|woonplaats|gemeente|regio|buurt)"
    r"|\boubli\w*\b.{0,20}\b(?:domicile|commune|region|zone|lieu)"
    r"|\bvergiss\w*\b.{0,20}\b(?:wohnort|gemeinde|region|zuhause)"
    r"|\bforget\b.{0,20}\b(?:home|area|place|town)"
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    key: str  # normalised: 'Sint-Niklaas' -> 'sint niklaas'
    word: str  # as written
    capital: bool

    @property
    def raw(self) -> str:
        """Lower case, accents kept ('où')."""
        return self.word.lower()

    @property
    def parts(self) -> list[str]:
        return self.key.split()


@dataclass(frozen=True)
class OfficeQuery:
    """What a message asks of the office finder.

    - `provinces` with no place: list that province's offices (several: ask which province);
    - `provinces` and `place`: the name is a province and a place elsewhere (Limburg): ask which;
    - `place` alone: its nearest offices when found, else "which place did you mean?" (also when
      `confirm`: the place was guessed from a typo in a free question);
    - neither: ask for the place (or use the remembered home area).
    """

    is_office_question: bool
    provinces: tuple[Province, ...] = ()
    place: PlaceResolution | None = None
    confirm: bool = False
    listing: bool = False
    query: str = ""  # the words that named the province or place, as written

    @property
    def choice(self) -> PlaceResolution:
        """The "which one?" question: the words, and the places to offer (the provinces come apart)."""
        status: ResolutionStatus = "unknown" if not self.places and not self.provinces else "ambiguous"
        return PlaceResolution(
            status, self.query, suggestions=tuple(p.label for p in self.places), candidates=self.places
        )

    @property
    def places(self) -> tuple[Place, ...]:
        """The places to choose from when the finder has to ask (best first)."""
        if self.place is None:
            return ()
        if self.place.place is not None:
            rest = tuple(p for p in self.place.candidates if p != self.place.place)
            return (self.place.place, *rest)
        return self.place.candidates

    @property
    def needs_choice(self) -> bool:
        """Whether the finder must ask which province or place was meant before answering."""
        if len(self.provinces) > 1 or (self.provinces and self.place is not None):
            return True
        return self.place is not None and (self.place.place is None or self.confirm)


@dataclass(frozen=True)
class _Concepts:
    office: tuple[int, ...]  # positions of office words
    satellite: bool
    work: bool
    near: bool
    listing: bool
    province_word: bool


@dataclass(frozen=True)
class _Found:
    """A place or province named by the words [start, end)."""

    start: int
    end: int
    rank: tuple[int, int, int]
    text: str
    places: tuple[Place, ...] = ()
    provinces: tuple[Province, ...] = ()


def understand(text: str, index: PlaceIndex | None = None, *, answering: bool = False) -> OfficeQuery:
    """What `text` asks of the office finder (see OfficeQuery); `is_office_question` False when nothing.

    `answering`: the text answers "where would you like to work?" ('Limburg', 'bij Brugge', 'Kortrjik'):
    the office question is given, every word may be the place, and a clear typo is taken without asking.
    """
    places = index or default_place_index()
    tokens = _tokens(text)
    concepts = _concepts(tokens)
    if answering:
        return _answer(tokens, concepts, places)
    if not concepts.office and not concepts.work:
        return OfficeQuery(False)
    anchors = _anchors(tokens, concepts)
    postal = _postal_code(tokens, concepts, places)
    province = None if postal else _province(tokens, anchors, places)
    place = postal or _exact_place(tokens, anchors, places)
    has_target = province is not None or place is not None
    office_intent = bool(concepts.office) and (concepts.near or has_target)
    work_intent = concepts.work and concepts.near and has_target
    if not has_target and (concepts.office or concepts.work):
        lenient = concepts.near and bool(concepts.office)
        typo = _typo_place(tokens, concepts, places, TYPO_SUGGEST_SCORE if lenient else TYPO_INTENT_SCORE)
        if typo is not None and (concepts.office or concepts.near):
            return OfficeQuery(
                True, place=typo, confirm=typo.score < 100, listing=concepts.listing, query=typo.query
            )
    if not (office_intent or work_intent):
        return OfficeQuery(False)
    return _decide(province, place, concepts)


def _answer(tokens: Sequence[_Token], concepts: _Concepts, places: PlaceIndex) -> OfficeQuery:
    anchors = frozenset(range(len(tokens)))
    short = len(tokens) <= _MAX_NAME_WORDS
    postal = _postal_code(tokens, concepts, places)
    province = None if postal else _province(tokens, anchors, places)
    place = postal or _exact_place(tokens, anchors, places, lenient=short)
    if province is not None or place is not None:
        return _decide(province, place, concepts)
    text = (
        " ".join(t.key for t in tokens if t.key not in v.NOT_A_PLACE)
        if not short
        else _original(tokens, 0, len(tokens))
    )
    if not text:
        return OfficeQuery(True)
    resolution = places.resolve(text)
    if resolution.status == "unknown" and not short:
        typo = _typo_place(tokens, concepts, places, TYPO_SUGGEST_SCORE)
        if typo is None:
            return OfficeQuery(True)
        resolution = typo
    return OfficeQuery(True, place=resolution, query=resolution.query)


def _decide(province: _Found | None, place: _Found | None, concepts: _Concepts) -> OfficeQuery:
    """A province and a place named: which one the question means, or both to ask about."""
    listing = concepts.listing
    if place is not None and (province is None or (place.places and place.places[0].kind == "postal_code")):
        return OfficeQuery(True, place=_resolution(place), listing=listing, query=place.text)
    if province is None:
        return OfficeQuery(True, listing=listing)
    in_province = OfficeQuery(True, provinces=province.provinces, listing=listing, query=province.text)
    if place is None:
        return in_province
    ids = {q.id for q in province.provinces}
    inside = all(p.province_id in ids for p in place.places)
    at_place = OfficeQuery(True, place=_resolution(place), listing=listing, query=place.text)
    if (place.start, place.end) != (province.start, province.end):
        # 'in Limburg dicht bij Genk': the place, more precise, when it lies in that province.
        return at_place if inside and not listing else in_province
    if concepts.province_word or listing:
        return in_province
    if inside:
        # Namur, Liège, Antwerpen: the town (its card offers the province's list).
        return at_place
    # Limburg (the province, or the town in the province of Liège), Luxembourg (the province or the city).
    return OfficeQuery(
        True, provinces=province.provinces, place=_resolution(place), listing=listing, query=place.text
    )


def _resolution(found: _Found) -> PlaceResolution:
    preferred = tuple(p for p in found.places if p.kind in ("municipality", "abroad")) or found.places
    query = found.text
    if len(preferred) == 1:
        return PlaceResolution("found", query, preferred[0], candidates=preferred, score=100.0)
    ordered = tuple(sorted(preferred, key=lambda p: p.label))
    return PlaceResolution(
        "ambiguous", query, suggestions=tuple(p.label for p in ordered), candidates=ordered, score=100.0
    )


def is_office_question(text: str) -> bool:
    """Whether `text` asks where a satellite office (or any place to work) is near a place, or which
    offices a province has, in Dutch, French, German or English (see the module's docstring)."""
    index = built_place_index()
    if index is not None:
        return understand(text, index).is_office_question
    # The index is not built yet (it is at start-up): the concepts alone, a capital word standing in for
    # a place.
    tokens = _tokens(text)
    concepts = _concepts(tokens)
    if not concepts.office:
        return False
    if concepts.near or any(t.key.isdigit() and len(t.key) == 4 for t in tokens):
        return True
    return any(t.capital and t.key not in v.NOT_A_PLACE for t in tokens[1:])


def office_language(text: str, hint: str | None = None, index: PlaceIndex | None = None) -> Lang:
    """The language an office question is written in: the language detector, with the office words and
    the names of places and provinces as evidence ('Henegouwen' is Dutch, 'Hennegau' German, 'Ghent'
    English); `hint` (the client's locale) decides when the text says nothing."""
    places = index or built_place_index()
    vocabulary: dict[Lang, set[str]] = {lang: set(words) for lang, words in v.LANGUAGE_WORDS.items()}
    if places is not None:
        tokens = _tokens(text)
        for start, end in _spans(tokens):
            name = _span_text(tokens, start, end)
            for lang, names in _names_by_language(name, places).items():
                if names:
                    vocabulary[lang].update(name.split())
    return detect_language(text, hint, vocabulary=vocabulary)


def _names_by_language(key: str, places: PlaceIndex) -> dict[Lang, bool]:
    """Which languages call something `key`: a province ('henegouwen': nl) or a place ('gand': fr), when
    not all four do."""
    found: dict[Lang, bool] = dict.fromkeys(LANGS, False)
    for province in places.provinces_named(key):
        for lang in LANGS:
            name = province.names.get(lang, "")
            if name and key in (normalize_place(name), strip_province_prefix(normalize_place(name))):
                found[lang] = True
    for place in places.named(key)[:3]:
        for lang in LANGS:
            if normalize_place(place.names.get(lang, "")) == key:
                found[lang] = True
    return found if not all(found.values()) else dict.fromkeys(LANGS, False)


def is_forget_home_request(text: str) -> bool:
    """Whether `text` asks the bot to forget the remembered home area ('vergeet mijn woonplaats')."""
    return _FORGET_HOME.search(fold(text)) is not None


def extract_place(question: str, index: PlaceIndex | None = None, *, guess: bool = True) -> str | None:
    """The place named in a free question, as written ('Gent', '3000', 'St. Vith'); with `guess`, also a
    typo ('Gnet'). None when it names none (or names a province)."""
    places = index or default_place_index()
    tokens = _tokens(question)
    concepts = _concepts(tokens)
    anchors = _anchors(tokens, concepts)
    found = _postal_code(tokens, concepts, places) or _exact_place(tokens, anchors, places)
    if found is None and guess:
        typo = _typo_place(tokens, concepts, places, TYPO_SUGGEST_SCORE)
        return typo.query if typo is not None else None
    if found is None:
        return None
    return question[tokens[found.start].start : tokens[found.end - 1].end]


def extract_province(question: str, index: PlaceIndex | None = None) -> Province | None:
    """The one province whose offices the question asks to list ('alle satellietkantoren in Henegouwen',
    'bureau satellite Hainaut'); None when it asks for the nearest offices to a place."""
    query = understand(question, index)
    if query.is_office_question and len(query.provinces) == 1 and query.place is None:
        return query.provinces[0]
    return None


# --- reading the words ------------------------------------------------------------------------------


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    for match in _WORD.finditer(text[:MAX_CHARS]):
        word = match.group()
        key = normalize_place(word)
        if key:
            found.append(_Token(match.start(), match.end(), key, word, word[:1].isupper()))
        if len(found) >= MAX_WORDS:
            break
    return found


def _concepts(tokens: Sequence[_Token]) -> _Concepts:
    keys = [t.key for t in tokens]
    office: list[int] = []
    satellite = False
    for i, token in enumerate(tokens):
        for part in token.parts:
            if v.SATELLITE.match(part):
                satellite = True
                office.append(i)
                break
            if _is_office_word(part, keys, i):
                office.append(i)
                break
    for phrase in v.OFFICE_PHRASES:
        office.extend(end - 1 for end in _phrase_ends(keys, phrase))
    near = any(t.key in v.NEAR_WORDS or t.raw in v.WHERE_UNFOLDED for t in tokens) or any(
        _phrase_ends(keys, phrase) for phrase in v.NEAR_PHRASES
    )
    plural = any(
        part in v.PLURAL_OFFICE_WORDS or part.endswith("kantoren") for t in tokens for part in t.parts
    )
    listing = any(k in v.LIST_WORDS for k in keys) or (plural and not near)
    return _Concepts(
        office=tuple(sorted(set(office))),
        satellite=satellite,
        work=any(k in v.WORK_WORDS for k in keys),
        near=near,
        listing=listing,
        province_word=any(k in v.PROVINCE_WORDS for k in keys),
    )


def _is_office_word(part: str, keys: Sequence[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    if part in v.NOT_OFFICE_WORDS or before in v.NOT_OFFICE_BEFORE or after in v.NOT_OFFICE_AFTER:
        return False
    if part in v.OFFICE_WORDS:
        return not (
            part == "bureau"
            and (after in v.NOT_OFFICE_BUREAU_AFTER or (after == "a" and _at(keys, i + 2) == "distance"))
        )
    if part.endswith(v.OFFICE_ENDINGS) and not part.startswith(v.NOT_OFFICE_STARTS):
        return True
    if len(part) < _MIN_OFFICE_TYPO_LENGTH:
        return False
    return (
        process.extractOne(part, v.OFFICE_TYPO_TARGETS, scorer=fuzz.ratio, score_cutoff=_OFFICE_TYPO_SCORE)
        is not None
    )


def _at(keys: Sequence[str], i: int) -> str:
    return keys[i] if 0 <= i < len(keys) else ""


def _phrase_ends(keys: Sequence[str], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [i + n for i in range(len(keys) - n + 1) if tuple(keys[i : i + n]) == phrase]


def _anchors(tokens: Sequence[_Token], concepts: _Concepts) -> frozenset[int]:
    """Positions where a place is expected: after a preposition, or right after an office word."""
    after_preposition = {
        i + 1 for i, t in enumerate(tokens) if t.key in v.PREPOSITIONS or t.key in v.NEAR_WORDS
    }
    after_office = {i + 1 for i in concepts.office}
    return frozenset(i for i in after_preposition | after_office if i < len(tokens))


# --- what the words name ----------------------------------------------------------------------------


def _postal_code(tokens: Sequence[_Token], concepts: _Concepts, places: PlaceIndex) -> _Found | None:
    for i, token in enumerate(tokens):
        if not _POSTAL_CODE.match(token.key):
            continue
        if int(token.key) in _YEARS and not _postal_context(tokens, i):
            continue
        place = places.postal_code(token.key)
        if place is not None:
            return _Found(i, i + 1, (1, 1, i), token.word, places=(place,))
        if concepts.office or concepts.near:
            # An unknown code: "which place?" with the codes close to it.
            nearby = places.resolve(token.key).candidates
            return _Found(i, i + 1, (1, 1, i), token.word, places=nearby)
    return None


def _postal_context(tokens: Sequence[_Token], i: int) -> bool:
    """A year-like number is a postal code after 'near'-words ('bij 2000') or before a place ('2000
    Antwerpen'), not after 'in' ('in 2020')."""
    before = tokens[i - 1].key if i > 0 else ""
    after = tokens[i + 1].key if i + 1 < len(tokens) else ""
    return (
        before in v.NEAR_WORDS
        or before in {"bij", "pres", "near", "nahe", "bei", "postcode", "code"}
        or (bool(after) and after not in v.NOT_A_PLACE)
    )


def _spans(tokens: Sequence[_Token]) -> list[tuple[int, int]]:
    return [
        (start, start + length)
        for start in range(len(tokens))
        for length in range(min(_MAX_NAME_WORDS, len(tokens) - start), 0, -1)
    ]


def _span_text(tokens: Sequence[_Token], start: int, end: int) -> str:
    return " ".join(t.key for t in tokens[start:end])


def _usable(tokens: Sequence[_Token], start: int, end: int, anchors: frozenset[int]) -> bool:
    """Whether the words could be a name: not only question words; an everyday word that is also a place
    ('Werken', 'Alle') only where a place is expected and written with a capital."""
    span = tokens[start:end]
    if all(t.key in v.NOT_A_PLACE or t.key in v.PROVINCE_WORDS for t in span):
        return False
    if span[0].key.isdigit():
        return False  # postal codes are read on their own (a year is not one)
    if end - start == 1 and span[0].key in v.COMMON_WORD_PLACES:
        return start in anchors and span[0].capital
    return True


def _rank(start: int, end: int, anchors: frozenset[int]) -> tuple[int, int, int]:
    return (int(start in anchors), end - start, start)


def _province(tokens: Sequence[_Token], anchors: frozenset[int], places: PlaceIndex) -> _Found | None:
    best: _Found | None = None
    for start, end in _spans(tokens):
        if not _usable(tokens, start, end, anchors):
            continue
        named = places.provinces_named(_span_text(tokens, start, end))
        if named:
            found = _Found(
                start, end, _rank(start, end, anchors), _original(tokens, start, end), provinces=named
            )
            if best is None or found.rank > best.rank:
                best = found
    if best is not None:
        return best
    # A typo in a province's name, where a place is expected ('alle kantoren in Henegouw').
    for start in sorted(anchors):
        for end in range(min(len(tokens), start + 2), start, -1):
            if _usable(tokens, start, end, anchors):
                named = places.provinces_named(_span_text(tokens, start, end), fuzzy=True)
                if named:
                    return _Found(
                        start, end, _rank(start, end, anchors), _original(tokens, start, end), provinces=named
                    )
    return None


def _exact_place(
    tokens: Sequence[_Token], anchors: frozenset[int], places: PlaceIndex, *, lenient: bool = False
) -> _Found | None:
    """The place named exactly, preferring one where a place is expected, then the longest, then the last.
    `lenient`: an everyday word that is a place counts anywhere (a short answer to "where?")."""
    best: _Found | None = None
    for start, end in _spans(tokens):
        if not lenient and not _usable(tokens, start, end, anchors):
            continue
        if lenient and all(t.key in v.NOT_A_PLACE for t in tokens[start:end]):
            continue
        named = places.named(_span_text(tokens, start, end))
        if named:
            found = _Found(
                start, end, _rank(start, end, anchors), _original(tokens, start, end), places=named
            )
            if best is None or found.rank > best.rank:
                best = found
    return best


def _typo_anchors(tokens: Sequence[_Token], concepts: _Concepts) -> list[int]:
    """Where a misspelt place may be: after an office word or a clear preposition, past the articles
    ('près de Bruxeles', 'in de buurt van Bruge'); the last first."""
    starts = {i + 1 for i in concepts.office}
    starts |= {
        i + 1
        for i, t in enumerate(tokens)
        if t.key in v.TYPO_PREPOSITIONS or t.key in v.NEAR_WORDS or t.raw in v.TYPO_PREPOSITIONS_UNFOLDED
    }
    anchors: set[int] = set()
    for start in starts:
        skipped = 0
        while start < len(tokens) and tokens[start].key in v.NOT_A_PLACE and skipped < 2:
            start += 1
            skipped += 1
        if start < len(tokens):
            anchors.add(start)
    return sorted(anchors, reverse=True)


def _typo_place(
    tokens: Sequence[_Token], concepts: _Concepts, places: PlaceIndex, min_score: float
) -> PlaceResolution | None:
    """A place written with a typo where a place is expected ('satellietkantoor Kortrjik', 'dicht bij
    Bruge'): the resolution of the words there that come closest to a place name."""
    best: PlaceResolution | None = None
    tried = 0
    for start in _typo_anchors(tokens, concepts):
        end = start
        while end < len(tokens) and end - start < 3 and tokens[end].key not in v.NOT_A_PLACE:
            end += 1
        if end == start or not tokens[start].key.isalpha() or len(tokens[start].key) < _MIN_TYPO_LENGTH:
            continue
        if tried >= _MAX_FUZZY_SPANS:
            break
        tried += 1
        text = " ".join(t.key for t in tokens[start:end])
        resolution = places.resolve(text)
        if resolution.status == "unknown" or resolution.score < min_score:
            continue
        if best is None or resolution.score > best.score:
            best = PlaceResolution(
                resolution.status,
                _original(tokens, start, end),
                resolution.place,
                resolution.suggestions,
                resolution.candidates,
                resolution.score,
            )
    return best


def _original(tokens: Sequence[_Token], start: int, end: int) -> str:
    """The words as written, one space apart."""
    return " ".join(t.word for t in tokens[start:end])
