package dev.jxdp.exec;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.isa.Registers;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** One run of a program in the {@link Interpreter}: the machine state and the fetch-execute loop. */
final class Run implements HelperContext {
    /** Returned by {@link #step} when the program has ended; the result is in r0. */
    private static final int DONE = -1;

    private final Bytecode code;
    private final Helpers helpers;
    private final Invocation invocation;
    private final long[] regs = new long[Registers.COUNT];
    private MemoryMap memory;
    private CallStack stack;
    /** Whether the current function has written r0 (see {@link Interpreter}). */
    private boolean r0Written;
    private int pc;
    /** Instructions the run may still execute. */
    private long left;
    /** The frame depth whose exit ends the current {@link #loop}: 1 for the program, more for a callback. */
    private int baseDepth = 1;

    Run(Bytecode code, Helpers helpers, Invocation invocation) {
        this.code = code;
        this.helpers = helpers;
        this.invocation = invocation;
    }

    long execute() {
        try (Arena arena = Arena.ofConfined()) {
            memory = invocation.memory().copy();
            stack = new CallStack(arena, memory);
            for (int r = 1; r <= 5; r++) {
                regs[r] = invocation.arg(r);
            }
            regs[Registers.FP] = stack.framePointer();
            left = invocation.budget();
            return loop();
        }
    }

    /** Runs until the function at {@link #baseDepth} exits; returns its r0. */
    private long loop() {
        int previous = -1;
        while (true) {
            if (pc < 0 || pc >= code.length() || code.at(pc) == null) {
                throw leftProgram(previous);
            }
            Instruction insn = code.at(pc);
            if (left-- == 0) {
                throw ExecutionException.at(pc, insn, "instruction budget of " + invocation.budget()
                        + " exhausted (runaway program?)");
            }
            previous = pc;
            int next = step(insn);
            if (next == DONE) {
                return regs[Registers.R0];
            }
            pc = next;
        }
    }

    /** Executes the instruction at {@link #pc}; returns the next slot, or {@link #DONE}. */
    private int step(Instruction insn) {
        switch (insn) {
            case Alu a -> {
                long src = operand(a.src());
                long dst = regs[a.dst()];
                set(a.dst(), a.alu64() ? Arithmetic.alu64(a.op(), dst, src) : Arithmetic.alu32(a.op(), dst, src));
            }
            case ByteSwap b -> set(b.dst(), Arithmetic.byteSwap(b.order(), b.bits(), regs[b.dst()]));
            case Jump j -> {
                if (Conditions.taken(j.op(), j.jmp32(), regs[j.dst()], operand(j.src()))) {
                    return pc + 1 + j.offset();
                }
            }
            case Goto g -> {
                return pc + 1 + g.offset();
            }
            case Call c -> {
                return call(c);
            }
            case CallReg c -> {
                return callIndirect(c);
            }
            case Exit e -> {
                return exit(e);
            }
            case LoadImm64 l -> set(l.dst(), immediate(l));
            case Load l -> {
                long v = load(l, l.src(), l.offset(), l.size());
                set(l.dst(), l.signed() ? signExtend(v, l.size()) : v);
            }
            // ST's imm is sign-extended to 64 bits, then truncated to the access size.
            case Store s -> store(s, s.dst(), s.offset(), s.size(), s.imm());
            case StoreReg s -> store(s, s.dst(), s.offset(), s.size(), regs[s.src()]);
            case Atomic a -> atomic(a);
            case PacketLoad p -> {
                return packetLoad(p);
            }
        }
        return pc + insn.slots();
    }

    private long operand(Operand op) {
        return switch (op) {
            case Operand.Reg(int r) -> regs[r];
            // Sign-extended to 64 bits; 32-bit operations use only the low half.
            case Operand.Imm(int v) -> v;
        };
    }

    private void set(int reg, long value) {
        regs[reg] = value;
        if (reg == Registers.R0) {
            r0Written = true;
        }
    }

