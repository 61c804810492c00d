"""Strings of the satellite-office finder: the dialog, the offices card, the province list."""

from nwow.offices.model import FACILITIES, WEEKDAYS

_FACILITY_NAMES = {
    "screens": ("Extra schermen", "Écrans supplémentaires", "Zusätzliche Bildschirme", "Extra screens"),
    "docking": ("Dockingstations", "Stations d'accueil", "Dockingstationen", "Docking stations"),
    "wifi": ("Wifi", "Wi-Fi", "WLAN", "Wi-Fi"),
    "parking": ("Parking", "Parking", "Parkplatz", "Parking"),
    "bike_parking": ("Fietsenstalling", "Parking vélos", "Fahrradstellplatz", "Bike parking"),
    "accessible": ("Rolstoeltoegankelijk", "Accessible PMR", "Barrierefrei", "Wheelchair accessible"),
    "lockers": ("Lockers", "Casiers", "Schließfächer", "Lockers"),
    "printer": ("Printer", "Imprimante", "Drucker", "Printer"),
    "meeting_room": ("Vergaderzaal", "Salle de réunion", "Besprechungsraum", "Meeting room"),
    "quiet_room": ("Stiltelokaal", "Salle calme", "Ruheraum", "Quiet room"),
    "kitchen": ("Keuken", "Cuisine", "Küche", "Kitchen"),
    "showers": ("Douches", "Douches", "Duschen", "Showers"),
}
assert set(_FACILITY_NAMES) == set(FACILITIES), "every facility needs a name in the four languages"

# Days and months as a sentence names them ("opent maandag", "ouvre lundi", "öffnet am Montag").
_WEEKDAY_NAMES = {
    "mon": ("maandag", "lundi", "Montag", "Monday"),
    "tue": ("dinsdag", "mardi", "Dienstag", "Tuesday"),
    "wed": ("woensdag", "mercredi", "Mittwoch", "Wednesday"),
    "thu": ("donderdag", "jeudi", "Donnerstag", "Thursday"),
    "fri": ("vrijdag", "vendredi", "Freitag", "Friday"),
    "sat": ("zaterdag", "samedi", "Samstag", "Saturday"),
    "sun": ("zondag", "dimanche", "Sonntag", "Sunday"),
}
assert tuple(_WEEKDAY_NAMES) == WEEKDAYS
_MONTH_NAMES = (
    ("januari", "janvier", "Januar", "January"),
    ("februari", "février", "Februar", "February"),
    ("maart", "mars", "März", "March"),
    ("april", "avril", "April", "April"),
    ("mei", "mai", "Mai", "May"),
    ("juni", "juin", "Juni", "June"),
    ("juli", "juillet", "Juli", "July"),
    ("augustus", "août", "August", "August"),
    ("september", "septembre", "September", "September"),
    ("oktober", "octobre", "Oktober", "October"),
    ("november", "novembre", "November", "November"),
    ("december", "décembre", "Dezember", "December"),
)

