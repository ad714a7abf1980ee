package dev.jxdp.maps;

import java.util.Arrays;
import java.util.List;

/** The programs of one loaded object by id (their index in the object, as {@code jxdp prog show} numbers them). */
public final class ProgramTable {
    private volatile ProgramRef[] programs = new ProgramRef[0];

    /** Adds a program; its id must be the next one. */
    public synchronized void add(ProgramRef program) {
        if (program.id() != programs.length) {
            throw new IllegalArgumentException("program " + program.name() + " has id " + program.id() + ", the next id is "
                    + programs.length);
        }
        ProgramRef[] next = Arrays.copyOf(programs, programs.length + 1);
        next[program.id()] = program;
        programs = next;
    }

    public ProgramRef get(int id) {
        ProgramRef[] p = programs;
        return id >= 0 && id < p.length ? p[id] : null;
    }

    public ProgramRef byName(String name) {
        for (ProgramRef p : programs) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    public List<ProgramRef> all() {
        return List.of(programs);
    }
}
