"""Subject attribution: which organisation pledges or states each figure.

1. **Organisations named in the article**: the names the package knows (and their aliases: "AWS" is
   Amazon's), a company described by its home town ("il gruppo di Redmond", "le géant de Mountain
   View"), and capitalised names that act like an organisation: an acronym or a camel-case name, a
   corporate suffix, a possessive, a verb after it ("Oracle said", "Aruba ha", "Inwi et l'américain
   Oracle ont"), an apposition and then a verb ("Cisco, présent au même événement, a promis"), a
   description before it ("le groupe suédois Ericsson"). A name that acts like one once is one
   everywhere in the article. Datelines, all-caps headlines, countries, months, sentence openers
   ("Separately", "Intanto") are never organisations.
2. **People** are not subjects: a name after a title ("chief executive Sundar Pichai", "Prime
   Minister ...") or before one (", amministratore delegato di Aruba") is a person, mapped to the
   employer the title names; a figure in a person's quoted words belongs to that employer.
3. **Which organisation a figure belongs to**: the organisation(s) named before it in its sentence
   ("X and Y" being both); for a figure in quotation marks, the speaker's employer named after the
   quote; else, after a pronoun or a description that opens the sentence ("It", "The company",
   "Elle", "Il gruppo") or in a sentence that names no one, the subject of the last sentence that
   named one; else the first named after it in its sentence ("a plan by Fluidstack"); a headline's
   figure belongs to the first organisation of the article. A sentence that introduces an unnamed
   organisation ("a local operator") or a text that names none gives "TODO", with the candidates.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import get_day_names
from babel.numbers import list_currencies

from pledges.inputs.annotations import load_facts
from pledges.reading.numbers import Figure, languages, months, overlaps
from pledges.suggest.quotes import datelines, headline

# Organisations by other names: "AWS" is Amazon's, "Redmond" stands for Microsoft in the press.
ALIASES = {"Amazon Web Services": "Amazon", "AWS": "Amazon", "Redmond": "Microsoft", "Google Cloud": "Google",
           "Microsoft France": "Microsoft", "Microsoft Italia": "Microsoft", "Amazon France": "Amazon"}
# Companies this package is about, known wherever they stand (a text's other names must act like one).
BIG_TECH = ("Amazon", "Microsoft", "Google", "Alphabet", "Apple", "Meta", "Nvidia", "Oracle", "IBM", "Intel", "AMD",
            "OpenAI", "Anthropic", "Mistral AI", "Salesforce", "Equinix", "OVHcloud")
# The home towns the press names companies by, after a description ("the Cupertino company").
HOMES = {"Redmond": "Microsoft", "Mountain View": "Google", "Cupertino": "Apple", "Seattle": "Amazon",
         "Menlo Park": "Meta", "Armonk": "IBM"}
DESCRIPTION = (r"group|company|firm|giant|groupe|géant|entreprise|société|firme|gruppo|colosso|azienda|società|"
               r"big|operator|opérateur|operatore|fonds|fund|fondo|chipmaker|start-?up|provider|investor")
CORPORATE_SUFFIX = r"Inc|Corp|Corporation|Ltd|plc|SA|SAS|SpA|S\.p\.A\.|AG|GmbH|Group|Groupe|Gruppo|Holdings?|NV|SE"
# Verbs (and auxiliaries) after a name that make it the subject of a sentence; future tenses of
# French and Italian verbs are read by their endings.
ACTS = (r"'s|’s|will|would|said|says|plans?|planned|announced|announces|has|have|had|is|are|was|were|expects|"
        r"intends|pledged|promised|committed|invests?|invested|put|told|already|also|aims|agreed|confirmed|"
        r"unveiled|opened|opens|signed|hired|hires|employs|employed|raised|spent|spends|builds|built|launched|"
        r"launches|wants|could|should|may|can|noted|added|stated|chose|owns|runs|operates|"
        r"va|vont|a|ont|annonce|annoncé|prévoit|prévoient|compte|veut|investit|promet|s'engage|s’engage|emploie|"
        r"est|sont|était|avait|confirme|lance|ouvre|dispose|"
        r"ha|hanno|investe|prevede|prevedono|conta|impiega|annuncia|è|sono|conferma|apre|punta|"
        r"together|jointly|both|ensemble|conjointement|insieme|entrambi|"
        r"\w+r(?:a|ont|à|anno)")
ACTS_AFTER = re.compile(rf",?\s+(?:{ACTS})(?![\w'’])|,\s+(?:which|who|qui|che|dont|whose)\b"
                        rf"|,\s[^,.;\n]{{1,60}},\s+(?:{ACTS})(?![\w'’])", re.IGNORECASE)
OPENERS = {
    "The", "A", "An", "In", "It", "Its", "This", "That", "These", "Those", "Last", "Some", "Over", "About", "More",
    "Separately", "Following", "Meanwhile", "However", "Also", "And", "But", "Under", "With", "After", "Before",
    "During", "Since", "While", "Although", "According", "Their", "Our", "We", "They", "He", "She", "His", "Her",
    "Today", "Yesterday", "Next", "On", "At", "By", "For", "From", "To", "Of", "Among", "Both", "Each", "All",
    "Many", "Most", "Several", "Other", "Others", "New", "Exceeding", "Officials", "Analysts", "Shares", "Capacity",
    "Dozens", "Published", "If", "As", "Once", "When", "Where", "Why", "How", "What", "Chief", "Prime",
    "Le", "La", "Les", "L", "Un", "Une", "Au", "Aux", "En", "Selon", "Cette", "Ce", "Cet", "Ces", "Par", "Pour",
    "Avec", "Après", "Avant", "Dans", "Depuis", "Lors", "Alors", "Ainsi", "Enfin", "Mais", "Et", "Ou", "Donc",
    "Cependant", "Toutefois", "De", "Du", "Des", "Elle", "Ils", "Elles", "Nous", "Son", "Sa", "Ses", "Leur",
    "Leurs", "Notre", "Parmi", "Près", "Plus", "Deux", "Environ", "Publié", "Notons", "D", "Sur",
    "Il", "Lo", "Gli", "I", "Una", "Uno", "Nel", "Nella", "Nello", "Negli", "Secondo", "Stando", "Sono", "Per",
    "Da", "Dal", "Dalla", "Quasi", "Fino", "Almeno", "Intanto", "Inoltre", "Dopo", "Prima", "Con", "Come",
    "Anche", "Ma", "Però", "Quindi", "Già", "Oggi", "Ieri", "Questo", "Questa", "Tra", "Fra", "Su", "Al", "Alla",
    "Della", "Del", "Entro", "Ha", "Pubblicato", "Obiettivo", "Articolo", "Articoli"}
NOT_NAMES = OPENERS | {
    "Elysee", "Elysée", "Bercy", "AI", "IA", "CDI", "GPU", "GPUs", "CEO", "US", "EU", "UE", "USA", "UK", "MW",
    "GW", "Md", "M", "Mds", "PDG", "Reuters", "AFP", "ANSA", "Adnkronos", "AP", "Bloomberg", "Hexagone", "Paese",
    "Europe", "Europa", "Summit", "Choose", "France", "Alsace", "Agglomération", "Sud", "Nord", "GDP", "PIB",
    "Pil", "Regione", "Region", "Région", "Government", "Gouvernement", "Governo", "State", "État", "Stato",
    "Ministry", "Ministère", "Ministero", "President", "Président", "Presidente", "Minister", "Ministre",
    "Ministro", "Premier", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "CFA", "VP", "SVP", "EVP", "CFO", "CTO", "COO", "AD",
    "DG", "IT", "ICT", "HPC", "GDPR", "PNRR", "IPO", "M&A", "R&D"} | set(list_currencies())
TITLE = (r"chief\s+executive(?:\s+officer)?|chief\s+\w+\s+officer|CEO|CFO|CTO|chairman|chairwoman|chair|"
         r"(?:senior\s+|corporate\s+|executive\s+)*vice[- ]president|(?:senior\s+)?VP|president|founder|co-founder|"
         r"managing\s+director|director|head|spokesman|spokeswoman|spokesperson|analyst|minister|prime\s+minister|"
         r"secretary|country\s+manager|general\s+manager|manager|boss|"
         r"président(?:e)?|vice-président(?:e)?|directeur(?:\s+général)?|directrice|fondat(?:eur|rice)|porte-parole|"
         r"PDG|patron(?:ne)?|dirigeant(?:e)?|ministre|premier\s+ministre|responsable|"
         r"presidente|vicepresidente|ministro|direttore|direttrice|amministratore\s+delegato|ad|fondatore|"
         r"portavoce|responsabile|premier")
TITLE_BEFORE = re.compile(rf"\b(?:{TITLE}),?\s+$", re.IGNORECASE)
TITLE_AFTER = re.compile(rf",\s+(?:[\w'’-]+\s+){{0,3}}?(?:(?:{TITLE})\b|who\s+heads|qui\s+dirige|che\s+guida)",
                         re.IGNORECASE)
EMPLOYER = re.compile(rf"\b(?:{TITLE}|who\s+heads|qui\s+dirige|che\s+guida)\b[^,.;\n]{{0,40}}?"
                      rf"(?<![\w])(?:of|at|for|de|du|d['’]|di|del|della|chez|presso)\s*$", re.IGNORECASE)
CONNECTOR = re.compile(r"\s*(?:,|and|et|e|&)\s*(?:(?:the|le|la|les|l['’]|il|lo|gli)\s*)?(?:[a-zà-ÿ-]+\s+){0,2}",
                       re.IGNORECASE)
COMBINED = r"\b(?:combined|together|jointly|ensemble|au total|cumulé\w*|conjoint\w*|complessiv\w*|insieme|in tutto)\b"
# A pronoun or a description before the figure refers to the organisation the text was last about
# (French "il" is a pronoun, Italian "il" an article).
ANAPHOR = {
    "en": re.compile(r"\b(?:it|its|they|their|the\s+(?:[\w-]+\s+){0,2}?(?:company|firm|group|giant|start-?up|operator|"
                     r"provider|investor|fund|chipmaker|maker|developer|hyperscaler|retailer|lab))\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:elle|il|ils|elles|le\s+(?:[\w-]+\s+){0,2}?(?:groupe|géant|fonds|spécialiste|laboratoire|"
                     r"constructeur|fabricant|développeur|opérateur)|l['’](?:entreprise|opérateur|américain|éditeur|"
                     r"hébergeur)|la\s+(?:start-?up|société|firme|jeune\s+pousse))\b", re.IGNORECASE),
    "it": re.compile(r"\b(?:il\s+(?:[\w-]+\s+){0,2}?(?:gruppo|colosso|fondo|gigante|produttore)"
                     r"|l['’](?:azienda|operatore)|"
                     r"la\s+(?:società|startup|start-up))\b", re.IGNORECASE),
}
# An organisation after these is an object, not the subject of its sentence.
OBJECT = re.compile(r"\b(?:in|into|to|with|for|from|at|on|dans|en|avec|pour|chez|auprès\s+de|nel|nella|con|per|a|à|"
                    r"al|alla|au|aux|of|de|du|des|di|del|della|d['’])(?![\w’'])\s*(?:the\s+|le\s+|la\s+|l['’]|il\s+|lo\s+)?"
                    r"(?:[\w’'-]+\s+){0,2}?$", re.IGNORECASE)
# "4,000 AMD accelerators", "1 500 puces Nvidia": the maker of the things counted, not the subject.
MAKER = re.compile(r"\s*(?:(?:chips?|puces?|gpus?|processors?|processeurs?|processori|accelerators?|acceleratori|"
                   r"servers?|serveurs?)\s+(?:de\s+|di\s+|from\s+)?)?", re.IGNORECASE)
# "a local operator", "une société", "un'azienda": an organisation the text does not name.
UNNAMED = re.compile(rf"\b(?:an?|une?|una|un['’])\s+(?:[a-zà-ÿ-]+\s+)?(?:{DESCRIPTION}|bank|banque|banca|"
                     r"consultancy|developer|promoteur)\b", re.IGNORECASE)
QUOTE_MARKS = "\"“”«»"

_NAME = re.compile(r"(?<![\w’'])(?:[A-Z][\w&’'-]*|[a-z]+[A-Z]\w*)(?:[ \t]+(?:[A-Z][\w&’'-]*|AI|Web|de|of|du))*")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    name: str
    employer: str | None


@cache
def _places() -> frozenset[str]:
    """Names that are never organisations: countries, months and weekdays in the three languages."""
    names: set[str] = set()
    for language in languages():
        locale = Locale(language)
        names.update(locale.territories.values())
        names.update(n.capitalize() for n in months(language))
        names.update(n.capitalize() for n in get_day_names("wide", locale=language).values())
    return frozenset(names)


def _furniture(text: str) -> list[tuple[int, int]]:
    """Datelines and all-caps lines: no organisation is named there."""
    spans = list(datelines(text))
    for line in re.finditer(r"[^\n]+", text):
        if headline(text, line.start(), line.end()):
            spans.append((line.start(), line.end()))
    return sorted(spans)


def _candidates(text: str) -> list[Mention]:
    candidates = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and (words[-1] in ("de", "of", "du") or (words[-1] in NOT_NAMES and not (
                words[-1] in ("AI", "IA") and len(words) > 1))):
            words.pop()
        described = re.search(rf"\b(?:{DESCRIPTION})(?:\s+[a-zà-ÿ-]+)?\s+$",
                              text[max(0, match.start() - 40):match.start()], re.IGNORECASE)
        while words and (words[0] in NOT_NAMES or (words[0] in _places() and not described)
                         or re.match(r"[LD]['’]", words[0])):
            if re.match(r"[LD]['’]\w", words[0]) and len(words[0]) > 2 and words[0][2].isupper():
                words[0] = words[0][2:]  # "l'Oracle", "d'OVHcloud"
                break
            words.pop(0)
        if not words:
            continue
        for index, word in enumerate(words[:-1]):  # "Google's Nordic expansion": the name ends at the possessive
            if re.search(r"(?:’s|'s)$", word):
                words = words[:index + 1]
                break
        while words and re.fullmatch(r"[\w.]+-based", words[0]) and len(words) > 1:
            words.pop(0)  # "Paris-based Mistral AI"
        name = re.sub(r"(?:’s|'s)$", "", " ".join(words).rstrip("’'"))
        start = match.start() + match.group(0).index(words[0])
        if all(w in _places() for w in name.split()) and not re.search(
                rf"\b(?:{DESCRIPTION})(?:\s+[a-zà-ÿ-]+)?\s+$", text[max(0, start - 40):start], re.IGNORECASE):
            continue
        candidates.append(Mention(start, start + len(name), name))
    return candidates


# "a Novara", "in Lombardia", "campus di Roma", "le colosse d'Austin": a place, not an organisation.
LOCATIVE = re.compile(rf"(?:\b(?:a|à|in|at|near|outside|en|nel|nella|vicino\s+a|près\s+de|presso|dans)|"
                      rf"\b(?:campus|site|sites|sede|centre|center|centro|polo|stabilimento|plant|magazzini|région|"
                      rf"regione|region|city|ville|città|hub|office|bureau|ufficio|area|zone|zona|"
                      rf"{DESCRIPTION})(?:\s+[a-zà-ÿ]+)?\s+(?:di|de|du|d['’]|of|da))\s*$", re.IGNORECASE)


def _acts_like_organisation(text: str, m: Mention) -> bool:
    if re.search(r"[A-Z]+\d{3,}", m.name):
        return False  # a model number ("MI300X", "H100"), not an organisation
    strong = re.fullmatch(r"[A-Z][A-Z0-9]{1,5}|[A-Z][a-z]+[A-Z0-9]\w*|[a-z]+[A-Z]\w*", m.name)
    if EMPLOYER.search(text[max(0, m.start - 60):m.start]):
        return True  # "head of operations at Contoso", "directeur des opérations d'OVHcloud"
    if not strong and LOCATIVE.search(text[max(0, m.start - 30):m.start]):
        return False
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,5}|[A-Z][a-z]+[A-Z0-9]\w*|[a-z]+[A-Z]\w*", m.name):
        return True  # IBM, G42, OVHcloud, MGX
    after = text[m.end:m.end + 90]
    if re.match(rf"\s+(?:{CORPORATE_SUFFIX})\b", after) or re.search(rf"\s(?:{CORPORATE_SUFFIX})$", m.name) \
            or re.match(r"(?:’s|'s)\b", after):
        return True
    if ACTS_AFTER.match(after) and not re.match(r",?\s+(?:a|è)\s+\w+\s+(?:di|de)\b", after):
        return True
    return bool(re.search(rf"\b(?:{DESCRIPTION})(?:\s+[a-zà-ÿ-]+)?\s+$", text[max(0, m.start - 40):m.start],
                          re.IGNORECASE))


def people(text: str, candidates: list[Mention], orgs: list[Mention]) -> list[Person]:
    """Names of people: after a title, or before ", <title> of <organisation>"; with their employer."""
    found = []
    org_starts = [o.start for o in orgs]
    for c in candidates:
        before = text[max(0, c.start - 60):c.start]
        title_before = TITLE_BEFORE.search(before)
        title_after = TITLE_AFTER.match(text, c.end)
        titled = re.match(rf"(?:(?:{TITLE})\s+)+(?=[A-Z])", c.name, re.IGNORECASE)
        if not (title_before or title_after or titled):
            continue
        employer = None
        if title_after:
            end = min(len(text), c.end + 120)
            stop = re.search(r"[.;\n”\"»]|,\s+(?:said|a|ha)\b", text[title_after.end():end])
            limit = title_after.end() + (stop.start() if stop else end - title_after.end())
            at = bisect.bisect_left(org_starts, c.end)
            if at < len(orgs) and orgs[at].start < limit:
                employer = orgs[at].name
        if employer is None and title_before:
            named = [o for o in orgs if c.start - 60 <= o.start and o.end <= c.start]
            if named:
                employer = named[-1].name
        start = c.start + (titled.end() if titled else 0)
        found.append(Person(start, c.end, c.name[titled.end():] if titled else c.name, employer))
    return found


def organisations(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Mentions of organisations in `text`, as (start, end, name), in order."""
    return [(m.start, m.end, m.name) for m in _organisations(text, known)[0]]


