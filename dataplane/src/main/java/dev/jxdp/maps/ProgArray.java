package dev.jxdp.maps;

import dev.jxdp.obj.ProgramType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * BPF_MAP_TYPE_PROG_ARRAY (kernel/bpf/arraymap.c): the programs bpf_tail_call jumps to. User space
 * stores a program by its id in the object ({@link ProgramTable}; the kernel takes a program fd, bpftool
 * a {@code prog id|name|pinned}) and reads the id back; all programs of one array must have the type
 * of the first (bpf_prog_map_compatible: EINVAL otherwise). Programs cannot look it up.
 */
public final class ProgArray extends EbpfMap {
    private final AtomicReferenceArray<ProgramRef> slots;
    private volatile ProgramType owner;

    ProgArray(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.slots = new AtomicReferenceArray<>(def.maxEntries());
    }

    /** The program in slot {@code index}, or null (out of range or empty): the tail-call target. */
    public ProgramRef get(long index) {
        return index >= 0 && index < slots.length() ? slots.get((int) index) : null;
    }

    /** Puts {@code program} in slot {@code index} (fd_array_map_update_elem with BPF_ANY). */
    public void set(int index, ProgramRef program) {
        int r = store(index, program);
        if (r < 0) {
            throw fail("BPF_MAP_UPDATE_ELEM", -r);
        }
    }

    /**
     * Ties the array to a program type, as the kernel does when the first program that uses it (or the
     * first one stored in it) is loaded; false if it is tied to another type.
     */
    public synchronized boolean compatible(ProgramType type) {
        if (owner == null) {
            owner = type;
        }
        return owner == type;
    }

    private int store(int index, ProgramRef program) {
        if (Integer.compareUnsigned(index, def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        if (!compatible(program.type())) {
            return -Errnos.EINVAL;
        }
        slots.set(index, program);
        return 0;
    }

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        ProgramRef p = get(Integer.toUnsignedLong(index(key)));
        if (p == null) {
            return -Errnos.ENOENT;
        }
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 0, p.id());
        return 0;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        if (flags != MapFlags.ANY) {
            return -Errnos.EINVAL;
        }
        int index = index(key);
        if (Integer.compareUnsigned(index, def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        ProgramRef p = env.programs().get(FdArrays.u32(value));
        if (p == null) {
            return -Errnos.EBADF;
        }
        return store(index, p);
    }

    @Override
    int sysDelete(MemorySegment key) {
        int index = index(key);
        if (Integer.compareUnsigned(index, def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        return slots.getAndSet(index, null) != null ? 0 : -Errnos.ENOENT;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return arrayNextKey(key, next);
    }
}
