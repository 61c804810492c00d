"""Which of the four working languages a message is written in."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Final, Literal, get_args

Lang = Literal["nl", "fr", "de", "en"]
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
DEFAULT_LANG: Final[Lang] = "nl"
# Where a text missing in the asked language is looked for next, in this order.
FALLBACK_ORDER: Final[tuple[Lang, ...]] = ("nl", "fr", "en", "de")

_WORD = re.compile(r"[a-zà-ÿß]+")
# Combining marks (accents once NFKD has split them from their letters).
_COMBINING: Final = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


# Short function words and everyday words, chosen to tell the four languages apart in short questions.
def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list written in the source ("de het een ..."), as a set."""
    return frozenset(text.split())


_MARKERS: Final[dict[Lang, frozenset[str]]] = {
    "nl": word_set(
        "de het een ik je jij mijn mij wij we hoe wat waar wanneer waarom wie kan kun kunnen moet mag "
        "is zijn niet en of op naar van voor met bij thuis werken werk thuiswerk dichtstbijzijnde "
        "hallo dag goedemorgen bedankt dank graag vraag help hulp gegevens mijn welke krijg "
        "installeren aanvragen aanvraag wachtwoord vergadering kantoor geen ook"
    ),
    "fr": word_set(
        "le la les un une des je tu mon ma mes nous vous comment quoi où quand pourquoi qui peut "
        "puis pouvons dois est sont ne pas et ou sur au aux du de pour avec chez travail travailler "
        "télétravail bonjour salut merci aide données quel quelle installer demander mot passe "
        "réunion bureau près proche ordinateur portable"
    ),
    "de": word_set(
        "der die das ein eine ich du mein meine wir wie was wo wann warum wer kann können muss darf "
        "ist sind nicht und oder auf nach von für mit bei zu hause arbeiten arbeit homeoffice "
        "hallo guten tag danke hilfe daten welche bekomme installieren beantragen passwort "
        "besprechung büro nächste nähe"
    ),
    "en": word_set(
        "the a an i you my me we how what where when why who can could must may is are not and or "
        "on to of for with at home work working hello hi thanks thank help data which get install "
        "request password meeting nearest near"
    ),
}


# Letters and endings typical of one language (on the unfolded, lower-cased word).
_SHAPES: Final[dict[Lang, re.Pattern[str]]] = {
    "nl": re.compile(r"(ij|aa|oe|uu)|(heid|lijk|tje|tjes|(?<!i)eren)$"),
    "fr": re.compile(r"[éèêàçùâîôû]|(eux|eur|tion|ment|ais|ait|ée|és)$"),
    "de": re.compile(r"[äöüß]|sch|(ung|keit|lich|chen|ieren)$"),
    "en": re.compile(r"(ing|ed|ly|ght|ould)$|^th|w[hr]"),
}


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Télétravail' -> 'teletravail'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return _COMBINING.sub("", decomposed)


def normalize_locale(locale: str | None) -> Lang | None:
    """'nl-BE' -> 'nl'; anything outside the four languages -> None."""
    if not locale:
        return None
    code = locale.strip().lower().replace("_", "-").split("-")[0]
    for lang in LANGS:
        if code == lang:
            return lang
    return None


def detect_language(
    text: str,
    hint: str | None = None,
    *,
    vocabulary: Mapping[Lang, AbstractSet[str]] | None = None,
) -> Lang:
    """The language of `text`, with the client's locale as a tie-breaker.

    The text is the evidence; the hint decides when the text says nothing (one word, a product name).
    `vocabulary` (folded words per language, e.g. from the FAQ's question variants) adds weaker
    evidence for words that belong to one language only.
    """
    hinted = normalize_locale(hint)
    lowered = text.casefold()
    words = _WORD.findall(lowered)
    scores: dict[Lang, float] = {lang: 0.0 for lang in LANGS}
    for word in words:
        folded = fold(word)
        marker_langs = [lang for lang, markers in _MARKERS.items() if word in markers or folded in markers]
        for lang in marker_langs:
            scores[lang] += 1.0 / len(marker_langs) ** 0.5
        if vocabulary and not marker_langs and len(folded) > 2:
            owners = [lang for lang in LANGS if folded in vocabulary.get(lang, ())]
            if 0 < len(owners) < len(LANGS):
                for lang in owners:
                    scores[lang] += 0.5 / len(owners)
        for lang, pattern in _SHAPES.items():
            if pattern.search(word):
                scores[lang] += 0.5
    best = max(scores.values())
    if best == 0:
        return hinted or DEFAULT_LANG
    if hinted is not None and scores[hinted] >= best - 0.5 and scores[hinted] > 0:
        return hinted
    leaders = [lang for lang in LANGS if scores[lang] == best]
    return leaders[0]


def available_language(available: Container[str], lang: str) -> Lang | None:
    """`lang` when `available` has it, else the first language of FALLBACK_ORDER it has, else None."""
    if lang in available and lang in LANGS:
        return lang
    return next((code for code in FALLBACK_ORDER if code in available), None)


def localized(texts: Mapping[str, str], lang: str, /, **values: Any) -> str:
    """One text of `texts` ({language: template}): in `lang`, in Dutch when `lang` has none, with `values`
    filled in (a template is used as it is when no values are given, so a literal brace stays)."""
    template = texts.get(lang) or texts[DEFAULT_LANG]
    return template.format(**values) if values else template
