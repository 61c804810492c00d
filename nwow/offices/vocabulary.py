"""The words of office questions in Dutch, French, German and English, by concept (folded: no case, accents).

`detect.py` recognises an office question from these concepts (an office or a place to work, near or
where, a list) together with a place, a province or a postal code: never from whole sentences, so word
order, casing and the rest of the sentence do not matter.
"""

from __future__ import annotations

import re
from typing import Final

from nwow.language import Lang, word_set

# A satellite office in any language and with the usual typos: satellietkantoor, satelliet-kantoor,
# bureau satellite, Satellitenbüro, sattelite, satelite.
SATELLITE: Final = re.compile(r"^sat+el+i")

# Office or place-to-work nouns, whole words.
OFFICE_WORDS: Final = word_set(
    """
    kantoor kantoren kantoortje kantoortjes werkplek werkplekken flexplek flexplekken flexwerkplek
    flexwerkplekken werkruimte werkplaats
    bureau bureaux bureaus coworking
    buro buros bueros buero arbeitsplatz arbeitsplatze arbeitsplaetze arbeitsplatzen
    office offices workplace workplaces workspace workspaces desk desks hotdesk hotdesks flexdesk
    """
)
# ... and the endings of compounds that are offices: politiekantoor, Satellitenbüro, Büroarbeitsplatz.
OFFICE_ENDINGS: Final = ("kantoor", "kantoren", "werkplek", "werkplekken", "buro", "buros", "arbeitsplatz")
# Compounds with those endings that are not offices to go to: the home office, telework places.
NOT_OFFICE_STARTS: Final = ("thuis", "home", "heim", "tele")
# Several words that together are a place to work.
OFFICE_PHRASES: Final = (
    ("plek", "om", "te", "werken"),
    ("plaats", "om", "te", "werken"),
    ("poste", "de", "travail"),
    ("postes", "de", "travail"),
    ("espace", "de", "travail"),
    ("espaces", "de", "travail"),
    ("lieu", "de", "travail"),
    ("endroit", "pour", "travailler"),
    ("place", "to", "work"),
    ("somewhere", "to", "work"),
    ("ort", "zum", "arbeiten"),
    ("platz", "zum", "arbeiten"),
)
# Office nouns a typo of which is still an office (compared with a fuzzy ratio, longer words only).
OFFICE_TYPO_TARGETS: Final = (
    "kantoor",
    "kantoren",
    "bureaux",
    "offices",
    "werkplek",
    "satellietkantoor",
    "satellietkantoren",
    "satellitenburo",
)
# Words close to an office noun that are something else (a police officer, office software).
NOT_OFFICE_WORDS: Final = word_set(
    "officer officers officier officiers official officiel officielle bureautique kantoorsoftware"
)
# An office word next to one of these is software or telework: Office 365, bureau à distance, home office.
NOT_OFFICE_AFTER: Final = word_set("365 online app apps pakket suite licentie licence license lizenz")
NOT_OFFICE_BEFORE: Final = word_set("microsoft ms o365 home heim thuis service help front")
NOT_OFFICE_BUREAU_AFTER: Final = word_set("distance virtuel windows")

# Working somewhere ('waar kan ik werken dicht bij Brugge').
WORK_WORDS: Final = word_set("werken work working travailler bosser taffer arbeiten")

# Near, nearest, where: what asks for the closest offices.
NEAR_WORDS: Final = word_set(
    """
    waar dichtstbijzijnde dichtstbijgelegen dichtste dichtst dichtbij dichterbij vlakbij nabij kortbij
    buurt omgeving
    pres proche proches alentours environs voisinage
    wo nachste nachsten nachstgelegene nachstgelegenen nahe naher nahegelegen umgebung umkreis
    where nearest closest near nearby closeby vicinity
    """
)
NEAR_PHRASES: Final = (
    ("dicht", "bij"),
    ("niet", "ver"),
    ("a", "cote"),
    ("pas", "loin"),
    ("non", "loin"),
    ("close", "to"),
    ("close", "by"),
    ("not", "far"),
    ("next", "to"),
    ("nicht", "weit"),
)
# "où" folds to "ou" ('or'): it is recognised before folding.
WHERE_UNFOLDED: Final = frozenset({"où"})

# Words after which a place usually comes.
PREPOSITIONS: Final = word_set(
    """
    bij nabij rond rondom te in naar vlakbij dichtbij van richting omgeving buurt
    pres de a au aux autour dans vers du d en proche cote
    near to at around in close by from
    bei von um nahe in im zu nach umgebung
    """
)

