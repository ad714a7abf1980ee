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

    /** bpf_tail_call's id: it needs prog array maps, which do not exist yet, so no engine runs it. */
    public static final int TAIL_CALL = 12;

    private static final Helpers NONE = new Helpers(Map.of());

    private final Map<Integer, Entry> byId;

    private Helpers(Map<Integer, Entry> byId) {
        this.byId = byId;
    }

    public static Helpers none() {
        return NONE;
    }

    /** These helpers plus {@code helper} under {@code id}, replacing any helper with that id. */
    public Helpers with(int id, String name, Helper helper) {
        Map<Integer, Entry> m = new HashMap<>(byId);
        m.put(id, new Entry(id, name, helper));
        return new Helpers(Map.copyOf(m));
    }

    /**
     * What every engine reports for a call to helper {@code id} that is not registered, so that all
     * engines say the same thing.
     */
    public static String missing(int id) {
        if (id == TAIL_CALL) {
            return "bpf_tail_call (helper " + TAIL_CALL + "): tail calls need prog array maps, which jxdp does not have yet";
        }
        return "unknown helper function id " + id;
    }

    /** The helper with this id, or null. */
    public Entry find(int id) {
        return byId.get(id);
    }
}
