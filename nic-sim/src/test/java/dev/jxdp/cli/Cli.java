package dev.jxdp.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the jxdp command line in-process and keeps what it printed. */
record Cli(int status, String out, String err) {

    static Cli withStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(status, out.toString(), err.toString());
    }

    static Cli run(String... args) {
        return withStdin("", args);
    }

    /** The repository root (the build passes it as jxdp.root). */
    static Path root() {
        String prop = System.getProperty("jxdp.root");
        Path p = prop != null ? Path.of(prop).toAbsolutePath() : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("programs/bin"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no programs/bin above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** programs/bin/NAME.o of this checkout. */
    static String object(String name) {
        return root().resolve("programs/bin/" + name + ".o").toString();
    }
}
