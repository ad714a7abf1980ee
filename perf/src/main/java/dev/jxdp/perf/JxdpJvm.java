package dev.jxdp.perf;

import java.util.List;

/**
 * The JVM options the {@code jxdp} launcher script runs jxdp with, for the harnesses that start jxdp's
 * side in a JVM of their own (and JMH's forks), so that they measure what users run. Kept in step with
 * the script by hand (it is bash); the reasons are given there.
 */
final class JxdpJvm {
    /** The JIT's memory, taps and the kernel's syscalls are native access. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Full-width references: 10-20% on the per-packet paths (see the launcher). */
    static final String FULL_WIDTH_REFERENCES = "-XX:-UseCompressedOops";
    static final List<String> OPTIONS = List.of(NATIVE_ACCESS, FULL_WIDTH_REFERENCES);

    private JxdpJvm() {}
}
