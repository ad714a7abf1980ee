package dev.jxdp.obj;

import java.util.Locale;

/**
 * enum bpf_map_type of include/uapi/linux/bpf.h, with the kernel's numeric ids (the order of the
 * enum; CGRP_STORAGE and ARENA are newer than the 6.1 headers installed here). A map definition with
 * an id outside this enum is refused as an unsupported map type.
 */
public enum MapType {
    UNSPEC, HASH, ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE, CGROUP_ARRAY,
    LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, SOCKMAP, CPUMAP, XSKMAP,
    SOCKHASH, CGROUP_STORAGE, REUSEPORT_SOCKARRAY, PERCPU_CGROUP_STORAGE, QUEUE, STACK, SK_STORAGE,
    DEVMAP_HASH, STRUCT_OPS, RINGBUF, INODE_STORAGE, TASK_STORAGE, BLOOM_FILTER, USER_RINGBUF, CGRP_STORAGE,
    ARENA;

    /** The kernel's value (BPF_MAP_TYPE_*). */
    public int id() {
        return ordinal();
    }

    /** The name bpftool prints ({@code array}, {@code lru_hash}): the enum suffix in lower case. */
    public String bpftoolName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps whose values are other maps: their definition names an inner map. */
    public boolean isMapInMap() {
        return this == ARRAY_OF_MAPS || this == HASH_OF_MAPS;
    }

    /** The type with this kernel id, or null. */
    public static MapType ofId(long id) {
        MapType[] all = values();
        return id >= 0 && id < all.length ? all[(int) id] : null;
    }
}
