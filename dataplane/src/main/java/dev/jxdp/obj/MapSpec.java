package dev.jxdp.obj;

/**
 * One map as an object file defines it: what {@code BPF_MAP_CREATE} would be asked for, plus what
 * libbpf does right after (initial contents, freezing). Sizes, counts and flags are the kernel's u32
 * fields, held in ints: read them with {@link Integer#toUnsignedLong(int)} where they might be large.
 *
 * @param name the name as the object gives it (a variable or symbol name; for global data, libbpf's
 *     internal map name such as {@code xdp_dns_.rodata}); the kernel keeps the first 15 bytes
 * @param flags BPF_F_* map flags ({@code map_flags})
 * @param numaNode the {@code numa_node} of BTF maps (meaningful with BPF_F_NUMA_NODE), else 0
 * @param pinning libbpf's LIBBPF_PIN_* (0 none, 1 by name) for BTF maps, iproute2's PIN_* (0 none,
 *     1 object namespace, 2 global namespace, more: custom) for {@code bpf_elf_map}, else 0
 * @param mapExtra {@code map_extra} (bloom filter hash count, arena address), else 0
 * @param inner the inner map template of a map-in-map, or null
 * @param contents initial contents
 * @param origin where and how the object defined the map
 */
public record MapSpec(
        String name,
        MapType type,
        int keySize,
        int valueSize,
        int maxEntries,
        int flags,
        int numaNode,
        int pinning,
        long mapExtra,
        MapSpec inner,
        MapContents contents,
        MapOrigin origin) {

    /** BPF_F_NO_PREALLOC. */
    public static final int F_NO_PREALLOC = 1;
    /** BPF_F_RDONLY_PROG: programs may not write values (libbpf sets it on .rodata). */
    public static final int F_RDONLY_PROG = 1 << 7;
    /** BPF_F_MMAPABLE: the array's values can be mmap()ed (libbpf sets it on global data it exposes). */
    public static final int F_MMAPABLE = 1 << 10;
    /** BPF_F_INNER_MAP. */
    public static final int F_INNER_MAP = 1 << 12;

    /** BPF_OBJ_NAME_LEN - 1: how many bytes of a name the kernel keeps. */
    public static final int KERNEL_NAME_LENGTH = 15;

    /**
     * Where a map was defined.
     *
     * @param section the ELF section of the definition
     * @param fileOffset where the definition starts in the file (for global data, the section's data)
     * @param btfKeyTypeId and {@code btfValueTypeId}: BTF type ids of key and value, 0 when unknown
     * @param elfMapIds iproute2's id fields, null for other conventions
     */
    public record MapOrigin(
            MapConvention convention, String section, long fileOffset, int btfKeyTypeId, int btfValueTypeId,
            ElfMapIds elfMapIds) {}

    /**
     * The map-in-map fields of iproute2's {@code struct bpf_elf_map}: an outer map names the {@code id}
     * of its inner template in {@code innerId}; a map with an {@code id} (and {@code innerId} 0) is put
     * into slot {@code innerIdx} of every outer map whose {@code innerId} is that id (unless innerIdx is
     * 0xffffffff).
     */
    public record ElfMapIds(int id, int innerId, int innerIdx) {}

    /** The name as the kernel stores it: the first 15 bytes. */
    public String kernelName() {
        return kernelName(name);
    }

    /** The first 15 bytes of a name (BPF_OBJ_NAME_LEN less the NUL), as the kernel keeps map and program names. */
    public static String kernelName(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return b.length <= KERNEL_NAME_LENGTH ? name
                : new String(b, 0, KERNEL_NAME_LENGTH, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean frozen() {
        return contents instanceof MapContents.Data d && d.frozen();
    }

    MapSpec withContents(MapContents c) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, numaNode, pinning, mapExtra, inner, c, origin);
    }

    MapSpec withInner(MapSpec i) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, numaNode, pinning, mapExtra, i, contents, origin);
    }
}
