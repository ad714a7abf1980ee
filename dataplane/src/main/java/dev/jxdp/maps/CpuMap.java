package dev.jxdp.maps;

import dev.jxdp.obj.ProgramType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * BPF_MAP_TYPE_CPUMAP (kernel/bpf/cpumap.c): bpf_redirect_map to another CPU, which in jxdp is another
 * packet worker. Values are {@code struct bpf_cpumap_val}: the queue size (0 deletes the entry, more
 * than 16384 is EOVERFLOW) and, with 8-byte values, a program to run there. Keys are worker indexes:
 * one that is no worker is ENODEV. Programs may only redirect through it (the verifier allows no
 * lookups), so {@link #target} is the hooks' whole interface; this map keeps the entries.
 */
public final class CpuMap extends EbpfMap {
    /** One entry: the worker, its queue size, and the program to run there first (or null). */
    public record Target(int worker, int queueSize, ProgramRef program) {}

    /** NR_CPUS of the reference kernel (CONFIG_NR_CPUS=256 on Linux 6.18 here): the largest max_entries. */
    static final int NR_CPUS = 256;

    private final AtomicReferenceArray<Target> entries;

    CpuMap(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.entries = new AtomicReferenceArray<>(def.maxEntries());
    }

    /** cpu_map_alloc's checks. */
    static int check(MapDefinition def) {
        if (def.maxEntries() == 0 || def.keySize() != 4 || def.valueSize() != 4 && def.valueSize() != 8
                || (def.flags() & ~MapFlags.NUMA_NODE) != 0) {
            return -Errnos.EINVAL;
        }
        if (Integer.toUnsignedLong(def.maxEntries()) > NR_CPUS) {
            return -Errnos.E2BIG;
        }
        return 0;
    }

    /** The entry for worker {@code key}, or null. */
    public Target target(int key) {
        return Integer.compareUnsigned(key, entries.length()) < 0 ? entries.get(key) : null;
    }

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        Target t = target(index(key));
        if (t == null) {
            return -Errnos.ENOENT;
        }
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 0, t.queueSize());
        if (def.valueSize() == 8) {
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 4, t.program() == null ? 0 : t.program().id());
        }
        return 0;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        int k = index(key);
        int qsize = value.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        int progId = def.valueSize() == 8 ? value.get(ValueLayout.JAVA_INT_UNALIGNED, 4) : 0;
        if (flags > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        if (Integer.compareUnsigned(k, def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        if (flags == MapFlags.NOEXIST) {
            return -Errnos.EEXIST;
        }
        if (Integer.compareUnsigned(qsize, 16384) > 0) {
            return -Errnos.EOVERFLOW;
        }
        if (k < 0 || k >= env.workers()) {
            return -Errnos.ENODEV;
        }
        if (qsize == 0) {
            entries.set(k, null);
            return 0;
        }
        ProgramRef prog = null;
        if (progId > 0) {
            prog = env.programs().get(progId);
            if (prog == null || prog.type() != ProgramType.XDP) {
                return -Errnos.ENOMEM; // __cpu_map_entry_alloc fails as a whole
            }
        }
        entries.set(k, new Target(k, qsize, prog));
        return 0;
    }

    @Override
    int sysDelete(MemorySegment key) {
        int k = index(key);
        if (Integer.compareUnsigned(k, def.maxEntries()) >= 0) {
            return -Errnos.EINVAL;
        }
        entries.set(k, null);
        return 0;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return arrayNextKey(key, next);
    }
}
