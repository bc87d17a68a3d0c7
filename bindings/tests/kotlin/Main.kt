// Smoke tests of the Kotlin/JVM bindings. Run by scripts/test-all.sh:
//   kotlinc <generated>/org/passerelle/passerelle.kt bindings/tests/kotlin/*.kt -cp jna.jar -d t.jar
//   java -Djna.library.path=target/release -cp t.jar:jna.jar:kotlin-stdlib.jar MainKt
// Prints "N passed, M failed" and exits 1 when anything failed.
import org.passerelle.*
import kotlin.system.exitProcess

private var passed = 0
private var failed = 0

private fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
    } catch (e: Throwable) {
        failed++
        println("FAIL $name: $e")
    }
}

private inline fun <reified E : Throwable> assertThrows(body: () -> Unit): E {
    try {
        body()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionError("expected ${E::class.simpleName}, got $e")
    }
    throw AssertionError("expected ${E::class.simpleName}, nothing thrown")
}

// Monday 2025-10-20 10:00 in Ottawa: searches are deterministic at a fixed instant.
private const val MONDAY_10AM = 1_760_968_800L
private const val BYWARD_LAT = 45.4292
private const val BYWARD_LON = -75.6920

private fun query(
    text: String,
    lat: Double? = BYWARD_LAT,
    lon: Double? = BYWARD_LON,
    limit: UInt = 5u,
    facts: Map<String, FactValue> = emptyMap(),
    includeIneligible: Boolean = false,
) = SearchQuery(
    needs = listOf(NeedInput(text = text)),
    lat = lat,
    lon = lon,
    facts = facts,
    includeIneligible = includeIneligible,
    limit = limit,
    atEpochSeconds = MONDAY_10AM,
)

private fun num(v: Double) = FactValue.Number(v)

