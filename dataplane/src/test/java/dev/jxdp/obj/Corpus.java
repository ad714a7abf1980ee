package dev.jxdp.obj;

import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The objects of programs/bin, by name, for loader tests. */
final class Corpus {
    private Corpus() {}

    static Path path(String name) {
        return Repo.root().resolve("programs/bin/" + name + ".o");
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectSpec load(String name) {
        return load(name, LoadOptions.defaults());
    }

    static ObjectSpec load(String name, LoadOptions options) {
        return ObjectLoader.load(name + ".o", bytes(name), options);
    }
}
