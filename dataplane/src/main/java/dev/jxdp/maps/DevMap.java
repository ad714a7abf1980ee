package dev.jxdp.maps;

import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ProgramType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * BPF_MAP_TYPE_DEVMAP and DEVMAP_HASH (kernel/bpf/devmap.c): where bpf_redirect_map sends a frame.
 * Values are {@code struct bpf_devmap_val}: a u32 ifindex, and with 8-byte values a program to run on
 * the frame first (stored by id, as the kernel stores it by fd and shows its id). The kernel's rules:
 * the map is BPF_F_RDONLY_PROG whatever the object asked (program lookups point straight at the
 * value); an ifindex that names no device is EINVAL; DEVMAP updates are array-like (BPF_NOEXIST is
 * EEXIST, an index past the end E2BIG), a DEVMAP delete of an empty slot succeeds and past the end is
 * EINVAL; DEVMAP_HASH keys are ifindex-like u32s hashed by their low bits, updates ignore BPF_EXIST,
 * E2BIG when full.
 *
 * <p>The hooks redirect through {@link #target} and {@link #targets} (BPF_F_BROADCAST); this map
 * only keeps the entries.
 */
public final class DevMap extends EbpfMap {
    /** One entry: where to send, and the program to run on the frame before (or null). */
    public record Target(int key, int ifindex, ProgramRef program, int slot) {}

    private final boolean hash;
    private final AtomicReferenceArray<Target> array;
    private final AtomicReferenceArray<Target[]> buckets;
    private final int bucketMask;
    private final SlotPool values;
    private int items;

    DevMap(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.hash = def.type() == MapType.DEVMAP_HASH;
        if (hash) {
            int n = (int) Math.min(1L << 30, Long.highestOneBit(Math.max(1, 2 * Integer.toUnsignedLong(def.maxEntries()) - 1)));
            this.buckets = new AtomicReferenceArray<>(n);
            this.bucketMask = n - 1;
            this.array = null;
        } else {
            this.array = new AtomicReferenceArray<>(def.maxEntries());
            this.buckets = null;
            this.bucketMask = 0;
        }
        this.values = new SlotPool(arena, env.epochs(), 8, Math.min(Integer.toUnsignedLong(def.maxEntries()), 1024), env.poison());
    }

    /** dev_map_alloc's checks. */
    static int check(MapDefinition def) {
        int allowed = MapFlags.NUMA_NODE | MapFlags.RDONLY | MapFlags.WRONLY;
        if (def.maxEntries() == 0 || def.keySize() != 4 || def.valueSize() != 4 && def.valueSize() != 8
                || (def.flags() & ~allowed) != 0) {
            return -Errnos.EINVAL;
        }
        if (def.type() == MapType.DEVMAP_HASH && Integer.toUnsignedLong(def.maxEntries()) > 1L << 31) {
            return -Errnos.EINVAL;
        }
        return 0;
    }

    /** The kernel sets BPF_F_RDONLY_PROG on every devmap. */
    @Override
    public int flags() {
        return def.flags() | MapFlags.RDONLY_PROG;
    }

    @Override
    public boolean programWritable() {
        return false;
    }

    // ---- the hooks' side

    /** The entry at {@code key}, or null: what bpf_redirect_map redirects to. */
    public Target target(int key) {
        if (!hash) {
            return Integer.compareUnsigned(key, array.length()) < 0 ? array.get(key) : null;
        }
        Target[] b = buckets.get(key & bucketMask);
        if (b != null) {
            for (Target t : b) {
                if (t.key() == key) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Every entry, in get_next_key order (for BPF_F_BROADCAST). */
    public List<Target> targets() {
        List<Target> all = new ArrayList<>();
        if (!hash) {
            for (int i = 0; i < array.length(); i++) {
                Target t = array.get(i);
                if (t != null) {
                    all.add(t);
                }
            }
        } else {
            for (int i = 0; i < buckets.length(); i++) {
                Target[] b = buckets.get(i);
                if (b != null) {
                    all.addAll(Arrays.asList(b));
                }
            }
        }
        return all;
    }

    // ---- entries

    /** __dev_map_alloc_node: the device must exist, the program must be an XDP program. */
    private Object newTarget(int key, MemorySegment value) {
        int ifindex = value.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        int progId = def.valueSize() == 8 ? value.get(ValueLayout.JAVA_INT_UNALIGNED, 4) : 0;
        if (!env.devices().test(ifindex)) {
            return -Errnos.EINVAL;
        }
        ProgramRef prog = null;
        if (progId > 0) {
            prog = env.programs().get(progId);
            if (prog == null || prog.type() != ProgramType.XDP) {
                return -Errnos.EINVAL;
            }
        }
        int slot = values.allocate();
        MemorySegment v = values.segment(slot);
        v.set(ValueLayout.JAVA_INT, 0, ifindex);
        v.set(ValueLayout.JAVA_INT, 4, prog == null ? 0 : prog.id());
        return new Target(key, ifindex, prog, slot);
    }

    private void retire(Target t) {
        if (t != null) {
            values.retire(t.slot());
        }
    }

    private MemorySegment valueOf(Target t) {
        return values.segment(t.slot()).asSlice(0, def.valueSize());
    }

    private synchronized int update(MemorySegment key, MemorySegment value, long flags) {
        int k = index(key);
        if (!hash) {
            if (flags > MapFlags.EXIST) {
                return -Errnos.EINVAL;
            }
            if (Integer.compareUnsigned(k, def.maxEntries()) >= 0) {
                return -Errnos.E2BIG;
            }
            if (flags == MapFlags.NOEXIST) {
                return -Errnos.EEXIST;
            }
            int ifindex = value.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            Target t = null;
            if (ifindex == 0) {
                if (def.valueSize() == 8 && value.get(ValueLayout.JAVA_INT_UNALIGNED, 4) > 0) {
                    return -Errnos.EINVAL;
                }
            } else {
                Object made = newTarget(k, value);
                if (made instanceof Integer err) {
                    return err;
                }
                t = (Target) made;
            }
            retire(array.getAndSet(k, t));
            return 0;
        }
        if (flags > MapFlags.EXIST || value.get(ValueLayout.JAVA_INT_UNALIGNED, 0) == 0) {
            return -Errnos.EINVAL;
        }
        Target old = target(k);
        if (old != null && (flags & MapFlags.NOEXIST) != 0) {
            return -Errnos.EEXIST;
        }
        Object made = newTarget(k, value);
        if (made instanceof Integer err) {
            return err;
        }
        Target t = (Target) made;
        if (old == null && items >= def.maxEntries()) {
            values.release(t.slot());
            return -Errnos.E2BIG;
        }
        int b = k & bucketMask;
        Target[] list = without(buckets.get(b), old);
        Target[] added = new Target[list.length + 1];
        added[0] = t;
        System.arraycopy(list, 0, added, 1, list.length);
        buckets.set(b, added);
        if (old == null) {
            items++;
        } else {
            retire(old);
        }
        return 0;
    }

    private static Target[] without(Target[] list, Target t) {
        if (list == null) {
            return new Target[0];
        }
        return t == null ? list : Arrays.stream(list).filter(x -> x != t).toArray(Target[]::new);
    }

    private synchronized int delete(MemorySegment key) {
        int k = index(key);
        if (!hash) {
            if (Integer.compareUnsigned(k, def.maxEntries()) >= 0) {
                return -Errnos.EINVAL;
            }
            retire(array.getAndSet(k, null));
            return 0;
        }
        Target old = target(k);
        if (old == null) {
            return -Errnos.ENOENT;
        }
        buckets.set(k & bucketMask, without(buckets.get(k & bucketMask), old));
        items--;
        retire(old);
        return 0;
    }

    // ---- user space

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        Target t = target(index(key));
        if (t == null) {
            return -Errnos.ENOENT;
        }
        MemorySegment.copy(valueOf(t), 0, out, 0, def.valueSize());
        return 0;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        return update(key, value, flags);
    }

    @Override
    int sysDelete(MemorySegment key) {
        return delete(key);
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        if (!hash) {
            return arrayNextKey(key, next);
        }
        // dev_map_hash_get_next_key: after the key in its bucket, then the buckets after it.
        int i = 0;
        if (key != null) {
            int k = index(key);
            Target[] b = buckets.get(k & bucketMask);
            int at = -1;
            for (int j = 0; b != null && j < b.length; j++) {
                if (b[j].key() == k) {
                    at = j;
                }
            }
            if (at >= 0) {
                if (at + 1 < b.length) {
                    next.set(ValueLayout.JAVA_INT_UNALIGNED, 0, b[at + 1].key());
                    return 0;
                }
                i = (k & bucketMask) + 1;
            }
        }
        for (; i <= bucketMask; i++) {
            Target[] b = buckets.get(i);
            if (b != null && b.length > 0) {
                next.set(ValueLayout.JAVA_INT_UNALIGNED, 0, b[0].key());
                return 0;
            }
        }
        return -Errnos.ENOENT;
    }

    // ---- programs: lookups point at the (read-only) value

    @Override
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        Target t = target(index(key));
        return t == null ? null : valueOf(t);
    }
}
