#!/usr/bin/env python3
"""Generate the embedded Ottawa sample directory (HSDS 3.1 tabular data package).

Source of truth: src/*.py (plain Python data). Run `python3 build.py` from anywhere;
it rewrites the CSV files, datapackage.json and README.md next to this script, then
validates everything and prints per-table counts. Python 3.11 standard library only.
Output is deterministic (no timestamps, no randomness, stable ordering).
"""
import csv
import io
import json
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "src"))

from locations import AREAS, LOCATIONS  # noqa: E402
from orgs import ORGS  # noqa: E402
from taxonomy import TAXONOMIES, TERMS, taxonomy_of  # noqa: E402
import services_food  # noqa: E402
import services_housing_income  # noqa: E402
import services_health  # noqa: E402
import services_employment_legal  # noqa: E402
import services_community  # noqa: E402

SERVICES = (services_food.SERVICES + services_housing_income.SERVICES + services_health.SERVICES
            + services_employment_legal.SERVICES + services_community.SERVICES)

HUB = "loc-hub-byward"
DEFAULT_ASSURED = "2026-01-20"
ASSURER = "directory-data@example.org"

# HSDS 3.1 CSV headers (column order of the spec examples) + extension columns at the end.
HEADERS = {
    "organizations": "id,name,alternate_name,description,email,website,tax_status,tax_id,year_incorporated,legal_status,logo,uri,parent_organization_id,name@fr,description@fr",
    "services": "id,organization_id,program_id,name,alternate_name,description,url,email,status,interpretation_services,application_process,fees_description,wait_time,fees,accreditations,eligibility_description,minimum_age,maximum_age,assured_date,assurer_email,licenses,alert,last_modified,name@fr,description@fr,eligibility_description@fr,application_process@fr,fees_description@fr,alert@fr,eligibility_rule",
    "locations": "id,location_type,url,organization_id,name,alternate_name,description,transportation,latitude,longitude,external_identifier,external_identifier_type,name@fr,description@fr,transportation@fr",
    "service_at_location": "id,service_id,location_id,description",
    "addresses": "id,location_id,attention,address_1,address_2,city,region,state_province,postal_code,country,address_type",
    "phones": "id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,description,description@fr",
    "schedules": "id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,byyearday,description,opens_at,closes_at,schedule_link,attending_type,notes,description@fr",
    "languages": "id,service_id,location_id,phone_id,name,code,note",
    "service_areas": "id,service_id,service_at_location_id,name,description,extent,extent_type,uri,name@fr",
    "cost_options": "id,service_id,valid_from,valid_to,option,currency,amount,amount_description,amount_description@fr",
    "required_documents": "id,service_id,document,uri,document@fr",
    "accessibility": "id,location_id,description,details,url,description@fr",
    "attributes": "id,link_id,taxonomy_term_id,link_type,link_entity,value,label",
    "taxonomies": "id,name,description,uri,version",
    "taxonomy_terms": "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri,name@fr",
    "eligibility_tables": "table,key,value",
}
HEADERS = {k: v.split(",") for k, v in HEADERS.items()}

LIM_ON = [(1, 27000), (2, 38000), (3, 46700), (4, 54000), (5, 60300), (6, 66100), (7, 71400)]

LANG_NAMES = {
    "en": "English", "fr": "French", "ar": "Arabic", "so": "Somali", "es": "Spanish",
    "pa": "Punjabi", "hi": "Hindi", "ur": "Urdu", "zh": "Chinese", "ne": "Nepali",
    "oj": "Ojibwe", "cr": "Cree", "ase": "American Sign Language (ASL)",
    "fcs": "Quebec Sign Language (LSQ)",
}

ACCESS_TEXT = {
    "wheelchair": ("Step-free entrance and wheelchair-accessible route", "Entrée de plain-pied et parcours accessible en fauteuil roulant"),
    "ramp": ("Ramp at the main entrance", "Rampe à l'entrée principale"),
    "elevator": ("Elevator to all floors", "Ascenseur à tous les étages"),
    "accessible_washroom": ("Accessible washroom", "Toilettes accessibles"),
    "hearing_loop": ("Hearing loop at reception", "Boucle magnétique à l'accueil"),
    "asl": ("ASL interpretation on request", "Interprétation en ASL sur demande"),
    "lsq": ("LSQ interpretation on request", "Interprétation en LSQ sur demande"),
    "large_print": ("Large-print documents available", "Documents en gros caractères offerts"),
    "braille": ("Documents in braille on request", "Documents en braille sur demande"),
}

