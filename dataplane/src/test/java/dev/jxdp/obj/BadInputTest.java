package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input the issue lists gives one error naming the file, the section and the offset
 * of the problem. The inputs are real objects from programs/bin with one field changed; offsets in
 * the expectations are where that field lies.
 */
class BadInputTest {
    private static final String OBJ = "xdp_tailcall_dispatch";

    /** A copy of an object whose header fields can be rewritten by section, symbol and relocation. */
    private static final class Patch {
        final byte[] b;
        final ByteBuffer in;
        final ElfFile elf;

        Patch(String name) {
            b = Corpus.bytes(name);
            in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            elf = ElfFile.parse(name, b.clone());
        }

        ElfSection section(String name) {
            return elf.section(name).orElseThrow();
        }

        /** File offset of a field of a section header. */
        int shdr(String name, int field) {
            return (int) (in.getLong(40) + 64L * section(name).index() + field);
        }

        /** File offset of a field of a symbol. */
        int sym(String name, int field) {
            ElfSection symtab = section(".symtab");
            ElfSymbol s = elf.symbols().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            return (int) (symtab.offset() + 24L * s.index() + field);
        }

        /** File offset of the first relocation in a REL section. */
        int rel(String relSection, int index, int field) {
            return (int) (section(relSection).offset() + 16L * index + field);
        }

        Patch putInt(int at, int v) {
            in.putInt(at, v);
            return this;
        }

        Patch putShort(int at, int v) {
            in.putShort(at, (short) v);
            return this;
        }

        Patch putLong(int at, long v) {
            in.putLong(at, v);
            return this;
        }
    }

    private static ObjectLoadException fails(byte[] bytes) {
        return assertThrows(ObjectLoadException.class, () -> ObjectLoader.load("bad.o", bytes, LoadOptions.defaults()));
    }

