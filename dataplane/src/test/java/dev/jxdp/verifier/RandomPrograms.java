package dev.jxdp.verifier;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.JumpOp;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random XDP programs for comparing jxdp's verifier with the kernel's. They are built from blocks a
 * packet program is made of (bounds-checked packet reads at fixed and variable offsets, stack spills
 * and fills, context reads, map lookups with null checks, arithmetic and comparisons on the values
 * read), each slightly wrong now and then (an offset past the checked range, a missing check, a
 * misaligned or narrow access, an uninitialised register), so that about half are accepted. Jumps go
 * forward only, so the kernel never forks many states (see programs/README.md on this kernel's
 * verifier crash). Map index 0 is an array of 4 entries with 4-byte keys and 16-byte values, map 1 a
 * ring buffer.
 */
final class RandomPrograms {
    private final Random r;
    private List<Instruction> list;
    /** tc (__sk_buff) rather than XDP (xdp_md): where data, data_end and data_meta live. */
    private boolean tc;
    private int dataOff;
    private int endOff;
    private int metaOff;
    /** Whether the program calls the subprogram placed after its exit. */
    private boolean callsSubprog;
    /** Indexes of jumps to the final exit block, patched when the program is complete. */
    private List<Integer> toExit;
    /** Registers holding a scalar the generator knows is initialised. */
    private List<Integer> scalars;

    RandomPrograms(long seed) {
        this.r = new Random(seed);
    }

    private boolean rarely() {
        return r.nextInt(12) == 0;
    }

    private int scratch() {
        return 5 + r.nextInt(5); // r5..r9 (r6 is the context: never picked below)
    }

    private int freeReg() {
        int[] free = {0, 4, 5, 7, 8, 9};
        return free[r.nextInt(free.length)];
    }

    private int scalar() {
        if (scalars.isEmpty() || rarely()) {
            return r.nextInt(10);
        }
        return scalars.get(r.nextInt(scalars.size()));
    }

    private void defineScalar(int reg) {
        scalars.remove(Integer.valueOf(reg));
        if (reg != 2 && reg != 3 && reg != 6) {
            scalars.add(reg);
        }
    }

    private void add(Instruction i) {
        list.add(i);
    }

    private void jumpToExit(boolean jmp32, JumpOp op, int dst, Operand src) {
        toExit.add(list.size());
        add(new Jump(jmp32, op, dst, src, 0));
    }

    private static final Size[] SIZES = {Size.B, Size.H, Size.W, Size.DW};

    private Size size() {
        return SIZES[r.nextInt(4)];
    }

    /** data + n compared with data_end in one of the eight forms; falls through when in bounds. */
    private void checkPacket(int base, int n) {
        int p = r.nextBoolean() ? 4 : 5;
        add(new Alu(true, AluOp.MOV, p, Operand.reg(base)));
        add(new Alu(true, AluOp.ADD, p, Operand.imm(n)));
        boolean jmp32 = rarely();
        switch (r.nextInt(4)) {
            case 0 -> jumpToExit(jmp32, JumpOp.JGT, p, Operand.reg(3));
            case 1 -> jumpToExit(jmp32, JumpOp.JLT, 3, Operand.reg(p));
            case 2 -> jumpToExit(jmp32, JumpOp.JGE, p, Operand.reg(3));
            default -> jumpToExit(jmp32, JumpOp.JLE, 3, Operand.reg(p));
        }
        if (rarely()) {
            list.removeLast(); // no check at all
            toExit.removeLast();
        }
    }

    private void packetRead() {
        int n = 1 + r.nextInt(40);
        checkPacket(2, n);
        Size s = size();
        int off = rarely() ? n : r.nextInt(Math.max(1, n - s.bytes + 1));
        int dst = freeReg();
        add(new Load(s, false, dst, 2, off));
        defineScalar(dst);
    }

    private void variablePacketRead() {
        int idx = scratch() == 6 ? 7 : scratch();
        int n = 1 + r.nextInt(30);
        checkPacket(2, n);
        add(new Load(Size.B, false, idx, 2, 0));
        if (!rarely()) {
            add(new Alu(true, AluOp.AND, idx, Operand.imm(r.nextBoolean() ? 0x0f : 0x3f)));
        }
        int p = 8;
        add(new Alu(true, AluOp.MOV, p, Operand.reg(2)));
        add(new Alu(true, AluOp.ADD, p, Operand.reg(idx)));
        Size s = size();
        checkPacket(p, s.bytes + (rarely() ? -1 : 0));
        add(new Load(s, false, 9, p, 0));
        defineScalar(9);
        scalars.remove(Integer.valueOf(8));
    }