DOCS = {
    "health_card": ("Ontario health card (OHIP)", "Carte Santé de l'Ontario (OHIP)"),
    "photo_id": ("Government-issued photo ID", "Pièce d'identité avec photo délivrée par le gouvernement"),
    "proof_of_address": ("Proof of address (for example a lease or a recent bill)", "Preuve d'adresse (par exemple un bail ou une facture récente)"),
    "proof_of_income": ("Proof of household income (pay stubs, benefit statement or notice of assessment)", "Preuve du revenu du ménage (talons de paie, relevé de prestations ou avis de cotisation)"),
    "arrears_notice": ("Arrears notice or eviction notice from the landlord", "Avis d'arriérés ou avis d'expulsion du propriétaire"),
    "utility_bill": ("Most recent utility bill or disconnection notice", "Dernière facture d'énergie ou avis de débranchement"),
    "tax_slips": ("Tax slips and last year's notice of assessment", "Feuillets d'impôt et avis de cotisation de l'an dernier"),
    "immigration": ("Immigration document (PR card, refugee claimant document or work permit)", "Document d'immigration (carte de RP, document de demandeur d'asile ou permis de travail)"),
    "sin": ("Social Insurance Number", "Numéro d'assurance sociale"),
    "release_papers": ("Release or parole papers, if available", "Documents de libération ou de libération conditionnelle, si disponibles"),
}

FREE = [("Free", "Gratuit", 0, "No cost", "Aucuns frais")]

# Standard fact catalogue (conventions §4): name -> allowed values (None = free-form).
FACTS = {
    "age": None, "household_size": None, "household_income": None, "disability": None,
    "province": "AB BC MB NB NL NS NT NU ON PE QC SK YT".split(), "municipality": None,
    "residency_status": "citizen permanent_resident refugee_claimant protected_person temporary_resident no_status".split(),
    "student": "full_time part_time none".split(),
    "employment_status": "employed unemployed self_employed retired not_in_labour_force".split(),
    "benefits": "ei ow odsp oas gis cpp ccb cerb none".split(),
    "documents": "provincial_health_card sin photo_id proof_of_address immigration_document".split(),
    "housing_status": "housed at_risk homeless shelter".split(),
    "population": "indigenous black racialized south_asian newcomer lgbtq2s francophone veteran reentry senior youth".split(),
    "caregiver": None, "pregnant": None, "income_drop": None,
}
RULE_KEYWORDS = {"and", "or", "not", "in", "has_any", "has_all", "has", "threshold", "true", "false"}

