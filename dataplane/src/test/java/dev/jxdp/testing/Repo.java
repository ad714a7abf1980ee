package dev.jxdp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths in the repository (the Maven build passes its root as the jxdp.root system property). */
public final class Repo {
    private Repo() {}

    public static Path root() {
        String prop = System.getProperty("jxdp.root");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("programs"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (no programs/ folder above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /** Every built object in programs/bin, sorted by name. */
    public static List<Path> programObjects() {
        Path bin = root().resolve("programs/bin");
        if (!Files.isDirectory(bin)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(bin)) {
            return s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
