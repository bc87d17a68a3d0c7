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

test("library_version") { try check(libraryVersion().split(separator: ".").count == 3) }
test("validate_point returns a record") {
    let p = try validatePoint(lat: 45.4292, lon: -75.6920)
    try check(p == GeoPoint(lat: 45.4292, lon: -75.6920), "\(p)")
}
test("validate_point rejects out-of-range latitude") {
    let reason = try expectInvalidInput { _ = try validatePoint(lat: 100.0, lon: 101.0) }
    try check(reason.contains("latitude"), reason)
}
test("validate_point rejects NaN") {
    _ = try expectInvalidInput { _ = try validatePoint(lat: .nan, lon: 0.0) }
}
test("errors share a base type") {
    do {
        _ = try validateLangCode(code: "French")
        throw Check(description: "no error")
    } catch is PasserelleError {}
}
test("language codes") {
    try check(try validateLangCode(code: "FR") == "fr")
    try check(try validateLangCode(code: "zh-Hant") == "zh-Hant")
}
test("term hierarchy") {
    try check(try termIsWithin(code: "BD-1800.2000", ancestor: "BD-1800"))
    try check(!(try termIsWithin(code: "BD-1800.2000", ancestor: "BD-18")))
    _ = try expectInvalidInput { _ = try termIsWithin(code: "a b", ancestor: "a") }
}
test("localized text") {
    let t = LocalizedText(value: "Food bank", translations: ["fr-CA": "Banque alimentaire"])
    try check(try localized(text: t, lang: "fr") == "Banque alimentaire")
    try check(try localized(text: t, lang: "es") == "Food bank")
}
print("\(passed) passed, \(failed) failed")
if failed > 0 { exit(1) }
