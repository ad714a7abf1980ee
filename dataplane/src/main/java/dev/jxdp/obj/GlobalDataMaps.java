package dev.jxdp.obj;

import dev.jxdp.obj.btf.BtfType;

/**
 * Global variables as libbpf maps them (bpf_object__init_global_data_maps): each non-empty
 * {@code .data}, {@code .data.*}, {@code .rodata}, {@code .rodata.*} section and each {@code .bss}
 * (or {@code .bss.*}) section becomes an ARRAY map with a 4-byte key, one entry, and the section as its
 * value, initialised from the section's bytes (zeros for .bss). Code reaches the variables through
 * LD_IMM64 BPF_PSEUDO_MAP_VALUE loads of the map with the variable's offset.
 *
 * <p>Flags as libbpf 1.1 (the bpftool on the reference machines) sets them: BPF_F_MMAPABLE on all,
 * plus BPF_F_RDONLY_PROG on read-only data, which libbpf also freezes after filling it (0x480 for
 * .rodata, 0x400 for .data and .bss, as bpftool shows). libbpf 1.2 and later leave BPF_F_MMAPABLE off
 * sections that hold only static variables; 1.1 does not, and xdp_payload_crc32's static
 * {@code crc32_table} shows it (flags 0x480).
 */
final class GlobalDataMaps {
    private GlobalDataMaps() {}

    /**
     * The kernel's largest array value (KMALLOC_MAX_SIZE on x86-64, 4 MiB): array_map_alloc_check
     * refuses more with E2BIG. Checked here so that a lying .bss size cannot make jxdp allocate it.
     */
    static final long MAX_VALUE_SIZE = 4L << 20;

    enum Kind { DATA, RODATA, BSS }

    static Kind kindOf(ElfSection s) {
        String n = s.name();
        if (s.isExecutable()) {
            return null;
        }
        if (s.type() == ElfSection.SHT_PROGBITS) {
            if (n.equals(".data") || n.startsWith(".data.")) {
                return Kind.DATA;
            }
            if (n.equals(".rodata") || n.startsWith(".rodata.")) {
                return Kind.RODATA;
            }
        }
        if (s.type() == ElfSection.SHT_NOBITS && (n.equals(".bss") || n.startsWith(".bss."))) {
            return Kind.BSS;
        }
        return null;
    }

    static void read(LoadContext ctx, String objectName, MapDefinitions maps) {
        for (ElfSection s : ctx.sections()) {
            Kind kind = kindOf(s);
            if (kind == null || s.size() == 0) {
                continue;
            }
            if (s.size() > MAX_VALUE_SIZE) {
                throw ctx.unsupported(s, 0, "global data section of " + s.size() + " bytes; the kernel's array values are at most "
                        + MAX_VALUE_SIZE + " bytes");
            }
            byte[] bytes = kind == Kind.BSS ? new byte[(int) s.size()] : ctx.elf.contents(s);
            int valueTypeId = 0;
            if (ctx.btf != null) {
                int id = ctx.btf.find(BtfType.KIND_DATASEC, s.name());
                valueTypeId = Math.max(0, id);
            }
            int flags = MapSpec.F_MMAPABLE | (kind == Kind.RODATA ? MapSpec.F_RDONLY_PROG : 0);
            MapSpec spec = new MapSpec(InternalMapNames.of(objectName, s.name()), MapType.ARRAY, 4, (int) s.size(), 1, flags,
                    0, 0, 0, null, new MapContents.Data(bytes, kind == Kind.RODATA),
                    new MapSpec.MapOrigin(MapConvention.GLOBAL_DATA, s.name(), s.offset(), 0, valueTypeId, null));
            maps.add(spec, s, 0);
        }
    }
}
