package dev.jxdp.exec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An address range a program may touch, with a name and kind (for errors) and a permission. Either
 * real memory ({@link Mem}) or a range whose accesses a {@link RegionHandler} serves ({@link Handled}).
 */
public sealed interface Region {
    String name();

    RegionKind kind();

    Permission permission();

    /** First address. */
    long address();

    /** Length in bytes. */
    long size();

    /** Real off-heap memory: the region's addresses are those of the segment. */
    record Mem(String name, RegionKind kind, MemorySegment segment, Permission permission) implements Region {
        public Mem {
            Objects.requireNonNull(name);
            Objects.requireNonNull(kind);
            Objects.requireNonNull(permission);
            if (!segment.isNative()) {
                // Programs see raw addresses; a heap segment has none that stays put.
                throw new IllegalArgumentException("region " + name + " must be native (off-heap) memory");
            }
        }

        @Override
        public long address() {
            return segment.address();
        }

        @Override
        public long size() {
            return segment.byteSize();
        }
    }

    /**
     * Accesses go through {@code handler}. Reserve {@code [address, address + size)} with a real
     * allocation of the same size so that no other region can ever sit at those addresses.
     */
    record Handled(String name, RegionKind kind, long address, long size, Permission permission, RegionHandler handler)
            implements Region {
        public Handled {
            Objects.requireNonNull(name);
            Objects.requireNonNull(kind);
            Objects.requireNonNull(permission);
            Objects.requireNonNull(handler);
            if (size <= 0 || address + size < address) {
                throw new IllegalArgumentException("region " + name + " has an empty or wrapping range");
            }
        }
    }

    static Region readWrite(String name, RegionKind kind, MemorySegment segment) {
        return new Mem(name, kind, segment, Permission.READ_WRITE);
    }

    static Region readOnly(String name, RegionKind kind, MemorySegment segment) {
        return new Mem(name, kind, segment, Permission.READ_ONLY);
    }
}
