package dev.jxdp.perf;

import java.util.List;

/**
 * The JVM options the {@code jxdp} launcher script runs jxdp with, for the harnesses that start jxdp's
 * side in a JVM of their own, so that they measure what users run. Kept in step with the script by
 * hand (it is bash); the reasons are given there.
 */
final class JxdpJvm {
    /** Native access (the JIT's memory, taps, the kernel's syscalls) and full-width references. */
    static final List<String> OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:-UseCompressedOops");

    private JxdpJvm() {}
}
