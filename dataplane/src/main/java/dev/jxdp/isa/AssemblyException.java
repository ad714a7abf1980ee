package dev.jxdp.isa;

/** Text that is not valid eBPF assembly; the message names the line (1-based) and what is wrong. */
public final class AssemblyException extends RuntimeException {
    private final int line;

    public AssemblyException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
