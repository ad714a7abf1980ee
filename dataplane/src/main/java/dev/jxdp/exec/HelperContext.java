package dev.jxdp.exec;

/** What a {@link Helper} may reach while it runs. */
public interface HelperContext {

    /**
     * The run's checked memory: the caller's regions and the live stack frames. A helper that hands
     * the program a pointer to new memory (a map value) adds its region here first.
     */
    MemoryMap memory();

    /** The slot index of the call instruction. */
    int pc();
}
