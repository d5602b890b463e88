"""Who states a figure: the pledging company, another party, or the reporter.

- `company`: the figure is in the company's own words: in quotation marks, or in a sentence where
  the company, a pronoun or description of it, or one of its people is the subject of a verb of
  speech or announcement ("Microsoft says it will invest", "ont-ils annoncé", "ha dichiarato
  l'amministratore delegato di Aruba"), or "according to" one of them;
- `other`: another party is cited for it ("according to analysts", "selon le gouvernement",
  "secondo la Regione", "stando al ministro");
- `reporter`: no one is cited; the reporter's own words.
"""

from __future__ import annotations

import re

SPEECH = (r"said|says|say|announced|announces|announce|stated|states|told|confirmed|confirms|added|noted|explained|"
          r"unveiled|revealed|pledged|promised|declared|estimated|estimates|estimate|expects|"
          r"put\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,8}?at|"
          r"annoncé|déclaré|précisé|confirmé|promis|indiqué|chiffré|annunciato|dichiarato|confermato|promesso|"
          r"a\s+annoncé|annonce|annoncent|ont\s+annoncé|ont-ils\s+annoncé|ont-elles\s+annoncé|a\s+déclaré|déclare|"
          r"a\s+précisé|précise|a\s+indiqué|indique|a\s+confirmé|confirmé|confirme|a\s+promis|promet|a\s+expliqué|"
          r"a\s+affirmé|affirme|a-t-il\s+\w+|a-t-elle\s+\w+|estime|"
          r"ha\s+annunciato|hanno\s+annunciato|annuncia|ha\s+dichiarato|dichiara|ha\s+detto|dice|ha\s+spiegato|"
          r"ha\s+confermato|conferma|ha\s+precisato|afferma|ha\s+affermato|stima|ha\s+reso\s+noto")
SPEECH_VERB = re.compile(rf"(?<![\w-])(?:{SPEECH})(?![\w-])", re.IGNORECASE)
CITED = re.compile(r"\b(?:according\s+to|selon|d['’]après|secondo|stando\s+(?:a|al|alla|ai|agli|alle))\s+"
                   r"(?!(?:trimestre|semestre|anno|posto|piano|turno|round|tour|rang)\b)(?P<who>[^,.;\n]{1,60})",
                   re.IGNORECASE)
OTHERS = re.compile(r"\b(?:government|minister\w*|ministry|analysts?|elysee|élysée|consultanc\w*|bank|"
                    r"officials?|state|prime\s+minister|president\s+(?!of\s+(?:the\s+)?company)|"
                    r"gouvernement|ministre|ministère|analystes?|cabinet|banque|préfecture|mairie|"
                    r"governo|ministro|ministero|analisti|società\s+di\s+consulenza|banca|comune|"
                    r"(?-i:R[ée]gion[e]?)|"
                    r"consultancy|agency|agence|agenzia|report|rapport|rapporto|study|étude|studio)\b", re.IGNORECASE)
COMPANY_WORDS = re.compile(r"\b(?:it|they|he|she|we|elle|il|ils|elles|nous|the\s+(?:\w+\s+)?(?:company|firm|group|"
                           r"giant|start-?up|provider|operator|investor)|(?:son|sa|ses|its|their|suo|sua)\s+\w+|"
                           r"l['’](?:entreprise|azienda|amministratore)|le\s+groupe|il\s+gruppo|la\s+società)\b",
                           re.IGNORECASE)
QUOTE = re.compile(r"[“«\"]([^”»\"]+)[”»\"]")


def attribution_of(text: str, sentence: tuple[int, int], at: int, subject: str, employers: dict[str, str]) -> str:
    """`company`, `other` or `reporter` for the figure at offset `at` of `sentence`. `employers`
    maps people's names to the organisation they work for."""
    words = text[sentence[0]:sentence[1]]
    offset = at - sentence[0]
    names = [n for n in subject.split(" and ") if n and not n.startswith("TODO")]

    def who(fragment: str, last: bool = True) -> str:
        """Who the words next to a verb of speech name: the nearest to the verb decides."""
        found = []
        for name in names:
            found += [(m.start(), "company") for m in re.finditer(re.escape(name), fragment, re.IGNORECASE)]
        for person, employer in employers.items():
            found += [(m.start(), "company" if employer in names else "other")
                      for m in re.finditer(re.escape(person), fragment)]
        found += [(m.start(), "other") for m in OTHERS.finditer(fragment)]
        found += [(m.start(), "company") for m in COMPANY_WORDS.finditer(fragment)]
        if not found:
            return ""
        return (max(found) if last else min(found))[1]

    for quoted in QUOTE.finditer(words):
        if quoted.start() < offset < quoted.end():
            return who(words[quoted.end():]) or who(words[:quoted.start()]) or "company"
    cited = CITED.search(words)
    if cited:
        return who(cited.group("who")) or "other"
    for verb in SPEECH_VERB.finditer(words):
        if re.search(r"-(?:t-)?(?:il|elle|ils|elles)\b", verb.group(0)):
            return "company"  # "ont-ils annoncé": the pronoun is the subject
        if verb.end() <= offset and any(n.lower() in words[verb.end():offset].lower() for n in names):
            continue  # the subject is named after the verb, in a clause of its own ("while its partner NEC will")
        found = who(words[max(0, verb.start() - 50):verb.start()]) or who(words[verb.end():verb.end() + 60], last=False)
        if found:
            return found
    return "reporter"
