package dev.jxdp.obj;

/**
 * An object file that jxdp cannot turn into specs. The message is one line naming the file, the
 * section (when there is one) and the byte offset in the file where the problem is, so that a user
 * can find it with {@code llvm-readelf} or a hex dump. The subclasses say whose problem it is:
 * {@link ObjectFormatException} (the bytes are not a valid object), {@link UnsupportedFeatureException}
 * (valid, but uses something jxdp does not implement) and {@link ProgramRefusedException} (valid, but
 * the kernel would refuse to load it, and so does jxdp).
 */
public abstract sealed class ObjectLoadException extends RuntimeException
        permits ObjectFormatException, UnsupportedFeatureException, ProgramRefusedException {
    private final String file;
    private final String section;
    private final long offset;
    private final String problem;

    protected ObjectLoadException(String file, String section, long offset, String problem) {
        super(printable(file) + (section == null ? "" : ": section " + printable(section)) + ": offset 0x" + Long.toHexString(offset)
                + ": " + printable(problem));
        this.file = file;
        this.section = section;
        this.offset = offset;
        this.problem = printable(problem);
    }

    /**
     * Names in messages come from the file (section, symbol and BTF names), so they may hold any byte;
     * control characters are escaped to keep the message one line that a terminal shows as it is.
     */
    static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append(String.format("\\x%02x", (int) c & 0xff));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    public String file() {
        return file;
    }

    /** The ELF section the problem is in, or null when it concerns the file as a whole. */
    public String section() {
        return section;
    }

    /** Byte offset in the file. */
    public long offset() {
        return offset;
    }

    /** The message without file, section and offset. */
    public String problem() {
        return problem;
    }
}
