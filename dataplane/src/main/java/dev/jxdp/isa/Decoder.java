package dev.jxdp.isa;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw little-endian 8-byte slots to {@link Instruction}s. Any byte string either decodes or fails with
 * a {@link DecodeException} naming the instruction index. Reserved fields must be zero, as the
 * kernel's verifier requires, and the errors use its wording ("unknown opcode 8e", "BPF_ALU uses
 * reserved fields").
 */
public final class Decoder {
    private Decoder() {}

    /** Decodes a whole program and checks that every jump lands inside it. */
    public static Bytecode decode(byte[] bytes) {
        return decodeUnlinked(bytes).checkTargets();
    }

    /**
     * Decodes without checking jump and call targets: the code of one ELF section, whose calls to
     * other sections still wait for relocation, is valid here.
     */
    public static Bytecode decodeUnlinked(byte[] bytes) {
        if (bytes.length % 8 != 0) {
            throw new DecodeException(bytes.length / 8,
                    "program length " + bytes.length + " is not a multiple of 8 bytes (truncated instruction)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = bytes.length / 8;
        var list = new java.util.ArrayList<Instruction>(n);
        for (int pc = 0; pc < n; ) {
            long raw = in.getLong(pc * 8);
            if ((raw & 0xff) == LoadImm64.OPCODE) {
                if (pc + 1 >= n) {
                    throw new DecodeException(pc, "truncated 64-bit immediate load: its second slot is missing");
                }
                list.add(decodeWide(raw, in.getLong(pc * 8 + 8), pc));
                pc += 2;
            } else {
                list.add(decodeSingle(raw, pc));
                pc += 1;
            }
        }
        return Bytecode.of(list);
    }

    /** Decodes one two-slot LD_IMM64 from its two raw slots. */
    public static LoadImm64 decodeWide(long raw, long second, int index) {
        int opcode = (int) (raw & 0xff);
        if (opcode != LoadImm64.OPCODE) {
            throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
        }
        int dst = dst(raw, index);
        if (off(raw) != 0) {
            throw new DecodeException(index, "BPF_LD_IMM64 uses reserved fields");
        }
        if ((second & 0xffffffffL) != 0) {
            throw new DecodeException(index, "invalid bpf_ld_imm64 insn: second slot must have opcode, registers and offset 0");
        }
        PseudoSource source = PseudoSource.of(srcField(raw));
        if (source == null) {
            throw new DecodeException(index, "unrecognized bpf_ld_imm64 insn: pseudo source " + srcField(raw));
        }
        return new LoadImm64(dst, source, imm(raw), imm(second));
    }

    /** Decodes one single-slot instruction; an LD_IMM64 opcode here is an error (it needs two slots). */
    public static Instruction decodeSingle(long raw, int index) {
        int opcode = (int) (raw & 0xff);
        return switch (OpClass.of(opcode)) {
            case OpClass.ALU, OpClass.ALU64 -> alu(raw, opcode, index);
            case OpClass.JMP, OpClass.JMP32 -> jump(raw, opcode, index);
            case OpClass.LD -> ld(raw, opcode, index);
            case OpClass.LDX -> ldx(raw, opcode, index);
            case OpClass.ST -> st(raw, opcode, index);
            default -> stx(raw, opcode, index);
        };
    }

    private static Instruction alu(long raw, int opcode, int index) {
        boolean alu64 = OpClass.of(opcode) == OpClass.ALU64;
        boolean x = (opcode & OpClass.SRC_X) != 0;
        int code = opcode & 0xf0;
        int dst = dst(raw, index);
        int src = src(raw, index);
        int off = off(raw);
        int imm = imm(raw);
        if (code == OpClass.END) {
            if (src != 0 || off != 0 || (imm != 16 && imm != 32 && imm != 64) || (alu64 && x)) {
                throw reserved(index, "BPF_END");
            }
            ByteSwap.Order order = alu64 ? ByteSwap.Order.SWAP : x ? ByteSwap.Order.TO_BE : ByteSwap.Order.TO_LE;
            return new ByteSwap(order, imm, dst);
        }
        if (code == AluOp.NEG.code) {
            if (x || src != 0 || off != 0 || imm != 0) {
                throw reserved(index, "BPF_NEG");
            }
            return new Alu(alu64, AluOp.NEG, dst, Operand.imm(0));
        }
        if (code == AluOp.MOV.code) {
            if (x) {
                boolean okOff = off == 0 || off == 8 || off == 16 || (alu64 && off == 32);
                if (!okOff || imm != 0) {
                    throw reserved(index, "BPF_MOV");
                }
            } else if (src != 0 || off != 0) {
                throw reserved(index, "BPF_MOV");
            }
            return new Alu(alu64, AluOp.of(code, off), dst, x ? Operand.reg(src) : Operand.imm(imm));
        }
        AluOp op = AluOp.of(code, 0);
        if (op == null) {
            throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
        }
        boolean signedForm = off == 1 && (op == AluOp.DIV || op == AluOp.MOD);
        if ((off != 0 && !signedForm) || (x ? imm != 0 : src != 0)) {
            throw reserved(index, "BPF_ALU");
        }
        if (signedForm) {
            op = AluOp.of(code, 1);
        }
        return new Alu(alu64, op, dst, x ? Operand.reg(src) : Operand.imm(imm));
    }

    private static Instruction jump(long raw, int opcode, int index) {
        boolean jmp32 = OpClass.of(opcode) == OpClass.JMP32;
        boolean x = (opcode & OpClass.SRC_X) != 0;
        int code = opcode & 0xf0;
        int dst = dst(raw, index);
        int src = src(raw, index);
        int off = off(raw);
        int imm = imm(raw);
        switch (code) {
            case OpClass.JA -> {
                if (x || src != 0 || dst != 0 || (jmp32 ? off != 0 : imm != 0)) {
                    throw reserved(index, "BPF_JA");
                }
                return jmp32 ? new Goto(imm, true) : new Goto(off, false);
            }
            case OpClass.CALL -> {
                if (jmp32) {
                    throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
                }
                if (x) {
                    if (src != 0 || off != 0 || imm != 0) {
                        throw reserved(index, "BPF_CALL");
                    }
                    return new CallReg(dst);
                }
                CallKind kind = CallKind.of(src);
                if (kind == null || dst != 0 || off != 0) {
                    throw reserved(index, "BPF_CALL");
                }
                return new Call(kind, imm);
            }
            case OpClass.EXIT -> {
                if (jmp32) {
                    throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
                }
                if (x || src != 0 || dst != 0 || off != 0 || imm != 0) {
                    throw reserved(index, "BPF_EXIT");
                }
                return new Exit();
            }
            default -> {
                JumpOp op = JumpOp.of(code);
                if (op == null) {
                    throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
                }
                if (x ? imm != 0 : src != 0) {
                    throw reserved(index, "BPF_JMP/JMP32");
                }
                return new Jump(jmp32, op, dst, x ? Operand.reg(src) : Operand.imm(imm), off);
            }
        }
    }

    private static Instruction ld(long raw, int opcode, int index) {
        int mode = opcode & 0xe0;
        Size size = Size.fromCode(opcode);
        if (opcode == LoadImm64.OPCODE) {
            throw new DecodeException(index, "truncated 64-bit immediate load: its second slot is missing");
        }
        if ((mode != OpClass.MODE_ABS && mode != OpClass.MODE_IND) || size == Size.DW) {
            throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
        }
        int dst = dst(raw, index);
        int src = src(raw, index);
        boolean indirect = mode == OpClass.MODE_IND;
        if (dst != 0 || off(raw) != 0 || (!indirect && src != 0)) {
            throw reserved(index, "BPF_LD_[ABS|IND]");
        }
        return new PacketLoad(size, indirect, src, imm(raw));
    }

    private static Instruction ldx(long raw, int opcode, int index) {
        int mode = opcode & 0xe0;
        Size size = Size.fromCode(opcode);
        boolean signed = mode == OpClass.MODE_MEMSX;
        if ((mode != OpClass.MODE_MEM && !signed) || (signed && size == Size.DW)) {
            throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
        }
        int dst = dst(raw, index);
        int src = src(raw, index);
        if (imm(raw) != 0) {
            throw reserved(index, "BPF_LDX");
        }
        return new Load(size, signed, dst, src, off(raw));
    }

    private static Instruction st(long raw, int opcode, int index) {
        if ((opcode & 0xe0) != OpClass.MODE_MEM) {
            throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
        }
        int dst = dst(raw, index);
        if (src(raw, index) != 0) {
            throw reserved(index, "BPF_ST");
        }
        return new Store(Size.fromCode(opcode), dst, off(raw), imm(raw));
    }

    private static Instruction stx(long raw, int opcode, int index) {
        int mode = opcode & 0xe0;
        Size size = Size.fromCode(opcode);
        int dst = dst(raw, index);
        int src = src(raw, index);
        int imm = imm(raw);
        if (mode == OpClass.MODE_MEM) {
            if (imm != 0) {
                throw reserved(index, "BPF_STX");
            }
            return new StoreReg(size, dst, src, off(raw));
        }
        if (mode != OpClass.MODE_ATOMIC || (size != Size.W && size != Size.DW)) {
            throw new DecodeException(index, String.format("unknown opcode %02x", opcode));
        }
        AtomicOp op = AtomicOp.of(imm & ~AtomicOp.FETCH);
        boolean fetch = (imm & AtomicOp.FETCH) != 0;
        if (op == null || (op.alwaysFetches() && !fetch)) {
            throw new DecodeException(index, String.format("BPF_ATOMIC uses invalid atomic opcode %02x", imm));
        }
        return new Atomic(size, op, fetch, dst, src, off(raw));
    }

    private static DecodeException reserved(int index, String what) {
        return new DecodeException(index, what + " uses reserved fields");
    }

    private static int dst(long raw, int index) {
        int r = (int) (raw >>> 8) & 0x0f;
        if (r >= Registers.COUNT) {
            throw new DecodeException(index, "invalid register r" + r + " in dst_reg");
        }
        return r;
    }

    private static int src(long raw, int index) {
        int r = srcField(raw);
        if (r >= Registers.COUNT) {
            throw new DecodeException(index, "invalid register r" + r + " in src_reg");
        }
        return r;
    }

    private static int srcField(long raw) {
        return (int) (raw >>> 12) & 0x0f;
    }

    private static int off(long raw) {
        return (short) (raw >>> 16);
    }

    private static int imm(long raw) {
        return (int) (raw >>> 32);
    }
}
