package dev.jxdp.kernel;

import java.util.regex.Pattern;

/**
 * What BPF_MAP_CREATE is given.
 *
 * @param flags map_flags, an or of the {@code F_*} constants
 * @param name map_name: at most 15 characters of [A-Za-z0-9_.]
 * @param mapExtra map_extra (a bloom filter's hash count)
 * @param innerMapFd inner_map_fd: the template of a map-in-map, else 0
 */
public record MapSpec(MapType type, int keySize, int valueSize, int maxEntries, int flags, String name, long mapExtra,
        int innerMapFd) {
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
    }

    public static MapSpec of(MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(type, keySize, valueSize, maxEntries, 0, "jxdp", 0, 0);
    }

    public MapSpec withFlags(int newFlags) {
        return new MapSpec(type, keySize, valueSize, maxEntries, newFlags, name, mapExtra, innerMapFd);
    }

    public MapSpec withName(String newName) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, newName, mapExtra, innerMapFd);
    }

    public MapSpec withMapExtra(long extra) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, extra, innerMapFd);
    }

    public MapSpec withInnerMapFd(int fd) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, mapExtra, fd);
    }

    /** Whether user space reads and writes one value per possible CPU. */
    public boolean perCpu() {
        return type == MapType.PERCPU_HASH || type == MapType.PERCPU_ARRAY || type == MapType.LRU_PERCPU_HASH
                || type == MapType.PERCPU_CGROUP_STORAGE;
    }

    /**
     * The size of a value as bpf() reads and writes it: value_size, or for per-CPU maps
     * round_up(value_size, 8) for each possible CPU (bpf_map_value_size).
     */
    public int userValueSize() {
        return perCpu() ? ((valueSize + 7) & ~7) * PossibleCpus.count() : valueSize;
    }
}
