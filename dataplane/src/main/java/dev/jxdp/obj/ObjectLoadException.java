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
        super(file + (section == null ? "" : ": section " + section) + ": offset 0x" + Long.toHexString(offset) + ": " + problem);
        this.file = file;
        this.section = section;
        this.offset = offset;
        this.problem = problem;
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
