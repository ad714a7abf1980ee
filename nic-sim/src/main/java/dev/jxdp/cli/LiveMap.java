package dev.jxdp.cli;

import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapOfMaps;
import dev.jxdp.maps.ProgArray;
import dev.jxdp.obj.MapType;
import java.util.Optional;

/**
 * A map's shape and the bpf() map operations on it, wherever the map lives: in this process (an
 * object loaded for its maps) or in a running {@code jxdp switch}, reached through its control
 * endpoint ({@link RemoteMapSource}). Failures are {@link dev.jxdp.maps.MapException}s naming the errno.
 */
interface LiveMap {
    String name();

    MapType type();

    int keySize();

    int valueSize();

    /** Whether user space sees one value per CPU (per jxdp worker). */
    boolean perCpu();

    /** The values per entry of a per-CPU map. */
    int cpus();

    /** Bytes of a value as user space reads and writes it (all CPUs' values for per-CPU maps). */
    int userValueSize();

    /** Distance between two CPUs' values in a per-CPU value (8-aligned, as the kernel's). */
    int valueStride();

    boolean mapOfMaps();

    boolean progArray();

    Optional<byte[]> lookup(byte[] key);

    void update(byte[] key, byte[] value, long flags);

    boolean delete(byte[] key);

    Optional<byte[]> nextKey(byte[] key);

    Optional<byte[]> lookupAndDelete(byte[] key);

    /** A map of this process. */
    static LiveMap local(EbpfMap m) {
        return new LiveMap() {
            @Override
            public String name() {
                return m.name();
            }

            @Override
            public MapType type() {
                return m.type();
            }

            @Override
            public int keySize() {
                return m.keySize();
            }

            @Override
            public int valueSize() {
                return m.valueSize();
            }

            @Override
            public boolean perCpu() {
                return m.definition().perCpu();
            }

            @Override
            public int cpus() {
                return m.workers();
            }

            @Override
            public int userValueSize() {
                return m.userValueSize();
            }

            @Override
            public int valueStride() {
                return m.definition().valueStride();
            }

            @Override
            public boolean mapOfMaps() {
                return m instanceof MapOfMaps;
            }

            @Override
            public boolean progArray() {
                return m instanceof ProgArray;
            }

            @Override
            public Optional<byte[]> lookup(byte[] key) {
                return m.lookup(key);
            }

            @Override
            public void update(byte[] key, byte[] value, long flags) {
                m.update(key, value, flags);
            }

            @Override
            public boolean delete(byte[] key) {
                return m.delete(key);
            }

            @Override
            public Optional<byte[]> nextKey(byte[] key) {
                return m.nextKey(key);
            }

            @Override
            public Optional<byte[]> lookupAndDelete(byte[] key) {
                return m.lookupAndDelete(key);
            }
        };
    }
}