fun main() {
    test("library_version") { check(libraryVersion().split(".").size == 3) }
    test("validate_point returns a record") {
        val p = validatePoint(45.4292, -75.6920)
        check(p == GeoPoint(45.4292, -75.6920)) { "$p" }
    }
    test("validate_point rejects out-of-range latitude") {
        val e = assertThrows<PasserelleException.InvalidInput> { validatePoint(100.0, 101.0) }
        check(e.reason.contains("latitude")) { e.reason }
        check(e.message!!.contains("latitude")) { "${e.message}" }
    }
    test("localized text") {
        val t = LocalizedText("Food bank", mapOf("fr-CA" to "Banque alimentaire"))
        check(localized(t, "fr") == "Banque alimentaire")
        check(localized(t, "es") == "Food bank")
    }

    test("toString and string templates of resident records are redacted") {
        val sentinel = "zq-sentinel-4417"
        val q = SearchQuery(
            needs = listOf(NeedInput(text = "$sentinel pensées suicidaires", terms = listOf(sentinel))),
            lat = 45.123456,
            lon = -75.654321,
            facts = mapOf("household_income" to num(98765.4321), "gender" to FactValue.Text(sentinel)),
            languages = listOf(sentinel),
            accessibility = listOf(sentinel),
            populations = listOf(sentinel),
        )
        val opts = BatchOptions(languages = listOf(sentinel))
        val printed = listOf(
            q.toString(), "$q", q.needs.first().toString(), "${q.facts}",
            FactValue.Text(sentinel).toString(), num(98765.4321).toString(), "$opts",
        ).joinToString(" | ")
        for (leak in listOf(sentinel, "45.12", "75.65", "98765", "pensées")) {
            check(!printed.contains(leak)) { "$leak printed: $printed" }
        }
        check(printed.contains("<redacted")) { printed }
    }

    val nav = Navigator.sample()
    test("sample loads") {
        val info = nav.directoryInfo()
        check(info.fictional && info.services == 102uL) { "$info" }
        check(nav.importReport().errors == 0u)
    }
    test("snapshot bytes and file reopen with the same answers; damage is DataLoad") {
        val bytes = nav.snapshotBytes()
        val again = Navigator.fromSnapshotBytes(bytes, gazetteer = Gazetteer.ottawaSample())
        val ids = { n: Navigator -> n.search(query("banque alimentaire")).needs[0].matches.map { it.serviceId } }
        check(ids(again) == ids(nav)) { "${ids(again)}" }
        val file = java.io.File.createTempFile("passerelle", ".psnap")
        try {
            nav.saveSnapshot(file.path)
            check(ids(Navigator.openSnapshot(file.path, gazetteer = Gazetteer.ottawaSample())) == ids(nav))
        } finally {
            file.delete()
        }
        val damaged = bytes.copyOf()
        damaged[damaged.size - 1] = (damaged[damaged.size - 1].toInt() xor 1).toByte()
        val e = assertThrows<PasserelleException.DataLoad> { Navigator.fromSnapshotBytes(damaged) }
        check(e.reason.contains("checksum")) { e.reason }
    }
    test("French search near ByWard") {
        val need = nav.search(query("banque alimentaire")).needs[0]
        check(need.matches.isNotEmpty())
        val top = need.matches[0]
        check(top.rank == 1u)
        check(top.distanceM != null && top.distanceM!! < 10_000.0) { "${top.distanceM}" }
        check(localized(top.serviceName, "fr").isNotEmpty())
        check(top.reasons.all { it.en.isNotEmpty() && it.fr.isNotEmpty() })
    }
    test("English and French agree") {
        val en = nav.search(query("food bank")).needs[0].matches[0].serviceId
        val fr = nav.search(query("banque alimentaire")).needs[0].matches[0].serviceId
        check(en == fr) { "$en != $fr" }
    }
    test("search_json returns the typed search's results as JSON") {
        val typed = nav.search(query("banque alimentaire")).needs[0].matches.map { it.serviceId }
        val json = nav.searchJson(
            """{"needs": [{"text": "banque alimentaire"}], "lat": $BYWARD_LAT, "lon": $BYWARD_LON,
               "at_epoch_seconds": $MONDAY_10AM}"""
        )
        val ids = Regex("\"service_id\":\"([^\"]+)\"").findAll(json).map { it.groupValues[1] }.toList()
        check(typed.isNotEmpty() && ids == typed) { "$ids != $typed" }
        val e = assertThrows<PasserelleException.InvalidInput> {
            nav.searchJson("""{"needs": [{"text": "x"}], "facts": {"age": {"v": 31337}}}""")
        }
        check(e.reason.contains("a fact must be") && !e.reason.contains("31337")) { e.reason }
    }
    test("search_rows_json returns the typed search's matches as rows") {
        val typed = nav.search(query("banque alimentaire")).needs[0].matches.map { it.serviceId }
        val bytes = """{"needs": [{"text": "banque alimentaire"}], "lat": $BYWARD_LAT,
            "lon": $BYWARD_LON, "at_epoch_seconds": $MONDAY_10AM}""".toByteArray()
        // The query is borrowed for the call: a direct buffer.
        val buffer = java.nio.ByteBuffer.allocateDirect(bytes.size).put(bytes).flip()
        val json = nav.searchRowsJson(buffer as java.nio.ByteBuffer)
        check(json.startsWith("{\"columns\":[\"need_index\",\"rank\",\"service_id\"")) { json }
        // Each row is an array: need_index, rank, service_id, ...
        val ids = Regex("\\[0,[0-9]+,\"([^\"]+)\"").findAll(json).map { it.groupValues[1] }.toList()
        check(typed.isNotEmpty() && ids == typed) { "$ids != $typed" }
    }
    test("crisis first") {
        val res = nav.search(query("pensées suicidaires"))
        check(res.crisis?.kind == CrisisKind.SUICIDE_OR_SELF_HARM) { "${res.crisis}" }
        check(res.crisis!!.message.translations["fr"]!!.contains("9-8-8"))
        check(res.needs[0].matches[0].serviceId == "svc-distress-line")
        check(res.needs[0].matches[0].crisisLine)
    }
    test("eligibility unknown, then next questions") {
        val res = nav.search(query("meal delivery", limit = 20u, includeIneligible = true))
        val unknown = res.needs.flatMap { it.matches }.filter { it.eligibility.status == EligibilityStatus.UNKNOWN }
        check(unknown.isNotEmpty())
        check(res.nextQuestions.first().fact == "age") { "${res.nextQuestions}" }
        val out = nav.evaluateEligibility("svc-rideau-meal-delivery", mapOf("age" to num(40.0)))
        check(out.status == EligibilityStatus.UNKNOWN && out.missingFacts == listOf("disability")) { "$out" }
        val qs = nav.nextQuestions(emptyMap(), listOf("svc-hub-rent-help"))
        check(qs.any { it.fact == "household_income" }) { "$qs" }
    }
    test("rule explained in both languages") {
        val facts = mapOf("age" to num(40.0), "disability" to FactValue.Bool(false))
        val out = nav.evaluateEligibility("svc-rideau-meal-delivery", facts)
        check(out.status == EligibilityStatus.INELIGIBLE)
        check(out.failed[0].en == "minimum age is 65") { out.failed[0].en }
        check(out.failed[0].fr == "l'âge minimum est de 65 ans") { out.failed[0].fr }
        val rule = explainRule("age >= 65 or (disability and age >= 18)", facts)
        check(rule == out) { "$rule" }
        check(validateRule("disability and age>=18").facts == listOf("age", "disability"))
    }
    test("errors are typed exceptions") {
        val r = assertThrows<PasserelleException.InvalidRule> { validateRule("age >= 65\nor aeg < 3") }
        check(r.line == 2u && r.column == 4u) { "${r.line}:${r.column}" }
        check(r.reason.contains("did you mean")) { r.reason }
        assertThrows<PasserelleException.LimitExceeded> { nav.search(query("food", limit = 0u)) }
        assertThrows<PasserelleException.LimitExceeded> { nav.search(query("a".repeat(10 shl 20))) }
        assertThrows<PasserelleException.InvalidInput> { nav.search(query("food", lat = 100.0)) }
        val secret = assertThrows<PasserelleException.InvalidInput> {
            nav.evaluateEligibility("svc-rent-assist-arrears", mapOf("province" to FactValue.Text("Secretland")))
        }
        check(!secret.reason.contains("Secretland"))
        assertThrows<PasserelleException.DataLoad> { Navigator.fromPath("/nonexistent/x.json") }
        assertThrows<PasserelleException.DataLoad> { Navigator.fromJson("{not json") }
        assertThrows<PasserelleException> { nav.evaluateEligibility("svc-nope", emptyMap()) }
    }
    test("search_batch equals single searches") {
        val qs = listOf("food bank", "rent help", "emploi").map { query(it) }
        check(nav.searchBatch(qs) == qs.map { nav.search(it) })
    }
    test("declared catalogue, rule JSON and conditions read from text") {
        val repo = System.getProperty("passerelle.repo") ?: "."
        val smcFull = "$repo/core/tests/data/hsds/smc-ohana-full"
        val catalog = """{"base": "standard", "currency": "USD", "facts": [
            {"name": "has_pet", "type": "bool", "question": {"en": "Pet?", "fr": "Animal ?"}}]}"""
        val facts = catalogFacts(catalog)
        check(facts.any { it.name == "has_pet" && it.kind == "bool" })
        check(facts.first { it.name == "household_income" }.unit == "USD")
        val bad = assertThrows<PasserelleException.InvalidInput> { catalogFacts("{\"facts\": [\n{\"name\": 1}]}") }
        check(bad.reason.contains("line 2")) { bad.reason }
        // Rule text checks against the declared catalogue too.
        check(validateRule("has_pet and age >= 18", catalogJson = catalog).facts == listOf("age", "has_pet"))
        assertThrows<PasserelleException.InvalidRule> { validateRule("has_pet") }
        val pet = explainRule(
            "has_pet and age >= 18", mapOf("has_pet" to FactValue.Bool(false), "age" to num(30.0)), catalogJson = catalog)
        check(pet.status == EligibilityStatus.INELIGIBLE) { "$pet" }
        val json = validateRule("age >= 65").json
        val out = explainRuleJson(json, mapOf("age" to num(40.0)))
        check(out.status == EligibilityStatus.INELIGIBLE && out.failed[0].en == "minimum age is 65") { "$out" }
        // Rule JSON naming a declared fact evaluates against the declared catalogue only.
        val petJson = validateRule("has_pet and age >= 18", catalogJson = catalog).json
        val noPet = explainRuleJson(
            petJson, mapOf("has_pet" to FactValue.Bool(false), "age" to num(30.0)), catalogJson = catalog)
        check(noPet.status == EligibilityStatus.INELIGIBLE && noPet.failed[0].ruleText == "has_pet") { "$noPet" }
        val withPet = explainRuleJson(petJson, mapOf("has_pet" to FactValue.Bool(true)), catalogJson = catalog)
        check(withPet.status == EligibilityStatus.UNKNOWN && withPet.missingFacts == listOf("age")) { "$withPet" }
        assertThrows<PasserelleException.InvalidRule> { explainRuleJson(petJson, emptyMap()) }
        val read = readEligibilityText("Men ages 19-64 who are uninsured")
        check(read.map { it.kind } == listOf("gender", "age", "insurance")) { "$read" }
        check(readEligibilityText("Age 62 or over or disabled").isEmpty())
        val settings = EligibilitySettings(catalogJson = catalog, inferFromText = true)
        Navigator.fromPath(smcFull, eligibility = settings).use { smc ->
            val woman = "1149241e-d8d2-5b25-9f80-6b631932bbcf"
            val man = mapOf("gender" to FactValue.Text("male"), "has_pet" to FactValue.Bool(true))
            val res = smc.evaluateEligibility(woman, man)
            check(res.status == EligibilityStatus.INELIGIBLE) { "$res" }
            check(res.failed[0].en.contains("to confirm: the listing says 'Woman who is a victim")) { res.failed[0].en }
            val unknown = smc.evaluateEligibility("089e3eb1-18b9-5ae0-80fe-be65071c7ceb", emptyMap())
            check(unknown.status == EligibilityStatus.UNKNOWN && unknown.missingFacts == listOf("county")) { "$unknown" }
            val under19 = "ae6e8f24-8abd-51f2-91f9-5b324a04f359" // "Age 18 or under", no ages given
            val adult = smc.evaluateEligibility(under19, mapOf("age" to num(30.0)))
            check(adult.status == EligibilityStatus.INELIGIBLE) { "$adult" }
            check(adult.failed[0].en == "maximum age is 18 (to confirm: the listing says 'Age 18 or under')") { adult.failed[0].en }
            val noAge = smc.evaluateEligibility(under19, emptyMap())
            check(noAge.status == EligibilityStatus.UNKNOWN && noAge.missingFacts == listOf("age")) { "$noAge" }
            val coastside = "5352827b-b149-55ec-babb-f05a970689a7" // "Uninsured person"
            val insured = smc.evaluateEligibility(coastside, mapOf("health_insurance" to FactValue.Text("private")))
            check(insured.status == EligibilityStatus.INELIGIBLE) { "$insured" }
            check(insured.failed[0].en.contains("the listing says 'Uninsured person'")) { insured.failed[0].en }
            val elsewhere = smc.evaluateEligibility(
                "089e3eb1-18b9-5ae0-80fe-be65071c7ceb", mapOf("county" to FactValue.Text("Santa Clara")))
            check(elsewhere.status == EligibilityStatus.INELIGIBLE) { "$elsewhere" }
            // Places compare loosely: "san mateo county" is the listing's "San Mateo County".
            val here = smc.evaluateEligibility(
                "089e3eb1-18b9-5ae0-80fe-be65071c7ceb", mapOf("county" to FactValue.Text("san mateo county")))
            check(here.status == EligibilityStatus.ELIGIBLE) { "$here" }
            val q = SearchQuery(
                needs = listOf(NeedInput(text = "domestic violence")),
                lat = 37.5630, lon = -122.3255, maxDistanceKm = 30.0,
                facts = mapOf("gender" to FactValue.Text("male")),
                includeIneligible = true, limit = 200u,
            )
            val m = smc.search(q).needs.flatMap { it.matches }.first { it.serviceId == woman }
            check(m.eligibility.status == EligibilityStatus.INELIGIBLE)
            check(m.eligibility.inferred[0].value == "to confirm: the listing says 'Woman who is a victim of domestic violence'") {
                "${m.eligibility.inferred}"
            }
            // Codes in a query are checked against the feed: typed error, suggestion, not the code.
            val pop = assertThrows<PasserelleException.InvalidInput> {
                smc.search(q.copy(populations = listOf("south-asian")))
            }
            check(pop.reason.contains("populations[0]") && !pop.reason.contains("south-asian")) { pop.reason }
            val acc = assertThrows<PasserelleException.InvalidInput> {
                smc.search(q.copy(accessibility = listOf("wheelchiar")))
            }
            check(acc.reason.contains("did you mean \"wheelchair\"")) { acc.reason }
        }
    }
    test("threads with a directory swap") {
        val repo = System.getProperty("passerelle.repo") ?: "."
        val sampleDir = "$repo/core/data/sample"
        val smcDir = "$repo/core/tests/data/hsds/ohana-smc-hsds3"
        Navigator.sample().use { live ->
            val expected = live.search(query("food bank", limit = 10u)).needs[0].matches.map { it.serviceId }
            val stop = java.util.concurrent.atomic.AtomicBoolean(false)
            val swaps = java.util.concurrent.atomic.AtomicInteger(0)
            val errors = java.util.concurrent.ConcurrentLinkedQueue<Throwable>()
            val swapper = Thread {
                try {
                    while (!stop.get()) {
                        val path = if (swaps.get() % 2 == 0) smcDir else sampleDir
                        check(live.replaceDirectoryFromPath(path, force = true).errors >= 0u)
                        swaps.incrementAndGet()
                    }
                } catch (e: Throwable) { errors.add(e) }
            }
            swapper.start()
            val workers = (0 until 8).map {
                Thread {
                    try {
                        repeat(25) {
                            val ids = live.search(query("food bank", limit = 10u)).needs[0].matches.map { it.serviceId }
                            val fromSample = ids.all { it.startsWith("svc-") }
                            val fromSmc = ids.none { it.startsWith("svc-") }
                            check(fromSample || fromSmc) { "mixed snapshot: $ids" }
                            if (ids.isNotEmpty() && fromSample) check(ids == expected) { "$ids" }
                        }
                    } catch (e: Throwable) { errors.add(e) }
                }
            }
            workers.forEach { it.start() }
            workers.forEach { it.join() }
            stop.set(true)
            swapper.join()
            check(errors.isEmpty()) { "${errors.peek()}" }
            check(swaps.get() >= 1)
        }
    }
    test("real feed: zone at load, wheelchair results") {
        val repo = System.getProperty("passerelle.repo") ?: "."
        val smcSample = "$repo/core/tests/data/hsds/ohana-smc-hsds3"
        Navigator.fromPath(smcSample, timeZone = "America/Los_Angeles").use { n ->
            check(n.directoryInfo().timezone == "America/Los_Angeles")
            check(n.importReport().problems.none { it.kind == "no_time_zone" })
        }
        assertThrows<PasserelleException.InvalidInput> {
            Navigator.fromPath(smcSample, timeZone = "Pacific Time")
        }
        Navigator.fromPath("$repo/core/tests/data/hsds/smc-ohana-full").use { n ->
            check(n.importReport().errors == 0u) { "${n.importReport().errors} errors" }
            check(n.directoryInfo().timezone == "America/Los_Angeles")
            val need = n.search(
                SearchQuery(
                    needs = listOf(NeedInput(text = "counselling")),
                    lat = 37.5630,
                    lon = -122.3255,
                    delivery = Delivery.IN_PERSON_ONLY,
                    accessibility = listOf("wheelchair"),
                    limit = 10u,
                    atEpochSeconds = 1_795_032_000L, // Wednesday 2026-11-18 12:00 Pacific
                ),
            ).needs[0]
            check(need.total > 0u) { "no result" }
            check(need.matches[0].reasons.any { it.factor == "accessibility" && it.en == "Lists wheelchair access." })
        }
    }
    test("San Mateo: contact details, lookups, gazetteer coverage, exports") {
        val repo = System.getProperty("passerelle.repo") ?: "."
        val gaz = Gazetteer.fromPath("$repo/core/tests/data/gazetteer/smc-approx.geojson")
        check(gaz.problems().isEmpty()) { "${gaz.problems()}" }
        check(gaz.covers("County of San Mateo", 37.6879, -122.4702) == true)
        Navigator.fromPath("$repo/core/tests/data/hsds/smc-ohana-full", gazetteer = gaz).use { smc ->
            val matches = smc.search(query("counseling", lat = 37.5630, lon = -122.3255, limit = 20u)).needs[0].matches
            check(matches.size == 20) { "${matches.size}" }
            check(matches.count { it.contact.phones.isNotEmpty() } >= 18)
            check(matches.count { it.contact.address?.city?.isNotEmpty() == true } >= 18)
            val m = matches.first { it.locationId != null }
            val svc = smc.service(m.serviceId)!!
            check(svc.locationIds.contains(m.locationId)) { "$svc" }
            val loc = smc.location(m.locationId!!)!!
            check(loc.addresses.first() == m.contact.address) { "$loc" }
            check(smc.service("no-such-service") == null)
            check(smc.areaKeyForPoint(37.6879, -122.4702, 1000u) == "area:daly city")
            val coverage = smc.search(
                query("food pantry", lat = 37.6879, lon = -122.4702, limit = 100u).copy(explain = true)
            ).needs[0].matches.map { m2 -> m2.breakdown.first { it.factor == "coverage" }.value }
            check(coverage.contains(1.0)) { "$coverage" }
            val q = query("health", lat = 37.5630, lon = -122.3255, limit = 3u).copy(maxDistanceKm = 50.0)
            val page = smc.search(q)
            check(page.needs[0].total > 100u)
            Navigator.fromJson(smc.exportQueryJson(q)).use { sub ->
                check(sub.directoryInfo().services > page.needs[0].matches.size.toULong())
            }
            check(smc.exportQueryCsv(q).containsKey("services.csv"))
            Navigator.fromJson(smc.exportJson()).use { again ->
                check(again.directoryInfo().services == smc.directoryInfo().services)
            }
        }
        val bare = Gazetteer.fromBytes("name,wkt\nBad,\"POLYGON ((0 0, 1 0))\"\n".toByteArray())
        check(bare.names().isEmpty() && bare.problems().single().entry == "row 1")
        assertThrows<PasserelleException.DataLoad> { Gazetteer.fromBytes("label\n".toByteArray()) }
    }
    test("referral lifecycle and unmet needs from a no-result search") {
        var r = newReferral("ref-1", "food.bank", "svc-1", "sal-1", "2026-11-02")
        r = referralAdvance(r, ReferralStatus.CONTACTED, "2026-11-03")
        assertThrows<PasserelleException.InvalidInput> { referralAdvance(r, ReferralStatus.CLOSED, "2026-11-04") }
        r = referralNotConnected(r, OutcomeReason.NO_ANSWER, "2026-11-05")
        r = referralAdvance(r, ReferralStatus.CLOSED, "2026-11-06")
        check(r.history.map { it.status } == listOf(
            ReferralStatus.REFERRED, ReferralStatus.CONTACTED, ReferralStatus.NOT_CONNECTED, ReferralStatus.CLOSED))
        check(referralsFromCsv(referralsToCsv(listOf(r))) == listOf(r))
        val q = query("food bank", lat = 45.47, lon = -76.30).copy(maxDistanceKm = 2.0, delivery = Delivery.IN_PERSON_ONLY)
        check(nav.search(q).needs[0].total == 0u)
        val area = nav.areaKeyForPoint(45.47, -76.30, 1000u)
        val unmet = nav.unmetNeeds(q, area, "2026-11-20")
        check(unmet.size == 1 && unmet[0].reason == UnmetReason.NONE_WITHIN_REACH && unmet[0].need == "food.bank") { "$unmet" }
        check(unmetNeedsFromCsv(unmetNeedsToCsv(unmet)) == unmet)
    }
    nav.close()
    println("$passed passed, $failed failed")
    if (failed > 0) exitProcess(1)
}
