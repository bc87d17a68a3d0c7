"""Declared fact catalogues, rules in JSON form and conditions read from real eligibility
text (San Mateo County, BSD-3) through the Python bindings."""

import pytest

import passerelle as p
from conftest import REPO

SMC_FULL = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
WOMAN_INC = "1149241e-d8d2-5b25-9f80-6b631932bbcf"  # "Woman who is a victim of domestic violence"
SMMC_DALY = "089e3eb1-18b9-5ae0-80fe-be65071c7ceb"  # "San Mateo County resident"
UNDER_19 = "ae6e8f24-8abd-51f2-91f9-5b324a04f359"  # "Age 18 or under", no ages given
COASTSIDE = "5352827b-b149-55ec-babb-f05a970689a7"  # "Uninsured person"
SAN_MATEO = (37.5630, -122.3255)

CATALOG = """{"base": "standard", "currency": "USD", "facts": [
  {"name": "has_pet", "type": "bool",
   "question": {"en": "Do you have a pet?", "fr": "Avez-vous un animal ?"}}]}"""


@pytest.fixture(scope="module")
def smc():
    settings = p.EligibilitySettings(catalog_json=CATALOG, infer_from_text=True)
    return p.Navigator.from_path(str(SMC_FULL), eligibility=settings)


def test_declared_catalogue():
    facts = {f.name: f for f in p.catalog_facts(CATALOG)}
    assert facts["has_pet"].kind == "bool"
    assert facts["household_income"].unit == "USD"
    assert "non_binary" in facts["gender"].values and "not_stated" in facts["gender"].values
    with pytest.raises(p.PasserelleError.InvalidInput) as e:
        p.catalog_facts('{"facts": [\n {"name": "a", "type": "bool"}]}')
    assert "line 2" in str(e.value) and "facts[0]" in str(e.value)


def test_navigator_checks_facts_against_its_catalogue(smc):
    out = smc.evaluate_eligibility(WOMAN_INC, {"has_pet": True, "gender": "female"})
    assert out.status == p.EligibilityStatus.ELIGIBLE
    with pytest.raises(p.PasserelleError.InvalidInput):
        smc.evaluate_eligibility(WOMAN_INC, {"has_pte": True})


def test_rule_in_json_form():
    info = p.validate_rule("age >= 65")
    out = p.explain_rule_json(info.json, {"age": 40})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].en == "minimum age is 65"
    pet = '{"op": "fact", "fact": "has_pet"}'
    assert p.explain_rule_json(pet, {"has_pet": True}, catalog_json=CATALOG).status == (
        p.EligibilityStatus.ELIGIBLE
    )
    with pytest.raises(p.PasserelleError.InvalidRule):
        p.explain_rule_json(pet, {})  # the standard catalogue has no has_pet


def test_rule_text_checks_against_the_declared_catalogue():
    info = p.validate_rule("has_pet and age >= 18", catalog_json=CATALOG)
    assert info.facts == ["age", "has_pet"]
    with pytest.raises(p.PasserelleError.InvalidRule):
        p.validate_rule("has_pet")  # the standard catalogue has no has_pet
    with pytest.raises(p.PasserelleError.InvalidRule) as e:
        p.validate_rule("has_pte", catalog_json=CATALOG)
    assert "has_pet" in str(e.value)  # did you mean
    facts = {"has_pet": False, "age": 30}
    out = p.explain_rule("has_pet and age >= 18", facts, catalog_json=CATALOG)
    assert out.status == p.EligibilityStatus.INELIGIBLE
    out = p.explain_rule("has_pet", {"has_pet": True}, None, CATALOG)
    assert out.status == p.EligibilityStatus.ELIGIBLE


def test_conditions_read_from_text():
    found = p.read_eligibility_text("Men ages 19-64 who are uninsured")
    assert [c.kind for c in found] == ["gender", "age", "insurance"]
    assert found[1].rule_text == "age in 19..64"
    assert p.read_eligibility_text("Age 62 or over or disabled") == []