def _organisations(text: str, known: frozenset[str]) -> tuple[list[Mention], list[Person]]:
    furniture = _furniture(text)
    names = {**{name: name for name in (*known, *BIG_TECH)}, **ALIASES}
    found: list[Mention] = []
    pattern = rf"(?<![\w])(?:{'|'.join(re.escape(n) for n in sorted(names, key=len, reverse=True))})(?![\w])"
    found += [Mention(m.start(), m.end(), names[m.group(0)]) for m in re.finditer(pattern, text)
              if not overlaps(furniture, m.start(), m.end())]
    home_names = "|".join(map(re.escape, HOMES))
    homes = rf"\b(?:{DESCRIPTION})(?:\s+[a-zà-ÿ-]+)?\s+(?:of|from|de|di|da)\s+(?P<home>{home_names})\b"
    homes_first = rf"\b(?P<home>{'|'.join(map(re.escape, HOMES))})(?:-based)?\s+(?:{DESCRIPTION})\b"
    for m in [*re.finditer(homes, text, re.IGNORECASE), *re.finditer(homes_first, text, re.IGNORECASE)]:
        if not any(f.start <= m.start("home") < f.end for f in found):
            found.append(Mention(m.start("home"), m.end("home"), HOMES[m.group("home")]))
    known_spans = sorted((f.start, f.end) for f in found)
    candidates = [c for c in _candidates(text) if not overlaps(known_spans, c.start, c.end)
                  and not overlaps(furniture, c.start, c.end)]
    accepted = {c.name for c in candidates if _acts_like_organisation(text, c)}
    for candidate, following in zip(candidates, candidates[1:]):  # "Contoso and Fabrikam will", "Inwi et l'américain"
        between = text[candidate.end:following.start]
        joined = CONNECTOR.fullmatch(between) and "," not in between
        if joined and (following.name in accepted or following.name in names):
            accepted.add(candidate.name)
    persons = people(text, candidates, sorted(found + [c for c in candidates if c.name in accepted],
                                               key=lambda m: m.start))
    person_words = {w for p in persons for w in p.name.split() if len(w) > 2}
    person_spans = sorted((p.start, p.end) for p in persons)
    orgs = [c for c in candidates if c.name in accepted and not overlaps(person_spans, c.start, c.end)
            and not set(c.name.split()) <= person_words]
    return sorted(found + orgs, key=lambda m: m.start), persons


