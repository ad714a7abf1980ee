package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BpfAvailabilityTest {

    @Test
    void answerIsCachedAndOneLine() {
        BpfAvailability a = BpfAvailability.check();
        assertSame(a, BpfAvailability.check());
        assertEquals(1, a.reason().lines().count(), a.reason());
        assertTrue(a.reason().startsWith(a.usable() ? "BPF is usable" : "BPF is not usable: "), a.reason());
    }

    @Test
    void usableHere() {
        KernelComparisons.assumeKernel();
        assertTrue(BpfAvailability.check().usable());
    }
}
