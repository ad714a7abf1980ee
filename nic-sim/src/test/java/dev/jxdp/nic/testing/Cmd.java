package dev.jxdp.nic.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real tools (tcpdump, tshark, ip, ping) for tests, with a time limit. */
public final class Cmd {
    /** What a command did. */
    public record Result(int status, String out, String err) {
        public Result orFail() {
            if (status != 0) {
                throw new AssertionError("exit status " + status + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    private Cmd() {}

    public static Result run(String... command) {
        return run(60, List.of(command));
    }

    public static Result run(int timeoutSeconds, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether {@code tool} is on the PATH. */
    public static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Whether this JVM runs as root (taps, namespaces and live captures need it). */
    public static boolean root() {
        return "root".equals(System.getProperty("user.name")) || run("id", "-u").out().strip().equals("0");
    }

    /** The repository root (pcap-corpus/, programs/). */
    public static Path repo() {
        return Path.of(System.getProperty("jxdp.root", "..")).toAbsolutePath().normalize();
    }
}
