package dev.jxdp.exec;

/**
 * An access the {@link MemoryMap} refused. It carries only the reason ("outside all regions"); the
 * engine that made the access wraps it into an {@link ExecutionException} naming the instruction
 * and the base register, which only the engine knows.
 */
public final class MemoryFault extends RuntimeException {
    public MemoryFault(String reason) {
        super(reason);
    }
}
