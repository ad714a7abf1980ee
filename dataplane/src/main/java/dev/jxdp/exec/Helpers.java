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

    /** The helper with this id, or null. */
    public Entry find(int id) {
        return byId.get(id);
    }
}
