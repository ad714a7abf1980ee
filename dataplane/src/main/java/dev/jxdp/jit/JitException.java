package dev.jxdp.jit;

/**
 * The JIT cannot compile this program (too large for its method splitting, a callx target it cannot
 * know, a plan it cannot honour). There is no silent fallback to the interpreter: the caller decides,
 * and the message says why and what to do.
 */
public final class JitException extends RuntimeException {
    public JitException(String message) {
        super(message);
    }

    public JitException(String message, Throwable cause) {
        super(message, cause);
    }
}
