package dev.jxdp.verifier;

import java.time.Duration;

/**
 * The kernel's closing statistics: {@code processed N insns (limit 1000000) max_states_per_insn M
 * total_states T peak_states P mark_read 0}, and the wall time.
 */
public record VerifierStats(int processedInsns, int limit, int maxStatesPerInsn, int totalStates, int peakStates, Duration time) {

    /** The kernel's line, and jxdp's time after it. */
    public String line() {
        return "processed " + processedInsns + " insns (limit " + limit + ") max_states_per_insn " + maxStatesPerInsn
                + " total_states " + totalStates + " peak_states " + peakStates + " mark_read 0";
    }

    public String timeLine() {
        return "verification time " + time.toNanos() / 1000 + " usec";
    }
}