# ---------------------------------------------------------------- schedule text (EN/FR)
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_EN = dict(zip(DAYS, "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()))
DAY_FR = dict(zip(DAYS, "lundi mardi mercredi jeudi vendredi samedi dimanche".split()))
ORD_EN = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
ORD_FR = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}


def t_en(hhmm):
    h, m = map(int, hhmm.split(":")[:2])
    suffix = "a.m." if h < 12 else "p.m."
    h12 = h % 12 or 12
    return f"{h12}:{m:02d} {suffix}" if m else f"{h12} {suffix}"


def t_fr(hhmm):
    h, m = map(int, hhmm.split(":")[:2])
    return f"{h} h {m:02d}" if m else f"{h} h"


def join(items, word):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def days_text(byday):
    toks = byday.split(",")
    idx = [DAYS.index(t) for t in toks]
    if len(toks) == 7:
        return "Every day", "Tous les jours"
    if len(idx) >= 3 and idx == list(range(idx[0], idx[-1] + 1)):
        a, b = toks[0], toks[-1]
        return f"{DAY_EN[a]} to {DAY_EN[b]}", f"Du {DAY_FR[a]} au {DAY_FR[b]}"
    en = join([DAY_EN[t] for t in toks], "and")
    fr = join([DAY_FR[t] for t in toks], "et")
    return en, fr[0].upper() + fr[1:]


def schedule_text(s):
    if s["freq"] == "WEEKLY" and s["byday"] == ",".join(DAYS) and s["opens"] == s["closes"] == "00:00":
        en, fr = "Open 24 hours a day, 7 days a week", "Ouvert 24 heures sur 24, 7 jours sur 7"
    else:
        if s["freq"] == "WEEKLY":
            d_en, d_fr = days_text(s["byday"])
        elif "bymonthday" in s:
            n = s["bymonthday"]
            sfx = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            d_en, d_fr = f"The {n}{sfx} of each month", f"Le {n} de chaque mois"
        else:
            m = re.fullmatch(r"(-?\d)([A-Z]{2})", s["byday"])
            o, d = int(m.group(1)), m.group(2)
            d_en = f"{ORD_EN[o]} {DAY_EN[d]} of the month"
            d_fr = f"Le {ORD_FR[o]} {DAY_FR[d]} du mois"
        en = f"{d_en}, {t_en(s['opens'])} to {t_en(s['closes'])}"
        fr = f"{d_fr}, de {t_fr(s['opens'])} à {t_fr(s['closes'])}"
    if s.get("valid_from"):
        en += f" (from {s['valid_from']} to {s['valid_to']})"
        fr += f" (du {s['valid_from']} au {s['valid_to']})"
    if s.get("note"):
        en += f". {s['note']}"
        fr += f". {s['note_fr']}"
    return en, fr


# ---------------------------------------------------------------- row generation
def slug(x):
    return x.split("-", 1)[1]


def polygon_geojson(points):
    return json.dumps({"type": "Polygon", "coordinates": [[[lon, lat] for lon, lat in points]]},
                      separators=(",", ":"))


def build_tables():
    T = {k: [] for k in HEADERS}
    for i, o in enumerate(ORGS):
        T["organizations"].append(dict(
            id=o["id"], name=o["name"], description=o["desc"], email=f"{slug(o['id'])}@example.org",
            website=f"https://example.org/{slug(o['id'])}", year_incorporated=o["year"],
            legal_status="Non-profit corporation (fictional)", **{"name@fr": o["name_fr"], "description@fr": o["desc_fr"]}))
        T["phones"].append(dict(id=f"ph-{slug(o['id'])}", organization_id=o["id"], number=f"613-555-{100 + i:04d}",
                                type="voice", description="Main office line",
                                **{"description@fr": "Ligne principale du bureau"}))
    for loc in LOCATIONS:
        row = dict(id=loc["id"], location_type=loc["type"], organization_id=loc["org"], name=loc["name"],
                   description=loc["desc"], **{"name@fr": loc["name_fr"], "description@fr": loc["desc_fr"]})
        if loc["type"] == "virtual":
            row["url"] = loc["url"]
        else:
            row.update(latitude=f"{loc['lat']:.4f}", longitude=f"{loc['lon']:.4f}")
            if loc.get("transit"):
                row.update(transportation=loc["transit"], **{"transportation@fr": loc["transit_fr"]})
            T["addresses"].append(dict(id=f"addr-{slug(loc['id'])}", location_id=loc["id"], address_1=loc["street"],
                                       city=loc["city"], region="Ottawa", state_province="ON",
                                       postal_code=loc["postal"], country="CA", address_type="physical"))
        T["locations"].append(row)
        for code in loc["access"]:
            en, fr = ACCESS_TEXT[code]
            T["accessibility"].append(dict(id=f"acc-{slug(loc['id'])}--{code}", location_id=loc["id"],
                                           description=f"{code}: {en}", **{"description@fr": f"{code}: {fr}"}))
    for tx in TAXONOMIES:
        T["taxonomies"].append(dict(id=tx["id"], name=tx["name"], description=tx["description"],
                                    uri=f"https://example.org/taxonomies/{tx['id']}", version="1.0"))
    codes = {c for c, _, _ in TERMS}
    for code, en, fr in TERMS:
        parent = code.rsplit(".", 1)[0] if "." in code else None
        tx = taxonomy_of(code)
        T["taxonomy_terms"].append(dict(id=f"term-{code}", code=code, name=en,
                                        parent_id=f"term-{parent}" if parent in codes else "",
                                        taxonomy=tx, language="en", taxonomy_id=tx, **{"name@fr": fr}))
    for key, value in LIM_ON:
        T["eligibility_tables"].append(dict(table="lim_on", key=key, value=value))
    for s in SERVICES:
        add_service(T, s)
    return T


def add_service(T, s):
    sid, sl = s["id"], slug(s["id"])
    org_slug = slug(s["org"])
    fees = s.get("fees") or ("Free of charge.", "Gratuit.")
    row = dict(
        id=sid, organization_id=s["org"], name=s["name"], description=s["desc"],
        url=s.get("url", f"https://example.org/{org_slug}/{sl}"), email=f"{org_slug}@example.org",
        status=s.get("status", "active"), application_process=s.get("apply", ("", ""))[0],
        fees_description=fees[0], wait_time=s.get("wait", ""),
        eligibility_description=s.get("elig", ("", ""))[0],
        minimum_age=s.get("min_age", ""), maximum_age=s.get("max_age", ""),
        assured_date=s.get("assured", DEFAULT_ASSURED), assurer_email=ASSURER,
        alert=s.get("alert", ("", ""))[0], last_modified=s.get("assured", DEFAULT_ASSURED) + "T12:00:00Z",
        eligibility_rule=s.get("rule", ""),
        **{"name@fr": s["name_fr"], "description@fr": s["desc_fr"],
           "eligibility_description@fr": s.get("elig", ("", ""))[1],
           "application_process@fr": s.get("apply", ("", ""))[1], "fees_description@fr": fees[1],
           "alert@fr": s.get("alert", ("", ""))[1]})
    T["services"].append(row)
    sal_ids = {}
    for loc in s.get("locs", []):
        sal = f"sal-{sl}--{slug(loc)}"
        sal_ids[loc] = sal
        T["service_at_location"].append(dict(id=sal, service_id=sid, location_id=loc))
    for area in s.get("areas", []):
        a = AREAS[area]
        row = dict(id=f"sa-{sl}--{area}", service_id=sid, name=a["name"], **{"name@fr": a["name_fr"]})
        if "polygon" in a:
            row.update(extent=polygon_geojson(a["polygon"]), extent_type="geojson")
        T["service_areas"].append(row)
    for n, sc in enumerate(s.get("sched", []), 1):
        en, fr = schedule_text(sc)
        T["schedules"].append(dict(
            id=f"sched-{sl}-{n}", service_id=sid, service_at_location_id=sal_ids.get(sc.get("loc"), ""),
            location_id=sc.get("loc", ""), valid_from=sc.get("valid_from", ""), valid_to=sc.get("valid_to", ""),
            freq=sc["freq"], byday=sc.get("byday", ""), bymonthday=sc.get("bymonthday", ""),
            opens_at=sc["opens"], closes_at=sc["closes"], description=en, **{"description@fr": fr}))
    phone_ids = []
    for n, (number, ptype, en, fr) in enumerate(s.get("phones", []), 1):
        pid = f"ph-{sl}-{n}"
        phone_ids.append(pid)
        T["phones"].append(dict(id=pid, service_id=sid, number=number, type=ptype, description=en,
                                **{"description@fr": fr}))
    for code in s.get("langs", ["en", "fr"]):
        T["languages"].append(dict(id=f"lang-{sl}--{code}", service_id=sid, name=LANG_NAMES[code], code=code))
    for n, (opt, opt_fr, amount, en, fr) in enumerate(s.get("cost", FREE), 1):
        T["cost_options"].append(dict(id=f"cost-{sl}-{n}", service_id=sid, option=opt, currency="CAD",
                                      amount=f"{amount:g}" if amount is not None else "", amount_description=en,
                                      **{"amount_description@fr": fr}))
    for key in s.get("docs", []):
        en, fr = DOCS[key]
        T["required_documents"].append(dict(id=f"doc-{sl}--{key}", service_id=sid, document=en,
                                            **{"document@fr": fr}))
    links = ([(c, "service_category") for c in s["needs"]]
             + [(f"population.{p}", "target_population") for p in s.get("pops", [])]
             + [(f"population.{p}", "eligibility") for p in s.get("elig_pops", [])]
             + [(f"delivery.{d}", "delivery_method") for d in s.get("delivery", [])])
    for code, link_type in links:
        T["attributes"].append(dict(id=f"attr-{sl}--{code}", link_id=sid, taxonomy_term_id=f"term-{code}",
                                    link_type=link_type, link_entity="service"))


# ---------------------------------------------------------------- validation
LAT_RANGE, LON_RANGE = (45.2, 45.5), (-76.1, -75.45)          # locations (urban + rural west)
AREA_LAT, AREA_LON = (44.9, 45.6), (-76.4, -75.2)              # polygon vertices (whole city)
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
PHONE_RE = re.compile(r"^(613-555-01\d\d|2-1-1|9-1-1)$")
REAL_AGENCIES = ["Ottawa Food Bank", "Distress Centre", "Meals on Wheels", "Salvation Army", "Wabano",
                 "Minwaashin", "Somerset West", "Catholic Centre for Immigrants", "OCISO", "LASI",
                 "Causeway", "Tungasuvvingat", "Shepherds of Good Hope", "Ottawa Mission", "Para Transpo"]


def check_rule(rule, tables, errors, where):
    if rule.count("(") != rule.count(")") or rule.count("[") != rule.count("]"):
        errors.append(f"{where}: unbalanced brackets in rule {rule!r}")
    depth = 0
    for ch in rule:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            errors.append(f"{where}: ')' before '(' in rule {rule!r}")
            break
    bare = re.sub(r'"[^"]*"', '""', rule)
    for ident in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", bare):
        if ident not in FACTS and ident not in RULE_KEYWORDS:
            errors.append(f"{where}: unknown fact {ident!r} in rule")
    for fact, _, values in re.findall(r"\b([a-z_]+)\s+(in|has_any|has_all)\s+\[([^\]]*)\]", rule):
        allowed = FACTS.get(fact)
        for v in re.findall(r'"([^"]*)"', values):
            if allowed is not None and v not in allowed:
                errors.append(f"{where}: value {v!r} not allowed for {fact}")
    for v in re.findall(r'\bhas\(\s*"([^"]*)"\s*\)', rule):
        if v not in FACTS["documents"]:
            errors.append(f"{where}: unknown document {v!r}")
    for name in re.findall(r'threshold\(\s*"([^"]*)"', rule):
        if name not in tables:
            errors.append(f"{where}: unknown threshold table {name!r}")


def check_polygon(extent, errors, where):
    try:
        g = json.loads(extent)
    except ValueError as e:
        errors.append(f"{where}: bad GeoJSON: {e}")
        return
    if g.get("type") != "Polygon":
        errors.append(f"{where}: not a Polygon")
        return
    for ring in g["coordinates"]:
        if len(ring) < 4 or ring[0] != ring[-1]:
            errors.append(f"{where}: ring not closed or too short")
        if len(ring) - 1 >= 30:
            errors.append(f"{where}: too many vertices")
        area2 = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))
        if area2 <= 0:
            errors.append(f"{where}: ring is not counter-clockwise")
        for lon, lat in ring:
            if not (AREA_LAT[0] <= lat <= AREA_LAT[1] and AREA_LON[0] <= lon <= AREA_LON[1]):
                errors.append(f"{where}: vertex {lon},{lat} outside Ottawa")


