package dev.jxdp.cli;

import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapOfMaps;
import dev.jxdp.maps.ProgArray;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.btf.Btf;
import java.util.Optional;

/**
 * One map as the map commands see it: its shape, the bpf() map operations (failures are
 * {@link dev.jxdp.maps.MapException}s naming the errno), and the BTF types that format its entries.
 * Local maps of a loaded object now; the running-instance variant (through the NIC simulator's
 * control endpoint) implements the same operations remotely.
 *
 * @param btf the object's BTF when the map was made with it (libbpf's rules), else null
 */
record MapAccess(EbpfMap map, Btf btf, int keyTypeId, int valueTypeId, BtfDumper.VarOffsets varOffsets, MapSource source) {

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
        return map.definition().perCpu();
    }

    /** The values per entry of a per-CPU map (bpftool's possible CPUs; jxdp's workers). */
    int cpus() {
        return map.workers();
    }

    int userValueSize() {
        return map.userValueSize();
    }

    boolean formatted() {
        return btf != null && valueTypeId > 0;
    }

    boolean mapOfMaps() {
        return map instanceof MapOfMaps;
    }

    boolean progArray() {
        return map instanceof ProgArray;
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
