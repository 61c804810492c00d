"""Text normalisation for matching: folding, tokens, stop words, stemming per language.

What the matcher reads of a question is bounded whatever is sent: the first `MAX_QUESTION_CHARS`
characters and, of those, the first `MAX_QUESTION_WORDS` words (a question is a sentence or two; a pasted
e-mail or a 28 KB line of garbage is answered from its beginning).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

import Stemmer

from nwow.language import LANGS, Lang, fold, word_set

_TOKEN: Final = re.compile(r"[a-z0-9]+")
MAX_QUESTION_CHARS: Final = 600
MAX_QUESTION_WORDS: Final = 60
# Apostrophes as typed on phones and in Word, and contractions that would otherwise leave a stray
# fragment ("m'n" -> "m" + "n", "don't" -> "don" + "t"). Applied to folded text.
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_CONTRACTIONS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bm'n\b", "mijn"),
        (r"\bz'n\b", "zijn"),
        (r"\bd'r\b", "haar"),
        (r"(?:^|(?<=\s))'k\b", "ik"),
        (r"(?:^|(?<=\s))'t\b", "het"),
        (r"\b(can)'t\b", r"\1 not"),
        (r"\bwon't\b", "will not"),
        (r"\b(\w+)n't\b", r"\1 not"),
        (r"\b(i)'m\b", r"\1 am"),
        (r"\b(\w+)'re\b", r"\1 are"),
        (r"\b(\w+)'ve\b", r"\1 have"),
        (r"\b(\w+)'ll\b", r"\1 will"),
        (r"\b(what|where|who|how|that|it|there|here)'s\b", r"\1 is"),
    )
)
# Words of two or more characters, or a single digit: single letters are French elisions (l' d' j').
_MATCH_TOKEN: Final = re.compile(r"[a-z0-9]{2,}|[0-9]")

_STEMMER_NAMES: Final[Mapping[Lang, str]] = {
    "nl": "dutch",
    "fr": "french",
    "de": "german",
    "en": "english",
}


# Function words and filler that say nothing about which entry is meant. Folded (no accents).
STOP_WORDS: Final[Mapping[Lang, frozenset[str]]] = {
    "nl": word_set(
        """
        de het een en of maar dan als dat die dit deze wat wie waar wanneer waarom hoe welk welke
        ik je jij u uw mijn me mij wij we ons onze jullie zij ze hun hen hij haar zijn is ben bent was
        waren wordt worden werd kan kun kunt kunnen moet moeten mag mogen wil wilt willen zou zouden
        ga gaat gaan doe doet doen heb hebt heeft hebben had er hier daar nog al ook wel niet geen
        te in bij met voor van naar over om tot door tegen zonder tijdens na
        iets iemand alles men even eens graag toch eigenlijk zo dus nu best beste hoi hallo dag
        aub alsjeblieft alstublieft bedankt dank iemand ergens
        geworden werden gedaan ging gingen gegaan hadden gehad zal zullen zult kon konden moest moesten
        mocht mochten wou wilde wilden word zijt ge gij mijne dien deze zomaar gewoon echt precies
        eventjes effe ofzo enzo soms altijd nooit heel erg veel weinig wel eens toch even snel
        want omdat gisteren vandaag zegt gezegd klopt kloppen concreet
        eerst trouwens ongeveer hoi hey goeiedag goedemorgen goedemiddag
        """
    ),
    "fr": word_set(
        """
        le la les l un une des du de d au aux a et ou mais donc car ni que qu qui quoi quel quelle
        quels quelles comment ou quand pourquoi combien est-ce ce cet cette ces c ca cela
        je j tu il elle on nous vous ils elles me m te t se s moi toi lui leur leurs mon ma mes ton ta
        tes son sa ses notre nos votre vos y en ne n pas plus est sont suis es etre ai as avons avez
        ont avoir peux peut pouvons pouvez peuvent puis dois doit devons devez doivent faut veux veut
        voudrais vais va faire fait fais dans sur sous avec sans pour par chez vers entre pendant
        apres avant si tres bien aussi encore deja svp stp merci bonjour salut quelqu quelque chose
        aurai aura aurais aurait aurons aurez auront avais avait avions aviez avaient eu serai sera
        serais serait serons serez seront etais etait etions etiez etaient ete pourrais pourrait
        pourrions pourriez pourraient devrais devrait devrions devriez devraient voudrait vont allez
        allons fais font faites suis-je exactement vraiment juste simplement toujours jamais souvent
        alors ainsi voila voici
        cest quest car parce hier aujourd hui concretement avance devais devait pouvais
        pouvait voulais voulait fallait bonsoir coucou
        """
    ),
    "de": word_set(
        """
        der die das den dem des ein eine einen einem einer eines und oder aber doch denn dass
        was wer wie wo wann warum wieso welche welcher welches woher wohin
        ich du er sie es wir ihr mich mir dich dir uns euch sich mein meine meinen meinem meiner
        dein deine sein seine ihre unser unsere bin bist ist sind seid war waren wird werden wurde
        kann kannst koennen konnen muss musst mussen darf darfst durfen will willst wollen mochte
        soll sollen habe hast hat haben hatte gibt geht mache macht machen
        in im am bei mit nach von vom zu zum zur fur uber unter vor ohne durch um bis
        nicht kein keine auch noch schon nur mal bitte danke hallo gern gerne etwas jemand man so
        ins ans aufs fürs furs ums beim durchs vors hinters ubers unters wurden wurde wurdest worden
        wurde wurden konnte konnten konnte mussen musste mussten sollte sollten hatte hatten ware waren
        gab gibt's gibts habt hab kannst genau wirklich einfach eigentlich immer nie oft denn ja
        guten morgen abend darauf dafur dazu damit daran weil gestern heute
        """
    ),
    "en": word_set(
        """
        the a an and or but if then so that this these those what who whom where when why how which
        i me my mine you your we us our they them their he him his she her it its is am are was were
        be been being do does did done have has had can could may might must shall should will would
        to of in at by for with from into about over under after before during without as
        not no also just still any some there here please thanks thank hello hi hey
        anyone someone something
        doing going gonna wanna let lets i'm im ive youre isnt dont doesnt cant wont exactly really
        simply actually always never often very much many
        because yesterday today hello morning afternoon evening
        """
    ),
}

ALL_STOP_WORDS: Final[frozenset[str]] = frozenset().union(*STOP_WORDS.values())

# Light words: everyday verbs, adjectives and particles that sometimes carry the point ("turn on" / "turn
# off", "nieuwe gsm") and are filler the rest of the time ("I need", "ik heb een vraag"). They count when
# the knowledge base uses them (at their usual low weight) and are passed over when it does not, instead
# of counting against the question as unknown words.
LIGHT_WORDS: Final[Mapping[Lang, frozenset[str]]] = {
    "nl": word_set("vraag vragen nieuwe nieuw weet weten zeg lukt lukken gelukt aan op uit af"),
    "fr": word_set("nouveau nouvel nouvelle sais sait savoir dit dis"),
    "de": word_set("neu neue neues neuen neuer sag sagen weiss wissen an auf aus ab"),
    "en": word_set("need want know tell get got new on off out up down back"),
}
ALL_LIGHT_WORDS: Final[frozenset[str]] = frozenset().union(*LIGHT_WORDS.values())


def tokens(text: str) -> list[str]:
    """Folded word tokens; single letters (French elisions such as l' d' j') are dropped."""
    tokens: list[str] = _MATCH_TOKEN.findall(fold(text))
    return tokens


def question_words(text: str) -> list[str]:
    """The words the matcher reads of a question: folded, contractions expanded, bounded in length."""
    folded = fold(text[:MAX_QUESTION_CHARS]).translate(_APOSTROPHES)
    if "'" in folded:
        for pattern, replacement in _CONTRACTIONS:
            folded = pattern.sub(replacement, folded)
    words: list[str] = _MATCH_TOKEN.findall(folded)
    return words[:MAX_QUESTION_WORDS]


def normalize_question(text: str) -> str:
    """The form two question variants must not share: folded, punctuation removed, spaces collapsed."""
    return " ".join(_TOKEN.findall(fold(text)))


@lru_cache(maxsize=8)
def _stemmer(lang: Lang) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMER_NAMES[lang])


@lru_cache(maxsize=65536)
def stem(word: str, lang: Lang) -> str:
    """The Snowball stem of a folded word in `lang`."""
    if word.isdigit() or len(word) <= 3:
        return word
    result: str = _stemmer(lang).stemWord(word)
    return result


def stem_many(words: list[str], lang: Lang) -> list[str]:
    """stem() of many words at once (one call into the stemmer)."""
    stems: list[str] = _stemmer(lang).stemWords(words)
    return [w if w.isdigit() or len(w) <= 3 else s for w, s in zip(words, stems, strict=True)]


def stems_in_all_languages(word: str) -> frozenset[str]:
    return frozenset(stem(word, lang) for lang in LANGS)