    private long immediate(LoadImm64 l) {
        return switch (l.source()) {
            case VALUE -> l.value();
            // StaticCheck made sure that the target is an instruction of this program.
            case FUNC -> FunctionAddress.of(pc + 1 + l.imm());
            default -> throw ExecutionException.at(pc, l, "map/func references need a loader");
        };
    }

    private int call(Call c) {
        if (c.kind() == CallKind.LOCAL) {
            return enter(c, pc + 1 + c.imm());
        }
        if (c.kind() == CallKind.KFUNC) {
            throw ExecutionException.at(pc, c, "kfunc calls need a loader to resolve them");
        }
        if (c.imm() == Helpers.TAIL_CALL && helpers.tailCalls() != null) {
            return tailCall(c);
        }
        Helpers.Entry h = helpers.find(c.imm());
        if (h == null) {
            throw ExecutionException.at(pc, c, Helpers.missing(c.imm()));
        }
        long r0;
        try {
            r0 = h.helper().call(this, regs[1], regs[2], regs[3], regs[4], regs[5]);
        } catch (MemoryFault f) {
            throw ExecutionException.at(pc, c, "helper " + h.name() + " (id " + h.id() + "): " + f.getMessage());
        }
        set(Registers.R0, r0);
        return pc + 1;
    }

    /**
     * bpf_tail_call: on success the callee's r0 is this function's result, as if it had exited (the
     * callee replaced it); on failure r0 is unwritten again, as the kernel's verifier sees it.
     */
    private int tailCall(Call c) {
        Executable target;
        try {
            target = helpers.tailCalls().target(this, regs[2], regs[3]);
        } catch (MemoryFault f) {
            throw ExecutionException.at(pc, c, "bpf_tail_call (helper " + Helpers.TAIL_CALL + "): " + f.getMessage());
        }
        if (target == null) {
            regs[Registers.R0] = 0;
            r0Written = false;
            return pc + 1;
        }
        set(Registers.R0, target.run(invocation.tailCall(regs[1], left)));
        return leave();
    }

    private int callIndirect(CallReg c) {
        long target = regs[c.reg()];
        int slot = FunctionAddress.slotOf(target);
        if (slot < 0 || slot >= code.length() || code.at(slot) == null) {
            throw ExecutionException.at(pc, c, "r" + c.reg() + " = 0x" + Long.toHexString(target)
                    + " is not a function address");
        }
        return enter(c, slot);
    }

    private int enter(Instruction insn, int target) {
        if (!stack.push(pc + 1, regs)) {
            throw ExecutionException.at(pc, insn, "call stack of " + (CallStack.MAX_FRAMES + 1)
                    + " frames is too deep (at most " + CallStack.MAX_FRAMES + ")");
        }
        r0Written = false;
        return target;
    }

    private int exit(Exit e) {
        if (!r0Written) {
            throw ExecutionException.at(pc, e, "exit with r0 never written in this function (R0 !read_ok)");
        }
        return leave();
    }

    /** Returns from the current function: to its caller, or out of the {@link #loop} at its base. */
    private int leave() {
        if (stack.depth() == baseDepth) {
            return DONE;
        }
        return stack.pop(regs);
    }

    @Override
    public long callFunction(long function, long a1, long a2, long a3, long a4, long a5) {
        int slot = FunctionAddress.slotOf(function);
        if (slot < 0 || slot >= code.length() || code.at(slot) == null) {
            throw new MemoryFault("callback 0x" + Long.toHexString(function) + " is not a function address");
        }
        long[] saved = regs.clone();
        boolean savedWritten = r0Written;
        int savedPc = pc;
        int savedBase = baseDepth;
        if (!stack.push(pc + 1, regs)) {
            throw ExecutionException.at(pc, code.at(pc), "call stack of " + (CallStack.MAX_FRAMES + 1)
                    + " frames is too deep (at most " + CallStack.MAX_FRAMES + ")");
        }
        baseDepth = stack.depth();
        try {
            java.util.Arrays.fill(regs, 0, 10, 0L);
            regs[1] = a1;
            regs[2] = a2;
            regs[3] = a3;
            regs[4] = a4;
            regs[5] = a5;
            r0Written = false;
            pc = slot;
            long r0 = loop();
            stack.pop(regs);
            return r0;
        } finally {
            baseDepth = savedBase;
            System.arraycopy(saved, 0, regs, 0, regs.length);
            r0Written = savedWritten;
            pc = savedPc;
        }
    }

