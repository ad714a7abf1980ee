package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelComparisonsTest {

    @Test
    void summaryLineHasTheAgreedShape() {
        String line = KernelComparisons.summary();
        assertTrue(line.matches("kernel comparisons: \\d+ run, \\d+ skipped( \\(.+\\))?"), line);
    }
}