    private void stackSpillFill() {
        int off = -8 * (1 + r.nextInt(6));
        if (rarely()) {
            off += 1 + r.nextInt(7);
        }
        if (r.nextBoolean()) {
            add(new StoreReg(Size.DW, 10, r.nextInt(3) == 0 ? 2 : scalar(), off));
        } else {
            add(new Store(size(), 10, off, r.nextInt(100)));
        }
        int dst = freeReg();
        add(new Load(r.nextInt(4) == 0 ? size() : Size.DW, false, dst, 10, off));
        defineScalar(dst);
    }

    private void ctxRead() {
        int dst = freeReg();
        int off;
        Size s;
        if (tc) {
            // whole and narrow reads of len, protocol, mark, cb[]; sometimes something odd
            off = rarely() ? r.nextInt(192) : new int[] {0, 8, 16, 48, 52, 36, 68}[r.nextInt(7)] + (r.nextBoolean() ? 0 : r.nextInt(4));
            s = r.nextInt(3) == 0 ? Size.W : size();
        } else {
            off = rarely() ? r.nextInt(28) : 4 * (3 + r.nextInt(2));
            s = rarely() ? size() : Size.W;
        }
        add(new Load(s, false, dst, 6, off));
        defineScalar(dst);
    }

    private void ctxWrite() {
        int off = tc ? new int[] {8, 32, 48, 56, 44, 72, 76, 0}[r.nextInt(8)] : 4 * r.nextInt(6);
        if (r.nextBoolean()) {
            add(new StoreReg(rarely() ? size() : Size.W, 6, scalar(), off));
        } else {
            add(new Store(rarely() ? size() : Size.W, 6, off, r.nextInt(100)));
        }
    }

    private void metaRead() {
        add(new Load(Size.W, false, 7, 6, metaOff));
        add(new Alu(true, AluOp.MOV, 8, Operand.reg(7)));
        add(new Alu(true, AluOp.ADD, 8, Operand.imm(4)));
        jumpToExit(false, r.nextBoolean() ? JumpOp.JGT : JumpOp.JGE, 8, Operand.reg(2));
        add(new Load(Size.W, false, 9, 7, rarely() ? 4 : 0));
        defineScalar(9);
        scalars.remove(Integer.valueOf(7));
        scalars.remove(Integer.valueOf(8));
    }

    private void atomic() {
        int off = -8 * (1 + r.nextInt(3));
        add(new Store(Size.DW, 10, off, 0));
        int src = scalar();
        dev.jxdp.isa.AtomicOp[] ops = dev.jxdp.isa.AtomicOp.values();
        dev.jxdp.isa.AtomicOp op = ops[r.nextInt(ops.length)];
        if (op == dev.jxdp.isa.AtomicOp.CMPXCHG) {
            add(new Alu(true, AluOp.MOV, 0, Operand.imm(0)));
        }
        Size sz = r.nextBoolean() ? Size.DW : Size.W;
        add(new dev.jxdp.isa.Atomic(sz, op, op.alwaysFetches() || r.nextBoolean(), 10, src == 10 ? 7 : src, off + (rarely() ? 4 : 0)));
        defineScalar(src == 10 ? 7 : src);
        defineScalar(0);
    }

    private void loadBytesHelper() {
        // bpf_xdp_load_bytes / bpf_skb_load_bytes(ctx, off, stack buffer, len)
        int len = rarely() ? 0 : 1 + r.nextInt(16);
        add(new Alu(true, AluOp.MOV, 1, Operand.reg(6)));
        add(new Alu(true, AluOp.MOV, 2, Operand.imm(r.nextInt(20))));
        add(new Alu(true, AluOp.MOV, 3, Operand.reg(10)));
        add(new Alu(true, AluOp.ADD, 3, Operand.imm(-16 - (rarely() ? 8 : 0))));
        add(new Alu(true, AluOp.MOV, 4, Operand.imm(len)));
        add(Call.helper(tc ? 26 : 189));
        add(new Load(Size.DW, false, 7, 10, -16));
        defineScalar(7);
        reloadPacket();
    }

