// Smoke tests of the Kotlin/JVM bindings. Run by scripts/test-all.sh:
//   kotlinc <generated>/org/passerelle/passerelle.kt bindings/tests/kotlin/*.kt -cp jna.jar -d t.jar
//   java -Djna.library.path=target/debug -cp t.jar:jna.jar:kotlin-stdlib.jar MainKt
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
    test("validate_point rejects NaN") {
        assertThrows<PasserelleException.InvalidInput> { validatePoint(Double.NaN, 0.0) }
    }
    test("errors share a base class") {
        assertThrows<PasserelleException> { validateLangCode("French") }
    }
    test("language codes") {
        check(validateLangCode("FR") == "fr")
        check(validateLangCode("zh-Hant") == "zh-Hant")
    }
    test("term hierarchy") {
        check(termIsWithin("BD-1800.2000", "BD-1800"))
        check(!termIsWithin("BD-1800.2000", "BD-18"))
        assertThrows<PasserelleException.InvalidInput> { termIsWithin("a b", "a") }
    }
    test("localized text") {
        val t = LocalizedText("Food bank", mapOf("fr-CA" to "Banque alimentaire"))
        check(localized(t, "fr") == "Banque alimentaire")
        check(localized(t, "es") == "Food bank")
    }
    println("$passed passed, $failed failed")
    if (failed > 0) exitProcess(1)
}
