package dev.jxdp.exec;

/**
 * Where a run's regions come from: a {@link MemoryMap} itself, or a hook that makes its map only when
 * a run first asks for it. An engine that needs the regions of every run (the interpreter) asks at
 * the start; the JIT asks only when a checked access or a helper first needs the region table, so a
 * program whose accesses are all proven and that calls no such helper never makes the hook build a
 * map at all (the NIC model's per-packet base map lookup, skipped).
 */
@FunctionalInterface
public interface MemorySource {
    /** The regions: the same map for every call during one run. */
    MemoryMap memory();
}
