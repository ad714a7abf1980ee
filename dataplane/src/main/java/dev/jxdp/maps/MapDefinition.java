package dev.jxdp.maps;

import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import java.util.Objects;

/**
 * What BPF_MAP_CREATE is asked for: the part of an object's {@link MapSpec} that makes a map (not its
 * initial contents, not where the object defined it). Sizes are the kernel's u32s held in ints.
 *
 * @param mapExtra map_extra: the bloom filter's hash count in its low 4 bits
 * @param inner the inner map template of a map-in-map, else null
 * @param spinLockOffset where the value holds a {@code struct bpf_spin_lock} (known from BTF), or -1
 */
public record MapDefinition(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra,
        MapDefinition inner, int spinLockOffset) {

    public MapDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
    }

    public static MapDefinition of(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, 0, 0, null, -1);
    }

    /** The definition of an object's map (its inner template included); no spin lock. */
    public static MapDefinition of(MapSpec spec) {
        return new MapDefinition(spec.name(), spec.type(), spec.keySize(), spec.valueSize(), spec.maxEntries(), spec.flags(),
                spec.mapExtra(), spec.inner() == null ? null : of(spec.inner()), -1);
    }

    public MapDefinition withFlags(int newFlags) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, newFlags, mapExtra, inner, spinLockOffset);
    }

    public MapDefinition withMapExtra(long extra) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, flags, extra, inner, spinLockOffset);
    }

    public MapDefinition withInner(MapDefinition template) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, flags, mapExtra, template, spinLockOffset);
    }

    public MapDefinition withSpinLockOffset(int offset) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, flags, mapExtra, inner, offset);
    }

    public MapDefinition withName(String newName) {
        return new MapDefinition(newName, type, keySize, valueSize, maxEntries, flags, mapExtra, inner, spinLockOffset);
    }

    /** Whether one worker's value is kept per worker (the kernel's per-CPU maps). */
    public boolean perCpu() {
        return type == MapType.PERCPU_ARRAY || type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH;
    }

    /** round_up(value_size, 8): the stride of values in arrays and of per-CPU values. */
    public int valueStride() {
        return (int) roundUp8(Integer.toUnsignedLong(valueSize));
    }

    static long roundUp8(long n) {
        return (n + 7) & ~7L;
    }
}
