"""Chat shorthand staff type ("mn gsm", "pb avec mdp", "kannste", "pls"), read as the words it stands for.

An abbreviation is expanded only when the knowledge base does not use it as a word itself (if the FAQ
says "pc", "pc" stays "pc"), from the table of the question's language first and then from the tables
of the other languages; an expansion may be several words ("mdp" -> "mot de passe"), so synonym phrases
can still match after it. Folded forms (lower case, no accents).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import Final

from nwow.faq.text import ALL_STOP_WORDS
from nwow.language import LANGS, Lang


def _table(text: str) -> dict[str, tuple[str, ...]]:
    """'mn=mijn; ivm=in verband met' -> {'mn': ('mijn',), 'ivm': ('in', 'verband', 'met')}."""
    table: dict[str, tuple[str, ...]] = {}
    for item in text.split(";"):
        if item.strip():
            short, long = item.split("=")
            table[short.strip()] = tuple(long.split())
    return table


SHORTHAND: Final[Mapping[Lang, Mapping[str, tuple[str, ...]]]] = {
    "nl": _table(
        """
        mn=mijn; mne=mijn; zn=zijn; da=dat; wa=wat; ni=niet; nie=niet; nt=niet; kheb=ik heb; kzou=ik zou;
        kwil=ik wil; kweet=ik weet; kzit=ik zit; kmoet=ik moet; kga=ik ga; tis=het is;
        dak=dat ik; ff=even; evt=eventueel; bv=bijvoorbeeld; bvb=bijvoorbeeld; ivm=in verband met;
        mbt=met betrekking tot; ipv=in plaats van; mss=misschien; wss=waarschijnlijk; idd=inderdaad;
        ajb=alsjeblieft; aub=alstublieft; tel=telefoon; ww=wachtwoord; pw=wachtwoord; pwd=wachtwoord;
        nr=nummer; nrs=nummers; vr=voor; vd=van de; vh=van het; wrm=waarom; hvl=hoeveel; wnr=wanneer;
        adhv=aan de hand van; obv=op basis van; tov=ten opzichte van; dmv=door middel van;
        pc=computer; lt=laptop; app=applicatie; info=informatie; thx=bedankt; tnx=bedankt;
        mvg=met vriendelijke groeten; gr=groeten; vgl=vergelijk; kunde=kun je;
        hedde=heb je; zijde=ben je; weetde=weet je; moete=moet je
        """
    ),
    "fr": _table(
        """
        slt=salut; bjr=bonjour; pr=pour; pk=pourquoi; pq=pourquoi; qd=quand; bcp=beaucoup;
        tjrs=toujours; tjs=toujours; dc=donc; ds=dans; ms=mais; mtn=maintenant; mnt=maintenant;
        qqn=quelqu un; qqun=quelqu un; qqch=quelque chose; qlq=quelque; jsp=je ne sais pas;
        cad=c est a dire; tt=tout; ts=tous; tel=telephone; ordi=ordinateur; mdp=mot de passe;
        pb=probleme; pbm=probleme; pblm=probleme; prob=probleme; rdv=rendez vous; appli=application;
        app=application; dispo=disponible; infos=informations; info=information; koi=quoi;
        kel=quel; ke=que; jai=j ai; ya=il y a; chui=je suis; chuis=je suis; stp=s il te plait;
        svp=s il vous plait; pc=ordinateur; cv=ca va; nn=non; bsr=bonsoir; tjr=toujours
        """
    ),
    "de": _table(
        """
        hab=habe; nen=einen; ne=eine; nem=einem; bzw=beziehungsweise; bzgl=bezuglich; zb=zum beispiel;
        ggf=gegebenenfalls; usw=und so weiter; vllt=vielleicht; vlt=vielleicht; mgl=moglich;
        evtl=eventuell; wg=wegen; pw=passwort; pwd=passwort; tel=telefon; hdy=handy;
        kannste=kannst du; haste=hast du; biste=bist du; willste=willst du; musste=musst du;
        isses=ist es; nich=nicht; nix=nichts; net=nicht; dat=das; wat=was; isch=ich; et=es;
        pc=computer; info=information; infos=informationen; lg=liebe grusse; mfg=mit freundlichen grussen;
        zuhause=zu hause; daheim=zu hause
        """
    ),
    "en": _table(
        """
        ur=your; pls=please; plz=please; thx=thanks; thnx=thanks; tnx=thanks; ty=thank you;
        ppl=people; msg=message; msgs=messages; pwd=password; pw=password; acct=account;
        b4=before; cuz=because; coz=because; bc=because; idk=i do not know; dont=do not;
        cant=can not; wont=will not; doesnt=does not; isnt=is not; didnt=did not; im=i am;
        tmrw=tomorrow; tmr=tomorrow; info=information; pc=computer; mob=mobile; ph=phone;
        phn=phone; ooo=out of office; mtg=meeting; mtgs=meetings; conf=conference; vid=video;
        cam=camera; docs=documents; doc=document; pic=picture; pics=pictures; wfh=work from home;
        hrs=hours; hr=human resources; ya=you; yr=your; wanna=want to; gonna=going to
        """
    ),
}

_EVERY: Final[frozenset[str]] = frozenset(short for table in SHORTHAND.values() for short in table)


def expand_shorthand(words: Sequence[str], lang: Lang, kept: Container[str]) -> list[str]:
    """`words` with the shorthand of `lang` spelled out, and that of the other languages when the word
    is no stop word; words in `kept` (the knowledge base's own words) stay as they are."""
    if not any(word in _EVERY for word in words):
        return list(words)
    out: list[str] = []
    for word in words:
        expansion = None if word in kept else _lookup(word, lang)
        if expansion is None:
            out.append(word)
        else:
            out.extend(expansion)
    return out


def _lookup(word: str, lang: Lang) -> tuple[str, ...] | None:
    found = SHORTHAND[lang].get(word)
    if found is not None:
        return found
    if word in ALL_STOP_WORDS:
        return None
    for other in LANGS:
        if other != lang and word in SHORTHAND[other]:
            return SHORTHAND[other][word]
    return None


def shorthand_markers(lang: Lang) -> frozenset[str]:
    """The shorthand of `lang` that no other language's table has (evidence for language detection)."""
    others = {short for other, table in SHORTHAND.items() if other != lang for short in table}
    return frozenset(short for short in SHORTHAND[lang] if short not in others and len(short) >= 2)
