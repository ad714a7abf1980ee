package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ToolRun with real processes (sh from the base system): output, status, and the time limit. */
class ToolRunTest {
    @Test
    void outputOfBothStreamsAndTheStatus() throws IOException {
        ToolRun r = ToolRun.of(List.of("sh", "-c", "echo out; echo 'Error: it broke' >&2; exit 3"), Duration.ofSeconds(30));
        assertEquals(3, r.status());
        assertTrue(r.output().contains("out\n") && r.output().contains("Error: it broke"), r.output());
        assertEquals("it broke", r.errorLine().orElseThrow());
    }

    @Test
    void aToolThatHangsIsKilledAtItsLimit() {
        // The tool keeps its output open while it hangs: the limit must hold all the same.
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> ToolRun.of(List.of("sh", "-c", "echo started; sleep 60"), Duration.ofSeconds(1)));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(e.getMessage().contains("did not finish in 1 s"), e.getMessage());
        assertTrue(seconds < 30, "returned after " + seconds + " s, not at the limit");
    }
}
