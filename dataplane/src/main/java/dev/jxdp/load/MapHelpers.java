package dev.jxdp.load;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.Errnos;
import dev.jxdp.maps.MapFlags;
import dev.jxdp.maps.MapOfMaps;
import dev.jxdp.maps.MapTable;
import dev.jxdp.maps.PerfEventArray;
import dev.jxdp.maps.RingBuf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The helpers that work on maps, bound to one object's {@link MapTable}: lookup, update, delete,
 * push, pop, peek, lookup_percpu, for_each, the ring buffer helpers and perf_event_output. Each takes
 * the map handle a program got from an {@code ld_imm64} (or an outer map), reads keys and values
 * through the run's checked memory, and returns what the kernel's helper returns. A value pointer
 * handed to the program becomes a region of the run's memory (read-only for BPF_F_RDONLY_PROG maps), so
 * the checked engines let the program use it and nothing past it.
 *
 * <p>What the kernel's verifier refuses at load (a map type a helper does not take, a write to a
 * read-only map) is refused at load by jxdp's verifier too; the checks here remain for programs loaded
 * unverified. For a verified program on the JIT, pointer arguments are taken as the verifier proved
 * them, and a value's region is made only if another helper needs the region table
 * ({@link HelperContext#pointersProven()}, {@link HelperContext#expose}).
 */
final class MapHelpers {
    private MapHelpers() {}

    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int MAP_DELETE_ELEM = 3;
    static final int PERF_EVENT_OUTPUT = 25;
    static final int MAP_PUSH_ELEM = 87;
    static final int MAP_POP_ELEM = 88;
    static final int MAP_PEEK_ELEM = 89;
    static final int RINGBUF_OUTPUT = 130;
    static final int RINGBUF_RESERVE = 131;
    static final int RINGBUF_SUBMIT = 132;
    static final int RINGBUF_DISCARD = 133;
    static final int RINGBUF_QUERY = 134;
    static final int FOR_EACH_MAP_ELEM = 164;
    static final int MAP_LOOKUP_PERCPU_ELEM = 195;

    static void register(Map<Integer, Helper> into, MapTable maps) {
        into.put(MAP_LOOKUP_ELEM, (ctx, m, key, a3, a4, a5) -> lookup(ctx, map(maps, m), key));
        into.put(MAP_UPDATE_ELEM, (ctx, m, key, value, flags, a5) -> update(ctx, map(maps, m), key, value, flags));
        into.put(MAP_DELETE_ELEM, (ctx, m, key, a3, a4, a5) -> {
            EbpfMap map = writable(map(maps, m), "bpf_map_delete_elem");
            return map.deleteElem(key(ctx, map, key), ctx.worker());
        });
        into.put(MAP_PUSH_ELEM, (ctx, m, value, flags, a4, a5) -> {
            EbpfMap map = writable(map(maps, m), "bpf_map_push_elem");
            return map.pushElem(ctx.memory().slice(value, map.valueSize(), false), flags);
        });
        into.put(MAP_POP_ELEM, (ctx, m, value, a3, a4, a5) -> {
            EbpfMap map = writable(map(maps, m), "bpf_map_pop_elem");
            return map.popElem(ctx.memory().slice(value, map.valueSize(), true));
        });
        into.put(MAP_PEEK_ELEM, (ctx, m, value, a3, a4, a5) -> {
            EbpfMap map = map(maps, m);
            return map.peekElem(ctx.memory().slice(value, map.valueSize(), map.type() != dev.jxdp.obj.MapType.BLOOM_FILTER));
        });
        into.put(MAP_LOOKUP_PERCPU_ELEM, (ctx, m, key, cpu, a4, a5) -> {
            EbpfMap map = map(maps, m);
            if (!map.definition().perCpu()) {
                throw new MemoryFault("bpf_map_lookup_percpu_elem on " + map + ", which is not a per-CPU map");
            }
            if (cpu < 0 || cpu >= map.workers()) {
                return 0;
            }
            return expose(ctx, map, map.lookupElem(key(ctx, map, key), (int) cpu));
        });
        into.put(FOR_EACH_MAP_ELEM, (ctx, m, callback, callbackCtx, flags, a5) -> forEach(ctx, map(maps, m), callback,
                callbackCtx, flags));
        into.put(RINGBUF_OUTPUT, (ctx, m, data, size, flags, a5) -> {
            RingBuf rb = ring(maps, m, "bpf_ringbuf_output");
            return rb.output(ctx.memory().slice(data, size, false), flags);
        });
        into.put(RINGBUF_RESERVE, (ctx, m, size, flags, a4, a5) -> reserve(ctx, ring(maps, m, "bpf_ringbuf_reserve"), size, flags));
        into.put(RINGBUF_SUBMIT, (ctx, sample, flags, a3, a4, a5) -> commit(ctx, sample, flags, false));
        into.put(RINGBUF_DISCARD, (ctx, sample, flags, a3, a4, a5) -> commit(ctx, sample, flags, true));
        into.put(RINGBUF_QUERY, (ctx, m, flags, a3, a4, a5) -> ring(maps, m, "bpf_ringbuf_query").query(flags));
        into.put(PERF_EVENT_OUTPUT, (ctx, context, m, flags, data, size) -> perfEventOutput(ctx, maps, m, flags, data, size));
    }

    /** The map a handle names, or the error the kernel's verifier would give for anything else. */
    static EbpfMap map(MapTable maps, long handle) {
        EbpfMap m = maps.byHandle(handle);
        if (m == null) {
            throw new MemoryFault("r1 = 0x" + Long.toHexString(handle) + " is not a map of this object");
        }
        return m;
    }

    private static RingBuf ring(MapTable maps, long handle, String helper) {
        if (map(maps, handle) instanceof RingBuf rb) {
            return rb;
        }
        throw new MemoryFault(helper + " on " + map(maps, handle) + ", which is not a ring buffer");
    }

    private static EbpfMap writable(EbpfMap m, String helper) {
        if ((m.definition().flags() & MapFlags.RDONLY_PROG) != 0) {
            throw new MemoryFault(helper + " on " + m + ", which is read-only for programs (BPF_F_RDONLY_PROG)");
        }
        return m;
    }

    private static MemorySegment key(HelperContext ctx, EbpfMap m, long key) {
        return arg(ctx, key, m.keySize(), false);
    }

    /**
     * A pointer argument of {@code size} bytes: checked against the run's regions, or, where the
     * verifier proved it (see {@link HelperContext#pointersProven()}), taken as it is.
     */
    private static MemorySegment arg(HelperContext ctx, long address, long size, boolean write) {
        if (ctx.pointersProven()) {
            return MemorySegment.ofAddress(address).reinterpret(size);
        }
        return ctx.memory().slice(address, size, write);
    }

    private static long lookup(HelperContext ctx, EbpfMap m, long key) {
        if (m instanceof MapOfMaps outer) {
            return outer.lookupHandle(key(ctx, m, key));
        }
        return expose(ctx, m, m.lookupElem(key(ctx, m, key), ctx.worker()));
    }

    /** Makes a value the program's to use (a region of the run) and returns its address, or 0 for none. */
    static long expose(HelperContext ctx, EbpfMap m, MemorySegment value) {
        if (value == null) {
            return 0;
        }
        ctx.expose(new Region.Mem(m.regionName(), RegionKind.MAP_VALUE, value,
                m.programWritable() ? Permission.READ_WRITE : Permission.READ_ONLY));
        return value.address();
    }

    private static long update(HelperContext ctx, EbpfMap m, long key, long value, long flags) {
        writable(m, "bpf_map_update_elem");
        MemorySegment k = key(ctx, m, key);
        return m.updateElem(k, arg(ctx, value, m.valueSize(), false), flags, ctx.worker());
    }

    /** bpf_for_each_map_elem: callback(map, &key, &value, ctx) per element until it returns non-zero. */
    private static long forEach(HelperContext ctx, EbpfMap m, long callback, long callbackCtx, long flags) {
        if (flags != 0) {
            return -Errnos.EINVAL;
        }
        try (Arena arena = Arena.ofConfined()) {
            // The callback's key is a read-only copy, as the kernel hands it a pointer it must not write.
            MemorySegment key = arena.allocate(Math.max(1, m.keySize()), 8).asSlice(0, Math.max(1, m.keySize()));
            Region keyRegion = new Region.Mem("map_key " + m.name(), RegionKind.MAP_VALUE, key, Permission.READ_ONLY);
            ctx.memory().add(keyRegion);
            try {
                long handle = m.handle();
                return m.forEach(ctx.worker(), (k, v) -> {
                    MemorySegment.copy(k, 0, key, 0, m.keySize());
                    long value = expose(ctx, m, v);
                    return ctx.callFunction(callback, handle, key.address(), value, callbackCtx, 0) == 0;
                });
            } finally {
                ctx.memory().remove(keyRegion);
            }
        }
    }

    /** bpf_ringbuf_reserve: the sample's address (a region of the run until it is committed), or 0. */
    private static long reserve(HelperContext ctx, RingBuf rb, long size, long flags) {
        if (flags != 0) {
            return 0;
        }
        MemorySegment sample = rb.reserve(size);
        if (sample == null) {
            return 0;
        }
        Region region = null;
        if (sample.byteSize() > 0) {
            region = new Region.Mem("ringbuf sample " + rb.name(), RegionKind.MAP_VALUE, sample, Permission.READ_WRITE);
            ctx.memory().add(region);
        }
        ProgramRun.of(ctx).reserved(rb, sample, region);
        return sample.address();
    }

    /** bpf_ringbuf_submit / bpf_ringbuf_discard: the sample stops being the program's. */
    private static long commit(HelperContext ctx, long sample, long flags, boolean discard) {
        ProgramRun.Reservation r = ProgramRun.of(ctx).release(sample);
        if (r == null) {
            throw new MemoryFault("0x" + Long.toHexString(sample) + " is no ring buffer sample this run reserved");
        }
        if (r.region() != null) {
            ctx.memory().remove(r.region());
        }
        r.ring().commit(sample, flags, discard);
        return 0;
    }

    /** bpf_perf_event_output for the program's data; the packet part (BPF_F_CTXLEN_MASK) is the hooks'. */
    private static long perfEventOutput(HelperContext ctx, MapTable maps, long handle, long flags, long data, long size) {
        if (!(map(maps, handle) instanceof PerfEventArray pa)) {
            throw new MemoryFault("bpf_perf_event_output on " + map(maps, handle) + ", which is not a perf event array");
        }
        if ((flags & ~(MapFlags.CTXLEN_MASK | MapFlags.INDEX_MASK)) != 0) {
            return -Errnos.EINVAL;
        }
        if ((flags & MapFlags.CTXLEN_MASK) != 0) {
            throw new MemoryFault("bpf_perf_event_output with packet bytes (BPF_F_CTXLEN_MASK) needs the XDP/tc hooks'"
                    + " version of this helper, which knows the packet");
        }
        return pa.output(ctx.worker(), flags, ctx.memory().slice(data, size, false));
    }
}
