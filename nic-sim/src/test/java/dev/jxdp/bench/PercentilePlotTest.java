package dev.jxdp.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The percentile axis as HdrHistogram's plotter draws it: a decade per nine, labelled at whole decades. */
class PercentilePlotTest {
    @Test
    void wholeDecadesAreTheNinesOfThePercentile() {
        assertEquals("0%", PercentilePlot.percentileLabel(0));
        assertEquals("90%", PercentilePlot.percentileLabel(1));
        assertEquals("99%", PercentilePlot.percentileLabel(2));
        assertEquals("99.9%", PercentilePlot.percentileLabel(3));
        assertEquals("99.999%", PercentilePlot.percentileLabel(5));
        assertEquals("", PercentilePlot.percentileLabel(0.5), "between decades: no label");
        assertEquals("", PercentilePlot.percentileLabel(-1), "below 0%: none");
        assertEquals(3.0, PercentilePlot.decades(0.999), 1e-9);
        assertEquals(0.0, PercentilePlot.decades(0), 1e-12);
    }

    @Test
    void thePlotIsAPngFileOfThatName(@TempDir Path dir) throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 100_000; i++) {
            h.recordValue(i % 1000 == 0 ? 50_000 : 100 + i % 7);
        }
        Path png = dir.resolve("latency");
        PercentilePlot.write(h, "test", png);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, "a PNG signature, in the file named");
    }
}
