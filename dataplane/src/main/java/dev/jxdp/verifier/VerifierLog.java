package dev.jxdp.verifier;

/**
 * The verifier log, written as the kernel writes its own (kernel/bpf/log.c): each processed
 * instruction, then after a {@code ;} aligned at column 38 or beyond the registers it touched; at
 * level 1 the instructions of paths that ended well are dropped again, so that a rejected program's
 * log shows the path that failed; level 2 keeps everything.
 */
final class VerifierLog {
    final int level;
    private final StringBuilder sb = new StringBuilder();
    /** Where the last instruction line ended (after its newline), or -1. */
    private int prevLogLen = -1;
    private int prevInsnPrintLen;

    VerifierLog(int level) {
        this.level = level;
    }

    boolean on() {
        return level > 0;
    }

    void print(String s) {
        if (level > 0) {
            sb.append(s);
        }
    }

    /** {@code N: (xx) insn} on a line of its own. */
    void insn(int idx, String text) {
        if (level == 0) {
            return;
        }
        int start = sb.length();
        sb.append(idx).append(": ").append(text).append('\n');
        prevLogLen = sb.length();
        prevInsnPrintLen = sb.length() - start;
    }

    /**
     * Appends {@code state} (which starts with a space) to the instruction line just printed, after
     * {@code ;} at the kernel's alignment; or on a line of its own, prefixed {@code idx:}.
     */
    void insnState(int idx, String state) {
        if (level == 0 || state.isEmpty()) {
            return;
        }
        if (prevLogLen >= 0 && prevLogLen == sb.length()) {
            sb.setLength(sb.length() - 1);
            int pad = alignment(prevInsnPrintLen);
            sb.append(" ".repeat(Math.max(0, pad - 1))).append(' ').append(';');
        } else {
            sb.append(idx).append(':');
        }
        sb.append(state).append('\n');
        prevLogLen = -1;
    }

    /** vlog_alignment: pad to 40 or the next multiple of 8, whichever is further. */
    private static int alignment(int pos) {
        int v = Math.max(pos + 4, 40);
        return (v + 7) / 8 * 8 - pos - 1;
    }

    int mark() {
        return sb.length();
    }

    void reset(int pos) {
        if (pos <= sb.length()) {
            sb.setLength(pos);
        }
        prevLogLen = -1;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
