package dev.jxdp.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Line-by-line comparison for tests of other packages. */
public final class DifferentialAccess {
    private DifferentialAccess() {}

    public static void assertLines(List<String> kernel, List<String> jxdp, String what) {
        for (int i = 0; i < Math.min(kernel.size(), jxdp.size()); i++) {
            assertEquals(kernel.get(i), jxdp.get(i), what + ", step " + i + " (expected: the kernel's answer)");
        }
        assertEquals(kernel.size(), jxdp.size(), what + ": number of steps");
    }
}
