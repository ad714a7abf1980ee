package dev.jxdp.load;

import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;

/**
 * Where a map's value holds its {@code struct bpf_spin_lock}, from the object's BTF (the kernel finds
 * it the same way, and refuses spin locks in maps without BTF). Only members of the value struct
 * itself count, as in the kernel.
 */
final class SpinLockFields {
    private SpinLockFields() {}

    /** The byte offset of the lock in the value, or -1. */
    static int offset(Btf btf, MapSpec spec) {
        int typeId = spec.origin() == null ? 0 : spec.origin().btfValueTypeId();
        if (btf == null || typeId <= 0) {
            return -1;
        }
        try {
            if (!(btf.type(btf.skipAliases(typeId)) instanceof BtfType.Struct s) || s.union()) {
                return -1;
            }
            for (BtfType.Member m : s.members()) {
                if (btf.type(btf.skipAliases(m.type())) instanceof BtfType.Struct t && t.name().equals("bpf_spin_lock")) {
                    return m.bitOffset() / 8;
                }
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