def _chain(text: str, mentions: list[Mention], last: int) -> str:
    """The name of mentions[last], with those joined to it by "and" or a comma before it: "X and Y"."""
    names = [mentions[last].name]
    for index in range(last - 1, -1, -1):
        between = text[mentions[index].end:mentions[index + 1].start]
        if CONNECTOR.fullmatch(between) and "\n" not in between:
            names.insert(0, mentions[index].name)
        else:
            break
    return " and ".join(dict.fromkeys(names))


def _in_quotes(text: str, sentence: tuple[int, int], at: int) -> int | None:
    """Where the quotation holding offset `at` closes, if `at` is inside quotation marks."""
    opened = None
    for index in range(sentence[0], sentence[1]):
        char = text[index]
        if char in "“«" or (char == '"' and opened is None):
            opened = index
        elif char in "”»" or char == '"':
            if opened is not None and opened < at < index:
                return index
            opened = None
    return None


@dataclass
class Subjects:
    """The organisations and people of one article, asked for each figure's subject."""

    text: str
    mentions: list[Mention]
    persons: list[Person]
    spans: list[tuple[int, int]]  # the article's sentences, in order
    language: str = "en"

    def __post_init__(self):
        self.starts = [m.start for m in self.mentions]
        self._topics: dict[int, str | None] = {}

    def _in(self, span: tuple[int, int]) -> tuple[int, int]:
        return bisect.bisect_left(self.starts, span[0]), bisect.bisect_left(self.starts, span[1])

    def topic(self, index: int) -> str | None:
        """What sentence `index` is about: its first organisation that is not an object, or, after a
        pronoun or when it names none, what the sentence before it is about."""
        if index < 0:
            return None
        if index not in self._topics:
            span = self.spans[index]
            first, end = self._in(span)
            subject = None
            anaphor = self._anaphor(span[0], self.mentions[first].start if first < end else span[1])
            if not anaphor:
                for at in range(first, end):
                    if not OBJECT.search(self.text[max(span[0], self.mentions[at].start - 30):self.mentions[at].start]):
                        subject = self._chain_forward(at, end)
                        break
            self._topics[index] = subject or self.topic(index - 1)
        return self._topics[index]

    def _anaphor(self, start: int, end: int) -> re.Match | None:
        """A pronoun or description in text[start:end] that refers back, not one that describes the
        name right after it ("Le groupe OVHcloud", "the US cloud provider Oracle")."""
        for match in ANAPHOR[self.language].finditer(self.text, start, end):
            if any(match.start() <= m.start < match.end() for m in self.mentions):
                continue  # "The Seattle company": a description that names it
            at = bisect.bisect_left(self.starts, match.end())
            following = self.mentions[at] if at < len(self.mentions) else None
            if following and following.start - match.end() <= 25 and not re.search(
                    r"[,;:.]|\b(?:said|says|a|ha|has|will|va)\b", self.text[match.end():following.start]):
                continue
            return match
        return None

    def _chain_forward(self, at: int, end: int) -> str:
        last = at
        while last + 1 < end and CONNECTOR.fullmatch(self.text[self.mentions[last].end:self.mentions[last + 1].start]) \
                and "\n" not in self.text[self.mentions[last].end:self.mentions[last + 1].start]:
            last += 1
        return _chain(self.text, self.mentions, last)

    def subject_of(self, figure: Figure, sentence: tuple[int, int], first_body: int) -> str:
        text, mentions = self.text, self.mentions
        first, end = self._in(sentence)
        upto = bisect.bisect_left(self.starts, figure.start)
        index = bisect.bisect_right([a for a, _ in self.spans], sentence[0]) - 1
        if re.search(COMBINED, text[sentence[0]:figure.end], re.IGNORECASE) and upto >= 2 and upto > first:
            named = list(dict.fromkeys(m.name for m in reversed(mentions[:upto])))[:2]
            return " and ".join(reversed(named))
        closing = _in_quotes(text, sentence, figure.start)
        if closing is not None:  # "“We will invest €1bn,” said X, head of Y at Nscale"
            after = [i for i in range(upto, end) if mentions[i].start > closing]
            if after:
                return mentions[after[0]].name
            speakers = [p for p in self.persons if closing < p.start < sentence[1] + 200 and p.employer]
            if speakers:
                return speakers[0].employer  # type: ignore[return-value]
        opening = text[sentence[0]:figure.start]
        anaphor = self._anaphor(sentence[0], figure.start)
        before = [i for i in range(first, upto) if mentions[i].end <= figure.start]
        if before and not (anaphor and anaphor.start() < mentions[before[0]].start):
            return _chain(text, mentions, before[-1])
        if UNNAMED.search(opening):
            return self.todo(figure)
        if figure.start < first_body:  # a headline's figure: what the article is about
            following = next((i for i, span in enumerate(self.spans) if span[0] >= first_body), None)
            if following is not None:
                for later in range(following, len(self.spans)):
                    topic = self.topic(later)
                    if topic:
                        return topic
        if anaphor or first == end:
            carried = self.topic(index - 1)
            if carried:
                return carried
        after = [i for i in range(upto, end)
                 if (not OBJECT.search(text[max(sentence[0], mentions[i].start - 30):mentions[i].start])
                     or re.search(r"\b(?:by|par|da)\s+$", text[max(0, mentions[i].start - 6):mentions[i].start]))
                 and not MAKER.fullmatch(text[figure.end:mentions[i].start])]
        if after:
            return mentions[after[0]].name
        return self.todo(figure)

    def todo(self, figure: Figure) -> str:
        near = sorted(self.mentions, key=lambda m: abs(m.start - figure.start))
        names = list(dict.fromkeys(m.name for m in near))[:3]
        return f"TODO (candidates: {', '.join(names)})" if names else "TODO"


