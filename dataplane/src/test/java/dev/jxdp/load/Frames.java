package dev.jxdp.load;

import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The test frames of programs/tools/make_packets.py (the ones the kernel smoke test runs), by name. */
final class Frames {
    private Frames() {}

    private static Map<String, byte[]> frames;

    static synchronized Map<String, byte[]> all() {
        if (frames == null) {
            try {
                Path dir = Files.createTempDirectory("jxdp-frames");
                Process p = new ProcessBuilder("python3", Repo.root().resolve("programs/tools/make_packets.py").toString(),
                        dir.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("make_packets.py failed: " + out);
                }
                Map<String, byte[]> m = new TreeMap<>();
                try (var s = Files.list(dir)) {
                    for (Path f : s.toList()) {
                        m.put(f.getFileName().toString().replace(".bin", ""), Files.readAllBytes(f));
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
                frames = m;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make the test frames: " + e, e);
            }
        }
        return frames;
    }
}
