package dev.jxdp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * clang-19 for tests that need an object with one particular property (a GPL-only call, a static
 * function outside .text, an unresolvable CO-RE access), compiled the way programs/Makefile compiles.
 * Tests skip, saying so, without it.
 */
public final class Clang {
    private Clang() {}

    public static Optional<Path> clang() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "clang-19");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static String missingReason() {
        return "clang-19 is not installed (apt-get install clang-19 libbpf-dev)";
    }

    /** Compiles C source to {@code dir/name.o} with -O2 -g -target bpf plus {@code extra} flags. */
    public static Path compile(Path dir, String name, String source, String... extra) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        Path obj = dir.resolve(name + ".o");
        Files.writeString(src, source);
        List<String> cmd = new ArrayList<>(List.of(clang().orElseThrow().toString(), "-O2", "-g", "-target", "bpf", "-Wall"));
        for (String inc : new String[] {"/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu"}) {
            if (Files.isDirectory(Path.of(inc))) {
                cmd.add("-I" + inc);
            }
        }
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-c", src.toString(), "-o", obj.toString()));
        Llvm.run(cmd);
        return obj;
    }
}
