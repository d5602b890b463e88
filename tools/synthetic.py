"""Write a synthetic package of N sources for the scale benchmark: seed-like articles and their
annotations, in the package's own layout, that build without a problem.

    python -m tools.synthetic OUT --sources N [--claims M] [--prose K] [--facts F]

Each article is a short news text in English, French or Italian (sentences written for this
generator, in the styles of the real seeds: a dateline, amounts with scale words, counts of jobs,
GPUs and startups), stating M figures, each one a claim. Facts are shared across sources (each
is reported by about three), so reconciliation has real work: figures that agree, amounts in
dollars beside amounts in euros, different hedges (VARIANTS). Nothing here is copied from an article.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

from pledges import ROOT
from pledges.errors import command
from pledges.publish.release import copy_parts

# (language, sentence with {who} and {n}, metric, unit, qualifier, value of {n} -> claim value)
SENTENCES = {
    "en": [("{who} said it would invest €{n} million in new datacentres.", "investment", "EUR", "unhedged", 6),
           ("{who} plans to create more than {n} jobs at its new sites.", "jobs", "jobs", "more_than", 0),
           ("{who} will deploy up to {n} GPUs in the new region.", "gpus", "gpus", "up_to", 0),
           ("{who} aims to support {n} startups through its programme.", "startups", "startups", "unhedged", 0)],
    "fr": [("{who} va investir {n} millions d'euros dans de nouveaux centres de données.", "investment", "EUR",
            "unhedged", 6),
           ("{who} prévoit de créer plus de {n} emplois sur ses nouveaux sites.", "jobs", "jobs", "more_than", 0),
           ("{who} déploiera jusqu'à {n} GPU dans sa nouvelle région.", "gpus", "gpus", "up_to", 0),
           ("{who} veut accompagner {n} start-up grâce à son programme.", "startups", "startups", "unhedged", 0)],
    "it": [("{who} investirà {n} milioni di euro in nuovi data center.", "investment", "EUR", "unhedged", 6),
           ("{who} prevede di creare oltre {n} posti di lavoro nei nuovi siti.", "jobs", "jobs", "more_than", 0),
           ("{who} installerà fino a {n} GPU nella nuova regione.", "gpus", "gpus", "up_to", 0),
           ("{who} sosterrà {n} startup con il suo programma.", "startups", "startups", "unhedged", 0)],
}
# The middle third of the sources (one of the three that state each fact) word two kinds otherwise:
# the money in dollars (the same number: a currency finding), the jobs with another hedge.
VARIANTS = {
    "en": {0: ("{who} said it would invest ${n} million in new datacentres.", "investment", "USD", "unhedged", 6),
           1: ("{who} plans to create about {n} jobs at its new sites.", "jobs", "jobs", "about", 0)},
    "fr": {0: ("{who} va investir {n} millions de dollars dans de nouveaux centres de données.", "investment", "USD",
               "unhedged", 6),
           1: ("{who} prévoit de créer environ {n} emplois sur ses nouveaux sites.", "jobs", "jobs", "about", 0)},
    "it": {0: ("{who} investirà {n} milioni di dollari in nuovi data center.", "investment", "USD", "unhedged", 6),
           1: ("{who} prevede di creare circa {n} posti di lavoro nei nuovi siti.", "jobs", "jobs", "about", 0)},
}
PROSE = {"en": "The summit brought ministers and executives together for talks on computing in Europe. ",
         "fr": "Le sommet a réuni ministres et dirigeants autour de l'avenir du numérique en Europe. ",
         "it": "Il vertice ha riunito ministri e dirigenti sul futuro del digitale in Europa. "}
DATELINES = {"en": "Published 13 May 2024", "fr": "Publié le 13 mai 2024", "it": "Pubblicato il 13 maggio 2024"}
LANGUAGES = tuple(SENTENCES)


def fact_of(index: int) -> tuple[str, str, int]:
    """(fact id, subject, kind of sentence) of fact `index`: company k's pledge of one kind."""
    kind = index % 4
    return f"fact-{index:06d}", f"Company{index // 4:05d}", kind


def number_of(index: int) -> int:
    """The figure a fact's sources all state: a round number, like a pledge."""
    return 100 + (index * 37) % 900


def write(out: Path, sources: int, claims: int = 10, prose: int = 0, facts: int | None = None) -> Path:
    """Write the package into `out` (replaced), with the repository's schemas, and return it;
    `prose` sentences without figures stand before each sentence with one (for long articles);
    `facts` (at least `claims`) sets how many facts the claims share (about a third as many
    as the claims by default)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_parts(ROOT, out, ("schemas", "package.yaml", "gx"))
    (out / "seeds").mkdir(parents=True)
    (out / "annotations" / "sources").mkdir(parents=True)
    n_facts = max(claims, facts or sources * claims // 3)  # no fact twice in one source
    fact_lines = ["facts:"]
    for index in range(n_facts):
        fid, subject, kind = fact_of(index)
        _, metric, unit, _, _ = SENTENCES["en"][kind]
        fact_lines += [f"  - id: {fid}", f"    label: Pledge {index} of {subject}", f"    subject: {subject}",
                  f"    metric: {metric}", f"    unit: {unit}", "    country: FR", "    scope: related",
                  "    announced: 2024-05-13", "    announced_date_basis: stated",
                  "    announced_evidence: synthetic", ""]
    (out / "annotations" / "facts.yaml").write_text("\n".join(fact_lines) + "\n", encoding="utf-8")
    for number in range(sources):
        language = LANGUAGES[number % 3]
        lines, annotation = [DATELINES[language], ""], []
        for m in range(claims):
            index = (number * claims + m) % n_facts  # every fact is stated, by about three sources
            fid, subject, kind = fact_of(index)
            variants = VARIANTS[language] if number * 3 // sources == 1 else {}
            sentence, metric, unit, qualifier, scale = variants.get(kind) or SENTENCES[language][kind]
            n = number_of(index)
            lines.append(PROSE[language] * prose + sentence.format(who=subject, n=n))
            quote = sentence.format(who=subject, n=n).rstrip(".")
            annotation += [f"  - id: c{m + 1:03d}", f"    fact: {fid}", f'    quote: "{quote}"',
                           f"    subject: {subject}", f"    metric: {metric}", f"    value: {n * 10 ** scale}",
                           f"    unit: {unit}", f"    qualifier: {qualifier}"]
        text = "\n".join(lines) + "\n"
        raw = text.encode("utf-8")
        digest = hashlib.sha256(raw).hexdigest()
        seed = f"{number:03d}_{digest[:16]}.txt"
        (out / "seeds" / seed).write_bytes(raw)
        head = [f"seed: {seed}", f"sha256: {digest}", "publisher: Synthetic newswire", f"title: Article {number}",
                f"language: {language}", "published: 2024-05-13", "date_basis: stated",
                f'date_evidence: "{DATELINES[language].split(" ", 1)[1].removeprefix("le ").removeprefix("il ")}"',
                'author: ""', 'url: ""', "claims:"]
        (out / "annotations" / "sources" / f"{Path(seed).stem}.yaml").write_text(
            "\n".join(head + annotation) + "\n", encoding="utf-8")
    return out


@command("synthetic")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources", type=int, required=True)
    parser.add_argument("--claims", type=int, default=10)
    parser.add_argument("--prose", type=int, default=0, help="sentences without figures before each with one")
    parser.add_argument("--facts", type=int, default=None,
                        help="how many facts the claims share (default: a third of the claims)")
    args = parser.parse_args(argv)
    write(args.out, args.sources, args.claims, args.prose, args.facts)
    print(f"==> wrote a synthetic package of {args.sources} sources in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
