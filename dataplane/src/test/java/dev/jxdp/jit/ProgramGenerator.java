package dev.jxdp.jit;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.JumpOp;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random programs that are safe by construction, for differential testing of the engines. Every
 * instruction class and form appears: all ALU/ALU64 operations with register and immediate operands
 * (divisors and shift distances biased to the edge cases), byte swaps, sign-extending moves and
 * loads, loads and stores of every width, every atomic operation, conditional jumps (JMP and JMP32,
 * all conditions), goto and gotol, ld_imm64 values and function references, LD_ABS/LD_IND, helper
 * calls, bpf-to-bpf calls and callx, exits.
 *
 * <p>Conventions that keep the programs in bounds: r6 holds the input memory's address (r1 at
 * entry, never written again), r7 is the counter of a bounded loop and written by nothing else,
 * r10 is the frame pointer; r0-r5, r8 and r9 are scratch. Memory accesses go to the input
 * ({@link #MEM} bytes at r6) or the current frame, at offsets in range and, for atomics, naturally
 * aligned. Addresses never become data: r1, r6 and r10 are not read as values, and a scratch
 * register that held a pointer is overwritten right after its one use, because frames lie at
 * different addresses in different runs and the engines' outcomes must be comparable. Branches go forward, except each loop's one back edge. Function i calls only functions
 * above i, so at most {@code 1 + FUNCTIONS} frames are live.
 *
 * <p>With {@code faults}, a few accesses, helper arguments and callx targets go wrong on purpose,
 * and a function may exit without writing r0 or recurse without end: the engines must then report
 * the same error at the same instruction.
 */
final class ProgramGenerator {
    static final int MEM = 64;
    static final int FUNCTIONS = 3;
    /** Helpers the generated programs call (see {@link DifferentialTest}). */
    static final int MIX = 1;
    static final int FILL = 2;
    static final int RECORD = 3;
    static final int UNKNOWN_HELPER = 99;

    private static final int[] SCRATCH = {0, 1, 2, 3, 4, 5, 8, 9};
    private static final int[] SPECIAL = {0, 1, -1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 65, 0x7fff_ffff, Integer.MIN_VALUE,
        0xffff, 0x8000, 0xff, 0x80, -2, -32768};
    private static final long[] SPECIAL64 = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffff_ffffL, 0x8000_0000L,
        1L << 32, 0x7fff_ffffL, 0xffff_ffff_0000_0000L, 0x0123_4567_89ab_cdefL};

    private final Random random;
    private final boolean faults;
    private final CodeBuilder code = new CodeBuilder();
    private final List<CodeBuilder.Label> functions = new ArrayList<>();
    private int function;
    private int loopDepth;

    private ProgramGenerator(Random random, boolean faults) {
        this.random = random;
        this.faults = faults;
    }

    /** A program of some tens to a few hundred instructions. */
    static Bytecode generate(Random random, boolean faults) {
        return new ProgramGenerator(random, faults).program();
    }

    private Bytecode program() {
        int count = 1 + random.nextInt(FUNCTIONS + 1);
        for (int i = 0; i < count; i++) {
            functions.add(new CodeBuilder.Label());
        }
        for (function = 0; function < count; function++) {
            code.bind(functions.get(function));
            if (function == 0) {
                code.add(new Alu(true, AluOp.MOV, 6, Operand.reg(1))); // r6 = the input
                code.add(new Alu(true, AluOp.MOV, 1, Operand.imm(value32()))); // and no address in r1
            }
            statements(3 + random.nextInt(function == 0 ? 25 : 12));
            if (!(faults && chance(10))) {
                code.add(new Alu(random.nextBoolean(), AluOp.MOV, 0, operand()));
            }
            code.add(new Exit());
        }
        return code.build();
    }

    private void statements(int n) {
        for (int i = 0; i < n; i++) {
            statement();
        }
    }

    private void statement() {
        int kind = random.nextInt(100);
        if (kind < 30) {
            alu();
        } else if (kind < 34) {
            code.add(new ByteSwap(ByteSwap.Order.values()[random.nextInt(3)], new int[] {16, 32, 64}[random.nextInt(3)], scratch()));
        } else if (kind < 38) {
            code.add(LoadImm64.of(scratch(), value64()));
        } else if (kind < 48) {
            load();
        } else if (kind < 56) {
            store();
        } else if (kind < 62) {
            atomic();
        } else if (kind < 72 && loopDepth < 3) {
            ifThen();
        } else if (kind < 75) {
            skipOver();
        } else if (kind < 79 && loopDepth == 0) {
            loop();
        } else if (kind < 85) {
            helper();
        } else if (kind < 90) {
            localCall();
        } else if (kind < 93) {
            packetLoad();
        } else if (kind < 95 && loopDepth < 3) {
            earlyExit();
        } else {
            alu();
        }
    }

    // ---- ALU

    private void alu() {
        AluOp op = AluOp.values()[random.nextInt(AluOp.values().length)];
        boolean alu64 = op == AluOp.MOVSX32 || random.nextBoolean();
        int dst = scratch();
        Operand src;
        if (op == AluOp.NEG) {
            src = Operand.imm(0);
        } else if (op.isMovsx()) {
            src = Operand.reg(anyReg());
        } else {
            src = operand();
        }
        code.add(new Alu(alu64, op, dst, src));
    }

    private Operand operand() {
        return random.nextInt(3) == 0 ? Operand.imm(value32()) : Operand.reg(anyReg());
    }

    private int value32() {
        return random.nextBoolean() ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextInt();
    }

    private long value64() {
        return random.nextBoolean() ? SPECIAL64[random.nextInt(SPECIAL64.length)] : random.nextLong();
    }

    private int scratch() {
        return SCRATCH[random.nextInt(SCRATCH.length)];
    }

    /** A register read as a value: any but r6 and r10 (addresses) and r1 (which helpers' pointers pass through). */
    private int anyReg() {
        return VALUES[random.nextInt(VALUES.length)];
    }

    private static final int[] VALUES = {0, 2, 3, 4, 5, 7, 8, 9};

    /** A scratch register to read as a value that is not {@code pointer} (which may hold a pointer copy). */
    private int valueOtherThan(int pointer) {
        int r;
        do {
            r = anyReg();
        } while (r == pointer || r == 7);
        return r;
    }

    /** After an access through a pointer copy in a scratch register, overwrite the copy. */
    private void forget(int[] address, int written) {
        if (address[0] != 6 && address[0] != 10 && address[0] != written) {
            code.add(new Alu(true, AluOp.MOV, address[0], Operand.imm(value32())));
        }
    }

    // ---- memory

    /** A base register and offset for a {@code bytes}-wide access; puts the base in a scratch register at times. */
    private int[] address(int bytes, boolean aligned) {
        boolean stack = random.nextBoolean();
        int offset;
        if (stack) {
            int slots = 512 / bytes;
            offset = aligned ? -bytes * (1 + random.nextInt(slots)) : -bytes - random.nextInt(512 - bytes + 1);
        } else {
            offset = aligned ? bytes * random.nextInt(MEM / bytes) : random.nextInt(MEM - bytes + 1);
        }
        if (faults && chance(4)) {
            offset += random.nextBoolean() ? 512 : -(1 + random.nextInt(16)); // outside, or crossing an end
        }
        int base = stack ? 10 : 6;
        if (chance(30)) {
            // Through a copy of the pointer, moved by a delta the offset makes up for.
            int copy = scratch();
            int delta = (aligned ? bytes : 1) * (random.nextInt(9) - 4);
            code.add(new Alu(true, AluOp.MOV, copy, Operand.reg(base)));
            code.add(new Alu(true, AluOp.ADD, copy, Operand.imm(delta)));
            return new int[] {copy, offset - delta};
        }
        return new int[] {base, offset};
    }

    private Size size() {
        return Size.values()[random.nextInt(4)];
    }

    private void load() {
        Size size = size();
        int[] a = address(size.bytes, false);
        boolean signed = size != Size.DW && random.nextInt(3) == 0;
        int dst = scratch();
        code.add(new Load(size, signed, dst, a[0], a[1]));
        forget(a, dst);
    }

    private void store() {
        Size size = size();
        int[] a = address(size.bytes, false);
        if (random.nextBoolean()) {
            code.add(new Store(size, a[0], a[1], value32()));
        } else {
            code.add(new StoreReg(size, a[0], valueOtherThan(a[0]), a[1]));
        }
        forget(a, -1);
    }

    private void atomic() {
        Size size = random.nextBoolean() ? Size.W : Size.DW;
        boolean misaligned = faults && chance(5);
        int[] a = address(size.bytes, !misaligned);
        AtomicOp op = AtomicOp.values()[random.nextInt(AtomicOp.values().length)];
        boolean fetch = op.alwaysFetches() || random.nextBoolean();
        int src = valueOtherThan(a[0]); // the operand is data, never the pointer
        code.add(new Atomic(size, op, fetch, a[0], src, a[1]));
        forget(a, -1);
    }

    // ---- control flow

    /** if (cond) skip the next statements: a forward conditional jump, JMP or JMP32. */
    private void ifThen() {
        CodeBuilder.Label end = new CodeBuilder.Label();
        JumpOp op = JumpOp.values()[random.nextInt(JumpOp.values().length)];
        boolean jmp32 = random.nextBoolean();
        int dst = anyReg();
        Operand src = operand();
        code.add(off -> new Jump(jmp32, op, dst, src, off), end, 1);
        loopDepth++;
        statements(1 + random.nextInt(5));
        loopDepth--;
        code.bind(end);
    }

    /** goto or gotol over statements that never run. */
    private void skipOver() {
        CodeBuilder.Label end = new CodeBuilder.Label();
        boolean wide = random.nextBoolean();
        code.add(off -> new Goto(off, wide), end, 1);
        code.add(new Alu(true, AluOp.MOV, scratch(), Operand.imm(value32())));
        if (chance(50)) {
            code.add(new Exit());
        }
        code.bind(end);
    }

    /** r7 = n; do { ... } while (--r7 != 0): the only backward jump. */
    private void loop() {
        CodeBuilder.Label top = new CodeBuilder.Label();
        code.add(new Alu(true, AluOp.MOV, 7, Operand.imm(1 + random.nextInt(6))));
        code.bind(top);
        loopDepth++;
        statements(1 + random.nextInt(6));
        loopDepth--;
        code.add(new Alu(random.nextBoolean(), AluOp.SUB, 7, Operand.imm(1)));
        boolean jmp32 = random.nextBoolean();
        code.add(off -> new Jump(jmp32, JumpOp.JNE, 7, Operand.imm(0), off), top, 1);
    }

    private void earlyExit() {
        CodeBuilder.Label skip = new CodeBuilder.Label();
        boolean jmp32 = random.nextBoolean();
        JumpOp op = JumpOp.values()[random.nextInt(JumpOp.values().length)];
        int dst = scratch();
        Operand src = operand();
        code.add(off -> new Jump(jmp32, op, dst, src, off), skip, 1);
        code.add(new Alu(true, AluOp.MOV, 0, operand()));
        code.add(new Exit());
        code.bind(skip);
    }

    // ---- calls

    private void helper() {
        int which = random.nextInt(10);
        if (which < 4) {
            code.add(Call.helper(MIX));
        } else if (which < 7) {
            // fill(ptr, len, value): ptr into the stack or the input
            boolean stack = random.nextBoolean();
            int len = 1 + random.nextInt(8);
            int offset = stack ? -8 - 8 * random.nextInt(8) : random.nextInt(MEM - 7);
            if (faults && chance(15)) {
                offset += stack ? 16 : MEM; // crosses an end: the helper's MemoryFault, reported at the call
            }
            code.add(new Alu(true, AluOp.MOV, 1, Operand.reg(stack ? 10 : 6)));
            code.add(new Alu(true, AluOp.ADD, 1, Operand.imm(offset)));
            code.add(new Alu(true, AluOp.MOV, 2, Operand.imm(len - 1)));
            code.add(Call.helper(FILL));
            code.add(new Alu(true, AluOp.MOV, 1, Operand.imm(value32())));
        } else if (which < 9 || !faults) {
            code.add(Call.helper(RECORD));
        } else {
            code.add(Call.helper(UNKNOWN_HELPER));
        }
    }

    private void localCall() {
        boolean recurse = faults && chance(3);
        if (!recurse && function + 1 >= functions.size()) {
            helper();
            return;
        }
        int target = recurse ? function : function + 1 + random.nextInt(functions.size() - function - 1);
        for (int r = 1; r <= 5; r++) {
            if (chance(40)) {
                code.add(new Alu(true, AluOp.MOV, r, operand()));
            }
        }
        CodeBuilder.Label callee = functions.get(target);
        if (random.nextBoolean()) {
            code.add(off -> new Call(dev.jxdp.isa.CallKind.LOCAL, off), callee, 1);
        } else {
            int reg = scratch();
            code.add(off -> new LoadImm64(reg, PseudoSource.FUNC, off, 0), callee, 2);
            if (faults && chance(10)) {
                // Not a function any more. (A forged address that lands on another instruction runs in
                // the interpreter and is refused by the JIT, by design; see Jit.)
                code.add(new Alu(true, AluOp.ADD, reg, Operand.imm(1 << 20)));
            }
            code.add(new CallReg(reg));
        }
    }

    private void packetLoad() {
        Size size = new Size[] {Size.B, Size.H, Size.W}[random.nextInt(3)];
        if (random.nextBoolean()) {
            code.add(new PacketLoad(size, false, 0, random.nextInt(MEM + 8) - 2));
        } else {
            int src = scratch();
            code.add(new Alu(true, AluOp.MOV, src, Operand.imm(random.nextInt(MEM))));
            code.add(new PacketLoad(size, true, src, random.nextInt(16) - 4));
        }
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }
}
