package dev.jxdp.maps;

import dev.jxdp.obj.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * BPF_MAP_TYPE_ARRAY_OF_MAPS and HASH_OF_MAPS (kernel/bpf/arraymap.c, hashtab.c, map_in_map.c): values
 * are other maps of the same {@link MapTable}, which must match the inner template (type, key and value
 * size, flags, and max_entries unless the template is BPF_F_INNER_MAP: bpf_map_meta_equal, EINVAL
 * otherwise). User space stores and reads a map by its id (the kernel takes an fd and shows the id); a
 * program's lookup gives the inner map's handle ({@link MapHandle}) or NULL, which it then passes to
 * the map helpers. The array variant follows fd-array rules (BPF_ANY only, E2BIG past the end); the
 * hash variant is a {@link HashTab} of u32 map ids, with the hash rules and order.
 */
public final class MapOfMaps extends EbpfMap {
    private final MapDefinition inner;
    private final AtomicIntegerArray array;
    private final HashTab hash;

    MapOfMaps(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.inner = def.inner();
        if (def.type() == MapType.ARRAY_OF_MAPS) {
            this.array = new AtomicIntegerArray(def.maxEntries());
            this.hash = null;
        } else {
            this.array = null;
            this.hash = new HashTab(new MapDefinition(def.name(), MapType.HASH, def.keySize(), 4, def.maxEntries(),
                    def.flags(), 0, null, -1), env);
        }
    }

    /**
     * fd_array/fd_htab checks plus an inner template that is not itself a map-in-map. Without a
     * template the kernel gets inner_map_fd 0, which is no map: EINVAL.
     */
    static int check(MapDefinition def) {
        if (def.inner() == null) {
            return -Errnos.EINVAL;
        }
        if (def.inner().type().isMapInMap()) {
            return -Errnos.EINVAL;
        }
        if (def.type() == MapType.ARRAY_OF_MAPS) {
            return FdArrays.check(def);
        }
        if (def.valueSize() != 4) {
            return -Errnos.EINVAL;
        }
        return HashTab.check(new MapDefinition(def.name(), MapType.HASH, def.keySize(), 4, def.maxEntries(), def.flags(), 0,
                null, -1));
    }

    /** The inner map template. */
    public MapDefinition inner() {
        return inner;
    }

    /** bpf_map_meta_equal. */
    boolean matches(EbpfMap m) {
        MapDefinition d = m.definition();
        return d.type() == inner.type() && d.keySize() == inner.keySize() && d.valueSize() == inner.valueSize()
                && m.flags() == (inner.flags() | (inner.type() == MapType.DEVMAP || inner.type() == MapType.DEVMAP_HASH
                        ? MapFlags.RDONLY_PROG : 0))
                && ((inner.flags() & MapFlags.INNER_MAP) != 0 || m.maxEntries() == inner.maxEntries());
    }

    /** Stores {@code map} at {@code key} (an update with the map's fd, in the kernel). */
    public void set(byte[] key, EbpfMap map) {
        byte[] id = new byte[4];
        MemorySegment.ofArray(id).set(ValueLayout.JAVA_INT_UNALIGNED, 0, map.id());
        update(key, id, MapFlags.ANY);
    }

    /** The inner map at {@code key}, or null. */
    public EbpfMap get(MemorySegment key) {
        int id = idAt(key);
        return id < 0 ? null : env.maps().get(id);
    }

    private int idAt(MemorySegment key) {
        if (array != null) {
            int i = index(key);
            return Integer.compareUnsigned(i, array.length()) < 0 ? array.get(i) - 1 : -1;
        }
        MemorySegment v = hash.lookupElem(key, 0);
        return v == null ? -1 : v.get(ValueLayout.JAVA_INT, 0) - 1;
    }

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        int id = idAt(key);
        if (id < 0) {
            return -Errnos.ENOENT;
        }
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 0, id);
        return 0;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        if (array != null) {
            if (flags != MapFlags.ANY) {
                return -Errnos.EINVAL;
            }
            if (Integer.compareUnsigned(index(key), def.maxEntries()) >= 0) {
                return -Errnos.E2BIG;
            }
        }
        int id = FdArrays.u32(value);
        EbpfMap m = env.maps().get(id);
        if (m == null) {
            return -Errnos.EBADF;
        }
        if (!matches(m)) {
            return -Errnos.EINVAL;
        }
        if (array != null) {
            array.set(index(key), id + 1);
            return 0;
        }
        MemorySegment stored = MemorySegment.ofArray(new int[] {id + 1});
        return hash.sysUpdate(key, stored, flags);
    }

    @Override
    int sysDelete(MemorySegment key) {
        if (array != null) {
            int i = index(key);
            if (Integer.compareUnsigned(i, def.maxEntries()) >= 0) {
                return -Errnos.E2BIG;
            }
            return array.getAndSet(i, 0) != 0 ? 0 : -Errnos.ENOENT;
        }
        return hash.sysDelete(key);
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return array != null ? arrayNextKey(key, next) : hash.sysNextKey(key, next);
    }

    // ---- programs: a lookup yields the inner map's handle (not a value pointer)

    /** bpf_map_lookup_elem on a map-in-map: the inner map's handle, or 0. */
    public long lookupHandle(MemorySegment key) {
        int id = idAt(key);
        return id < 0 ? 0 : MapHandle.of(id);
    }

    @Override
    public void close() {
        if (hash != null) {
            hash.close();
        }
        super.close();
    }
}