def inside(polygon, x, y):
    """Even-odd point-in-polygon test (lon = x, lat = y)."""
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


# Facts that matcher tests rely on: which sample locations fall inside which polygon.
POLYGON_EXPECTATIONS = [
    ("loc-vanier-seniors", "vanier", True), ("loc-capharvest-vanier", "vanier", True),
    ("loc-nibi-vanier", "vanier", True), ("loc-benefits-vanier", "vanier", True),
    ("loc-hub-byward", "vanier", False), ("loc-riverside-chc", "vanier", False),
    ("loc-harambee-overbrook", "vanier", False), ("loc-clearvoice-sandyhill", "vanier", False),
    ("loc-carp-rural", "rural-west", True), ("loc-constance-bay-hall", "rural-west", True),
    ("loc-kanata-seniors", "rural-west", False), ("loc-capharvest-kanata", "rural-west", False),
    ("loc-hub-byward", "rural-west", False),
]


def validate(T):
    errors = []
    ids = {}
    for name, rows in T.items():
        if name == "eligibility_tables":
            keys = [(r["table"], r["key"]) for r in rows]
            if len(keys) != len(set(keys)):
                errors.append("eligibility_tables: duplicate (table,key)")
            continue
        seen = [r["id"] for r in rows]
        dup = {x for x in seen if seen.count(x) > 1}
        if dup:
            errors.append(f"{name}: duplicate ids {sorted(dup)}")
        ids[name] = set(seen)
        for r in rows:
            unknown = set(r) - set(HEADERS[name])
            if unknown:
                errors.append(f"{name} {r['id']}: unknown columns {unknown}")
            for col, val in r.items():
                if col.endswith("@fr") and str(r.get(col[:-3], "")).strip() and not str(val).strip():
                    errors.append(f"{name} {r['id']}: {col} empty")
            for col in (c for c in HEADERS[name] if not c.endswith("@fr") and c + "@fr" in HEADERS[name]):
                if str(r.get(col, "")).strip() and not str(r.get(col + "@fr", "")).strip():
                    errors.append(f"{name} {r['id']}: {col}@fr missing")

    def fk(table, col, target, optional=True):
        for r in T[table]:
            v = r.get(col, "")
            if (v or not optional) and v not in ids[target]:
                errors.append(f"{table} {r['id']}: {col}={v!r} not in {target}")

    fk("services", "organization_id", "organizations", False)
    fk("locations", "organization_id", "organizations", False)
    fk("service_at_location", "service_id", "services", False)
    fk("service_at_location", "location_id", "locations", False)
    fk("addresses", "location_id", "locations", False)
    fk("accessibility", "location_id", "locations", False)
    for col, tgt in [("service_id", "services"), ("organization_id", "organizations"),
                     ("location_id", "locations"), ("service_at_location_id", "service_at_location")]:
        fk("phones", col, tgt)
    for col, tgt in [("service_id", "services"), ("location_id", "locations"),
                     ("service_at_location_id", "service_at_location")]:
        fk("schedules", col, tgt)
    fk("languages", "service_id", "services")
    fk("service_areas", "service_id", "services", False)
    fk("cost_options", "service_id", "services", False)
    fk("required_documents", "service_id", "services", False)
    fk("attributes", "link_id", "services", False)
    fk("attributes", "taxonomy_term_id", "taxonomy_terms", False)
    fk("taxonomy_terms", "parent_id", "taxonomy_terms")
    fk("taxonomy_terms", "taxonomy_id", "taxonomies", False)
    return errors, ids


