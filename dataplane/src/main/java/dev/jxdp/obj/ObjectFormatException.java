package dev.jxdp.obj;

/**
 * An object file that is not a valid eBPF ELF object: truncated, pointing outside itself, or
 * inconsistent. The message is one line naming the file, the section (when there is one) and the
 * byte offset in the file where the problem is.
 */
public final class ObjectFormatException extends ObjectLoadException {
    public ObjectFormatException(String file, String section, long offset, String problem) {
        super(file, section, offset, problem);
    }
}
