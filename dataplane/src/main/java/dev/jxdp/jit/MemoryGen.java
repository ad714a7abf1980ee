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
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.ValueLayout;

/**
 * Loads, stores, atomics and legacy packet loads. What each access becomes is the
 * {@link ProgramFacts}' decision: {@link MemoryAccess.Checked} calls the run's checked accessor
 * (region lookup, permission, the interpreter's error naming the instruction), {@link
 * MemoryAccess.Direct} is one unchecked access of the right width, a call of {@code MemorySegment.get}
 * or {@code set} on {@link Direct#ALL}.
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
            directLoad(cb, l.size(), () -> address(e, l.src(), l.offset()));
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

    /**
     * An unchecked load of {@code size} at the address {@code address} pushes, zero-extended to a long:
     * a direct call of {@code MemorySegment.get} on {@link Direct#ALL}.
     */
    static void directLoad(CodeBuilder cb, Size size, Runnable address) {
        Width w = Width.of(size);
        cb.getstatic(Descs.DIRECT, "ALL", Descs.SEGMENT);
        cb.getstatic(Descs.DIRECT, w.field, w.layout);
        address.run();
        cb.invokeinterface(Descs.SEGMENT, "get", w.get);
        w.zeroExtend(cb);
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
            Width w = Width.of(size);
            cb.getstatic(Descs.DIRECT, "ALL", Descs.SEGMENT);
            cb.getstatic(Descs.DIRECT, w.field, w.layout);
            address(e, base, offset);
            value.run();
            if (size != Size.DW) {
                cb.l2i(); // byte, short and int values go as an int: set keeps their low bytes
            }
            cb.invokeinterface(Descs.SEGMENT, "set", w.set);
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

    /**
     * A width's layout in {@link Direct} and {@code MemorySegment}'s accessors of it: the generated
     * code calls them directly (see {@link Direct} for why no method of ours wraps them).
     */
    private enum Width {
        B("U8", ValueLayout.OfByte.class, ConstantDescs.CD_byte),
        H("U16", ValueLayout.OfShort.class, ConstantDescs.CD_short),
        W("U32", ValueLayout.OfInt.class, ConstantDescs.CD_int),
        DW("U64", ValueLayout.OfLong.class, ConstantDescs.CD_long);

        final String field;
        final ClassDesc layout;
        final MethodTypeDesc get;
        final MethodTypeDesc set;

        Width(String field, Class<? extends ValueLayout> layoutClass, ClassDesc value) {
            this.field = field;
            this.layout = Descs.desc(layoutClass);
            this.get = MethodTypeDesc.of(value, layout, ConstantDescs.CD_long);
            this.set = MethodTypeDesc.of(ConstantDescs.CD_void, layout, ConstantDescs.CD_long, value);
        }

        static Width of(Size size) {
            return switch (size) {
                case B -> B;
                case H -> H;
                case W -> W;
                case DW -> DW;
            };
        }

        /** The loaded value (an int for the narrow widths, sign-extended by the JVM) as eBPF's zero-extended 64 bits. */
        void zeroExtend(CodeBuilder cb) {
            switch (this) {
                case B -> {
                    cb.sipush(0xff);
                    cb.iand();
                    cb.i2l();
                }
                case H -> {
                    cb.loadConstant(0xffff);
                    cb.iand();
                    cb.i2l();
                }
                case W -> {
                    cb.i2l();
                    cb.loadConstant(0xffff_ffffL);
                    cb.land();
                }
                case DW -> {}
            }
        }
    }
}