def validate_domain(T, errors):
    tables = {r["table"] for r in T["eligibility_tables"]}
    term_tax = {r["id"]: r["taxonomy_id"] for r in T["taxonomy_terms"]}
    for r in T["locations"]:
        if r["location_type"] == "physical":
            lat, lon = float(r["latitude"]), float(r["longitude"])
            if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
                errors.append(f"{r['id']}: coordinates {lat},{lon} outside Ottawa bounds")
        elif not r.get("url", "").startswith("https://example.org/") or r.get("latitude"):
            errors.append(f"{r['id']}: virtual location needs an example.org url and no coordinates")
    reachable = {r["service_id"] for r in T["service_at_location"]} | {r["service_id"] for r in T["service_areas"]}
    for r in T["services"]:
        where = f"services {r['id']}"
        if r["id"] not in reachable:
            errors.append(f"{where}: not reachable (no location, no service area)")
        if r["eligibility_rule"]:
            check_rule(r["eligibility_rule"], tables, errors, where)
        if r["minimum_age"] != "" and r["maximum_age"] != "" and r["minimum_age"] > r["maximum_age"]:
            errors.append(f"{where}: minimum_age > maximum_age")
        if r["status"] not in ("active", "inactive"):
            errors.append(f"{where}: bad status")
        if not r["url"].startswith("https://example.org/") or not r["email"].endswith("@example.org"):
            errors.append(f"{where}: url/email must be example.org")
        needs = [a for a in T["attributes"] if a["link_id"] == r["id"] and a["link_type"] == "service_category"]
        if not 1 <= len(needs) <= 3:
            errors.append(f"{where}: needs {len(needs)} need terms (want 1-3)")
        for a in needs:
            if term_tax.get(a["taxonomy_term_id"]) != "passerelle-needs":
                errors.append(f"{where}: service_category {a['taxonomy_term_id']} is not a need")
        text = " ".join(str(v) for v in r.values())
        for bad in REAL_AGENCIES:
            if bad.lower() in text.lower():
                errors.append(f"{where}: mentions real agency {bad!r}")
    expected_tax = {"service_category": "passerelle-needs", "target_population": "passerelle-populations",
                    "eligibility": "passerelle-populations", "delivery_method": "passerelle-delivery"}
    for a in T["attributes"]:
        if term_tax.get(a["taxonomy_term_id"]) != expected_tax.get(a["link_type"]):
            errors.append(f"attributes {a['id']}: {a['link_type']} -> wrong taxonomy")
    for o in T["organizations"]:
        for bad in REAL_AGENCIES:
            if bad.lower() in (o["name"] + o["description"]).lower():
                errors.append(f"organizations {o['id']}: real agency name {bad!r}")
    for r in T["schedules"]:
        where = f"schedules {r['id']}"
        if r["freq"] not in ("WEEKLY", "MONTHLY"):
            errors.append(f"{where}: bad freq")
        for col in ("opens_at", "closes_at"):
            if not TIME_RE.match(r[col]):
                errors.append(f"{where}: bad {col} {r[col]!r}")
        if r["opens_at"] > r["closes_at"] and r["closes_at"] != "00:00":
            errors.append(f"{where}: closes before it opens")
        for tok in filter(None, r["byday"].split(",")):
            pat = r"[A-Z]{2}" if r["freq"] == "WEEKLY" else r"(-1|[1-4])?[A-Z]{2}"
            m = re.fullmatch(pat, tok)
            if not m or tok[-2:] not in DAYS:
                errors.append(f"{where}: bad byday token {tok!r}")
        if r["freq"] == "MONTHLY" and not (r["byday"] or r["bymonthday"]):
            errors.append(f"{where}: monthly without byday/bymonthday")
        if r["bymonthday"] != "" and not 1 <= int(r["bymonthday"]) <= 31:
            errors.append(f"{where}: bad bymonthday")
        if r["valid_from"] and not (r["valid_to"] and r["valid_from"] <= r["valid_to"]):
            errors.append(f"{where}: bad validity range")
    locs = {loc["id"]: loc for loc in LOCATIONS}
    for loc in LOCATIONS:
        if loc["type"] == "physical" and not inside(AREAS["ottawa"]["polygon"], loc["lon"], loc["lat"]):
            errors.append(f"{loc['id']}: outside the City of Ottawa polygon")
    for loc_id, area, expected in POLYGON_EXPECTATIONS:
        got = inside(AREAS[area]["polygon"], locs[loc_id]["lon"], locs[loc_id]["lat"])
        if got != expected:
            errors.append(f"{loc_id}: inside {area} polygon is {got}, expected {expected}")
    for r in T["service_areas"]:
        if r.get("extent_type") == "geojson":
            check_polygon(r["extent"], errors, f"service_areas {r['id']}")
    for r in T["phones"]:
        if not PHONE_RE.match(r["number"]):
            errors.append(f"phones {r['id']}: number {r['number']!r} is not fictional 613-555-01xx")
    for r in T["languages"]:
        if r["code"] not in LANG_NAMES:
            errors.append(f"languages {r['id']}: bad code")
    for r in T["accessibility"]:
        if r["description"].split(":")[0] not in ACCESS_TEXT:
            errors.append(f"accessibility {r['id']}: bad code")
    # Whole-directory checks (only meaningful once all service modules are filled in).
    if len(T["services"]) < 90:
        errors.append(f"only {len(T['services'])} services (want 90-120)")
    hub = [r for r in T["service_at_location"] if r["location_id"] == HUB]
    if len(hub) < 7:
        errors.append(f"hub {HUB} has only {len(hub)} services")
    statuses = [r["status"] for r in T["services"]]
    if statuses.count("inactive") != 1:
        errors.append(f"expected exactly one inactive service, got {statuses.count('inactive')}")
    stale = [r for r in T["services"] if r["assured_date"] < "2023"]
    if len(stale) != 3:
        errors.append(f"expected 3 stale assured_date services, got {len(stale)}")
    terms = {r["code"] for r in T["taxonomy_terms"]}
    if len(terms) != len(TERMS):
        errors.append("taxonomy term codes not unique")


