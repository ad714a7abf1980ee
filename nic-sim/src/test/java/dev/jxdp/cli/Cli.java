package dev.jxdp.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the jxdp command line in-process and keeps what it printed. */
record Cli(int status, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(status, out.toString(), err.toString());
    }

    /** programs/bin/NAME.o of this checkout (the build passes the root as jxdp.root). */
    static String object(String name) {
        String prop = System.getProperty("jxdp.root");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("programs/bin"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no programs/bin above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("programs/bin/" + name + ".o").toString();
    }
}
