package dev.jxdp.maps;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * What maps share beyond their definition.
 *
 * @param workers the number of packet workers: per-CPU maps keep this many values (the kernel's
 *     possible CPUs), and user space reads and writes them all
 * @param epochs the reclamation domain of deleted elements
 * @param seeds where hash seeds come from (the kernel's get_random_u32); pin it for reproducible order
 * @param poison fill freed element memory with {@link SlotPool#POISON} (for tests that catch a reader of
 *     freed memory)
 * @param maps the maps that map-in-maps and map handles refer to
 * @param programs the programs that prog arrays refer to
 * @param devices which ifindexes name a device (port), for devmap updates (the kernel's
 *     dev_get_by_index); by default every non-zero ifindex, until the NIC simulator says which exist
 */
public record MapEnvironment(int workers, Epochs epochs, IntSupplier seeds, boolean poison, MapTable maps, ProgramTable programs,
        IntPredicate devices) {

    public MapEnvironment {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker, not " + workers);
        }
        Objects.requireNonNull(epochs);
        Objects.requireNonNull(seeds);
        Objects.requireNonNull(maps);
        Objects.requireNonNull(programs);
        Objects.requireNonNull(devices);
    }

    /** {@code workers} workers, the global epochs, random seeds, fresh tables. */
    public static MapEnvironment of(int workers) {
        return new MapEnvironment(workers, Epochs.GLOBAL, () -> ThreadLocalRandom.current().nextInt(), false, new MapTable(),
                new ProgramTable(), ifindex -> ifindex != 0);
    }

    public MapEnvironment withSeeds(IntSupplier s) {
        return new MapEnvironment(workers, epochs, s, poison, maps, programs, devices);
    }

    public MapEnvironment withPoison(boolean p) {
        return new MapEnvironment(workers, epochs, seeds, p, maps, programs, devices);
    }

    public MapEnvironment withDevices(IntPredicate d) {
        return new MapEnvironment(workers, epochs, seeds, poison, maps, programs, d);
    }

    public MapEnvironment withTables(MapTable m, ProgramTable p) {
        return new MapEnvironment(workers, epochs, seeds, poison, m, p, devices);
    }
}
