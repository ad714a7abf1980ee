package dev.jxdp.exec;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The helper functions a program may call, by id (include/uapi/linux/bpf.h numbering). Immutable. */
public final class Helpers {
    /** A registered helper and the name errors use for it. */
    public record Entry(int id, String name, Helper helper) {
        public Entry {
            Objects.requireNonNull(name);
            Objects.requireNonNull(helper);
        }
    }

    /**
     * bpf_tail_call's id. It is not a {@link Helper}: the engines run it themselves, with the program
     * that {@link #tailCalls()} picks.
     */
    public static final int TAIL_CALL = 12;

    private static final Helpers NONE = new Helpers(Map.of(), null);

    private final Map<Integer, Entry> byId;
    private final TailCalls tailCalls;

    private Helpers(Map<Integer, Entry> byId, TailCalls tailCalls) {
        this.byId = byId;
        this.tailCalls = tailCalls;
    }

    public static Helpers none() {
        return NONE;
    }

    /** These helpers plus {@code helper} under {@code id}, replacing any helper with that id. */
    public Helpers with(int id, String name, Helper helper) {
        Map<Integer, Entry> m = new HashMap<>(byId);
        m.put(id, new Entry(id, name, helper));
        return new Helpers(Map.copyOf(m), tailCalls);
    }

    /** These helpers with bpf_tail_call resolved by {@code resolver}. */
    public Helpers withTailCalls(TailCalls resolver) {
        return new Helpers(byId, java.util.Objects.requireNonNull(resolver));
    }

    /** What bpf_tail_call runs, or null: then a tail call is an error at run time. */
    public TailCalls tailCalls() {
        return tailCalls;
    }

    /** Whether a call of helper {@code id} has something to run. */
    public boolean has(int id) {
        return id == TAIL_CALL ? tailCalls != null : byId.containsKey(id);
    }

    /** The registered helper ids (bpf_tail_call's included when it is resolved), ascending. */
    public java.util.SortedSet<Integer> ids() {
        java.util.SortedSet<Integer> ids = new java.util.TreeSet<>(byId.keySet());
        if (tailCalls != null) {
            ids.add(TAIL_CALL);
        }
        return java.util.Collections.unmodifiableSortedSet(ids);
    }

    /**
     * What every engine reports for a call to helper {@code id} that is not registered, so that all
     * engines say the same thing.
     */
    public static String missing(int id) {
        if (id == TAIL_CALL) {
            return "bpf_tail_call (helper " + TAIL_CALL + "): no prog arrays in this run (a loaded object provides them: dev.jxdp.maps.LoadedObject)";
        }
        return "unknown helper function id " + id;
    }

    /** The helper with this id, or null. */
    public Entry find(int id) {
        return byId.get(id);
    }
}
