package dev.jxdp.kernel;

import java.util.regex.Pattern;

/**
 * What BPF_MAP_CREATE is given.
 *
 * @param flags map_flags, an or of the {@code F_*} constants
 * @param name map_name: at most 15 characters of [A-Za-z0-9_.]
 */
public record MapSpec(MapType type, int keySize, int valueSize, int maxEntries, int flags, String name) {
    /** BPF_F_NO_PREALLOC: hash maps allocate elements on update instead of up front. */
    public static final int F_NO_PREALLOC = 1 << 0;
    /** BPF_F_RDONLY: read-only for the syscall side. */
    public static final int F_RDONLY = 1 << 3;
    /** BPF_F_WRONLY: write-only for the syscall side. */
    public static final int F_WRONLY = 1 << 4;
    /** BPF_F_RDONLY_PROG: read-only for programs. */
    public static final int F_RDONLY_PROG = 1 << 7;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{0,15}");

    public MapSpec {
        if (type == null || name == null) {
            throw new NullPointerException("type and name are required");
        }
        if (keySize < 0 || valueSize < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("negative key size, value size or max entries");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("map name \"" + name + "\" is not 0-15 characters of [A-Za-z0-9_.]");
        }
        if (type == MapType.PERCPU_HASH || type == MapType.PERCPU_ARRAY || type == MapType.LRU_PERCPU_HASH
                || type == MapType.PERCPU_CGROUP_STORAGE) {
            // Their syscall-side values are one slot per possible CPU; BpfMap does not size buffers for that yet.
            throw new UnsupportedOperationException("per-CPU maps are not supported by the kernel backend yet");
        }
    }

    public static MapSpec of(MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(type, keySize, valueSize, maxEntries, 0, "jxdp");
    }

    public MapSpec withFlags(int newFlags) {
        return new MapSpec(type, keySize, valueSize, maxEntries, newFlags, name);
    }

    public MapSpec withName(String newName) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, newName);
    }
}