    private long load(Instruction insn, int base, int offset, Size size) {
        long address = regs[base] + offset;
        try {
            return memory.load(address, size.bytes);
        } catch (MemoryFault f) {
            throw accessError(insn, "read", base, offset, size, address, f);
        }
    }

    private void store(Instruction insn, int base, int offset, Size size, long value) {
        long address = regs[base] + offset;
        try {
            memory.store(address, size.bytes, value);
        } catch (MemoryFault f) {
            throw accessError(insn, "write", base, offset, size, address, f);
        }
    }

    private void atomic(Atomic a) {
        long address = regs[a.dst()] + a.offset();
        long old;
        try {
            old = Atomics.apply(memory, a.size(), a.op(), address, regs[a.src()], regs[Registers.R0]);
        } catch (MemoryFault f) {
            throw accessError(a, "atomic", a.dst(), a.offset(), a.size(), address, f);
        }
        if (a.op() == AtomicOp.CMPXCHG) {
            set(Registers.R0, old);
        } else if (a.fetch()) {
            set(a.src(), old);
        }
    }

    private int packetLoad(PacketLoad p) {
        MemorySegment packet = invocation.packet();
        if (packet == null) {
            throw ExecutionException.at(pc, p, "LD_ABS/LD_IND need a packet, and this run has none");
        }
        // As the kernel's rewrite does: a 64-bit add, then the helper takes it as a 32-bit int.
        int offset = p.indirect() ? (int) (regs[p.src()] + p.imm()) : p.imm();
        int bytes = p.size().bytes;
        if (offset < 0 || offset > packet.byteSize() - bytes) {
            regs[Registers.R0] = 0;
            return DONE;
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = v << 8 | MemoryMap.read(packet, offset + i, 1);
        }
        set(Registers.R0, v);
        return pc + 1;
    }

    private static long signExtend(long v, Size size) {
        return switch (size) {
            case B -> (byte) v;
            case H -> (short) v;
            case W -> (int) v;
            case DW -> v;
        };
    }

    private ExecutionException accessError(Instruction insn, String kind, int base, int offset, Size size,
            long address, MemoryFault f) {
        String at = "r" + base + (offset < 0 ? "-0x" + Integer.toHexString(-offset) : "+0x" + Integer.toHexString(offset));
        return ExecutionException.at(pc, insn, size.bytes + "-byte " + kind + " at " + at
                + " (0x" + Long.toHexString(address) + "): " + f.getMessage());
    }

    /** The error for a {@link #pc} that names no instruction, blamed on the one executed last. */
    private ExecutionException leftProgram(int previous) {
        Instruction last = previous < 0 ? null : code.at(previous);
        String problem;
        if (pc == code.length()) {
            problem = "execution runs past the last instruction (the program must end with exit)";
        } else if (pc >= 0 && pc < code.length()) {
            problem = "jump into the middle of the ld_imm64 at insn " + (pc - 1);
        } else {
            problem = "jump out of the program, to insn " + pc;
        }
        return ExecutionException.at(previous < 0 ? pc : previous, last, problem);
    }

    @Override
    public MemoryMap memory() {
        return memory;
    }

    @Override
    public int pc() {
        return pc;
    }

    @Override
    public int worker() {
        return invocation.worker();
    }

    @Override
    public Object attachment() {
        return invocation.attachment();
    }
}
