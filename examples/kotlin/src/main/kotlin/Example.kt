// A desktop/server app that depends on org.passerelle:passerelle by Maven coordinates (pom.xml).
// Its classpath is what Maven resolves: the passerelle jar, JNA and kotlin-stdlib (declared by
// passerelle's POM). JNA loads linux-x86-64/libpasserelle.so from inside the jar.
//
// scripts/test-all.sh (step `jvm`) builds it with `mvn package`, which also runs it.
import org.passerelle.*
import kotlin.system.exitProcess

fun main() {
    val version = libraryVersion()
    val manifest = Navigator::class.java.`package`?.implementationVersion
    if (manifest != version) {
        println("jar manifest version $manifest != library version $version")
        exitProcess(1)
    }
    Navigator.sample().use { nav ->
        val res = nav.search(
            SearchQuery(
                needs = listOf(NeedInput(text = "banque alimentaire")),
                lat = 45.4292, lon = -75.6920,
                facts = mapOf("age" to FactValue.Number(70.0)),
            )
        )
        val matches = res.needs[0].matches
        if (matches.isEmpty()) {
            println("no match for a food bank near Ottawa's centre in the sample directory")
            exitProcess(1)
        }
        for (m in matches) println("${m.rank}. ${localized(m.serviceName, "fr")} (${m.serviceId})")
    }
    println("version $version")
}
