package dev.jxdp.verifier;

import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;
import java.util.ArrayList;
import java.util.List;

/**
 * The special fields of a map's value as its BTF type declares them (the kernel's btf_record): where
 * its {@code struct bpf_spin_lock} is, and every field that programs may not load or store directly
 * (the lock, timers, work items).
 *
 * @param hasBtf whether the map carries a value type at all (a map without one cannot be locked)
 * @param spinLockOff offset of the value's top-level {@code struct bpf_spin_lock}, or -1
 * @param fields the fields closed to direct access, with the kernel's name for each kind
 */
record MapFields(boolean hasBtf, int spinLockOff, List<Field> fields) {
    static final MapFields NO_BTF = new MapFields(false, -1, List.of());

    /** One special field: {@code size} bytes at {@code off}. */
    record Field(String kind, int off, int size) {}

    /** The struct names the kernel's btf_parse_fields recognises in map values. */
    private static String kind(String structName) {
        return switch (structName) {
            case "bpf_spin_lock", "bpf_timer", "bpf_wq", "bpf_res_spin_lock" -> structName;
            default -> null;
        };
    }

    static MapFields of(MapSpec map, Btf btf) {
        MapSpec.MapOrigin origin = map.origin();
        if (btf == null || origin == null || origin.btfValueTypeId() == 0) {
            return NO_BTF;
        }
        int value = btf.skipAliases(origin.btfValueTypeId());
        List<Field> fields = new ArrayList<>();
        int lock = -1;
        if (value != 0 && btf.type(value) instanceof BtfType.Struct s) {
            for (BtfType.Member m : s.members()) {
                int t = btf.skipAliases(m.type());
                if (t != 0 && btf.type(t) instanceof BtfType.Struct ms && "bpf_spin_lock".equals(ms.name()) && m.bitOffset() % 8 == 0) {
                    lock = m.bitOffset() / 8;
                }
            }
        }
        collect(btf, value, 0, fields, 0);
        return new MapFields(true, lock, List.copyOf(fields));
    }

    /** Special fields anywhere in the type, nested structs and arrays included (stricter is safe here). */
    private static void collect(Btf btf, int id, long base, List<Field> out, int depth) {
        id = btf.skipAliases(id);
        if (id == 0 || depth > 16) {
            return;
        }
        switch (btf.type(id)) {
            case BtfType.Struct s -> {
                String kind = kind(s.name());
                if (kind != null) {
                    out.add(new Field(kind, (int) base, s.size()));
                    return;
                }
                for (BtfType.Member m : s.members()) {
                    collect(btf, m.type(), base + m.bitOffset() / 8, out, depth + 1);
                }
            }
            case BtfType.Array a -> {
                long elem = btf.sizeOf(a.elementType());
                if (elem <= 0) {
                    return;
                }
                List<Field> one = new ArrayList<>();
                collect(btf, a.elementType(), 0, one, depth + 1);
                for (long i = 0; !one.isEmpty() && i < Integer.toUnsignedLong(a.length()); i++) {
                    for (Field f : one) {
                        out.add(new Field(f.kind(), (int) (base + i * elem + f.off()), f.size()));
                    }
                }
            }
            default -> {}
        }
    }
}
