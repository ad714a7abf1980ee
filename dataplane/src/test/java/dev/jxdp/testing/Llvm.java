package dev.jxdp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The LLVM 19 tools that serve as oracles for the disassembler and assembler: llvm-objdump-19 and
 * llvm-mc-19 (Debian's llvm-19 package). Tests that need them skip, saying so, when they are absent.
 */
public final class Llvm {
    private Llvm() {}

    public static Optional<Path> objdump() {
        return find("llvm-objdump-19", "/usr/lib/llvm-19/bin/llvm-objdump");
    }

    public static Optional<Path> mc() {
        return find("llvm-mc-19", "/usr/lib/llvm-19/bin/llvm-mc");
    }

    public static String missingReason() {
        return "LLVM 19 tools (llvm-objdump-19, llvm-mc-19) are not installed: apt-get install llvm-19";
    }

    private static Optional<Path> find(String name, String fallback) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        Path f = Path.of(fallback);
        return Files.isExecutable(f) ? Optional.of(f) : Optional.empty();
    }

    /** Runs a tool and returns its stdout; fails the test with its stderr if it exits non-zero. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("jxdp-llvm", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command + " exited " + p.exitValue() + ": " + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Assembles {@code .byte} directives for raw slots into a BPF object with llvm-mc. */
    public static Path assembleBytes(Path dir, String name, byte[] code) throws IOException, InterruptedException {
        StringBuilder s = new StringBuilder(".text\n");
        for (int i = 0; i < code.length; i += 8) {
            List<String> bytes = new ArrayList<>();
            for (int j = i; j < i + 8 && j < code.length; j++) {
                bytes.add(Integer.toString(code[j] & 0xff));
            }
            s.append(".byte ").append(String.join(",", bytes)).append('\n');
        }
        Path src = dir.resolve(name + ".s");
        Path obj = dir.resolve(name + ".o");
        Files.writeString(src, s);
        run(List.of(mc().orElseThrow().toString(), "-triple", "bpfel", "-mcpu=v4", "-filetype=obj", src.toString(), "-o", obj.toString()));
        return obj;
    }
}
