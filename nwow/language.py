"""Which of the four working languages a message is written in."""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal, get_args

Lang = Literal["nl", "fr", "de", "en"]
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
DEFAULT_LANG: Final[Lang] = "nl"

_WORD = re.compile(r"[a-zà-ÿß]+")

# Short function words and everyday words, chosen to tell the four languages apart in short questions.
_MARKERS: Final[dict[Lang, frozenset[str]]] = {
    "nl": frozenset(
        "de het een ik je jij mijn mij wij we hoe wat waar wanneer waarom wie kan kun kunnen moet mag "
        "is zijn niet en of op naar van voor met bij thuis werken werk thuiswerk dichtstbijzijnde "
        "hallo dag goedemorgen bedankt dank graag vraag help hulp gegevens mijn welke krijg "
        "installeren aanvragen aanvraag wachtwoord vergadering kantoor laptop".split()
    ),
    "fr": frozenset(
        "le la les un une des je tu mon ma mes nous vous comment quoi où quand pourquoi qui peut "
        "puis pouvons dois est sont ne pas et ou sur au aux du de pour avec chez travail travailler "
        "télétravail bonjour salut merci aide données quel quelle installer demander mot passe "
        "réunion bureau près proche ordinateur portable".split()
    ),
    "de": frozenset(
        "der die das ein eine ich du mein meine wir wie was wo wann warum wer kann können muss darf "
        "ist sind nicht und oder auf nach von für mit bei zu hause arbeiten arbeit homeoffice "
        "hallo guten tag danke hilfe daten welche bekomme installieren beantragen passwort "
        "besprechung büro nächste nähe".split()
    ),
    "en": frozenset(
        "the a an i you my me we how what where when why who can could must may is are not and or "
        "on to of for with at home work working hello hi thanks thank help data which get install "
        "request password meeting office nearest near".split()
    ),
}


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Télétravail' -> 'teletravail'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_locale(locale: str | None) -> Lang | None:
    """'nl-BE' -> 'nl'; anything outside the four languages -> None."""
    if not locale:
        return None
    code = locale.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else None  # type: ignore[return-value]


def detect_language(text: str, hint: str | None = None) -> Lang:
    """The language of `text`, with the client's locale as a tie-breaker.

    The text is the evidence; the hint decides when the text says nothing (one word, a product name).
    """
    hinted = normalize_locale(hint)
    words = _WORD.findall(text.casefold())
    scores: dict[Lang, int] = {lang: 0 for lang in LANGS}
    for word in words:
        for lang, markers in _MARKERS.items():
            if word in markers:
                scores[lang] += 1
    best = max(scores.values())
    if best == 0:
        return hinted or DEFAULT_LANG
    leaders = [lang for lang in LANGS if scores[lang] == best]
    if hinted in leaders:
        return hinted  # type: ignore[return-value]
    return leaders[0]