    private void reloadPacket() {
        add(new Load(Size.W, false, 2, 6, dataOff));
        add(new Load(Size.W, false, 3, 6, endOff));
        scalars.removeIf(x -> x <= 5);
    }

    private void ringbuf() {
        add(new LoadImm64(1, PseudoSource.MAP_FD, 1, 0));
        add(new Alu(true, AluOp.MOV, 2, Operand.imm(rarely() ? 0 : 8 + 8 * r.nextInt(3))));
        add(new Alu(true, AluOp.MOV, 3, Operand.imm(0)));
        add(Call.helper(131));
        if (rarely()) {
            reloadPacket();
            return; // leaked
        }
        int skip = list.size();
        add(new Jump(false, JumpOp.JEQ, 0, Operand.imm(0), 0));
        add(new StoreReg(rarely() ? Size.DW : Size.W, 0, scalar(), rarely() ? 8 : 0));
        add(new Alu(true, AluOp.MOV, 1, Operand.reg(0)));
        add(new Alu(true, AluOp.MOV, 2, Operand.imm(0)));
        add(Call.helper(r.nextBoolean() ? 132 : 133));
        // the jump over the write and the submit lands here
        list.set(skip, new Jump(false, JumpOp.JEQ, 0, Operand.imm(0), list.size() - skip - 1));
        reloadPacket();
    }

    private void smallLoop() {
        int n = 1 + r.nextInt(6);
        int counter = 9;
        add(new Alu(true, AluOp.MOV, counter, Operand.imm(0)));
        int head = list.size();
        add(new Alu(true, AluOp.ADD, 7, Operand.reg(counter)));
        add(new Alu(true, AluOp.ADD, counter, Operand.imm(1)));
        add(new Jump(r.nextBoolean(), JumpOp.JLT, counter, Operand.imm(n), head - list.size() - 1));
        defineScalar(7);
        defineScalar(counter);
    }

    private void subprogCall() {
        add(new Alu(true, AluOp.MOV, 1, Operand.reg(scalar())));
        subprogCalls.add(list.size());
        add(Call.local(0));
        callsSubprog = true;
        add(new Alu(true, AluOp.MOV, 7, Operand.reg(0)));
        add(new Alu(true, AluOp.MOV, 8, Operand.reg(2)));
        add(new Alu(true, AluOp.ADD, 8, Operand.reg(7)));
        checkPacket(8, 1);
        add(new Load(Size.B, false, 9, 8, 0));
        defineScalar(9);
        reloadPacket();
    }

    private final List<Integer> subprogCalls = new ArrayList<>();

    private void alu32AndJmp32() {
        int a = scalar();
        add(new Alu(false, new AluOp[] {AluOp.ADD, AluOp.AND, AluOp.LSH, AluOp.RSH, AluOp.XOR, AluOp.MOV}[r.nextInt(6)], a,
                Operand.imm(r.nextInt(32))));
        defineScalar(a);
        if (r.nextBoolean()) {
            jumpToExit(true, JumpOp.values()[r.nextInt(JumpOp.values().length)], a, Operand.imm(r.nextInt(64)));
        }
    }

    private void signExtend() {
        int a = scalar();
        int d = freeReg();
        add(new Alu(true, new AluOp[] {AluOp.MOVSX8, AluOp.MOVSX16, AluOp.MOVSX32}[r.nextInt(3)], d, Operand.reg(a)));
        defineScalar(d);
    }

    private void mapLookup() {
        add(new Store(Size.W, 10, -4, rarely() ? 9 : r.nextInt(4)));
        add(new Alu(true, AluOp.MOV, 2, Operand.reg(10)));
        add(new Alu(true, AluOp.ADD, 2, Operand.imm(rarely() ? -2 : -4)));
        add(new LoadImm64(1, PseudoSource.MAP_FD, 0, 0));
        add(Call.helper(1));
        if (!rarely()) {
            jumpToExit(false, JumpOp.JEQ, 0, Operand.imm(0));
        }
        Size s = size();
        int off = rarely() ? 16 - s.bytes + 1 + r.nextInt(4) : r.nextInt(17 - s.bytes);
        if (r.nextBoolean()) {
            add(new Load(s, false, 7, 0, off));
            defineScalar(7);
        } else {
            add(new StoreReg(s, 0, scalar(), off));
        }
        // the call clobbered r1-r5: reload what the other blocks rely on
        add(new Load(Size.W, false, 2, 6, 0));
        add(new Load(Size.W, false, 3, 6, 4));
        scalars.removeIf(x -> x <= 5);
    }