MESSAGES = {
    "offices.ask_place": {
        "nl": "In welke gemeente wil je werken? Typ een gemeente, deelgemeente of postcode (bijvoorbeeld Gent of 9000).",
        "fr": "Dans quelle commune voulez-vous travailler ? Tapez une commune, une section ou un code postal "
        "(par exemple Namur ou 5000).",
        "de": "In welcher Gemeinde möchten Sie arbeiten? Geben Sie eine Gemeinde, einen Ortsteil oder eine "
        "Postleitzahl ein (zum Beispiel Eupen oder 4700).",
        "en": "Where would you like to work? Type a municipality, a district or a postal code (for example "
        "Ghent or 9000).",
    },
    "offices.which_place": {
        "nl": "Welke plaats bedoel je met “{query}”?",
        "fr": "Quel lieu voulez-vous dire par « {query} » ?",
        "de": "Welchen Ort meinen Sie mit „{query}“?",
        "en": "Which place do you mean by “{query}”?",
    },
    "offices.which_meaning": {
        "nl": "Wat bedoel je met “{query}”?",
        "fr": "Que voulez-vous dire par « {query} » ?",
        "de": "Was meinen Sie mit „{query}“?",
        "en": "What do you mean by “{query}”?",
    },
    "offices.choice_place": {
        "nl": "{place} ({province})",
        "fr": "{place} ({province})",
        "de": "{place} ({province})",
        "en": "{place} ({province})",
    },
    "offices.unknown_place": {
        "nl": "Ik ken “{query}” niet als Belgische gemeente of postcode.",
        "fr": "Je ne connais pas « {query} » comme commune ou code postal belge.",
        "de": "„{query}“ kenne ich nicht als belgische Gemeinde oder Postleitzahl.",
        "en": "I don't know “{query}” as a Belgian municipality or postal code.",
    },
    "offices.try_again": {
        "nl": "Typ de naam van een gemeente of een postcode van 4 cijfers, of 'annuleren' om te stoppen.",
        "fr": "Tapez le nom d'une commune ou un code postal à 4 chiffres, ou « annuler » pour arrêter.",
        "de": "Geben Sie den Namen einer Gemeinde oder eine vierstellige Postleitzahl ein, oder „abbrechen“.",
        "en": "Type the name of a municipality or a 4-digit postal code, or 'cancel' to stop.",
    },
    "offices.gave_up": {
        "nl": "Sorry, ik vind die plaats niet. Probeer het later opnieuw met een postcode, bv. 'satellietkantoor 9000'.",
        "fr": "Désolé, je ne trouve pas ce lieu. Réessayez plus tard avec un code postal, par ex. "
        "« bureau satellite 5000 ».",
        "de": "Leider finde ich diesen Ort nicht. Versuchen Sie es später mit einer Postleitzahl, z. B. "
        "„Satellitenbüro 4700“.",
        "en": "Sorry, I can't find that place. Try again later with a postal code, e.g. 'satellite office 9000'.",
    },
    "offices.no_offices": {
        "nl": "Er zijn op dit moment geen satellietkantoren in de lijst.",
        "fr": "La liste ne contient actuellement aucun bureau satellite.",
        "de": "Die Liste enthält zurzeit keine Satellitenbüros.",
        "en": "There are no satellite offices in the list at the moment.",
    },
    "offices.nearest_title": {
        "nl": "Satellietkantoren dicht bij {place}",
        "fr": "Bureaux satellites près de {place}",
        "de": "Satellitenbüros in der Nähe von {place}",
        "en": "Satellite offices near {place}",
    },
    "offices.nearest_intro": {
        "nl": "Afstand in vogelvlucht. Uren en open/gesloten volgens de Belgische tijd ({time}).",
        "fr": "Distance à vol d'oiseau. Horaires et ouvert/fermé selon l'heure belge ({time}).",
        "de": "Entfernung in Luftlinie. Zeiten und geöffnet/geschlossen nach belgischer Zeit ({time}).",
        "en": "Straight-line distance. Hours and open/closed in Belgian time ({time}).",
    },
    "offices.remembered_note": {
        "nl": "Op basis van je bewaarde thuisgebied. Typ 'vergeet mijn woonplaats' om het te wissen.",
        "fr": "D'après votre région enregistrée. Tapez « oublie mon domicile » pour l'effacer.",
        "de": "Anhand Ihres gespeicherten Wohngebiets. Tippen Sie „Wohngebiet vergessen“, um es zu löschen.",
        "en": "Based on your saved home area. Type 'forget my home area' to delete it.",
    },
    "offices.distance": {
        "nl": "{km} km",
        "fr": "{km} km",
        "de": "{km} km",
        "en": "{km} km",
    },
    "offices.open_now": {
        "nl": "Nu open",
        "fr": "Ouvert maintenant",
        "de": "Jetzt geöffnet",
        "en": "Open now",
    },
    "offices.closed_now": {
        "nl": "Nu gesloten",
        "fr": "Fermé maintenant",
        "de": "Jetzt geschlossen",
        "en": "Closed now",
    },
    "offices.closed_opens": {
        "nl": "Nu gesloten · {opens}",
        "fr": "Fermé maintenant · {opens}",
        "de": "Jetzt geschlossen · {opens}",
        "en": "Closed now · {opens}",
    },
    "offices.opens_today": {
        "nl": "opent vandaag om {time}",
        "fr": "ouvre aujourd'hui à {time}",
        "de": "öffnet heute um {time}",
        "en": "opens today at {time}",
    },
    "offices.opens_tomorrow": {
        "nl": "opent morgen om {time}",
        "fr": "ouvre demain à {time}",
        "de": "öffnet morgen um {time}",
        "en": "opens tomorrow at {time}",
    },
    "offices.opens_weekday": {
        "nl": "opent {weekday} om {time}",
        "fr": "ouvre {weekday} à {time}",
        "de": "öffnet am {weekday} um {time}",
        "en": "opens {weekday} at {time}",
    },
    "offices.opens_date": {
        "nl": "opent op {weekday} {day} {month} om {time}",
        "fr": "ouvre le {weekday} {day} {month} à {time}",
        "de": "öffnet am {weekday}, {day}. {month}, um {time}",
        "en": "opens on {weekday} {day} {month} at {time}",
    },
    "offices.today": {
        "nl": "Vandaag",
        "fr": "Aujourd'hui",
        "de": "Heute",
        "en": "Today",
    },
    "offices.closed_today": {
        "nl": "gesloten",
        "fr": "fermé",
        "de": "geschlossen",
        "en": "closed",
    },
    "offices.closed_because": {
        "nl": "gesloten ({reason})",
        "fr": "fermé ({reason})",
        "de": "geschlossen ({reason})",
        "en": "closed ({reason})",
    },
    "offices.address": {
        "nl": "Adres",
        "fr": "Adresse",
        "de": "Adresse",
        "en": "Address",
    },
    "offices.host": {
        "nl": "Gastheer",
        "fr": "Hôte",
        "de": "Gastgeber",
        "en": "Host",
    },
    "offices.desks": {
        "nl": "Werkplekken",
        "fr": "Postes de travail",
        "de": "Arbeitsplätze",
        "en": "Desks",
    },
    "offices.facilities": {
        "nl": "Voorzieningen",
        "fr": "Équipements",
        "de": "Ausstattung",
        "en": "Facilities",
    },
    "offices.languages": {
        "nl": "Talen",
        "fr": "Langues",
        "de": "Sprachen",
        "en": "Languages",
    },
    "offices.access": {
        "nl": "Toegang",
        "fr": "Accès",
        "de": "Zugang",
        "en": "Access",
    },
    "offices.button_map": {
        "nl": "Op de kaart",
        "fr": "Sur la carte",
        "de": "Auf der Karte",
        "en": "On the map",
    },
    "offices.button_email": {
        "nl": "E-mail",
        "fr": "E-mail",
        "de": "E-Mail",
        "en": "E-mail",
    },
    "offices.button_teams": {
        "nl": "Chat in Teams",
        "fr": "Chat dans Teams",
        "de": "Chat in Teams",
        "en": "Chat in Teams",
    },
    "offices.email_subject": {
        "nl": "Satellietkantoor {name}",
        "fr": "Bureau satellite {name}",
        "de": "Satellitenbüro {name}",
        "en": "Satellite office {name}",
    },
    "offices.button_province": {
        "nl": "Alle kantoren in {province}",
        "fr": "Tous les bureaux : {province}",
        "de": "Alle Büros: {province}",
        "en": "All offices in {province}",
    },
    "offices.province_title": {
        "nl": "Satellietkantoren in {province}",
        "fr": "Bureaux satellites : {province}",
        "de": "Satellitenbüros: {province}",
        "en": "Satellite offices in {province}",
    },
    "offices.province_empty": {
        "nl": "Er staat geen satellietkantoor in {province} in de lijst.",
        "fr": "La liste ne contient aucun bureau satellite pour : {province}.",
        "de": "Die Liste enthält kein Satellitenbüro für: {province}.",
        "en": "There is no satellite office in {province} in the list.",
    },
    "offices.remember_offer": {
        "nl": "Zal ik {place} onthouden als je thuisgebied? Dan antwoord ik de volgende keer meteen.",
        "fr": "Dois-je retenir {place} comme votre région ? La prochaine fois, je répondrai tout de suite.",
        "de": "Soll ich mir {place} als Ihr Wohngebiet merken? Dann antworte ich beim nächsten Mal sofort.",
        "en": "Shall I remember {place} as your home area? Next time I'll answer straight away.",
    },
    "offices.remember_privacy": {
        "nl": "Alleen die plaats wordt bewaard. Je kunt ze altijd laten wissen ('vergeet mijn woonplaats').",
        "fr": "Seul ce lieu est conservé. Vous pouvez toujours l'effacer (« oublie mon domicile »).",
        "de": "Nur dieser Ort wird gespeichert. Sie können ihn jederzeit löschen lassen („Wohngebiet vergessen“).",
        "en": "Only that place is kept. You can have it deleted at any time ('forget my home area').",
    },
    "offices.yes": {
        "nl": "Ja, onthoud het",
        "fr": "Oui, retenez-le",
        "de": "Ja, merken",
        "en": "Yes, remember it",
    },
    "offices.no": {
        "nl": "Nee, bedankt",
        "fr": "Non merci",
        "de": "Nein, danke",
        "en": "No, thanks",
    },
    "offices.remembered": {
        "nl": "Goed, ik onthoud {place} als je thuisgebied.",
        "fr": "C'est noté : {place} est votre région.",
        "de": "In Ordnung, ich merke mir {place} als Ihr Wohngebiet.",
        "en": "OK, I'll remember {place} as your home area.",
    },
    "offices.not_remembered": {
        "nl": "Oké, ik bewaar niets.",
        "fr": "D'accord, je ne conserve rien.",
        "de": "In Ordnung, ich speichere nichts.",
        "en": "OK, I won't keep anything.",
    },
    "offices.forgotten": {
        "nl": "Ik heb je thuisgebied gewist.",
        "fr": "J'ai effacé votre région.",
        "de": "Ich habe Ihr Wohngebiet gelöscht.",
        "en": "I have deleted your home area.",
    },
    **{
        f"offices.weekday.{day}": dict(zip(("nl", "fr", "de", "en"), names, strict=True))
        for day, names in _WEEKDAY_NAMES.items()
    },
    **{
        f"offices.month.{number}": dict(zip(("nl", "fr", "de", "en"), names, strict=True))
        for number, names in enumerate(_MONTH_NAMES, start=1)
    },
    **{
        f"offices.facility.{key}": dict(zip(("nl", "fr", "de", "en"), names, strict=True))
        for key, names in _FACILITY_NAMES.items()
    },
    **{
        f"offices.lang.{code}": dict(zip(("nl", "fr", "de", "en"), names, strict=True))
        for code, names in {
            "nl": ("Nederlands", "néerlandais", "Niederländisch", "Dutch"),
            "fr": ("Frans", "français", "Französisch", "French"),
            "de": ("Duits", "allemand", "Deutsch", "German"),
            "en": ("Engels", "anglais", "Englisch", "English"),
        }.items()
    },
}
