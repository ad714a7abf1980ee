package dev.jxdp.obj;

/** How an object defined a map; each convention has its own reader. */
public enum MapConvention {
    /** libbpf's BTF-defined maps: variables in {@code .maps} described by {@code .BTF}. */
    BTF_MAPS,
    /** The pre-BTF libbpf and samples/bpf convention: {@code struct bpf_map_def} in section {@code maps}. */
    LEGACY_MAP_DEF,
    /** iproute2's {@code struct bpf_elf_map} in section {@code maps}, with id, pinning and inner map fields. */
    IPROUTE2_ELF_MAP,
    /** A global data section ({@code .data}, {@code .rodata}, {@code .bss} and their {@code .*} variants) as libbpf maps it. */
    GLOBAL_DATA;

    /** Short name for output: {@code btf}, {@code legacy}, {@code iproute2}, {@code global_data}. */
    public String shortName() {
        return switch (this) {
            case BTF_MAPS -> "btf";
            case LEGACY_MAP_DEF -> "legacy";
            case IPROUTE2_ELF_MAP -> "iproute2";
            case GLOBAL_DATA -> "global_data";
        };
    }
}
