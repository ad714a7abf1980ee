package dev.jxdp.jit;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.FunctionAddress;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.MemorySource;
import dev.jxdp.exec.Region;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The state of one run of compiled code, and everything the generated code does not do inline:
 * checked memory accesses, frames, instruction counting, and the construction of errors. Its methods
 * are small so that C2 inlines them into the generated methods; every error path builds the same
 * message the interpreter's {@code Run} builds, from the instruction at the slot the generated code
 * passes, so the hot paths carry no strings.
 *
 * <p>The stack has the interpreter's layout ({@code dev.jxdp.exec.CallStack}, here a reused
 * {@link StackArea}): 8 frames of 512 zeroed bytes, each after an unmapped 512-byte gap, regions only
 * while their call is live. The run's region table (the caller's regions and the live frames) is
 * made on first use, by a checked access or a helper: a program whose accesses are all direct and
 * that calls no helper never needs it.
 */
final class JitRun implements HelperContext {
    static final int MAX_FRAMES = StackArea.MAX_FRAMES;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Bytecode code;
    private final Helpers helpers;
    private final CompiledCode compiled;
    private final StackArea stack;
    private final int stackDepth;

    // The run's inputs, copied out of its Invocation by start(): keeping the Invocation itself would
    // make it escape, and the hooks' per-run Invocation is otherwise scalar-replaced by C2.
    /** Where the caller's regions come from (Invocation.regions()): the run's table is a copy of them, made on first use. */
    private MemorySource baseMemory;
    private MemorySegment packet;
    private dev.jxdp.exec.ContextObject context;
    private int worker;
    private Object attachment;
    private long initialBudget;

    private MemoryMap memory;
    private int depth;
    /** Instructions the run may still execute; charged per block (see {@link Jit}). */
    private long budget;
    /** The slot of the helper call in progress, for {@link HelperContext#pc()}. */
    int pc;
    /** r1-r5 as a returning function left them (see {@link Liveness#needOut()}). */
    long ret1;
    long ret2;
    long ret3;
    long ret4;
    long ret5;
    /** r0 of the program a successful tail call ran. */
    long tailResult;

    private final boolean pointersProven;
    /** Regions exposed before the region table was made (see {@link #expose}). */
    private java.util.List<Region> exposed;

    /** The arrays of the program's inline lookups, by the index its code names them with. */
    private final java.util.List<ArrayValues> arrays;
    /**
     * Addresses of values inline and direct lookups handed out before the region table was made, and
     * where each came from: an index into {@link #arrays}, or past them into {@link #hashes}.
     */
    private long[] exposedValues;
    private int[] exposedSources;
    private int exposedCount;

    /** The hash maps of the program's direct lookups, by the index its code names them with. */
    private final java.util.List<HashLookup> hashes;

    /**
     * The run state of one program on one {@link StackArea}: made once per thread and program and
     * reused run after run ({@link #start}, {@link #end}), so that a run allocates nothing.
     */
    JitRun(Bytecode code, Helpers helpers, CompiledCode compiled, StackArea stack, int stackDepth, boolean pointersProven,
            java.util.List<ArrayValues> arrays, java.util.List<HashLookup> hashes) {
        this.pointersProven = pointersProven;
        this.arrays = arrays;
        this.hashes = hashes;
        this.code = code;
        this.helpers = helpers;
        this.compiled = compiled;
        this.stack = stack;
        this.stackDepth = stackDepth;
    }

    /**
     * Begins a run with the inputs of its Invocation (passed apart, so that the Invocation need not
     * exist: see {@link JitProgram#run(Invocation, Object)}) and {@code attachment} as what helpers
     * see attached.
     *
     * <p>A reference field is written only when it changes: this object lives long (old generation),
     * and every reference store into it costs G1's post-write barrier, a StoreLoad fence included,
     * which run after run on the same memory, context and attachment would cost more than the
     * allocation this reuse saves. For the same reason {@link #end} keeps them: the last run's
     * memory, context and attachment stay reachable from here until the next run.
     */
    void start(MemorySource memory, MemorySegment packet, dev.jxdp.exec.ContextObject context, int worker, long budget,
            Object attachment) {
        if (baseMemory != memory) {
            baseMemory = memory;
        }
        if (this.packet != packet) {
            this.packet = packet;
        }
        if (this.context != context) {
            this.context = context;
        }
        if (this.attachment != attachment) {
            this.attachment = attachment;
        }
        this.worker = worker;
        this.initialBudget = budget;
        this.budget = budget;
        exposedCount = 0;
        pc = 0;
        tailResult = 0;
        stack.zeroTop(stackDepth);
        depth = 1;
    }

