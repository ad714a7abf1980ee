package dev.jxdp.perf;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapConvention;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The programs both sides of the map benchmark run, as the object loader would hand them over: one map
 * (ARRAY, HASH, LRU_HASH or LPM_TRIE of {@code entries} u64 values, keys u32, LPM keys /32 prefixes)
 * and four XDP programs that draw a key index with bpf_get_prandom_u32 and then look it up, update
 * it, or do neither (the baselines, which draw and store the key the same way). The cost of a lookup is
 * a lookup program's time less its baseline's, in jxdp (JMH) and in the kernel (BPF_PROG_TEST_RUN).
 */
final class MapPrograms {
    private MapPrograms() {}

    static MapType type(String name) {
        return MapType.valueOf(name.toUpperCase(Locale.ROOT));
    }

    static int keySize(MapType t) {
        return t == MapType.LPM_TRIE ? 8 : 4;
    }

    /** The key of index {@code i} as the programs build it. */
    static byte[] key(MapType t, int i) {
        ByteBuffer b = ByteBuffer.allocate(keySize(t)).order(ByteOrder.LITTLE_ENDIAN);
        if (t == MapType.LPM_TRIE) {
            b.putInt(32);
        }
        return b.putInt(i).array();
    }

    private static final String KEY = """
            call 0x7
            r0 &= %d
            *(u32 *)(r10 - 0x10) = r0
            %s
            r2 = 0x2a
            *(u64 *)(r10 - 0x8) = r2
            r2 = r10
            r2 += %s
            """;

    /** The key at fp-16 (for LPM: prefixlen 32 at fp-16, the index at fp-12), the value 42 at fp-8. */
    private static String keyCode(MapType t, int entries) {
        return t == MapType.LPM_TRIE
                ? KEY.formatted(entries - 1, "*(u32 *)(r10 - 0xc) = r0\nr1 = 0x20\n*(u32 *)(r10 - 0x10) = r1", "-0x10")
                : KEY.formatted(entries - 1, "", "-0x10");
    }

    static Bytecode lookup(MapType t, int entries) {
        return Assembler.assemble(keyCode(t, entries) + """
                ld_pseudo r1, 0x1, 0x0
                call 0x1
                if r0 == 0x0 goto +0x1
                r0 = *(u64 *)(r0 + 0x0)
                r0 = 0x2
                exit
                """);
    }

    static Bytecode update(MapType t, int entries) {
        return Assembler.assemble(keyCode(t, entries) + """
                r3 = r10
                r3 += -0x8
                ld_pseudo r1, 0x1, 0x0
                r4 = 0x0
                call 0x2
                r0 = 0x2
                exit
                """);
    }

    /** The same key drawing with no map operation. */
    static Bytecode baseline(MapType t, int entries) {
        return Assembler.assemble(keyCode(t, entries) + """
                r0 = 0x2
                exit
                """);
    }

    static MapSpec map(MapType t, int entries) {
        int flags = t == MapType.LPM_TRIE ? 1 : 0; // BPF_F_NO_PREALLOC, which tries require
        return new MapSpec("bench", t, keySize(t), 8, entries, flags, 0, 0, 0, null, new MapContents.Empty(),
                new MapSpec.MapOrigin(MapConvention.BTF_MAPS, ".maps", 0, 0, 0, null));
    }

    private static ProgramSpec program(String name, Bytecode code) {
        return new ProgramSpec(name, "xdp", ProgramType.XDP, (AttachType) null, 0, true, code,
                List.of(new ProgramSpec.Function(name, "xdp", 0, code.length())), List.of(), List.of(), List.of(0), "GPL", true,
                List.of());
    }

    /** The object: the map (index 0) and the programs lookup, update and baseline. */
    static ObjectSpec object(MapType t, int entries) {
        return new ObjectSpec("bench.o", "bench", "GPL", OptionalInt.empty(),
                List.of(program("lookup", lookup(t, entries)), program("update", update(t, entries)),
                        program("baseline", baseline(t, entries))),
                List.of(map(t, entries)), null, null);
    }

    /** {@code code} with its map reference (index 0) made the kernel map {@code fd}. */
    static Bytecode withMapFd(Bytecode code, int fd) {
        List<dev.jxdp.isa.Instruction> out = new ArrayList<>();
        code.forEach((insn, pc) -> out.add(insn instanceof LoadImm64 l && l.source() == PseudoSource.MAP_FD
                ? new LoadImm64(l.dst(), PseudoSource.MAP_FD, fd, 0) : insn));
        return Bytecode.of(out);
    }
}
