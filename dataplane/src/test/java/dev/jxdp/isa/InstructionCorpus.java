package dev.jxdp.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * One or more instances of every instruction form of RFC 9669 through cpu v4, with the boundary
 * values of each field: every ALU and jump operation in both widths and with both sources, every
 * access size and mode, every atomic operation, every pseudo source. Used by the encoder,
 * disassembler and assembler tests, which compare against the LLVM tools.
 */
final class InstructionCorpus {
    static final int[] IMMS = {0, 1, -1, 0x10, 0x7fffffff, Integer.MIN_VALUE, -0x6543210};
    static final int[] OFFSETS = {0, 1, -1, 0x10, -8, Short.MAX_VALUE, Short.MIN_VALUE};

    private InstructionCorpus() {}

    static List<Instruction> all() {
        List<Instruction> list = new ArrayList<>();
        for (boolean alu64 : new boolean[] {true, false}) {
            for (AluOp op : AluOp.values()) {
                if (op == AluOp.NEG) {
                    list.add(new Alu(alu64, op, 3, Operand.imm(0)));
                    continue;
                }
                if (op == AluOp.MOVSX32 && !alu64) {
                    continue;
                }
                list.add(new Alu(alu64, op, 1, Operand.reg(2)));
                list.add(new Alu(alu64, op, 10, Operand.reg(0)));
                if (!op.isMovsx()) {
                    for (int imm : IMMS) {
                        list.add(new Alu(alu64, op, 9, Operand.imm(imm)));
                    }
                }
            }
        }
        for (ByteSwap.Order order : ByteSwap.Order.values()) {
            for (int bits : new int[] {16, 32, 64}) {
                list.add(new ByteSwap(order, bits, 4));
            }
        }
        for (boolean jmp32 : new boolean[] {false, true}) {
            for (JumpOp op : JumpOp.values()) {
                list.add(new Jump(jmp32, op, 1, Operand.reg(2), 3));
                for (int i = 0; i < IMMS.length; i++) {
                    list.add(new Jump(jmp32, op, 5, Operand.imm(IMMS[i]), OFFSETS[i]));
                }
            }
        }
        for (int off : OFFSETS) {
            list.add(new Goto(off, false));
        }
        for (int imm : IMMS) {
            list.add(new Goto(imm, true));
        }
        for (int id : new int[] {0, 1, 12, 0x7fffffff, -1}) {
            list.add(Call.helper(id));
        }
        list.add(Call.local(-1));
        list.add(Call.local(7));
        list.add(new Call(CallKind.KFUNC, 0x1234));
        for (int r = 0; r <= 10; r++) {
            list.add(new CallReg(r));
        }
        list.add(new Exit());
        for (long v : new long[] {0, 1, -1, 0x123456789abcdef0L, Long.MIN_VALUE, Long.MAX_VALUE, 0xffffffffL, 0x100000000L}) {
            list.add(LoadImm64.of(2, v));
        }
        for (PseudoSource src : PseudoSource.values()) {
            if (src != PseudoSource.VALUE) {
                list.add(new LoadImm64(1, src, 5, 0));
                list.add(new LoadImm64(1, src, -3, 8));
            }
        }
        for (Size size : Size.values()) {
            for (int off : OFFSETS) {
                list.add(new Load(size, false, 6, 10, off));
                list.add(new StoreReg(size, 10, 7, off));
                list.add(new Store(size, 8, off, IMMS[Math.floorMod(off, IMMS.length)]));
                if (size != Size.DW) {
                    list.add(new Load(size, true, 0, 1, off));
                }
            }
            if (size != Size.DW) {
                for (int imm : IMMS) {
                    list.add(new PacketLoad(size, false, 0, imm));
                }
                list.add(new PacketLoad(size, true, 3, 0));
                list.add(new PacketLoad(size, true, 7, -2));
            }
        }
        for (Size size : new Size[] {Size.W, Size.DW}) {
            for (AtomicOp op : AtomicOp.values()) {
                if (!op.alwaysFetches()) {
                    list.add(new Atomic(size, op, false, 1, 2, -8));
                }
                list.add(new Atomic(size, op, true, 10, 3, 0x7fff));
            }
        }
        return List.copyOf(list);
    }
}