    /** Ends the run: drops its region table and what was exposed before it was made (see {@link #start}). */
    void end() {
        if (memory != null) {
            memory = null;
        }
        if (exposed != null && !exposed.isEmpty()) {
            exposed.clear(); // kept for the next run: a helper's values are exposed run after run
        }
        exposedCount = 0;
    }

    /** r10 of the main function: one past the end of frame 0. */
    long framePointer() {
        return stack.framePointer(0);
    }

    /** The run's region table: the caller's regions and the live frames, made on first use. */
    @Override
    public MemoryMap memory() {
        MemoryMap m = memory;
        if (m == null) {
            m = baseMemory.memory().copy();
            for (int i = 0; i < depth; i++) {
                m.add(stack.frames[i]);
            }
            if (exposed != null) {
                for (Region r : exposed) {
                    m.addIfAbsent(r);
                }
            }
            for (int i = 0; i < exposedCount; i++) {
                m.addIfAbsent(valueRegion(exposedSources[i], exposedValues[i]));
            }
            memory = m;
        }
        return m;
    }

    /**
     * A proven program's own accesses need no region for a value a helper hands it, so none is made
     * until a helper asks for the table (a pointer passed on to a helper that reads it through it).
     */
    @Override
    public void expose(Region region) {
        if (memory == null && pointersProven) {
            if (exposed == null) {
                exposed = new java.util.ArrayList<>(2);
            }
            exposed.add(region);
            return;
        }
        memory().addIfAbsent(region);
    }

    /**
     * An inline array lookup handed out the value at {@code address}: what {@link #expose} does for
     * the helper's value, without making the region until a helper asks for the table. Inline lookups
     * exist only in programs whose pointers are all proven ({@link VerifiedFacts#inlineArray}).
     */
    void exposeArrayValue(int array, long address) {
        exposeValue(array, address);
    }

    /**
     * A direct hash lookup handed out the value at {@code address}: as {@link #exposeArrayValue}.
     * Direct lookups exist only in programs whose pointers are all proven ({@link VerifiedFacts#inlineHash}).
     */
    void exposeHashValue(int hash, long address) {
        exposeValue(arrays.size() + hash, address);
    }

    private void exposeValue(int source, long address) {
        if (memory != null) {
            memory.addIfAbsent(valueRegion(source, address));
            return;
        }
        if (exposedValues == null) {
            exposedValues = new long[4];
            exposedSources = new int[4];
        } else if (exposedCount == exposedValues.length) {
            exposedValues = java.util.Arrays.copyOf(exposedValues, exposedCount * 2);
            exposedSources = java.util.Arrays.copyOf(exposedSources, exposedCount * 2);
        }
        exposedValues[exposedCount] = address;
        exposedSources[exposedCount++] = source;
    }

    /** The region of a value an inline or direct lookup handed out ({@link #exposedSources}' numbering). */
    private Region valueRegion(int source, long address) {
        int n = arrays.size();
        return source < n ? arrays.get(source).region(address) : hashes.get(source - n).region(address);
    }

    @Override
    public boolean pointersProven() {
        return pointersProven;
    }

    @Override
    public int pc() {
        return pc;
    }

