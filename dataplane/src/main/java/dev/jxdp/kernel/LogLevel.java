package dev.jxdp.kernel;

/** How much of the verifier's log BPF_PROG_LOAD asks for ({@code log_level}). */
public enum LogLevel {
    /**
     * No log while loading (fast, the common case); if the kernel refuses the program, it is loaded
     * again at level 1 only to capture why, as libbpf does.
     */
    ON_FAILURE(0),
    /** BPF_LOG_LEVEL1: the instructions of the path that failed, and statistics on success. */
    BASIC(1),
    /** BPF_LOG_LEVEL2: the register state at every instruction. Large. */
    VERBOSE(2);

    /** The log_level value. */
    public final int bits;

    LogLevel(int bits) {
        this.bits = bits;
    }
}
