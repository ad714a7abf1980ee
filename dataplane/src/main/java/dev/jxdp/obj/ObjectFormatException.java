package dev.jxdp.obj;

/**
 * An object file that is not a valid eBPF ELF object. The message is one line naming the file, the
 * section (when there is one) and the byte offset in the file where the problem is.
 */
public final class ObjectFormatException extends RuntimeException {
    public ObjectFormatException(String file, String section, long offset, String problem) {
        super(file + (section == null ? "" : ": section " + section) + ": offset 0x" + Long.toHexString(offset) + ": " + problem);
    }
}
