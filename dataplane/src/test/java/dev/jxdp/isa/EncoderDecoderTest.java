package dev.jxdp.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncoderDecoderTest {

    private static byte[] slots(long... raw) {
        ByteBuffer b = ByteBuffer.allocate(raw.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long r : raw) {
            b.putLong(r);
        }
        return b.array();
    }

    /** One slot from its fields, laid out as RFC 9669 section 3 draws it. */
    private static long slot(int opcode, int dst, int src, int off, int imm) {
        return (opcode & 0xffL) | (dst & 0xfL) << 8 | (src & 0xfL) << 12 | (off & 0xffffL) << 16 | (long) imm << 32;
    }

    @Test
    void everyCorpusInstructionRoundTrips() {
        for (Instruction insn : InstructionCorpus.all()) {
            byte[] bytes = Bytecode.of(insn).toBytes();
            Instruction back = Decoder.decodeUnlinked(bytes).at(0);
            assertEquals(insn, back, "decode(encode(" + insn + "))");
        }
    }

    @Test
    void encodingFollowsTheRfcLayout() {
        // RFC 9669 3: opcode, then dst in the low nibble and src in the high nibble, offset, imm.
        // "r1 += r2" is ALU64 (0x07) | X (0x08) | ADD (0x00) = 0x0f.
        assertArrayEquals(slots(slot(0x0f, 1, 2, 0, 0)), Bytecode.of(new Alu(true, AluOp.ADD, 1, Operand.reg(2))).toBytes());
        // "if w3 s< -5 goto -2": JMP32 (0x06) | K | JSLT (0xc0) = 0xc6.
        assertArrayEquals(slots(slot(0xc6, 3, 0, -2, -5)),
                Bytecode.of(new Jump(true, JumpOp.JSLT, 3, Operand.imm(-5), -2)).toBytes());
        // "r1 = (s16)r2": ALU64 MOV X with offset 16 (0xbf).
        assertArrayEquals(slots(slot(0xbf, 1, 2, 16, 0)), Bytecode.of(new Alu(true, AluOp.MOVSX16, 1, Operand.reg(2))).toBytes());
        // "r1 s%= r2": ALU64 MOD X with offset 1 (0x9f).
        assertArrayEquals(slots(slot(0x9f, 1, 2, 1, 0)), Bytecode.of(new Alu(true, AluOp.SMOD, 1, Operand.reg(2))).toBytes());
        // "gotol -1": JMP32 JA with the offset in imm (0x06).
        assertArrayEquals(slots(slot(0x06, 0, 0, 0, -1)), Bytecode.of(new Goto(-1, true)).toBytes());
        // "r1 = bswap32 r1": ALU64 END K (0xd7) with imm 32.
        assertArrayEquals(slots(slot(0xd7, 1, 0, 0, 32)), Bytecode.of(new ByteSwap(ByteSwap.Order.SWAP, 32, 1)).toBytes());
        // "w2 = atomic_fetch_xor((u32 *)(r0 + 8), w2)": STX ATOMIC W (0xc3), imm XOR|FETCH = 0xa1.
        assertArrayEquals(slots(slot(0xc3, 0, 2, 8, 0xa1)), Bytecode.of(new Atomic(Size.W, AtomicOp.XOR, true, 0, 2, 8)).toBytes());
        // "r0 = cmpxchg_64(r1 + 0, r0, r2)": STX ATOMIC DW (0xdb), imm CMPXCHG = 0xf1.
        assertArrayEquals(slots(slot(0xdb, 1, 2, 0, 0xf1)), Bytecode.of(new Atomic(Size.DW, AtomicOp.CMPXCHG, true, 1, 2, 0)).toBytes());
        // "r1 = *(s8 *)(r2 - 1)": LDX MEMSX B = 0x91.
        assertArrayEquals(slots(slot(0x91, 1, 2, -1, 0)), Bytecode.of(new Load(Size.B, true, 1, 2, -1)).toBytes());
        // "callx r5": JMP CALL X = 0x8d, register in dst (kernel linux-notes.rst).
        assertArrayEquals(slots(slot(0x8d, 5, 0, 0, 0)), Bytecode.of(new CallReg(5)).toBytes());
        // "r0 = *(u16 *)skb[r3 + 4]": LD IND H = 0x48.
        assertArrayEquals(slots(slot(0x48, 0, 3, 0, 4)), Bytecode.of(new PacketLoad(Size.H, true, 3, 4)).toBytes());
        // 64-bit immediate: low half in the first imm, high half in the second slot's imm.
        assertArrayEquals(slots(slot(0x18, 2, 0, 0, 0x9abcdef0), slot(0, 0, 0, 0, 0x12345678)),
                Bytecode.of(LoadImm64.of(2, 0x123456789abcdef0L)).toBytes());
        // Map value reference: src 2 (BPF_PSEUDO_MAP_VALUE), fd in imm, value offset in the second imm.
        assertArrayEquals(slots(slot(0x18, 1, 2, 0, 7), slot(0, 0, 0, 0, 16)),
                Bytecode.of(new LoadImm64(1, PseudoSource.MAP_VALUE, 7, 16)).toBytes());
    }

    @Test
    void wideLoadTakesTwoSlots() {
        Bytecode code = Decoder.decode(slots(slot(0x18, 1, 0, 0, 1), slot(0, 0, 0, 0, 0), slot(0x95, 0, 0, 0, 0)));
        assertEquals(3, code.length());
        assertEquals(LoadImm64.of(1, 1), code.at(0));
        assertEquals(null, code.at(1));
        assertEquals(new Exit(), code.at(2));
        assertEquals(2, code.instructions().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown ALU op 0xe0            | 0xe7 | 0 | 0 | 0 | 0 | insn 0: unknown opcode e7
            JMP32 has no exit              | 0x96 | 0 | 0 | 0 | 0 | insn 0: unknown opcode 96
            JMP32 has no call              | 0x86 | 0 | 0 | 0 | 0 | insn 0: unknown opcode 86
            LD with MEM mode               | 0x61 | 0 | 0 | 0 | 0 | ok
            LD_ABS of 8 bytes              | 0x38 | 0 | 0 | 0 | 0 | insn 0: unknown opcode 38
            LDX MEMSX of 8 bytes           | 0x99 | 0 | 0 | 0 | 0 | insn 0: unknown opcode 99
            ST ATOMIC                      | 0xda | 0 | 0 | 0 | 0 | insn 0: unknown opcode da
            atomic of 1 byte               | 0xd3 | 0 | 0 | 0 | 0 | insn 0: unknown opcode d3
            atomic op 0x10                 | 0xdb | 1 | 2 | 0 | 16 | insn 0: BPF_ATOMIC uses invalid atomic opcode 10
            xchg without fetch             | 0xdb | 1 | 2 | 0 | 224 | insn 0: BPF_ATOMIC uses invalid atomic opcode e0
            dst register 11                | 0xb7 | 11 | 0 | 0 | 0 | insn 0: invalid register r11 in dst_reg
            src register 15                | 0xbf | 1 | 15 | 0 | 0 | insn 0: invalid register r15 in src_reg
            mov K with src set             | 0xb7 | 1 | 2 | 0 | 0 | insn 0: BPF_MOV uses reserved fields
            mov X with imm set             | 0xbf | 1 | 2 | 0 | 1 | insn 0: BPF_MOV uses reserved fields
            movsx 32 in ALU32              | 0xbc | 1 | 2 | 32 | 0 | insn 0: BPF_MOV uses reserved fields
            add with offset 1              | 0x0f | 1 | 2 | 1 | 0 | insn 0: BPF_ALU uses reserved fields
            neg with X source              | 0x8f | 1 | 0 | 0 | 0 | insn 0: BPF_NEG uses reserved fields
            end with width 8               | 0xd4 | 1 | 0 | 0 | 8 | insn 0: BPF_END uses reserved fields
            bswap with X source            | 0xdf | 1 | 0 | 0 | 16 | insn 0: BPF_END uses reserved fields
            exit with imm                  | 0x95 | 0 | 0 | 0 | 1 | insn 0: BPF_EXIT uses reserved fields
            ja with imm                    | 0x05 | 0 | 0 | 0 | 1 | insn 0: BPF_JA uses reserved fields
            call with src 3                | 0x85 | 0 | 3 | 0 | 1 | insn 0: BPF_CALL uses reserved fields
            jeq X with imm                 | 0x1d | 1 | 2 | 0 | 1 | insn 0: BPF_JMP/JMP32 uses reserved fields
            ldx with imm                   | 0x61 | 1 | 2 | 0 | 1 | insn 0: BPF_LDX uses reserved fields
            st with src                    | 0x62 | 1 | 2 | 0 | 1 | insn 0: BPF_ST uses reserved fields
            ld_abs with dst                | 0x20 | 1 | 0 | 0 | 1 | 'insn 0: BPF_LD_[ABS|IND] uses reserved fields'
            """)
    void rejectsWhatTheKernelRejects(String name, String opcode, int dst, int src, int off, int imm, String error) {
        int op = Integer.decode(opcode.strip());
        byte[] bytes = slots(slot(op, dst, src, off, imm), slot(0x95, 0, 0, 0, 0));
        if (error.equals("ok")) {
            // 0x61 is LDX|MEM|W: a valid load.
            assertEquals(new Load(Size.W, false, 0, 0, 0), Decoder.decodeUnlinked(bytes).at(0));
            return;
        }
        DecodeException e = assertThrows(DecodeException.class, () -> Decoder.decode(bytes));
        assertEquals(error, e.getMessage());
        assertEquals(0, e.index());
    }

    @Test
    void wideLoadErrors() {
        assertEquals("insn 1: truncated 64-bit immediate load: its second slot is missing",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x95, 0, 0, 0, 0), slot(0x18, 1, 0, 0, 0)))).getMessage());
        assertEquals("insn 0: invalid bpf_ld_imm64 insn: second slot must have opcode, registers and offset 0",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x18, 1, 0, 0, 0), slot(0x95, 0, 0, 0, 0)))).getMessage());
        assertEquals("insn 0: unrecognized bpf_ld_imm64 insn: pseudo source 7",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x18, 1, 7, 0, 0), slot(0, 0, 0, 0, 0)))).getMessage());
        assertEquals("insn 0: BPF_LD_IMM64 uses reserved fields",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x18, 1, 0, 4, 0), slot(0, 0, 0, 0, 0)))).getMessage());
    }

    @Test
    void truncatedProgram() {
        DecodeException e = assertThrows(DecodeException.class, () -> Decoder.decode(new byte[12]));
        assertEquals("insn 1: program length 12 is not a multiple of 8 bytes (truncated instruction)", e.getMessage());
    }

    @Test
    void jumpTargetsAreChecked() {
        long exit = slot(0x95, 0, 0, 0, 0);
        assertEquals("insn 0: jump out of range from insn 0 to 2",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x05, 0, 0, 1, 0), exit))).getMessage());
        assertEquals("insn 1: jump out of range from insn 1 to -1",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(exit, slot(0x15, 1, 0, -3, 0)))).getMessage());
        assertEquals("insn 0: jump into the middle of ldimm64 insn 1",
                assertThrows(DecodeException.class, () -> Decoder.decode(
                        slots(slot(0x05, 0, 0, 1, 0), slot(0x18, 1, 0, 0, 0), slot(0, 0, 0, 0, 0), exit))).getMessage());
        assertEquals("insn 0: call to invalid destination 9",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x85, 0, 1, 0, 8), exit))).getMessage());
        assertEquals("insn 0: jump out of range from insn 0 to 100001",
                assertThrows(DecodeException.class, () -> Decoder.decode(slots(slot(0x06, 0, 0, 0, 100000), exit))).getMessage());
        // A bpf-to-bpf call still waiting for relocation is fine when decoding one section.
        assertTrue(Decoder.decodeUnlinked(slots(slot(0x85, 0, 1, 0, -1), exit)).at(0) instanceof Call);
    }

    @Test
    void anyByteStringDecodesOrFailsCleanly() {
        java.util.Random random = new java.util.Random(9669);
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[8 * (1 + random.nextInt(4))];
            random.nextBytes(bytes);
            try {
                Bytecode code = Decoder.decode(bytes);
                assertArrayEquals(bytes, code.toBytes(), "a decoded program encodes back to its bytes");
            } catch (DecodeException expected) {
                assertTrue(expected.getMessage().startsWith("insn "), expected.getMessage());
            }
        }
    }
}
