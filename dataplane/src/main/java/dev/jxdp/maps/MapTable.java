package dev.jxdp.maps;

import java.util.Arrays;
import java.util.List;

/**
 * The maps of one loaded object (and the maps user space adds to it, such as inner maps), by id: the
 * id is what {@link MapHandle}s carry, what map-in-maps store and what user space sees. Ids start at
 * 0 in creation order, so an object's maps have the ids {@code jxdp map show} prints. Lookups take no
 * lock (the packet path resolves a handle per helper call).
 */
public final class MapTable {
    private volatile EbpfMap[] maps = new EbpfMap[0];

    /** Adds a map and gives it the next id. */
    public synchronized int add(EbpfMap map) {
        int id = maps.length;
        EbpfMap[] next = Arrays.copyOf(maps, id + 1);
        next[id] = map;
        map.assignId(id);
        maps = next;
        return id;
    }

    /** The map with this id, or null. */
    public EbpfMap get(int id) {
        EbpfMap[] m = maps;
        return id >= 0 && id < m.length ? m[id] : null;
    }

    /** The map a handle names, or null if {@code handle} is not one of this table's. */
    public EbpfMap byHandle(long handle) {
        return get(MapHandle.idOf(handle));
    }

    public List<EbpfMap> all() {
        return List.of(maps);
    }

    public int size() {
        return maps.length;
    }
}
