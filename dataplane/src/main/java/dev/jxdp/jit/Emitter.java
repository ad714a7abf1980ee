package dev.jxdp.jit;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Registers;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits the blocks of one JVM method: a whole function, or one region of a split function. It owns
 * the method's labels and the code placed after the blocks (exits from the region, exception
 * handlers); the per-instruction generators ({@link AluGen}, {@link JumpGen}, {@link MemoryGen},
 * {@link CallGen}) emit through it.
 */
final class Emitter {
    final Unit unit;
    final FunctionPlan fn;
    /** Null when the method holds the whole function. */
    final RegionPlan region;
    final CodeBuilder cb;
    final Locals loc;
    private final Map<Integer, Label> labels = new HashMap<>();
    private final Map<Integer, Label> stubs = new LinkedHashMap<>();
    private final List<Runnable> deferred = new ArrayList<>();

    Emitter(Unit unit, FunctionPlan fn, RegionPlan region, CodeBuilder cb, Locals loc) {
        this.unit = unit;
        this.fn = fn;
        this.region = region;
        this.cb = cb;
        this.loc = loc;
    }

    /** Declares the labels of blocks that will be emitted in this method; call before {@link #label}. */
    void declare(List<Block> blocks) {
        for (Block b : blocks) {
            labels.put(b.start(), cb.newLabel());
        }
    }

    Label label(int start) {
        return labels.get(start);
    }

    /** Emits the blocks in order, then the code that goes after them. */
    void emit(List<Block> blocks) {
        for (int i = 0; i < blocks.size(); i++) {
            Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
            emitBlock(blocks.get(i), next);
        }
        for (Map.Entry<Integer, Label> stub : stubs.entrySet()) {
            cb.labelBinding(stub.getValue());
            saveRegisters();
            cb.loadConstant(fn.targetId(stub.getKey()));
            cb.ireturn();
        }
        deferred.forEach(Runnable::run);
    }

    private void emitBlock(Block b, Block next) {
        cb.labelBinding(labels.get(b.start()));
        if (unit.countInstructions) {
            // The instruction budget: the whole block is charged on entry (see Jit).
            cb.aload(loc.rt());
            cb.loadConstant(b.count());
            cb.loadConstant(b.start());
            cb.invokevirtual(Descs.RUN, "charge", Descs.V_II);
        }
        for (int pc : b.pcs()) {
            emitInstruction(unit.code.at(pc), pc);
        }
        Instruction last = unit.code.at(b.lastPc());
        switch (last) {
            case Exit e -> {}
            case Goto g -> continueAt(b.lastPc() + 1 + g.offset(), next);
            default -> continueAt(b.end(), next, b.lastPc());
        }
    }

    private void continueAt(int slot, Block next) {
        continueAt(slot, next, -1);
    }

    /** Control goes on at {@code slot}: fall through, jump, leave the region, or run off the end. */
    private void continueAt(int slot, Block next, int lastPc) {
        if (slot == unit.cfg.fallOff) {
            cb.aload(loc.rt());
            cb.loadConstant(lastPc);
            cb.invokevirtual(Descs.RUN, "fallOff", Descs.ERROR_I);
            cb.athrow();
        } else if (next == null || next.start() != slot) {
            cb.goto_(target(slot));
        }
    }

    /** The label that continues at block {@code slot}: in this method, or a stub leaving the region. */
    Label target(int slot) {
        Label l = labels.get(slot);
        if (l != null) {
            return l;
        }
        if (region == null) {
            throw new IllegalStateException("block " + slot + " is not in function " + fn.entry());
        }
        return stubs.computeIfAbsent(slot, s -> cb.newLabel());
    }

    /** Code to emit after the blocks (exception handlers). */
    void defer(Runnable code) {
        deferred.add(code);
    }

    private void emitInstruction(Instruction insn, int pc) {
        switch (insn) {
            case Alu a -> AluGen.alu(this, a);
            case ByteSwap b -> AluGen.byteSwap(this, b);
            case Jump j -> JumpGen.jump(this, j, target(pc + 1 + j.offset()));
            case Goto g -> {}
            case Call c -> CallGen.call(this, c, pc);
            case CallReg c -> CallGen.callx(this, c, pc);
            case Exit e -> CallGen.exit(this, pc);
            case LoadImm64 l -> {
                cb.loadConstant(CallGen.immediate(l, pc));
                storeReg(l.dst());
            }
            case Load l -> MemoryGen.load(this, l, pc);
            case Store s -> MemoryGen.store(this, s, pc);
            case StoreReg s -> MemoryGen.store(this, s, pc);
            case Atomic a -> MemoryGen.atomic(this, a, pc);
            case PacketLoad p -> MemoryGen.packetLoad(this, p, pc);
        }
    }

    // ---- registers

    void loadReg(int r) {
        cb.lload(r == Registers.FP ? loc.fp() : loc.reg(r));
    }

    /** Stores the long on the stack into {@code r}; a write to r0 also sets r0's written-flag. */
    void storeReg(int r) {
        cb.lstore(loc.reg(r));
        if (r == Registers.R0 && fn.r0Flag()) {
            cb.iconst_1();
            cb.istore(loc.w0());
        }
    }

    /** The operand as 64 bits: a register, or imm sign-extended. */
    void loadOperand64(Operand op) {
        switch (op) {
            case Operand.Reg(int r) -> loadReg(r);
            case Operand.Imm(int v) -> cb.loadConstant((long) v);
        }
    }

    /** The operand's low 32 bits as an int. */
    void loadOperand32(Operand op) {
        switch (op) {
            case Operand.Reg(int r) -> {
                loadReg(r);
                cb.l2i();
            }
            case Operand.Imm(int v) -> cb.loadConstant(v);
        }
    }

    /** Adds a signed 16-bit offset to the long on the stack. */
    void addOffset(int offset) {
        if (offset != 0) {
            cb.loadConstant((long) offset);
            cb.ladd();
        }
    }

    /** Zero-extends the int on the stack to a long. */
    void zeroExtend() {
        cb.i2l();
        cb.loadConstant(0xffff_ffffL);
        cb.land();
    }

    // ---- region state

    /** Loads r0-r9 (and r0's flag) from the register array: the start of a region method. */
    void loadRegisters() {
        for (int r = 0; r < 10; r++) {
            cb.aload(loc.st());
            cb.loadConstant(r);
            cb.laload();
            cb.lstore(loc.reg(r));
        }
        if (fn.r0Flag()) {
            cb.aload(loc.st());
            cb.loadConstant(10);
            cb.laload();
            cb.l2i();
            cb.istore(loc.w0());
        }
    }

    void saveRegisters() {
        for (int r = 0; r < 10; r++) {
            cb.aload(loc.st());
            cb.loadConstant(r);
            cb.lload(loc.reg(r));
            cb.lastore();
        }
        if (fn.r0Flag()) {
            cb.aload(loc.st());
            cb.loadConstant(10);
            cb.iload(loc.w0());
            cb.i2l();
            cb.lastore();
        }
    }
}
