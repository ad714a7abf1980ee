package dev.jxdp.cli;

import dev.jxdp.obj.MapType;
import dev.jxdp.obj.btf.Btf;
import java.util.Optional;

/**
 * One map as the map commands see it: its shape, the bpf() map operations (failures are
 * {@link dev.jxdp.maps.MapException}s naming the errno), and the BTF types that format its entries.
 * The map is a local one of a loaded object or one of a running switch ({@link LiveMap}); the
 * commands and their printing do not tell the two apart.
 *
 * @param btf the object's BTF when the map was made with it (libbpf's rules), else null
 */
record MapAccess(LiveMap map, Btf btf, int keyTypeId, int valueTypeId, BtfDumper.VarOffsets varOffsets, MapSource source) {

    String name() {
        return map.name();
    }

    MapType type() {
        return map.type();
    }

    int keySize() {
        return map.keySize();
    }

    int valueSize() {
        return map.valueSize();
    }

    boolean perCpu() {
        return map.perCpu();
    }

    /** The values per entry of a per-CPU map (bpftool's possible CPUs; jxdp's workers). */
    int cpus() {
        return map.cpus();
    }

    int userValueSize() {
        return map.userValueSize();
    }

    int valueStride() {
        return map.valueStride();
    }

    boolean formatted() {
        return btf != null && valueTypeId > 0;
    }

    boolean mapOfMaps() {
        return map.mapOfMaps();
    }

    boolean progArray() {
        return map.progArray();
    }

    Optional<byte[]> lookup(byte[] key) {
        return map.lookup(key);
    }

    void update(byte[] key, byte[] value, long flags) {
        map.update(key, value, flags);
    }

    boolean delete(byte[] key) {
        return map.delete(key);
    }

    Optional<byte[]> nextKey(byte[] key) {
        return map.nextKey(key);
    }

    Optional<byte[]> lookupAndDelete(byte[] key) {
        return map.lookupAndDelete(key);
    }
}
