package dev.jxdp.nic.port.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.testing.Cmd;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM in the middle of a replay: the sink's file is flushed, whole, and as long as the sink says. */
class PcapSinkSigtermTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aReplayStoppedBySigtermLeavesAValidCompleteFile() throws Exception {
        Path out = tmp.resolve("out.pcap");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SigtermReplayChild.class.getName(),
                Cmd.repo().resolve("pcap-corpus/tcp-http.pcap").toString(), out.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // the child's lines, read on their own thread (reading a dead process's pipe afterwards races with its draining)
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
            }
        });
        try {
            assertEquals("started", lines.poll(60, TimeUnit.SECONDS));
            // mid-replay: the file is growing
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(out) < 2_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive());
            child.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its pipes)
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            String last = lines.poll(10, TimeUnit.SECONDS);
            assertTrue(last != null && last.startsWith("written "), "the child's last word: " + last);
            long written = Long.parseLong(last.substring("written ".length()));
            assertTrue(written > 1000, "written " + written);

            // tcpdump reads every record and complains of nothing (a torn record is "truncated dump file")
            Cmd.Result r = Cmd.run("tcpdump", "-r", out.toString(), "-n", "-q");
            assertEquals(0, r.status(), r.err());
            assertFalse(r.err().contains("truncated"), r.err());
            assertEquals(written, r.out().lines().count());
        } finally {
            child.destroyForcibly();
        }
    }
}