def subjects(text: str, spans: list[tuple[int, int]], language: str, known: frozenset[str] = frozenset()) -> Subjects:
    """The organisations and people of `text`, whose sentences are `spans`."""
    mentions, persons = _organisations(text, known)
    return Subjects(text, mentions, persons, spans, language if language in ANAPHOR else "en")


def known_subjects(root: Path) -> frozenset[str]:
    """The organisations the package's facts name ("X and Y" names two), so that a draft
    recognises them; a facts file with problems names what it can."""
    facts = load_facts(root, []) if (root / "annotations" / "facts.yaml").is_file() else {}
    return frozenset(name for fact in facts.values() for name in fact.subject.split(" and ") if name)


SUFFIX = re.compile(rf"\s+(?:{CORPORATE_SUFFIX})$", re.IGNORECASE)


def _normal(name: str) -> str:
    return SUFFIX.sub("", name.strip()).casefold()


def same_subject(expected: str, drafted: str) -> bool:
    """Whether a drafted subject names the expected organisation(s): case and corporate suffixes
    aside, in any order; "Microsoft France" names Microsoft."""
    wanted = sorted(_normal(n) for n in expected.split(" and "))
    got = sorted(_normal(ALIASES.get(n, n)) for n in drafted.split(" and "))
    return len(wanted) == len(got) and all(g == w or g.startswith(w + " ") for w, g in zip(wanted, got))
