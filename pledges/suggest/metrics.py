"""The unit and metric of a figure, by rules a reviewer can read here.

- the **unit**: written with the figure (money, percent, MW), or the thing counted, from the noun
  after it (the reader's `counted_unit`) or before a verb of amount; people after a hiring verb are
  jobs, after a verb of employing employees, after a verb of training people;
- the **metric**, only when the words support it: money that is invested, pledged or costs
  something; people who are trained; a share of renewable energy; power is the capacity metric;
  jobs, employees, startups and GPUs are their own metric. Otherwise `TODO unknown metric`, never a
  guess from the unit.
"""

from __future__ import annotations

import re

from pledges.reading.numbers import Figure, counted_unit, ecb_currencies

INVESTMENT = (r"invest\w*|spend\w*|spent|pledg\w*|commit\w*|inject\w*|put in|put\b|outlay|"
              r"consacr\w*|verser|versera|enveloppe|budget|sur la table|stanzi\w*|spender\w*|"
              r"destin\w*|sul piatto|project|projet\w*|progett\w*|plan\b|piano|costera|coûtera|costerà|cost\w*|"
              r"coût\w*|costo|announc\w*|annonc\w*|annunci\w*|promis\w*|promet\w*|prome\w*|engag\w*|impegn\w*|"
              r"financ\w*|finanz\w*|plan\w*|back\w*|expansion|expan\w+|espansion\w*|allocat\w*|allou\w*|mobilis\w*|package|"
              r"grants?|subvention\w*|sovvenzion\w*|dotation|dotazione|go(?:es)?\s+to|will\s+go|iront|ira\s+à|"
              r"andr(?:à|anno)|pèse|s['’]élève|ammont\w*")
# English "pour €4bn into": a verb of investing in English only (French "pour" is "for").
POUR = r"\bpour(?:s|ed|ing)?\b"
OTHER_MONEY = (r"revenue\w*|\bsales\b|turnover|turn(?:s|ed)?\s+over|chiffre d['’]affaires|fatturato|ricavi|"
               r"valu(?:es|ation\w*)|valued\s+(?:the|it|at\s+\S+\s+(?:by|in))|valoris\w*|valutazion\w*|"
               r"(?<!progetto )(?<!accordo )(?<!piano )(?<!contratto )\bvale\b|"
               r"\braised\b|\braises\b|\blevé\w*|\blève\b|\blèvent\b|raccolt\w*|order book|manages|\bgère\b|gestisce|"
               r"GDP|PIB|\bPil\b|impact\w*|retombées|ricadute|indotto|\bearn\w*|profit\w*|bénéfice\w*|\butile\b|"
               r"\bmarket\b|\bmarché\b|\bmercato\b|\blend\w*|\bloan\w*|\bprêt\w*|\bprestit\w*|\bdebt\b|\bdette\b|"
               r"\bdebito\b|projects\s+worth|projets\s+(?:d['’]une\s+valeur|pour)")
UNIT_METRICS = {"jobs": "jobs", "employees": "employees", "startups": "startups", "gpus": "gpus",
                "MW": "datacentre_capacity"}
TRAINING = r"\b(?:train\w*|retrain\w*|reskill\w*|requalifi\w*|riqualific\w*|" \
           r"skill\w*|form(?:e|er|era|erai|erons|erez|eront|erà|eranno|are|ation|ations|é|és|ée|ées|ent|ons)\b|" \
           r"formar\w*|formazion\w*|format\w*|competenz\w*|compétenc\w*|cors[oi]|courses?|éduc\w*|educat\w*|" \
           r"upskill\w*|certif\w*|apprentic\w*|apprendist\w*|apprentis\w*)"
RENEWABLE = (r"renewabl\w*|renouvelable\w*|rinnovabil\w*|carbon-free|décarbon\w*|decarbon\w*|\bwind\b|\bsolar\b|"
             r"hydro\w*|éolien\w*|solaire\w*|eolic\w*|solare|idroelettric\w*|geotherm\w*|géotherm\w*")
# People counted after a hiring verb are jobs; after a verb of employing, employees.
HIRING = (r"\b(?:hir\w*|recruit\w*|recrut\w*|embauch\w*|assum\w*|assun\w*|creat\w*|cré\w*|cre\w*|"
          r"mobilis\w*|mobilit\w*|add(?:s|ing)?(?!\s+to\b)|ajout\w*|aggiung\w*|"
          # a verb of employing in the future employs people who are not there yet
          r"(?:will|would|to|shall)\s+(?:\w+\s+)?employ|emploier\w*|impiegher\w*|occuper(?:à|anno)|"
          r"dar(?:à|anno)\s+lavoro(?:\s+a)?)\b")