    @Override
    public int worker() {
        return worker;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public long callFunction(long function, long r1, long r2, long r3, long r4, long r5) {
        int savedPc = pc;
        try {
            return compiled.callback(this, function, savedPc, r1, r2, r3, r4, r5);
        } finally {
            pc = savedPc;
        }
    }

    /** A callback address that names no function the JIT compiled as one (see {@link #badCallTarget}). */
    MemoryFault badCallback(long target) {
        int slot = FunctionAddress.slotOf(target);
        if (slot < 0 || slot >= code.length() || code.at(slot) == null) {
            return new MemoryFault("callback 0x" + Long.toHexString(target) + " is not a function address");
        }
        return new MemoryFault("callback 0x" + Long.toHexString(target) + " is the address of insn " + slot
                + ", which no ld_imm64 function reference names; the JIT compiles only referenced functions as callbacks"
                + " (--interpret runs it)");
    }

    /**
     * bpf_tail_call at {@code pc}: 1 if it succeeded (the callee's r0 is in {@link #tailResult}), 0 if
     * it failed. The call ends its block, so {@link #budget} is what the interpreter has left too.
     */
    int tailCall(long ctx, long map, long index, int pc) {
        this.pc = pc;
        dev.jxdp.exec.Executable target;
        try {
            target = helpers.tailCalls().target(this, map, index);
        } catch (MemoryFault f) {
            throw ExecutionException.at(pc, code.at(pc), "bpf_tail_call (helper " + Helpers.TAIL_CALL + "): " + f.getMessage());
        }
        if (target == null) {
            return 0;
        }
        // Invocation.tailCall of this run's invocation: same memory, packet, worker, context; r2-r5 = 0
        tailResult = target.run(new Invocation(ctx, 0, 0, 0, 0, baseMemory, packet, Math.max(1, budget), worker, null, context),
                attachment);
        return 1;
    }

    // ---- instruction counting

    /** Charges a block of {@code n} instructions starting at slot {@code start}. */
    void charge(int n, int start) {
        if ((budget -= n) < 0) {
            throw budgetExhausted(start, n);
        }
    }

    private ExecutionException budgetExhausted(int start, int n) {
        // The interpreter executes the remaining instructions one by one and fails on the next.
        long left = budget + n;
        int at = start;
        for (long i = 0; i < left; i++) {
            at += code.at(at).slots();
        }
        return ExecutionException.at(at, code.at(at), "instruction budget of " + initialBudget
                + " exhausted (runaway program?)");
    }

    // ---- context loads (MemoryAccess.ContextLoad)

    /**
     * A verified context load: the invocation's context object answers it without a region lookup.
     * A caller that gave no context object (tools running a verified program on a bare context region)
     * gets the same value through the region table, which is the interpreter's path.
     */
    long ctxLoad(long address, int offset, int width, int pc) {
        dev.jxdp.exec.ContextObject c = context;
        if (c != null) {
            return c.load(offset, width);
        }
        return load(address, width, pc);
    }

    // ---- checked memory (MemoryAccess.Checked)

    long load1(long address, int pc) {
        return load(address, 1, pc);
    }

    long load2(long address, int pc) {
        return load(address, 2, pc);
    }

    long load4(long address, int pc) {
        return load(address, 4, pc);
    }

    long load8(long address, int pc) {
        return load(address, 8, pc);
    }

    private long load(long address, int bytes, int pc) {
        try {
            return memory().load(address, bytes);
        } catch (MemoryFault f) {
            throw accessError(pc, address, f);
        }
    }

    void store1(long address, long value, int pc) {
        store(address, 1, value, pc);
    }

    void store2(long address, long value, int pc) {
        store(address, 2, value, pc);
    }

    void store4(long address, long value, int pc) {
        store(address, 4, value, pc);
    }

    void store8(long address, long value, int pc) {
        store(address, 8, value, pc);
    }

    private void store(long address, int bytes, long value, int pc) {
        try {
            memory().store(address, bytes, value);
        } catch (MemoryFault f) {
            throw accessError(pc, address, f);
        }
    }

    /** The naturally aligned word an atomic works on, as a segment of exactly its size. */
    MemorySegment atomicWord(long address, int bytes, int pc) {
        try {
            if ((address & (bytes - 1)) != 0) {
                throw new MemoryFault("misaligned atomic access (address not a multiple of " + bytes + ")");
            }
            return memory().slice(address, bytes, true);
        } catch (MemoryFault f) {
            throw accessError(pc, address, f);
        }
    }

    private ExecutionException accessError(int pc, long address, MemoryFault f) {
        Instruction insn = code.at(pc);
        record Access(String kind, int base, int offset, Size size) {}
        Access a = switch (insn) {
            case Load l -> new Access("read", l.src(), l.offset(), l.size());
            case Store s -> new Access("write", s.dst(), s.offset(), s.size());
            case StoreReg s -> new Access("write", s.dst(), s.offset(), s.size());
            case Atomic t -> new Access("atomic", t.dst(), t.offset(), t.size());
            default -> throw new IllegalStateException("no memory access at insn " + pc + ": " + insn);
        };
        int offset = a.offset();
        String at = "r" + a.base() + (offset < 0 ? "-0x" + Integer.toHexString(-offset) : "+0x" + Integer.toHexString(offset));
        return ExecutionException.at(pc, insn, a.size().bytes + "-byte " + a.kind() + " at " + at
                + " (0x" + Long.toHexString(address) + "): " + f.getMessage());
    }

    // ---- LD_ABS / LD_IND

    long packetLoad1(int offset, int pc) {
        return packetSegment(offset, 1, pc).get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
    }

    long packetLoad2(int offset, int pc) {
        return packetSegment(offset, 2, pc).get(BE16, offset) & 0xffffL;
    }

    long packetLoad4(int offset, int pc) {
        return packetSegment(offset, 4, pc).get(BE32, offset) & 0xffff_ffffL;
    }

    private MemorySegment packetSegment(int offset, int bytes, int pc) {
        if (packet == null) {
            throw ExecutionException.at(pc, code.at(pc), "LD_ABS/LD_IND need a packet, and this run has none");
        }
        if (offset < 0 || offset > packet.byteSize() - bytes) {
            throw PacketLoadExit.INSTANCE;
        }
        return packet;
    }

    // ---- calls

    /** Enters a bpf-to-bpf callee from the call at {@code pc}: a zeroed frame; returns its r10. */
    long enter(int pc) {
        if (depth == MAX_FRAMES) {
            throw ExecutionException.at(pc, code.at(pc), "call stack of " + (MAX_FRAMES + 1)
                    + " frames is too deep (at most " + MAX_FRAMES + ")");
        }
        Region.Mem r = stack.frames[depth];
        r.segment().fill((byte) 0);
        if (memory != null) {
            memory.add(r);
        }
        return stack.framePointer(depth++);
    }

    /** Leaves the current callee: its frame is no longer memory the program may touch. */
    void leave() {
        Region r = stack.frames[--depth];
        if (memory != null) {
            memory.remove(r);
        }
    }

    // ---- errors the generated code throws (returned, so that the generated code ends in athrow)

    ExecutionException r0Unwritten(int pc) {
        return ExecutionException.at(pc, code.at(pc), "exit with r0 never written in this function (R0 !read_ok)");
    }

    ExecutionException missingHelper(int pc) {
        return ExecutionException.at(pc, code.at(pc), Helpers.missing(((Call) code.at(pc)).imm()));
    }

    ExecutionException helperFault(MemoryFault f, int pc) {
        Helpers.Entry h = helpers.find(((Call) code.at(pc)).imm());
        return ExecutionException.at(pc, code.at(pc), "helper " + h.name() + " (id " + h.id() + "): " + f.getMessage());
    }

    /**
     * A callx to something not compiled as a function. For a value that names no instruction this is
     * the interpreter's error; for an address forged (not loaded by {@code ld_imm64} FUNC) to an
     * instruction the JIT did not compile as a function, the message says so.
     */
    ExecutionException badCallTarget(int pc, long target) {
        Instruction insn = code.at(pc);
        if (!(insn instanceof CallReg)) {
            throw badCallback(target); // the callx dispatch serving a helper's callback
        }
        int reg = ((CallReg) insn).reg();
        int slot = FunctionAddress.slotOf(target);
        if (slot < 0 || slot >= code.length() || code.at(slot) == null) {
            return ExecutionException.at(pc, insn, "r" + reg + " = 0x" + Long.toHexString(target) + " is not a function address");
        }
        return ExecutionException.at(pc, insn, "r" + reg + " = 0x" + Long.toHexString(target)
                + " is the address of insn " + slot + ", which no ld_imm64 function reference names;"
                + " the JIT compiles only referenced functions as callx targets (--interpret runs it)");
    }

    ExecutionException fallOff(int lastPc) {
        Instruction last = lastPc < 0 ? null : code.at(lastPc);
        return ExecutionException.at(Math.max(lastPc, 0), last,
                "execution runs past the last instruction (the program must end with exit)");
    }
}
