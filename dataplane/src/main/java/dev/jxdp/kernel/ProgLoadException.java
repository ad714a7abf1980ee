package dev.jxdp.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kernel refused a program. The first line of the message is the verifier's own complaint (the
 * last meaningful line of its log); the lines after it are the end of the log for context, so a test
 * failure reads like:
 *
 * <pre>
 * bpf(BPF_PROG_LOAD) of XDP program "jxdp_body" failed with EACCES (Permission denied): R5 !read_ok
 *   verifier log ends:
 *   0: (bf) r0 = r5
 *   R5 !read_ok
 * </pre>
 *
 * The whole log is in {@link #verifierLog()}.
 */
public final class ProgLoadException extends BpfException {
    /** Lines the verifier prints after a verdict, which say nothing about why a program failed. */
    private static final Pattern TRAILER = Pattern.compile(
            "processed \\d+ insns.*|verification time.*|stack depth.*|-- END .*|\\s*");
    private static final int CONTEXT_LINES = 4;

    private final ProgType type;
    private final String name;
    private final String verifierLog;

    ProgLoadException(ProgType type, String name, Errno errno, String verifierLog) {
        this(type, name, errno, verifierLog, null);
    }

    private ProgLoadException(ProgType type, String name, Errno errno, String verifierLog, String note) {
        super(BpfCommand.PROG_LOAD, errno, message(type, name, errno, verifierLog, note));
        this.type = type;
        this.name = name;
        this.verifierLog = verifierLog;
    }

    /**
     * The same refusal with a line of context after the first, for callers that built the program
     * and know how to read the log (where a wrapped body starts, say). This exception is the cause.
     */
    public ProgLoadException withNote(String note) {
        ProgLoadException e = new ProgLoadException(type, name, errno(), verifierLog, note);
        e.initCause(this);
        return e;
    }

    /** The complete verifier log, empty if the kernel wrote none (e.g. EINVAL before verification). */
    public String verifierLog() {
        return verifierLog;
    }

    /** The verifier's last meaningful line, or an empty string. */
    public String verifierMessage() {
        List<String> tail = meaningfulTail(verifierLog, 1);
        return tail.isEmpty() ? "" : tail.getFirst();
    }

    private static String message(ProgType type, String name, Errno errno, String log, String note) {
        List<String> tail = meaningfulTail(log, CONTEXT_LINES);
        String detail = tail.isEmpty() ? "(the verifier log is empty)" : tail.getLast();
        StringBuilder sb = new StringBuilder("bpf(BPF_PROG_LOAD) of " + type + " program \"" + name + "\" failed with "
                + errno + ": " + detail);
        if (note != null) {
            sb.append("\n  (").append(note).append(')');
        }
        if (tail.size() > 1) {
            sb.append("\n  verifier log ends:");
            for (String line : tail) {
                sb.append("\n  ").append(line);
            }
        }
        return sb.toString();
    }

    /** The last {@code n} lines of the log that are not blank and not statistics. */
    static List<String> meaningfulTail(String log, int n) {
        String[] lines = log.split("\\R");
        List<String> tail = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0 && tail.size() < n; i--) {
            if (!TRAILER.matcher(lines[i]).matches()) {
                tail.addFirst(lines[i].strip());
            }
        }
        return tail;
    }
}