def test_inferred_conditions_in_results(smc):
    out = smc.evaluate_eligibility(WOMAN_INC, {"gender": "male"})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert "to confirm: the listing says 'Woman who is a victim" in out.failed[0].en
    out = smc.evaluate_eligibility(SMMC_DALY, {})
    assert out.status == p.EligibilityStatus.UNKNOWN and out.missing_facts == ["county"]

    q = p.SearchQuery(
        needs=[p.NeedInput(text="domestic violence")],
        lat=SAN_MATEO[0], lon=SAN_MATEO[1], max_distance_km=30,
        facts={"gender": "male", "age": 35}, include_ineligible=True, limit=200,
    )
    matches = [m for n in smc.search(q).needs for m in n.matches]
    woman = next(m for m in matches if m.service_id == WOMAN_INC)
    assert woman.eligibility.status == p.EligibilityStatus.INELIGIBLE
    assert woman.eligibility.inferred[0].en == (
        "to confirm: the listing says 'Woman who is a victim of domestic violence'"
    )
    assert woman.eligibility.inferred[0].fr.startswith("à confirmer : la fiche indique")


def test_age_residency_and_insurance_read_from_text(smc):
    out = smc.evaluate_eligibility(UNDER_19, {"age": 30})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].en == (
        "maximum age is 18 (to confirm: the listing says 'Age 18 or under')"
    )
    assert smc.evaluate_eligibility(UNDER_19, {"age": 12}).status == (
        p.EligibilityStatus.ELIGIBLE
    )
    out = smc.evaluate_eligibility(UNDER_19, {})
    assert out.status == p.EligibilityStatus.UNKNOWN and out.missing_facts == ["age"]
    out = smc.evaluate_eligibility(SMMC_DALY, {"county": "Santa Clara"})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert "the listing says 'San Mateo County resident'" in out.failed[0].en
    out = smc.evaluate_eligibility(COASTSIDE, {"health_insurance": "private"})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert "the listing says 'Uninsured person'" in out.failed[0].en
    out = smc.evaluate_eligibility(COASTSIDE, {})
    assert out.status == p.EligibilityStatus.UNKNOWN
    assert out.missing_facts == ["health_insurance"]


def test_inference_is_off_by_default():
    nav = p.Navigator.from_path(str(SMC_FULL))
    out = nav.evaluate_eligibility(WOMAN_INC, {"gender": "male"})
    assert out.status == p.EligibilityStatus.ELIGIBLE


def test_batch_helpers_take_the_eligibility_settings():
    import pickle

    import pandas as pd

    from passerelle import batch

    src = batch.NavigatorSource(str(SMC_FULL), catalog_json=CATALOG, infer_from_text=True)
    assert pickle.loads(pickle.dumps(src)) == src
    assert batch.source_key(src) != batch.source_key(str(SMC_FULL))
    with pytest.raises(TypeError):
        batch.NavigatorSource("sample", infer_from_text=True)
    needs = pd.DataFrame({
        "id": ["n1"],
        "need_text": ["domestic violence shelter"],
        "lat": [SAN_MATEO[0]],
        "lon": [SAN_MATEO[1]],
        "facts_json": ['{"gender": "male", "has_pet": true}'],
    })

    def woman_inc(source):
        out = batch.screen_eligibility(needs, source, service_ids=[WOMAN_INC], limit=50)
        rows = out[out["service_id"] == WOMAN_INC]
        assert len(rows) == 1, out
        return rows.iloc[0]

    # The declared catalogue knows has_pet; the listing's "Woman …" is read: ineligible.
    assert woman_inc(src)["eligibility"] == "ineligible"
    # The plain path: standard catalogue, no inference, so the declared fact is refused.
    plain = batch.screen_eligibility(needs, str(SMC_FULL), service_ids=[WOMAN_INC], limit=50)
    assert plain["error"].notna().all()
    off = batch.NavigatorSource(str(SMC_FULL), catalog_json=CATALOG)
    assert woman_inc(off)["eligibility"] != "ineligible"
