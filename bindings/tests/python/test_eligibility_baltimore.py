"""Conditions read from Baltimore's real eligibility text, evaluated for a resident through
the Python bindings. The Baltimore feed is evaluation-only: read from /work/shared at run
time (or $PASSERELLE_BALTIMORE_HSDS), never copied into the repository; the module is
skipped, with the reason printed, when it is absent."""

import csv
import os
import pathlib
import sys

import pytest

import passerelle as p

FEED = pathlib.Path(
    os.environ.get("PASSERELLE_BALTIMORE_HSDS", "/work/shared/data/baltimore-charmcare/hsds")
)
if not (FEED / "services.csv").is_file():
    REASON = f"no Baltimore feed at {FEED} (set PASSERELLE_BALTIMORE_HSDS)"
    print(f"SKIPPED {__name__}: {REASON}", file=sys.stderr)
    pytest.skip(REASON, allow_module_level=True)

# Service ids of the feed; what their listings say is read at run time.
CITY_RESIDENTS = "ccf99d3a-4047-58e2-876c-2184f9784aa1"  # residency: Baltimore City
MEN_ONLY = "1a4b364e-5ec1-5b74-8b5d-0187a069266a"  # gender: men
WOMEN_ADULTS = "adf52126-3bc0-53ab-bcb0-455966609a18"  # gender: women, age: 18 and over
QUOTE = "(to confirm: the listing says '"


@pytest.fixture(scope="module")
def baltimore():
    settings = p.EligibilitySettings(infer_from_text=True)
    return p.Navigator.from_path(str(FEED), eligibility=settings)


def listing(service_id):
    with open(FEED / "services.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["id"] == service_id:
                return row["eligibility_description"]
    raise AssertionError(f"{service_id} not in the feed")


def test_city_residency_is_evaluated_for_a_resident(baltimore):
    ev = baltimore.evaluate_eligibility
    # Nothing said: unknown, naming the fact to ask.
    out = ev(CITY_RESIDENTS, {})
    assert out.status == p.EligibilityStatus.UNKNOWN
    assert out.missing_facts == ["municipality"]
    # A place the feed names other than Baltimore: ineligible, the listing quoted.
    out = ev(CITY_RESIDENTS, {"municipality": "Towson"})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].en.endswith(f"{QUOTE}{listing(CITY_RESIDENTS).strip()}')")
    # "Baltimore", in any case, is Baltimore City.
    for here in ("Baltimore", "baltimore city", "BALTIMORE"):
        assert ev(CITY_RESIDENTS, {"municipality": here}).status == p.EligibilityStatus.ELIGIBLE
    # A neighbourhood the feed does not name may be inside the city: unknown, not excluded.
    out = ev(CITY_RESIDENTS, {"municipality": "Hampden"})
    assert out.status == p.EligibilityStatus.UNKNOWN
    assert [c.rule_text for c in out.open] == ['municipality == "Baltimore City"']
    assert QUOTE in out.open[0].en


def test_gender_and_age_are_evaluated_for_a_resident(baltimore):
    ev = baltimore.evaluate_eligibility
    out = ev(MEN_ONLY, {"gender": "female"})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].rule_text.startswith("gender")
    assert QUOTE in out.failed[0].en
    assert ev(MEN_ONLY, {}).missing_facts == ["gender"]
    assert ev(MEN_ONLY, {"gender": "male"}).status == p.EligibilityStatus.ELIGIBLE

    girl = ev(WOMEN_ADULTS, {"gender": "female", "age": 16})
    assert girl.status == p.EligibilityStatus.INELIGIBLE
    # The age comes from the feed's structured minimum_age field, not from the text: a fact of
    # the listing, stated without "to confirm".
    assert [c.rule_text for c in girl.failed] == ["age >= 18"]
    assert QUOTE not in girl.failed[0].en
    man = ev(WOMEN_ADULTS, {"gender": "male", "age": 30})
    assert man.status == p.EligibilityStatus.INELIGIBLE
    out = ev(WOMEN_ADULTS, {"gender": "female"})
    assert out.status == p.EligibilityStatus.UNKNOWN and out.missing_facts == ["age"]



YEARLY_CEILING = "a9075de5-69ed-5b29-88dd-1a8221644c5e"  # income: a yearly ceiling in dollars


def test_stated_income_ceiling_is_read_in_the_catalogues_currency():
    def navigator(currency):
        catalog = f'{{"base": "standard", "currency": "{currency}"}}'
        settings = p.EligibilitySettings(catalog_json=catalog, infer_from_text=True)
        return p.Navigator.from_path(str(FEED), eligibility=settings)

    assert "$40,000 or less" in listing(YEARLY_CEILING)
    usd = navigator("USD").evaluate_eligibility
    out = usd(YEARLY_CEILING, {"household_income": 50000})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].rule_text == "household_income <= 40000"
    assert QUOTE in out.failed[0].en
    assert usd(YEARLY_CEILING, {"household_income": 30000}).status == (
        p.EligibilityStatus.ELIGIBLE
    )
    # A dollar amount is no threshold in euros: never a wrong exclusion.
    eur = navigator("EUR").evaluate_eligibility
    out = eur(YEARLY_CEILING, {"household_income": 10_000_000})
    assert out.status != p.EligibilityStatus.INELIGIBLE
    assert "household_income" not in out.missing_facts
