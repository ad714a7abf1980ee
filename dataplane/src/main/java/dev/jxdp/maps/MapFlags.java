package dev.jxdp.maps;

/**
 * The numbers of include/uapi/linux/bpf.h that map operations take: {@code map_flags} bits given at
 * creation, and the {@code flags} of BPF_MAP_UPDATE_ELEM and of the map helpers.
 */
public final class MapFlags {
    private MapFlags() {}

    // ---- update flags (BPF_MAP_UPDATE_ELEM, bpf_map_update_elem)

    /** BPF_ANY: create the element or update it. */
    public static final long ANY = 0;
    /** BPF_NOEXIST: create only; EEXIST if the key is present. */
    public static final long NOEXIST = 1;
    /** BPF_EXIST: update only; ENOENT if the key is absent. */
    public static final long EXIST = 2;
    /** BPF_F_LOCK: copy the value under its bpf_spin_lock. */
    public static final long F_LOCK = 4;

    // ---- map_flags

    /** BPF_F_NO_PREALLOC: hash maps allocate on update; LPM tries require it. */
    public static final int NO_PREALLOC = 1;
    /** BPF_F_NO_COMMON_LRU: one LRU list per CPU (worker) instead of a shared one. */
    public static final int NO_COMMON_LRU = 1 << 1;
    /** BPF_F_NUMA_NODE. */
    public static final int NUMA_NODE = 1 << 2;
    /** BPF_F_RDONLY: read-only from user space. */
    public static final int RDONLY = 1 << 3;
    /** BPF_F_WRONLY: write-only from user space. */
    public static final int WRONLY = 1 << 4;
    /** BPF_F_STACK_BUILD_ID. */
    public static final int STACK_BUILD_ID = 1 << 5;
    /** BPF_F_ZERO_SEED: hash with seed 0, so that the element order is reproducible. */
    public static final int ZERO_SEED = 1 << 6;
    /** BPF_F_RDONLY_PROG: programs may not write values. */
    public static final int RDONLY_PROG = 1 << 7;
    /** BPF_F_WRONLY_PROG: programs may not read values. */
    public static final int WRONLY_PROG = 1 << 8;
    /** BPF_F_CLONE. */
    public static final int CLONE = 1 << 9;
    /** BPF_F_MMAPABLE: array values can be mmap()ed. */
    public static final int MMAPABLE = 1 << 10;
    /** BPF_F_PRESERVE_ELEMS: perf event arrays keep their entries when the creator closes them. */
    public static final int PRESERVE_ELEMS = 1 << 11;
    /** BPF_F_INNER_MAP: an inner map whose max_entries may differ from the template's. */
    public static final int INNER_MAP = 1 << 12;

    /** BPF_F_ACCESS_MASK: the four access bits. */
    public static final int ACCESS_MASK = RDONLY | WRONLY | RDONLY_PROG | WRONLY_PROG;

    /** bpf_map_flags_access_ok(): a map cannot be both read-only and write-only for programs. */
    static boolean accessOk(int flags) {
        return (flags & (RDONLY_PROG | WRONLY_PROG)) != (RDONLY_PROG | WRONLY_PROG);
    }

    // ---- bpf_perf_event_output / ringbuf

    /** BPF_F_INDEX_MASK: the index bits of bpf_perf_event_output's flags. */
    public static final long INDEX_MASK = 0xffff_ffffL;
    /** BPF_F_CURRENT_CPU: the index of the running CPU (worker). */
    public static final long CURRENT_CPU = INDEX_MASK;
    /** BPF_F_CTXLEN_MASK: bytes of the packet to append to a perf event sample. */
    public static final long CTXLEN_MASK = 0xf_ffffL << 32;

    /** BPF_RB_NO_WAKEUP. */
    public static final long RB_NO_WAKEUP = 1;
    /** BPF_RB_FORCE_WAKEUP. */
    public static final long RB_FORCE_WAKEUP = 2;
}
