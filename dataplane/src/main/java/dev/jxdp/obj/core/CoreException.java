package dev.jxdp.obj.core;

/** A CO-RE relocation that is malformed or ambiguous; the loader turns it into an error naming the instruction. */
public final class CoreException extends RuntimeException {
    public CoreException(String message) {
        super(message);
    }
}