# A person noun followed by a passive verb of hiring or training: "350 engineers will be recruited".
PASSIVE = re.compile(r"^\W*(?:[\w’'-]+\s+){1,3}?(?:will\s+be|to\s+be|are\s+to\s+be|be|seront|sont|saranno|"
                     r"verranno|vont\s+être|devraient\s+être)\s+(?P<verb>recruited|hired|trained|recrutés|recrutées|"
                     r"embauchés|embauchées|formés|formées|assunti|assunte|formati|formate)\b", re.IGNORECASE)
# People followed by a verb of working are already there: "2mila persone lavorano già".
WORKING = re.compile(r"^\W*(?:[\w’'-]+\s+){0,3}?(?:work|works|are\s+employed|travaill\w*|sont\s+employés|"
                     r"lavorano|lavora|sono\s+impiegat\w*)\b", re.IGNORECASE)
EMPLOYING = r"\b(?:existing|employ\w*|emploi\w*|impieg\w*|lavoro a|staff|compte|conta|headcount|workforce|effectifs?|" \
            r"organico|forza lavoro|lavorano|lavora|travaillent|travaille)\b"
# "200 new engineers", "150 nouveaux salariés": people who are not there yet are jobs.
NEW_PEOPLE = re.compile(r"\s+(?:new|additional|extra|more|nouveaux|nouvelles|nuovi|nuove|supplémentaires)\b",
                        re.IGNORECASE)
PEOPLE_UNITS = ("people", "employees", "jobs")


def metric_of(unit: str, words: str, at: int, language: str = "en") -> str:
    """The metric of the figure at offset `at` of its sentence `words`, or "" when they do not say."""
    if unit in ecb_currencies():  # the nearest word that says what the money is decides
        investing = INVESTMENT + ("|" + POUR if language == "en" else "")
        cues = [(abs(m.start() - at), "investment") for m in re.finditer(investing, words, re.I)]
        cues += [(abs(m.start() - at) - 1, "") for m in re.finditer(OTHER_MONEY, words, re.I)]
        return min(cues)[1] if cues else ""
    if unit == "people":
        return "people_trained" if re.search(TRAINING, words, re.IGNORECASE) else ""
    if unit == "percent":
        return "renewable_energy_share" if re.search(RENEWABLE, words, re.IGNORECASE) else ""
    return UNIT_METRICS.get(unit, "")


def elided_unit(text: str, figure: Figure, in_sentence: list[Figure], language: str) -> str | None:
    """"trained 250,000 people ... to reach a million": a bare count takes the unit of the count
    before it in its sentence."""
    if figure.unit is not None:
        return None
    earlier = [f for f in in_sentence if f.end <= figure.start and f.unit is None]
    units = [counted_unit(text, f.end, language) for f in earlier]
    units = [u for u in units if u]
    return units[-1] if units else None


def people_unit(text: str, figure: Figure, sentence: tuple[int, int], unit: str) -> str | None:
    """People counted after a hiring verb are jobs, after a verb of employing employees, after a
    verb of training people; the verb nearest the figure decides ("compte former un million de
    personnes" trains them). A small number of people written in words is an attribution ("two
    people familiar with"), not a figure."""
    if figure.value < 10 and not figure.text[:1].isdigit():
        return None
    before = text[max(sentence[0], figure.start - 40):figure.start]
    cues = [(m.end(), index, kind) for index, (kind, pattern) in
            enumerate((("employees", EMPLOYING), ("jobs", HIRING), ("people", TRAINING)))
            for m in re.finditer(pattern, before, re.IGNORECASE)]  # on a tie, the later pattern
    if unit == "employees" and NEW_PEOPLE.match(text, figure.end):
        return "jobs"
    if cues:
        end, _, kind = max(cues)
        if kind == "employees" and re.search(r"\bemploy\s+(?:\S+\s+){0,3}$", before, re.IGNORECASE):
            return "jobs"  # "will spend $1bn and employ 150 people": the bare verb is a future or an infinitive
        return kind
    after = text[figure.end:min(sentence[1], figure.end + 50)]
    if unit in ("people", "employees"):  # "350 engineers will be recruited", "seront formés"
        passive = PASSIVE.match(after)
        if passive:
            hired = re.fullmatch(HIRING, passive.group("verb"), re.IGNORECASE)
            return "jobs" if hired else "people"
    return "employees" if unit == "people" and WORKING.match(after) else unit
