package dev.jxdp.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One run of a host tool (bpftool, ip) that jxdp drives beside the kernel: its exit status and what it
 * printed, stdout and stderr together as a user would see them. A run that outlives its time limit is
 * killed and is an IOException naming the command, as is an interrupt; what a non-zero status means is
 * the caller's to say.
 */
public record ToolRun(int status, String output) {

    public static ToolRun of(List<String> command, Duration limit) throws IOException {
        // Output goes to a file, not a pipe: reading a pipe to its end would wait for as long as a hung
        // tool keeps it open, and the time limit would never be looked at.
        Path log = Files.createTempFile("jxdp-tool", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish in " + limit.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            return new ToolRun(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public boolean ok() {
        return status == 0;
    }

    /** bpftool's own account of a failure: its first {@code Error:} line, without that word. */
    public Optional<String> errorLine() {
        return output.lines().filter(l -> l.startsWith("Error:")).findFirst().map(l -> l.replaceFirst("^Error: ", ""));
    }
}
