// The same dependency from plain Java (a call-centre desktop written in Java): compiled by
// maven-compiler-plugin against the classpath Maven resolved from org.passerelle:passerelle.
// `searchJson` takes and returns JSON text, so no Kotlin types cross into Java.
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.passerelle.Navigator;
import org.passerelle.PasserelleKt;

public final class JavaExample {
    public static void main(String[] args) throws Exception {
        String query = "{\"needs\": [{\"text\": \"food bank\"}], \"lat\": 45.4292, \"lon\": -75.6920}";
        try (Navigator nav = Navigator.Companion.sample()) {
            String result = nav.searchJson(query);
            Matcher ids = Pattern.compile("\"service_id\":\\s*\"([^\"]+)\"").matcher(result);
            int n = 0;
            while (ids.find()) {
                n++;
                System.out.println("java " + n + ". " + ids.group(1));
            }
            if (n == 0) {
                System.out.println("java: no match for a food bank near Ottawa's centre in the sample directory");
                System.exit(1);
            }
        }
        System.out.println("java version " + PasserelleKt.libraryVersion());
    }
}
