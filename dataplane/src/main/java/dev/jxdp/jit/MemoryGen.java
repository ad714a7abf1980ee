package dev.jxdp.jit;

import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Registers;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.lang.classfile.CodeBuilder;

/**
 * Loads, stores, atomics and legacy packet loads. What each access becomes is the
 * {@link ProgramFacts}' decision: {@link MemoryAccess.Checked} calls the run's checked accessor
 * (region lookup, permission, the interpreter's error naming the instruction), {@link
 * MemoryAccess.Direct} is one unchecked access of the right width through {@link Direct}.
 */
final class MemoryGen {
    private MemoryGen() {}

    static void load(Emitter e, Load l, int pc) {
        CodeBuilder cb = e.cb;
        String width = Integer.toString(l.size().bytes);
        if (e.unit.facts.access(pc) instanceof MemoryAccess.ContextLoad c) {
            cb.aload(e.loc.rt());
            address(e, l.src(), l.offset());
            cb.loadConstant(c.offset());
            cb.loadConstant(l.size().bytes);
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "ctxLoad", Descs.J_JIII);
        } else if (direct(e, l, pc)) {
            address(e, l.src(), l.offset());
            cb.invokestatic(Descs.DIRECT, "load" + width, Descs.J_J);
        } else {
            cb.aload(e.loc.rt());
            address(e, l.src(), l.offset());
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "load" + width, Descs.J_JI);
        }
        if (l.signed()) {
            cb.l2i();
            switch (l.size()) {
                case B -> cb.i2b();
                case H -> cb.i2s();
                default -> {}
            }
            cb.i2l();
        }
        e.storeReg(l.dst());
    }

    static void store(Emitter e, Store s, int pc) {
        // ST's imm is sign-extended to 64 bits; the access keeps its low bytes.
        store(e, s, pc, s.dst(), s.offset(), s.size(), () -> e.cb.loadConstant((long) s.imm()));
    }

    static void store(Emitter e, StoreReg s, int pc) {
        store(e, s, pc, s.dst(), s.offset(), s.size(), () -> e.loadReg(s.src()));
    }

    private static void store(Emitter e, Instruction insn, int pc, int base, int offset, Size size, Runnable value) {
        CodeBuilder cb = e.cb;
        String width = Integer.toString(size.bytes);
        if (direct(e, insn, pc)) {
            address(e, base, offset);
            value.run();
            cb.invokestatic(Descs.DIRECT, "store" + width, Descs.V_JJ);
        } else {
            cb.aload(e.loc.rt());
            address(e, base, offset);
            value.run();
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "store" + width, Descs.V_JJI);
        }
    }

    /**
     * The word comes from the checked accessor (which also refuses misaligned words) or is the
     * address in {@link Direct#ALL}; then one {@link AtomicOps} call. Operands are read before
     * anything is written: r0 (CMPXCHG's expected value), then src.
     */
    static void atomic(Emitter e, Atomic a, int pc) {
        CodeBuilder cb = e.cb;
        int bytes = a.size().bytes;
        if (direct(e, a, pc)) {
            cb.getstatic(Descs.DIRECT, "ALL", Descs.SEGMENT);
            address(e, a.dst(), a.offset());
        } else {
            cb.aload(e.loc.rt());
            address(e, a.dst(), a.offset());
            cb.loadConstant(bytes);
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "atomicWord", Descs.WORD);
            cb.lconst_0();
        }
        if (a.op() == AtomicOp.CMPXCHG) {
            e.loadReg(Registers.R0);
            e.loadReg(a.src());
            cb.invokestatic(Descs.ATOMIC_OPS, "cmpxchg" + bytes, Descs.ATOMIC_CMPXCHG);
            e.storeReg(Registers.R0);
            return;
        }
        e.loadReg(a.src());
        String name = switch (a.op()) {
            case ADD -> "add";
            case OR -> "or";
            case AND -> "and";
            case XOR -> "xor";
            default -> "xchg";
        };
        cb.invokestatic(Descs.ATOMIC_OPS, name + bytes, Descs.ATOMIC);
        if (a.fetch()) {
            e.storeReg(a.src());
        } else {
            cb.pop2();
        }
    }

    /** LD_ABS/LD_IND: the offset is an int (for LD_IND, src + imm in 64 bits, then truncated, as the kernel does). */
    static void packetLoad(Emitter e, PacketLoad p, int pc) {
        CodeBuilder cb = e.cb;
        cb.aload(e.loc.rt());
        if (p.indirect()) {
            e.loadReg(p.src());
            e.addOffset(p.imm());
            cb.l2i();
        } else {
            cb.loadConstant(p.imm());
        }
        cb.loadConstant(pc);
        cb.invokevirtual(Descs.RUN, "packetLoad" + p.size().bytes, Descs.J_II);
        e.storeReg(Registers.R0);
    }

    private static void address(Emitter e, int base, int offset) {
        e.loadReg(base);
        e.addOffset(offset);
    }

    private static boolean direct(Emitter e, Instruction insn, int pc) {
        return switch (e.unit.facts.access(pc)) {
            case MemoryAccess.Checked c -> false;
            case MemoryAccess.Direct d when d.region() == RegionKind.CONTEXT -> throw new JitException(
                    "insn " + pc + ": the access plan marks a context access as direct memory; context"
                    + " fields are served by handlers (a ctx rewrite), never by raw memory");
            case MemoryAccess.Direct d -> true;
            case MemoryAccess.ContextLoad c -> throw new JitException("insn " + pc + ": the access plan makes a "
                    + insn.getClass().getSimpleName() + " a context load; only loads can be");
        };
    }
}