# ---------------------------------------------------------------- output
NOTICE_EN = ("FICTIONAL DATA: every organisation, service, address, phone number, email and web address in "
             "this sample directory is invented for demonstration and testing. Do not contact them. "
             "In an emergency call 9-1-1; for real community services in Ottawa call or text 2-1-1.")
NOTICE_FR = ("DONNÉES FICTIVES : tous les organismes, services, adresses, numéros de téléphone, courriels et "
             "adresses Web de ce répertoire d'exemple sont inventés à des fins de démonstration et d'essai. "
             "Ne les contactez pas. En cas d'urgence, composez le 9-1-1; pour de vrais services "
             "communautaires à Ottawa, appelez le 2-1-1 ou textez au 2-1-1.")


def csv_text(name, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADERS[name])
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c, "") for c in HEADERS[name]])
    return buf.getvalue()


def datapackage():
    return {
        "profile": "tabular-data-package",
        "name": "passerelle-ottawa-sample",
        "title": "passerelle sample directory - Ottawa (fictional)",
        "description": NOTICE_EN,
        "licenses": [{"name": "MIT OR Apache-2.0", "title": "Part of passerelle; no third-party data"}],
        "version": "1.0.0",
        "resources": [{"name": n, "path": f"{n}.csv", "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "profile": "tabular-data-resource"} for n in HEADERS],
        "passerelle": {
            "name": "Ottawa sample directory",
            "default_language": "en",
            "languages": ["en", "fr"],
            "timezone": "America/Toronto",
            "fictional": True,
            "notice": NOTICE_EN,
            "notice@fr": NOTICE_FR,
        },
    }


def readme(T):
    counts = "\n".join(f"| `{n}.csv` | {len(rows)} |" for n, rows in T.items())
    by_top = {}
    for a in T["attributes"]:
        if a["link_type"] == "service_category":
            top = a["taxonomy_term_id"][5:].split(".")[0]
            by_top.setdefault(top, set()).add(a["link_id"])
    needs = ", ".join(f"{k} {len(v)}" for k, v in sorted(by_top.items()))
    ruled = sum(1 for r in T["services"] if r["eligibility_rule"])
    hub = sum(1 for r in T["service_at_location"] if r["location_id"] == HUB)
    return f"""# Ottawa sample directory (fictional)

> {NOTICE_EN}
>
> {NOTICE_FR}

A bilingual (English default, French translations in `<field>@fr` columns) sample community-services
directory for the Ottawa area, in the Open Referral **HSDS 3.1 tabular data package** format plus the
passerelle extensions of `docs/conventions.md` (`eligibility_rule`, `eligibility_tables.csv`,
`@fr` columns, the `"passerelle"` object in `datapackage.json`). The library embeds these CSV files;
examples, doc tests, binding tests and the navigator demo use them.

Organisation names, civic numbers, postal codes, phone numbers (`613-555-01xx`), emails
(`@example.org`) and web addresses (`https://example.org/...`) are invented. Street and
neighbourhood names are real so that distances are plausible.

## Editing

Do not edit the CSV files by hand. The source of truth is `src/*.py`; run

    python3 core/data/sample/build.py

(Python 3.11+, standard library only). It regenerates every CSV, `datapackage.json` and this README
deterministically, validates ids, foreign keys, coordinates, taxonomy terms, French translations,
rule facts, schedules and GeoJSON service areas, and exits non-zero on any error.

## Coverage

- {len(T['services'])} services from {len(T['organizations'])} organisations at {len(T['locations'])} locations
  (Lowertown/ByWard Market, Centretown, Sandy Hill, Vanier, Overbrook, Hintonburg, Alta Vista,
  South Keys, Nepean, Kanata, Orléans, Barrhaven, Carp and Constance Bay).
- Services per top-level need: {needs}.
- {ruled} services carry an `eligibility_rule`; income tests use `threshold("lim_on", household_size)`.
- Downtown multi-service hub `{HUB}` offers {hub} services.
- Service areas: GeoJSON polygons for the City of Ottawa, Vanier and the rural west; named areas otherwise.
- One service is `inactive`; three have a stale `assured_date` (2022) to exercise data-quality warnings.

| table | rows |
|---|---|
{counts}

## Licence

Part of passerelle, licensed MIT OR Apache-2.0. Written for the project; contains no third-party data.
"""


def main():
    T = build_tables()
    errors, _ = validate(T)
    validate_domain(T, errors)
    for name, rows in T.items():
        (HERE / f"{name}.csv").write_text(csv_text(name, rows), encoding="utf-8")
    (HERE / "datapackage.json").write_text(json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    (HERE / "README.md").write_text(readme(T), encoding="utf-8")
    for name, rows in T.items():
        print(f"{name:22s} {len(rows):5d}")
    if errors:
        print(f"\n{len(errors)} ERROR(S):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