    private static void check(ObjectLoadException e, Class<?> type, String section, long offset, String problem) {
        assertEquals(type, e.getClass(), e.getMessage());
        assertEquals("bad.o", e.file());
        assertEquals(section, e.section(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.o"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void truncatedFile() {
        byte[] all = Corpus.bytes(OBJ);
        check(fails(Arrays.copyOf(all, 40)), ObjectFormatException.class, null, 40, "truncated ELF header");
        // The section header table sits at the end of clang's objects: cut it off.
        ObjectLoadException e = fails(Arrays.copyOf(all, all.length - 100));
        check(e, ObjectFormatException.class, null, 40, "section header table");
        assertTrue(e.problem().contains("lies outside the file"), e.getMessage());
    }

    @Test
    void wrongMachineOrClass() {
        Patch p = new Patch(OBJ);
        p.putShort(18, 62); // EM_X86_64
        check(fails(p.b), ObjectFormatException.class, null, 18, "machine 62 is not EM_BPF");
        Patch q = new Patch(OBJ);
        q.b[4] = 1; // ELFCLASS32
        check(fails(q.b), ObjectFormatException.class, null, 4, "ELF class 1 is not ELFCLASS64");
        Patch r = new Patch(OBJ);
        r.putShort(16, 2); // ET_EXEC
        check(fails(r.b), ObjectFormatException.class, null, 16, "not ET_REL");
    }

    @Test
    void sectionPointingOutsideTheFile() {
        Patch p = new Patch(OBJ);
        int field = p.shdr("xdp", 24);
        p.putLong(field, p.b.length - 8L);
        check(fails(p.b), ObjectFormatException.class, "xdp", field, "section data at 0x");
    }

    @Test
    void bssOfImpossibleSize() {
        // Found by the fuzzer: a .bss size with the top bit set passed the 4 MiB check as a negative
        // long and reached an array allocation.
        Patch p = new Patch("xdp_dns_amp_guard");
        int field = p.shdr(".bss", 32);
        p.putLong(field, 0xFFFFFFFFFE000018L);
        check(fails(p.b), ObjectFormatException.class, ".bss", field, "section size 0xfffffffffe000018");
        // A size below 2^63 but beyond what an array value may hold is the kernel's E2BIG.
        Patch q = new Patch("xdp_dns_amp_guard");
        q.putLong(q.shdr(".bss", 32), 5L << 20);
        assertTrue(fails(q.b).problem().contains("at most 4194304 bytes"));
    }

    @Test
    void symbolPointingToNoSection() {
        Patch p = new Patch(OBJ);
        int field = p.sym("xdp_dispatch", 6);
        p.putShort(field, 200);
        check(fails(p.b), ObjectFormatException.class, ".symtab", field, "symbol 'xdp_dispatch' points to section 200");
    }

    @Test
    void functionSymbolOutsideItsSection() {
        Patch p = new Patch(OBJ);
        p.putLong(p.sym("xdp_dispatch", 8), 0x10000);
        check(fails(p.b), ObjectFormatException.class, "xdp", p.section("xdp").offset(), "function 'xdp_dispatch' at offset 0x10000");
    }

    @Test
    void relocationOfNoSymbol() {
        Patch p = new Patch(OBJ);
        int at = p.rel(".relxdp", 0, 0);
        p.putInt(at + 12, 5000); // r_info's symbol half
        check(fails(p.b), ObjectFormatException.class, ".relxdp", at, "relocation refers to symbol 5000, which does not exist");
    }

    @Test
    void relocationOutsideItsSection() {
        Patch p = new Patch(OBJ);
        int at = p.rel(".relxdp", 0, 0);
        p.putLong(at, 0x100000);
        check(fails(p.b), ObjectFormatException.class, ".relxdp", at, "lies outside section xdp");
    }

    @Test
    void relocationOfAnInstructionThatTakesNone() {
        Patch p = new Patch(OBJ);
        int at = p.rel(".relxdp", 0, 0);
        p.putLong(at, 0); // xdp_icmp_policy's first instruction, a load from ctx
        ObjectLoadException e = fails(p.b);
        check(e, ObjectFormatException.class, "xdp", p.section("xdp").offset(), "neither a 64-bit immediate load nor a call");
    }

    @Test
    void unsupportedMapType() {
        Patch p = new Patch("xdp_legacy_ethertype_filter");
        ElfSection maps = p.section("maps");
        p.putInt((int) maps.offset(), 99); // ethertype_deny's struct bpf_map_def.type
        check(fails(p.b), UnsupportedFeatureException.class, "maps", maps.offset(), "unsupported map type 99");
    }

    @Test
    void btfThatLiesAboutItsSizes() {
        Patch p = new Patch(OBJ);
        long btf = p.section(".BTF").offset();
        p.putInt((int) btf + 12, 0x7fff0000); // type_len
        check(fails(p.b), ObjectFormatException.class, ".BTF", btf + 8, "type section");

        Patch q = new Patch(OBJ);
        long btf2 = q.section(".BTF").offset();
        q.putInt((int) btf2 + 20, 0x7fff0000); // str_len
        check(fails(q.b), ObjectFormatException.class, ".BTF", btf2 + 16, "string section");
    }

    @Test
    void btfExtThatLiesAboutItsRecords() {
        Patch p = new Patch(OBJ);
        long ext = p.section(".BTF.ext").offset();
        int funcOff = p.in.getInt((int) ext + 8);
        int hdrLen = p.in.getInt((int) ext + 4);
        int countAt = (int) (ext + hdrLen + funcOff + 4 + 4); // after rec_size and the first sec_name_off
        p.putInt(countAt, 0x10000000);
        check(fails(p.b), ObjectFormatException.class, ".BTF.ext", countAt, "do not fit");
    }

    @Test
    void undecodableInstruction() {
        Patch p = new Patch(OBJ);
        long xdp = p.section("xdp").offset();
        p.b[(int) xdp + 8] = (byte) 0x8e;
        check(fails(p.b), ObjectFormatException.class, "xdp", xdp + 8, "unknown opcode 8e");
    }

    @Test
    void codeSectionOfPartInstructions() {
        Patch p = new Patch("xdp_pass");
        long size = p.section("xdp").size();
        p.putLong(p.shdr("xdp", 32), size - 3);
        check(fails(p.b), ObjectFormatException.class, "xdp", p.section("xdp").offset() + size - 8, "not a multiple of 8");
    }

    @Test
    void mapsRelocationOutsideTheValuesSlots() {
        Patch p = new Patch(OBJ);
        int at = p.rel(".rel.maps", 0, 0);
        p.putLong(at, 8); // inside l4_policy's max_entries member, before its values
        check(fails(p.b), ObjectFormatException.class, ".maps", p.section(".maps").offset() + 8, "outside its 'values' slots");
    }
}