# The prepositions after which a word that is close to a place name is taken for a misspelt place
# ('bij Bruge'): not the short ones that are also articles or other words ('a', 'de', 'to', 'en').
TYPO_PREPOSITIONS: Final = word_set(
    """
    bij nabij rond rondom te in naar vlakbij dichtbij van richting
    pres au aux autour dans vers du cote
    near around in at from
    bei von um nahe in im nach
    """
)
# "à" folds to "a" (an English article): it is recognised before folding.
TYPO_PREPOSITIONS_UNFOLDED: Final = frozenset({"à"})

# Words that ask for every office of a province rather than the nearest ones.
LIST_WORDS: Final = word_set(
    """
    alle allemaal lijst overzicht
    tous toutes liste ensemble
    all list every overview
    samtliche liste ubersicht
    """
)
# Plural office nouns: "satellietkantoren in Limburg" lists a province's offices.
PLURAL_OFFICE_WORDS: Final = word_set(
    """
    kantoren werkplekken flexplekken bureaux bureaus buros bueros arbeitsplatze offices workplaces
    workspaces desks satellietkantoren satellites satellitenburos
    """
)
PROVINCE_WORDS: Final = word_set("provincie provincies province provinces provinz provinzen prov")

# Words of office questions that are never the place, even where a place could come.
NOT_A_PLACE: Final = word_set(
    """
    waar is het de een dichtstbijzijnde dichtste dichtst satellietkantoor satellietkantoren satelliet kantoor
    kantoren werkplek werken werk thuis huis mijn mij me ik bij nabij in buurt dichtbij vlakbij rond te van voor
    op aan welk welke wat hoe zijn er graag aub alstublieft dank kan kun kunnen wil zou ligt liggen zit
    zitten vind vinden zoek zoeken gaan ga om met naar nog ook al eens even daar hier
    ou est le la les un une des du de bureau bureaux satellite satellites pres proche plus chez moi mon ma
    a au aux dans autour region pour travailler quel quels quelle quelles svp merci je peux puis trouver
    trouve il y se sont ce cette vers
    wo ist das der die den dem ein eine nachste nachstgelegene satellitenburo satellitenburos buro buros
    nahe von bei im in um zu hause mein meine mir arbeiten arbeitsplatz bitte danke gibt es ich kann finde
    finden suche wie
    where is the a an nearest closest satellite office offices near close to at around home my me i work
    working please thanks can which what there find looking for want
    einem einer einen eines meinem meiner meinen unserem unserer ihrem ihrer
    onze ons jouw uw notre nos votre vos mes
    alle all tous toutes liste lijst list every provincie province provinz
    belgie belgique belgien belgium heel hele overal partout uberall everywhere land pays
    en of met ander andere nieuw nieuwe collega collegas woonplaats woning adres thuiskantoor toegang
    badge reserveren reserveer boeken plaats plek uren openingsuren scherm schermen parking wifi info
    et avec autre autres nouveau nouvelle collegue collegues domicile adresse acces reserver horaires
    ecran ecrans batiment police
    und mit oder andere anderen neue kollege kollegen wohnort wohnung adresse zugang buchen platz
    offnungszeiten bildschirm gebaude polizei
    and or with other another new colleague colleagues address access book booking hours screen
    screens building should would could files file store
    """
)
# Place names that are also everyday words ('Werken', 'Alle', 'As', 'My'): a place only where a place is
# expected (after 'bij', 'near', 'près de'... or right after the office word) and written with a capital.
COMMON_WORD_PLACES: Final = word_set(
    """
    alle as ham boom peer lens mont bree op werken my on name ways mean meer recht eine naast doel
    heure ligne marche melden nouvelles salles appels spa ans hal mol lint vis nil champion
    """
)

# Words that tell which language an office question is written in (weak evidence, beside the language
# detector's own; a word in several lists counts for each a little).
LANGUAGE_WORDS: Final[dict[Lang, frozenset[str]]] = {
    "nl": word_set(
        """
        kantoor kantoren satellietkantoor satellietkantoren werkplek werkplekken flexplek dichtbij dicht
        dichtstbijzijnde dichtste buurt vlakbij alle lijst welke provincie werken zoek
        """
    ),
    "fr": word_set(
        """
        bureau bureaux satellite satellites pres proche plus tous toutes quels province travailler poste
        cherche
        """
    ),
    "de": word_set(
        """
        buro buros satellitenburo satellitenburos arbeitsplatz nahe nachste nachstgelegene alle provinz
        arbeiten suche
        """
    ),
    "en": word_set(
        """
        office offices satellite nearest near closest close all province work desk workplace list
        """
    ),
}