    private void arithmetic() {
        AluOp[] ops = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.AND, AluOp.OR, AluOp.XOR, AluOp.LSH, AluOp.RSH, AluOp.ARSH,
                AluOp.DIV, AluOp.MOD, AluOp.MOV};
        AluOp op = ops[r.nextInt(ops.length)];
        int dst = op == AluOp.MOV ? freeReg() : scalar();
        boolean k = r.nextBoolean();
        int imm = switch (op) {
            case LSH, RSH, ARSH -> r.nextInt(32);
            case DIV, MOD -> 1 + r.nextInt(100);
            default -> r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(256) - 64;
        };
        add(new Alu(r.nextInt(4) != 0, op, dst, k ? Operand.imm(imm) : Operand.reg(scalar())));
        defineScalar(dst);
    }

    private void compare() {
        JumpOp op = JumpOp.values()[r.nextInt(JumpOp.values().length)];
        jumpToExit(r.nextInt(3) == 0, op, scalar(), r.nextBoolean() ? Operand.imm(r.nextInt(300)) : Operand.reg(scalar()));
    }

    /** A packet pointer advanced by a bounded scalar, then checked and read. */
    private void advance() {
        int idx = scalar();
        add(new Alu(true, AluOp.AND, idx, Operand.imm(0xff)));
        add(new Alu(true, AluOp.ADD, 2, Operand.reg(idx)));
        defineScalar(idx);
    }

    /** An XDP program of about {@code blocks} blocks. */
    Bytecode next(int blocks) {
        return next(blocks, false);
    }

    /** One program of about {@code blocks} blocks; ends with r0 = 2 (XDP_PASS, TC_ACT_SHOT) and exit. */
    Bytecode next(int blocks, boolean tc) {
        this.tc = tc;
        dataOff = tc ? 76 : 0;
        endOff = tc ? 80 : 4;
        metaOff = tc ? 140 : 8;
        callsSubprog = false;
        subprogCalls.clear();
        list = new ArrayList<>();
        toExit = new ArrayList<>();
        scalars = new ArrayList<>();
        add(new Alu(true, AluOp.MOV, 6, Operand.reg(1)));
        add(new Load(Size.W, false, 2, 1, dataOff));
        add(new Load(Size.W, false, 3, 1, endOff));
        add(new Alu(true, AluOp.MOV, 0, Operand.imm(1)));
        for (int i = 0; i < blocks; i++) {
            switch (r.nextInt(18)) {
                case 0, 1 -> packetRead();
                case 2 -> variablePacketRead();
                case 3 -> stackSpillFill();
                case 4 -> ctxRead();
                case 5 -> mapLookup();
                case 6 -> compare();
                case 7 -> advance();
                case 8 -> metaRead();
                case 9 -> atomic();
                case 10 -> loadBytesHelper();
                case 11 -> ringbuf();
                case 12 -> smallLoop();
                case 13 -> subprogCall();
                case 14 -> alu32AndJmp32();
                case 15 -> signExtend();
                case 16 -> ctxWrite();
                default -> arithmetic();
            }
        }
        int exitAt = list.size();
        if (!rarely()) {
            add(new Alu(true, AluOp.MOV, 0, Operand.imm(2)));
        }
        add(new Exit());
        int subprogAt = list.size();
        if (callsSubprog) {
            // the subprogram: a bounded index from its argument
            add(new Alu(true, AluOp.MOV, 0, Operand.reg(1)));
            add(new Alu(true, AluOp.AND, 0, Operand.imm(rarely() ? 0xffff : 15)));
            add(new Exit());
        }
        int[] slotOf = new int[list.size() + 1];
        int slot = 0;
        for (int i = 0; i < list.size(); i++) {
            slotOf[i] = slot;
            slot += list.get(i).slots();
        }
        for (int i : toExit) {
            Jump j = (Jump) list.get(i);
            list.set(i, new Jump(j.jmp32(), j.op(), j.dst(), j.src(), slotOf[exitAt] - slotOf[i] - 1));
        }
        for (int i : subprogCalls) {
            list.set(i, Call.local(slotOf[subprogAt] - slotOf[i] - 1));
        }
        // the ring buffer blocks' jumps count instructions; as slots they skip no ld_imm64, so they stand
        return Bytecode.of(list);
    }
}
