"""End-to-end searches through the Python bindings (ranking logic itself is tested in Rust)."""

import passerelle as p
from conftest import BYWARD, MONDAY_10AM, query


def test_sample_directory_info(sample):
    info = sample.directory_info()
    assert info.fictional
    assert info.notice
    assert info.services == 102
    assert set(info.languages) >= {"en", "fr"}
    report = sample.import_report()
    assert report.errors == 0
    assert report.loaded["services"] == 102


def test_french_food_bank_near_byward(sample):
    res = sample.search(query("banque alimentaire", max_distance_km=5))
    need = res.needs[0]
    assert need.total > 0 and need.matches
    assert res.crisis is None
    top = need.matches[0]
    assert top.rank == 1
    assert top.distance_m is not None and top.distance_m < 5000
    assert [m.rank for m in need.matches] == list(range(1, len(need.matches) + 1))
    scores = [m.score for m in need.matches]
    assert all(0 <= s <= 1 for s in scores)
    assert any(c.startswith("food") for c in need.understood_as), need.understood_as
    # Names and reasons in both languages.
    assert p.localized(top.service_name, "fr") and p.localized(top.service_name, "en")
    assert top.reasons and all(r.en and r.fr for r in top.reasons)
    # Lean by default: no breakdown unless asked.
    assert top.breakdown == []


def test_english_and_french_agree(sample):
    en = sample.search(query("food bank"))
    fr = sample.search(query("banque alimentaire"))
    assert en.needs[0].matches[0].service_id == fr.needs[0].matches[0].service_id


def test_explain_gives_breakdown_adding_up_to_score(sample):
    m = sample.search(query("food bank", explain=True)).needs[0].matches[0]
    assert {f.factor for f in m.breakdown} >= {"need", "distance", "eligibility", "open"}
    assert abs(sum(f.contribution for f in m.breakdown) - m.score) < 1e-9


def test_crisis_first(sample):
    res = sample.search(query("pensées suicidaires"))
    assert res.crisis is not None
    assert res.crisis.kind == p.CrisisKind.SUICIDE_OR_SELF_HARM
    assert "9-8-8" in res.crisis.message.fr and "9-8-8" in res.crisis.message.en
    first = res.needs[0].matches[0]
    assert first.service_id == "svc-distress-line"
    assert first.crisis_line


def test_several_needs_and_one_stop(sample):
    q = p.SearchQuery(
        needs=[p.NeedInput(text="food bank"), p.NeedInput(text="aide au loyer")],
        lat=BYWARD[0], lon=BYWARD[1], at_epoch_seconds=MONDAY_10AM,
    )
    res = sample.search(q)
    assert [n.need_index for n in res.needs] == [0, 1]
    assert all(n.matches for n in res.needs)
    assert res.multi_need and len(res.multi_need[0].needs) >= 2


def test_eligibility_unknown_then_next_questions(sample):
    q = query("meal delivery", include_ineligible=True, limit=20)
    res = sample.search(q)
    unknown = [m for n in res.needs for m in n.matches if m.eligibility.status == p.EligibilityStatus.UNKNOWN]
    assert unknown, "services with age rules are unknown without facts"
    assert any("age" in m.eligibility.missing_facts for m in unknown)
    assert res.next_questions and res.next_questions[0].fact == "age"
    assert res.next_questions[0].fr and res.next_questions[0].en

    # Answering with a plain dict settles them.
    res2 = sample.search(query("meal delivery", include_ineligible=True, limit=20, facts={"age": 70}))
    statuses = {m.service_id: m.eligibility.status for n in res2.needs for m in n.matches}
    assert statuses.get("svc-rideau-meal-delivery") == p.EligibilityStatus.ELIGIBLE


def test_evaluate_eligibility_explains_in_both_languages(sample):
    out = sample.evaluate_eligibility("svc-rideau-meal-delivery", {"age": 40})
    assert out.status == p.EligibilityStatus.UNKNOWN
    assert out.missing_facts == ["disability"]
    assert out.open and out.open[0].fr

    out = sample.evaluate_eligibility("svc-rideau-meal-delivery", {"age": 40, "disability": False})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].en == "minimum age is 65"
    assert out.failed[0].fr == "l'âge minimum est de 65 ans"
    assert out.failed[0].rule_text == "age >= 65"

    assert sample.evaluate_eligibility("svc-rideau-meal-delivery", {"age": 70}).status == p.EligibilityStatus.ELIGIBLE
    # Keyword arguments keep the generated names.
    out = sample.evaluate_eligibility(service_id="svc-rideau-meal-delivery", facts={"age": 70})
    assert out.status == p.EligibilityStatus.ELIGIBLE
    assert p.explain_rule(text="age >= 18", facts={"age": 20}).status == p.EligibilityStatus.ELIGIBLE
    # Typed FactValue works too.
    typed = {"age": p.FactValue.NUMBER(70.0)}
    assert sample.evaluate_eligibility("svc-rideau-meal-delivery", typed).status == p.EligibilityStatus.ELIGIBLE


def test_next_questions_for_chosen_services(sample):
    qs = sample.next_questions({}, ["svc-hub-rent-help", "svc-warm-homes-utility"])
    facts = [q.fact for q in qs]
    assert "household_income" in facts
    assert all(q.en and q.fr for q in qs)
    everything = sample.next_questions({"age": 30})
    assert "age" not in [q.fact for q in everything]


def test_explain_rule_and_validate_rule():
    info = p.validate_rule("disability and age>=18")
    assert info.facts == ["age", "disability"]
    assert info.printed == "disability and age >= 18"
    out = p.explain_rule("age >= 65 or (disability and age >= 18)", {"age": 40, "disability": False})
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert out.failed[0].fr == "l'âge minimum est de 65 ans"
    csv = "table,key,value\nlim_on,1,27000\nlim_on,2,38000\n"
    rule = 'household_income <= threshold("lim_on", household_size)'
    out = p.explain_rule(rule, {"household_size": 2, "household_income": 50000}, csv)
    assert out.status == p.EligibilityStatus.INELIGIBLE
    assert "38,000" in out.failed[0].en and "38 000" in out.failed[0].fr


def test_search_batch_matches_single_searches(sample):
    qs = [query(t) for t in ("food bank", "rent help", "pensées suicidaires", "emploi")]
    assert sample.search_batch(qs) == [sample.search(q) for q in qs]


def test_real_san_mateo_data(san_mateo_dir):
    nav = p.Navigator.from_path(str(san_mateo_dir))
    info = nav.directory_info()
    assert not info.fictional
    assert info.services > 0
    report = nav.import_report()
    assert report.loaded["services"] == info.services
    for prob in report.problems:
        assert prob.table and prob.kind and prob.message and prob.summary
    # Redwood City, CA: the Salvation Army corps there offers shelter.
    res = nav.search(query("shelter", near=(37.4852, -122.2364), max_distance_km=30, limit=5))
    top = res.needs[0].matches[0]
    assert top.service_id.startswith("261f3147")
    assert top.distance_m is not None and top.distance_m < 2_000
    assert p.localized(top.organization_name, "en")
