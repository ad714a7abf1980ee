package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory where a command reads a file is refused in the command line's one line for files,
 * naming it: {@code PATH: is a directory} as {@code PATH: no such file}, with the option or word that
 * named it in parentheses where the missing file's line has one. Every place a command opens a file
 * for reading, each with a directory and with nothing there.
 */
class InputFilesTest {
    @TempDir
    static Path tmp;

    /** A command line with {@code %s} where the file goes, and the label its errors give the file. */
    private record Case(String label, String... args) {
        String[] with(String file) {
            return Stream.of(args).map(a -> a.replace("%s", file)).toArray(String[]::new);
        }
    }

    @TestFactory
    List<DynamicTest> aDirectoryOrNothingIsNamedWithWhatIsWrong() throws Exception {
        String object = Cli.object("xdp_pass");
        String frame = Cli.root().resolve("programs/frames/udp64.bin").toString();
        String capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap").toString();
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Path none = tmp.resolve("none");
        List<Case> cases = List.of(
                new Case("%s", "prog", "run", "%s", "data_in", frame),
                new Case("%s (data_in)", "prog", "run", object, "data_in", "%s"),
                new Case("%s (ctx_in)", "prog", "run", object, "data_in", frame, "ctx_in", "%s"),
                new Case("%s", "prog", "run", object, "--maps", "%s", "data_in", frame),
                new Case("%s", "prog", "dump", "%s"),
                new Case("%s", "prog", "dump", "--linum", "%s"),
                new Case("%s", "prog", "show", "%s"),
                new Case("%s", "map", "show", "%s"),
                new Case("%s", "map", "dump", "%s", "name", "m"),
                new Case("%s", "verify", "%s"),
                new Case("%s", "replay", "%s"),
                new Case("%s (--xdp)", "replay", capture, "--xdp", "%s"),
                new Case("%s (--tc-ingress)", "replay", capture, "--tc-ingress", "%s"),
                new Case("%s", "diff", "%s", capture),
                new Case("%s", "diff", object, "%s"),
                new Case("%s (--pcap)", "bench", "--xdp", object, "--pcap", "%s"),
                new Case("%s (--xdp)", "bench", "--xdp", "%s"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            for (Path p : List.of(dir, none)) {
                String expected = "Error: " + c.label().replace("%s", p.toString()) + (p == dir ? ": is a directory\n" : ": no such file\n");
                tests.add(DynamicTest.dynamicTest(String.join(" ", c.args()) + " with " + p.getFileName(), () -> {
                    Cli r = Cli.run(c.with(p.toString()));
                    assertEquals(1, r.status(), r.out() + r.err());
                    assertEquals(expected, r.err());
                }));
            }
        }
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(String.join(" ", c.args()) + " with ''", () -> {
                Cli r = Cli.run(c.with(""));
                assertEquals(1, r.status(), r.out() + r.err());
                String option = c.label().equals("%s") ? "" : c.label().replace("%s (", "").replace(")", "") + " ";
                assertEquals("Error: " + option + "'': an empty path\n", r.err());
            }));
        }
        return tests;
    }
}
