package dev.jxdp.verifier;

import dev.jxdp.verifier.ctx.CtxAccess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * What the verifier learns about one instruction across all paths that reach it (the kernel's
 * {@code bpf_insn_aux_data}): the memory it touches, its context rewrite, the register types on entry.
 */
final class InsnAux {
    boolean seen;
    /** The base register's type the first time through (a context access must stay one). */
    RegType ptrType;
    final EnumSet<MemoryProof.Region> regions = EnumSet.noneOf(MemoryProof.Region.class);
    final List<MapRef> maps = new ArrayList<>(1);
    CtxAccess ctx;
    /** For atomics: every path proved natural alignment relative to the region. */
    boolean atomicAligned = true;
    RegType[] entryTypes;
    /**
     * For a helper call taking a map: the map when every path passes the same one (the kernel's
     * map_ptr_state), else null with {@link #callMapVaries} set.
     */
    MapRef callMap;
    boolean callMapVaries;

    void recordCallMap(MapRef m) {
        if (callMapVaries || m.equals(callMap)) {
            return;
        }
        if (callMap == null) {
            callMap = m;
        } else {
            callMap = null;
            callMapVaries = true;
        }
    }

    void addMap(MapRef m) {
        for (MapRef r : maps) {
            if (r.equals(m)) {
                return;
            }
        }
        maps.add(m);
    }

    void recordEntry(Reg[] regs) {
        if (entryTypes == null) {
            entryTypes = new RegType[regs.length];
            for (int i = 0; i < regs.length; i++) {
                RegType t = regs[i].type;
                entryTypes[i] = t == RegType.NOT_INIT ? null : t;
            }
            return;
        }
        for (int i = 0; i < regs.length; i++) {
            if (entryTypes[i] != regs[i].type) {
                entryTypes[i] = null;
            }
        }
    }
}
