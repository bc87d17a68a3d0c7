// Smoke tests of the Swift bindings, the same cases as bindings/tests/kotlin/Main.kt.
// Run by scripts/test-all.sh only where `swiftc` exists (macOS, or Linux with a Swift toolchain);
// elsewhere the generated Swift is checked statically. Prints "N passed, M failed", exits 1 on failure.
import Foundation

var passed = 0
var failed = 0

func test(_ name: String, _ body: () throws -> Void) {
    do {
        try body()
        passed += 1
    } catch {
        failed += 1
        print("FAIL \(name): \(error)")
    }
}

struct Check: Error, CustomStringConvertible {
    let description: String
}

func check(_ cond: Bool, _ msg: @autoclosure () -> String = "check failed") throws {
    if !cond { throw Check(description: msg()) }
}

func expectInvalidInput(_ body: () throws -> Void) throws -> String {
    do {
        try body()
    } catch PasserelleError.InvalidInput(let reason) {
        return reason
    }
    throw Check(description: "expected PasserelleError.InvalidInput, nothing thrown")
}

// Monday 2025-10-20 10:00 in Ottawa: searches are deterministic at a fixed instant.
let monday10am: Int64 = 1_760_968_800

func query(_ text: String, lat: Double? = 45.4292, lon: Double? = -75.6920, limit: UInt32 = 5,
           facts: [String: FactValue] = [:], includeIneligible: Bool = false) -> SearchQuery {
    // Swift: labels in declaration order (defaulted ones may be skipped).
    SearchQuery(needs: [NeedInput(text: text)], lat: lat, lon: lon, facts: facts,
                atEpochSeconds: monday10am, includeIneligible: includeIneligible, limit: limit)
}

func expectError(_ body: () throws -> Void, _ matches: (PasserelleError) -> Bool) throws {
    do {
        try body()
    } catch let e as PasserelleError {
        if matches(e) { return }
        throw Check(description: "unexpected error \(e)")
    }
    throw Check(description: "expected a PasserelleError, nothing thrown")
}

test("library_version") { try check(libraryVersion().split(separator: ".").count == 3) }
test("validate_point returns a record") {
    let p = try validatePoint(lat: 45.4292, lon: -75.6920)
    try check(p == GeoPoint(lat: 45.4292, lon: -75.6920), "\(p)")
}
test("validate_point rejects out-of-range latitude") {
    let reason = try expectInvalidInput { _ = try validatePoint(lat: 100.0, lon: 101.0) }
    try check(reason.contains("latitude"), reason)
}
test("localized text") {
    let t = LocalizedText(value: "Food bank", translations: ["fr-CA": "Banque alimentaire"])
    try check(try localized(text: t, lang: "fr") == "Banque alimentaire")
}

do {
    let nav = try Navigator.sample()
    test("sample loads") {
        let info = nav.directoryInfo()
        try check(info.fictional && info.services == 102, "\(info)")
        try check(nav.importReport().errors == 0)
    }
    test("French search near ByWard") {
        let need = try nav.search(query: query("banque alimentaire")).needs[0]
        try check(!need.matches.isEmpty)
        try check(need.matches[0].rank == 1)
        try check((need.matches[0].distanceM ?? .infinity) < 10_000)
    }
    test("English and French agree") {
        let en = try nav.search(query: query("food bank")).needs[0].matches[0].serviceId
        let fr = try nav.search(query: query("banque alimentaire")).needs[0].matches[0].serviceId
        try check(en == fr, "\(en) != \(fr)")
    }
    test("crisis first") {
        let res = try nav.search(query: query("pensées suicidaires"))
        try check(res.crisis?.kind == .suicideOrSelfHarm)
        try check(res.crisis?.message.translations["fr"]?.contains("9-8-8") == true)
        try check(res.needs[0].matches[0].serviceId == "svc-distress-line")
    }
    test("eligibility unknown, then next questions") {
        let res = try nav.search(query: query("meal delivery", limit: 20, includeIneligible: true))
        try check(res.needs.flatMap { $0.matches }.contains { $0.eligibility.status == .unknown })
        try check(res.nextQuestions.first?.fact == "age")
        let out = try nav.evaluateEligibility(serviceId: "svc-rideau-meal-delivery",
                                              facts: ["age": .number(value: 40)])
        try check(out.status == .unknown && out.missingFacts == ["disability"], "\(out)")
    }
    test("rule explained in both languages") {
        let facts: [String: FactValue] = ["age": .number(value: 40), "disability": .bool(value: false)]
        let out = try explainRule(text: "age >= 65 or (disability and age >= 18)", facts: facts)
        try check(out.status == .ineligible)
        try check(out.failed[0].en == "minimum age is 65")
        try check(out.failed[0].fr == "l'âge minimum est de 65 ans")
    }
    test("errors are typed") {
        try expectError({ _ = try validateRule(text: "age >= 65\nor aeg < 3") }) {
            if case let .InvalidRule(_, line, column) = $0 { return line == 2 && column == 4 }
            return false
        }
        try expectError({ _ = try nav.search(query: query("food", limit: 0)) }) {
            if case .LimitExceeded = $0 { return true }
            return false
        }
        try expectError({ _ = try Navigator.fromPath(path: "/nonexistent/x.json") }) {
            if case .DataLoad = $0 { return true }
            return false
        }
    }
    test("threads with a directory swap") {
        let sampleDir = "core/data/sample", smcDir = "core/tests/data/hsds/ohana-smc-hsds3"
        let expected = try nav.search(query: query("food bank", limit: 10)).needs[0].matches.map { $0.serviceId }
        let lock = NSLock()
        var problems: [String] = []
        DispatchQueue.concurrentPerform(iterations: 9) { i in
            for k in 0..<20 {
                do {
                    if i == 0 {
                        _ = try nav.replaceDirectoryFromPath(path: k % 2 == 0 ? smcDir : sampleDir)
                    } else {
                        let ids = try nav.search(query: query("food bank", limit: 10)).needs[0].matches.map { $0.serviceId }
                        let fromSample = ids.allSatisfy { $0.hasPrefix("svc-") }
                        if !(fromSample || ids.allSatisfy { !$0.hasPrefix("svc-") }) || (fromSample && !ids.isEmpty && ids != expected) {
                            lock.lock(); problems.append("\(ids)"); lock.unlock()
                        }
                    }
                } catch {
                    lock.lock(); problems.append("\(error)"); lock.unlock()
                }
            }
        }
        try check(problems.isEmpty, "\(problems.first ?? "")")
    }
} catch {
    failed += 1
    print("FAIL Navigator.sample(): \(error)")
}
print("\(passed) passed, \(failed) failed")
if failed > 0 { exit(1) }
