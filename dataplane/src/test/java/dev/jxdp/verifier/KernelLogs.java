package dev.jxdp.verifier;

/**
 * Reading the kernel's verifier log: the first line of the error, as jxdp's {@link VerifierException}
 * message gives it. The error comes after the last instruction the log traced ({@code 12: (69) r0 = ...}),
 * skipping register states, source lines and bookkeeping; for refusals before any instruction was
 * traced (unreachable code, a bad jump), it is the first line that is not bookkeeping.
 */
final class KernelLogs {
    private KernelLogs() {}

    private static boolean bookkeeping(String l) {
        return l.isBlank() || l.startsWith(" ") || l.startsWith("\t") || l.startsWith("; ") || l.matches("^\\d+: (R\\d|frame|safe).*")
                || l.startsWith("from ") || l.startsWith("mark_precise") || l.startsWith("func#") || l.startsWith("Live regs")
                || l.startsWith("caller:") || l.startsWith("callee:") || l.startsWith("last_idx") || l.startsWith("regs=")
                || l.startsWith("(") || l.startsWith("processed ") || l.startsWith("verification time") || l.startsWith("stack depth")
                || l.startsWith("-- ");
    }

    static String firstError(String log) {
        String[] lines = log.split("\n");
        int lastInsn = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].matches("^\\d+: \\(.*")) {
                lastInsn = i;
            }
        }
        for (int i = lastInsn + 1; i < lines.length; i++) {
            if (!bookkeeping(lines[i])) {
                // the kernel prints one message without its newline: "...for tail callprocessed 4 insns"
                return lines[i].replaceAll("processed \\d+ insns.*", "");
            }
        }
        return "";
    }
}
