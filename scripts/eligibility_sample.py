#!/usr/bin/env python3
"""Draws a held-out sample of eligibility texts to label by hand.

    python3 scripts/eligibility_sample.py SEED N_RANDOM N_KEYWORD OUT.tsv

Per feed (San Mateo from the repository, Baltimore from /work/shared at run time): distinct
non-empty `eligibility_description` texts whose service id and text are in no existing label
file; N_RANDOM drawn uniformly, then N_KEYWORD drawn among the rest that hold a number or a
population, residency, income, insurance, veteran, pregnancy or homelessness word. Writes
`feed<TAB>id<TAB>text` to OUT.tsv (a scratch file to label from: never commit it, Baltimore
text stays out of the repository).
"""
import csv
import glob
import random
import re
import sys

FEEDS = [
    ("sanmateo", "core/tests/data/hsds/smc-ohana-full/services.csv"),
    ("baltimore", "/work/shared/data/baltimore-charmcare/hsds/services.csv"),
]
KEYWORD = re.compile(
    r"\d|\b(men|women|male|female|girls?|boys?|adults?|seniors?|youth|child|teens?|"
    r"residents?|county|city|income|poverty|insur|medicaid|medicare|veteran|pregnan|"
    r"homeless|femmes?|hommes?|ans)\b",
    re.I,
)


def main():
    seed, n_random, n_keyword, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    csv.field_size_limit(10**8)
    labelled = set()
    for path in glob.glob("core/tests/data/eligibility/*.csv"):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                labelled.add((row["feed"], row["service_id"]))
    rng = random.Random(seed)
    rows = []
    for feed, path in FEEDS:
        with open(path, newline="") as f:
            services = list(csv.DictReader(f))
        seen_text = {
            (s.get("eligibility_description") or "").strip()
            for s in services
            if (feed, s["id"]) in labelled
        }
        pool, taken = [], set(seen_text)
        for s in sorted(services, key=lambda s: s["id"]):
            text = (s.get("eligibility_description") or "").strip()
            if not text or text in taken or (feed, s["id"]) in labelled:
                continue
            taken.add(text)
            pool.append((s["id"], text))
        rng.shuffle(pool)
        chosen = pool[:n_random]
        rest = [p for p in pool[n_random:] if KEYWORD.search(p[1])]
        chosen += rest[:n_keyword]
        rows += [(feed, i, t) for i, t in chosen]
    with open(out, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        for r in rows:
            w.writerow([r[0], r[1], " ".join(r[2].split())])


if __name__ == "__main__":
    main()
