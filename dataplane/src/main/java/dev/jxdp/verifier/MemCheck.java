package dev.jxdp.verifier;

import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Registers;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.verifier.ctx.CtxAccess;
import dev.jxdp.verifier.ctx.CtxRules;
import java.util.Optional;

/**
 * Loads, stores and atomics (the kernel's check_mem_access and the checks per pointer type): context
 * fields through {@link CtxRules}, the stack through {@link StackAccess}, packet bytes within the range
 * a comparison with data_end proved, map values and ring buffer memory within their size. Records
 * each instruction's region in its {@link InsnAux}: the proof handed to the JIT.
 */
final class MemCheck {
    /** BPF_MAX_VAR_OFF. */
    private static final long MAX_VAR_OFF = PointerAlu.MAX_VAR_OFF;

    private MemCheck() {}

    static Checker.Flow load(Checker c, Load insn) {
        Reg src = c.readReg(insn.src());
        c.writeReg(insn.dst());
        checkPtrTypeConsistent(c, src);
        access(c, insn.src(), insn.offset(), insn.size().bytes, false, insn.dst(), null, insn.signed(), false);
        return Checker.Flow.NEXT;
    }

    static Checker.Flow storeReg(Checker c, StoreReg insn) {
        c.readReg(insn.src());
        Reg dst = c.readReg(insn.dst());
        checkPtrTypeConsistent(c, dst);
        access(c, insn.dst(), insn.offset(), insn.size().bytes, true, insn.src(), null, false, false);
        return Checker.Flow.NEXT;
    }

    static Checker.Flow store(Checker c, Store insn) {
        Reg dst = c.readReg(insn.dst());
        checkPtrTypeConsistent(c, dst);
        access(c, insn.dst(), insn.offset(), insn.size().bytes, true, -1, (long) insn.imm(), false, false);
        return Checker.Flow.NEXT;
    }

    /**
     * "same insn cannot be used with different pointers": a context or socket access must always be
     * one (the kernel rewrites them per pointer type; reg_type_mismatch_ok).
     */
    private static boolean rewritten(RegType t) {
        return t == RegType.PTR_TO_CTX || t == RegType.PTR_TO_SOCK_COMMON;
    }

    private static void checkPtrTypeConsistent(Checker c, Reg base) {
        InsnAux a = c.aux[c.insnIdx];
        RegType t = base.type;
        if (a.ptrType == null) {
            a.ptrType = t;
        } else if (a.ptrType != t && (rewritten(a.ptrType) || rewritten(t))) {
            throw Reject.einval("same insn cannot be used with different pointers");
        }
    }

    static Checker.Flow atomic(Checker c, Atomic insn) {
        c.readReg(insn.src());
        Reg dst = c.readReg(insn.dst());
        if (insn.op() == AtomicOp.CMPXCHG) {
            c.readReg(Registers.R0);
        }
        Reg src = c.reg(insn.src());
        if (!c.privileged() && src.type.isPointer()) {
            throw Reject.eacces("R%d leaks addr into mem", insn.src());
        }
        if (dst.type == RegType.PTR_TO_CTX || dst.type.isPacket() || dst.type == RegType.PTR_TO_SOCK_COMMON && !dst.maybeNull) {
            throw Reject.eacces("BPF_ATOMIC stores into R%d %s is not allowed", insn.dst(), RegFormat.typeName(dst));
        }
        int size = insn.size().bytes;
        int loadReg = insn.op() == AtomicOp.CMPXCHG ? Registers.R0 : insn.fetch() ? insn.src() : -1;
        if (loadReg >= 0) {
            c.writeReg(loadReg).markUnknown();
        }
        // can the memory be read (and into the register that receives the old value), then written
        access(c, insn.dst(), insn.offset(), size, false, -1, null, false, true);
        if (loadReg >= 0) {
            access(c, insn.dst(), insn.offset(), size, false, loadReg, null, false, true);
        }
        access(c, insn.dst(), insn.offset(), size, true, -1, null, false, true);
        return Checker.Flow.NEXT;
    }

    /** LD_ABS / LD_IND: tc programs only, skb in r6; r0 gets packet bytes, r1-r5 are clobbered. */
    static Checker.Flow packetLoad(Checker c, PacketLoad insn) {
        if (c.type != ProgramType.SCHED_CLS && c.type != ProgramType.SCHED_ACT) {
            throw Reject.einval("BPF_LD_[ABS|IND] instructions not allowed for this program type");
        }
        Reg ctx = c.readReg(Registers.R6);
        if (c.cur.lockHeld) {
            throw Reject.einval("BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region");
        }
        if (c.cur.refIds.length > 0) {
            throw Reject.einval("BPF_LD_[ABS|IND] would lead to reference leak");
        }
        if (ctx.type != RegType.PTR_TO_CTX) {
            throw Reject.einval("at the time of BPF_LD_ABS|IND R6 != pointer to skb");
        }
        if (insn.indirect()) {
            c.readReg(insn.src());
        }
        checkPtrOffReg(Registers.R6, ctx, false);
        Reg[] regs = c.regs();
        for (int r = 0; r <= 5; r++) {
            regs[r].markNotInit();
            c.scratchedRegs |= 1 << r;
        }
        regs[Registers.R0].markUnknown();
        return Checker.Flow.NEXT;
    }

    /** __check_ptr_off_reg: context-like pointers may be used only unmodified. */
    static void checkPtrOffReg(int regno, Reg reg, boolean fixedOffOk) {
        if (reg.off < 0) {
            throw Reject.eacces("negative offset %s ptr R%d off=%d disallowed", RegFormat.typeName(reg), regno, reg.off);
        }
        if (!fixedOffOk && reg.off != 0) {
            throw Reject.eacces("dereference of modified %s ptr R%d off=%d disallowed", RegFormat.typeName(reg), regno, reg.off);
        }
        if (!reg.var.equalsConst(0)) {
            throw Reject.eacces("variable %s access var_off=%s disallowed", RegFormat.typeName(reg), StackAccess.tnumString(reg.var));
        }
    }

    /**
     * check_mem_access. {@code valueReg}: for loads the destination, for stores the source (-1 for
     * ST with {@code imm}).
     */
    static void access(Checker c, int regno, int insnOff, int size, boolean write, int valueReg, Long imm, boolean signed,
                       boolean atomic) {
        Reg reg = c.reg(regno);
        Reg[] regs = c.regs();
        Reg value = valueReg >= 0 ? regs[valueReg] : null;
        InsnAux a = c.aux[c.insnIdx];
        checkAlignment(c, reg, insnOff, size, atomic);
        int off = insnOff + reg.off;
        boolean leak = write && value != null && value.type.isPointer() && !c.privileged();
        switch (reg.type) {
            case PTR_TO_MAP_KEY -> {
                if (write) {
                    throw Reject.eacces("write to change key R%d not allowed", regno);
                }
                checkMemRegion(c, regno, reg, off, size, reg.map.keySize(), false);
                a.regions.add(MemoryProof.Region.MAP_KEY);
                if (valueReg >= 0) {
                    regs[valueReg].markUnknown();
                }
            }
            case PTR_TO_MAP_VALUE -> {
                if (reg.maybeNull) {
                    throw invalidMemAccess(regno, reg);
                }
                if (leak) {
                    throw Reject.eacces("R%d leaks addr into map", valueReg);
                }
                checkMapAccessType(reg, off, size, write);
                checkMemRegion(c, regno, reg, off, size, reg.map.valueSize(), false);
                SpinLock.checkSpecialFields(c, reg, off, size);
                a.regions.add(MemoryProof.Region.MAP_VALUE);
                a.addMap(reg.map);
                if (!write && valueReg >= 0) {
                    readMapValue(c, reg, off, size, signed, regs[valueReg]);
                }
            }
            case PTR_TO_MEM -> {
                if (reg.maybeNull) {
                    throw invalidMemAccess(regno, reg);
                }
                if (write && reg.rdonly) {
                    throw Reject.eacces("R%d cannot write into %s", regno, RegFormat.typeName(reg));
                }
                if (leak) {
                    throw Reject.eacces("R%d leaks addr into mem", valueReg);
                }
                checkMemRegion(c, regno, reg, off, size, reg.memSize, false);
                a.regions.add(MemoryProof.Region.MEM);
                if (valueReg >= 0 && (!write || reg.rdonly)) {
                    regs[valueReg].markUnknown();
                }
            }
            case PTR_TO_CTX -> {
                if (leak) {
                    throw Reject.eacces("R%d leaks addr into ctx", valueReg);
                }
                checkPtrOffReg(regno, reg, false);
                Optional<CtxAccess> acc = CtxRules.check(c.type, c.in.expectedAttachType(), off, size, write);
                if (acc.isEmpty()) {
                    throw Reject.eacces("invalid bpf_context access off=%d size=%d", off, size);
                }
                if (a.ctx != null && !a.ctx.equals(acc.get())) {
                    throw Reject.einval("same insn cannot be used with different pointers");
                }
                a.ctx = acc.get();
                a.regions.add(MemoryProof.Region.CTX);
                if (!write && valueReg >= 0) {
                    Reg d = regs[valueReg];
                    switch (acc.get().field().yields()) {
                        case SCALAR -> d.markUnknown();
                        case PACKET -> d.markPointer(RegType.PTR_TO_PACKET);
                        case PACKET_END -> d.markPointer(RegType.PTR_TO_PACKET_END);
                        case PACKET_META -> d.markPointer(RegType.PTR_TO_PACKET_META);
                        case SOCKET -> {
                            d.markPointer(RegType.PTR_TO_SOCK_COMMON);
                            d.maybeNull = true;
                            d.id = c.newId();
                        }
                    }
                }
            }
            case PTR_TO_SOCK_COMMON -> {
                if (reg.maybeNull) {
                    throw invalidMemAccess(regno, reg);
                }
                if (write) {
                    throw Reject.eacces("R%d cannot write into %s", regno, RegFormat.typeName(reg));
                }
                SockAccess.check(regno, reg, off, size);
                // No proof: jxdp's hooks have no sockets (__sk_buff.sk is always NULL), so this load
                // never runs; the engines keep it checked.
                if (valueReg >= 0) {
                    regs[valueReg].markUnknown();
                }
            }
            case PTR_TO_STACK -> {
                StackAccess.checkBounds(c, regno, reg, off, size, write ? StackAccess.Kind.WRITE : StackAccess.Kind.READ);
                a.regions.add(MemoryProof.Region.STACK);
                if (write) {
                    StackAccess.write(c, regno, reg, off, size, valueReg, value == null ? imm : null);
                } else {
                    StackAccess.read(c, regno, reg, off, size, valueReg >= 0 ? regs[valueReg] : null);
                }
            }
            case PTR_TO_PACKET, PTR_TO_PACKET_META -> {
                if (leak) {
                    throw Reject.eacces("R%d leaks addr into packet", valueReg);
                }
                checkPacketAccess(c, regno, reg, off, size, false);
                a.regions.add(reg.type == RegType.PTR_TO_PACKET ? MemoryProof.Region.PACKET : MemoryProof.Region.PACKET_META);
                if (!write && valueReg >= 0) {
                    regs[valueReg].markUnknown();
                }
            }
            default -> throw invalidMemAccess(regno, reg);
        }
        if (!write && valueReg >= 0 && size < 8 && regs[valueReg].type == RegType.SCALAR) {
            if (signed) {
                Bounds.coerceToSizeSx(regs[valueReg], size);
                Bounds.sync(regs[valueReg]);
            } else {
                Bounds.coerceToSize(regs[valueReg], size);
            }
        }
    }

    static Reject invalidMemAccess(int regno, Reg reg) {
        return Reject.eacces("R%d invalid mem access '%s'", regno, RegFormat.typeName(reg));
    }

    /**
     * check_ptr_alignment: x86 has efficient unaligned access, so only stack accesses (always) and
     * atomics (strict once) must be aligned.
     */
    private static void checkAlignment(Checker c, Reg reg, int off, int size, boolean atomic) {
        boolean strict = atomic;
        String desc;
        switch (reg.type) {
            case PTR_TO_PACKET, PTR_TO_PACKET_META -> {
                if (!strict || size == 1) {
                    return;
                }
                Tnum t = reg.var.add(Tnum.constant(2 + reg.off + off));
                if (!t.isAligned(size)) {
                    throw Reject.eacces("misaligned packet access off %d+%s+%d+%d size %d", 2, StackAccess.tnumString(reg.var), reg.off, off, size);
                }
                return;
            }
            case PTR_TO_MAP_KEY -> desc = "key ";
            case PTR_TO_MAP_VALUE -> desc = "value ";
            case PTR_TO_CTX -> desc = "context ";
            case PTR_TO_STACK -> {
                desc = "stack ";
                strict = true;
            }
            default -> desc = "";
        }
        if (!strict || size == 1) {
            return;
        }
        Tnum t = reg.var.add(Tnum.constant((long) reg.off + off));
        if (!t.isAligned(size)) {
            if (atomic) {
                c.aux[c.insnIdx].atomicAligned = false;
            }
            throw Reject.eacces("misaligned %saccess off %s+%d+%d size %d", desc, StackAccess.tnumString(reg.var), reg.off, off, size);
        }
    }

    private static void checkMapAccessType(Reg reg, int off, int size, boolean write) {
        if (write && reg.map.readOnlyForPrograms()) {
            throw Reject.eacces("write into map forbidden, value_size=%d off=%d size=%d", reg.map.valueSize(), off, size);
        }
    }

    /** A load from a map value: a constant if the map is frozen read-only data, else unknown. */
    private static void readMapValue(Checker c, Reg reg, int off, int size, boolean signed, Reg dst) {
        MapRef m = reg.map;
        if (reg.var.isConst() && m.index() >= 0 && m.readOnlyForPrograms() && m.spec().frozen()
                && m.spec().contents() instanceof dev.jxdp.obj.MapContents.Data d) {
            int at = (int) (off + reg.var.value());
            byte[] bytes = d.bytes();
            if (at >= 0 && at + size <= bytes.length) {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = v << 8 | (bytes[at + i] & 0xff);
                }
                if (signed) {
                    v = switch (size) {
                        case 1 -> (byte) v;
                        case 2 -> (short) v;
                        case 4 -> (int) v;
                        default -> v;
                    };
                }
                dst.markConst(v);
                return;
            }
        }
        dst.markUnknown();
    }

    /**
     * check_mem_region_access: [off + min, off + max + size) of the pointer's variable offset must lie
     * within {@code memSize} bytes.
     */
    static void checkMemRegion(Checker c, int regno, Reg reg, int off, int size, int memSize, boolean zeroSizeAllowed) {
        if (reg.smin < 0 && (reg.smin == Long.MIN_VALUE || off + reg.smin != (int) (off + reg.smin) || reg.smin + off < 0)) {
            throw Reject.eacces("R%d min value is negative, either use unsigned index or do a if (index >=0) check.", regno);
        }
        Reject err = checkMemAccess(regno, reg, reg.smin + off, size, memSize, zeroSizeAllowed);
        if (err != null) {
            throw Reject.eacces(err.getMessage() + "\nR%d min value is outside of the allowed memory range", regno);
        }
        if (Long.compareUnsigned(reg.umax, MAX_VAR_OFF) >= 0) {
            throw Reject.eacces("R%d unbounded memory access, make sure to bounds check any such access", regno);
        }
        err = checkMemAccess(regno, reg, reg.umax + off, size, memSize, zeroSizeAllowed);
        if (err != null) {
            throw Reject.eacces(err.getMessage() + "\nR%d max value is outside of the allowed memory range", regno);
        }
    }

    /** __check_mem_access: [off, off + size) within [0, memSize); the error in the pointer type's words. */
    private static Reject checkMemAccess(int regno, Reg reg, long off, int size, int memSize, boolean zeroSizeAllowed) {
        boolean sizeOk = size > 0 || size == 0 && zeroSizeAllowed;
        if (sizeOk && off >= 0 && size <= (long) memSize - off) {
            return null;
        }
        return switch (reg.type) {
            case PTR_TO_MAP_KEY -> Reject.eacces("invalid access to map key, key_size=%d off=%d size=%d", memSize, off, size);
            case PTR_TO_MAP_VALUE -> Reject.eacces("invalid access to map value, value_size=%d off=%d size=%d", memSize, off, size);
            case PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_PACKET_END -> Reject.eacces(
                    "invalid access to packet, off=%d size=%d, R%d(id=%d,off=%d,r=%d)", off, size, regno, reg.id, off, memSize);
            default -> Reject.eacces("invalid access to memory, mem_size=%d off=%d size=%d", Integer.toUnsignedLong(memSize), off, size);
        };
    }

    /** check_packet_access: the fixed offset must fall in the range a data_end comparison proved. */
    static void checkPacketAccess(Checker c, int regno, Reg reg, int off, int size, boolean zeroSizeAllowed) {
        if (reg.smin < 0) {
            throw Reject.eacces("R%d min value is negative, either use unsigned index or do a if (index >=0) check.", regno);
        }
        Reject err = reg.range < 0 ? Reject.einval("") : checkMemAccess(regno, reg, off, size, reg.range, zeroSizeAllowed);
        if (err != null) {
            String first = err.getMessage();
            throw new Reject(err.errno, (first.isEmpty() ? "" : first + "\n") + "R" + regno + " offset is outside of the packet");
        }
    }

    /**
     * check_helper_mem_access: a helper reads (or writes) {@code size} bytes at a pointer argument.
     * {@code uninitOk}: the helper fills the memory, so stack bytes need not be initialised.
     */
    static void helperMemAccess(Checker c, int regno, long size, boolean write, boolean zeroSizeAllowed) {
        Reg reg = c.reg(regno);
        int sz = (int) size;
        switch (reg.type) {
            case PTR_TO_PACKET, PTR_TO_PACKET_META -> checkPacketAccess(c, regno, reg, reg.off, sz, zeroSizeAllowed);
            case PTR_TO_MAP_KEY -> {
                if (write) {
                    throw Reject.eacces("R%d cannot write into %s", regno, RegFormat.typeName(reg));
                }
                checkMemRegion(c, regno, reg, reg.off, sz, reg.map.keySize(), false);
            }
            case PTR_TO_MAP_VALUE -> {
                checkMapAccessType(reg, reg.off, sz, write);
                checkMemRegion(c, regno, reg, reg.off, sz, reg.map.valueSize(), zeroSizeAllowed);
                SpinLock.checkSpecialFields(c, reg, reg.off, sz);
            }
            case PTR_TO_MEM -> {
                if (reg.rdonly && write) {
                    throw Reject.eacces("R%d cannot write into %s", regno, RegFormat.typeName(reg));
                }
                checkMemRegion(c, regno, reg, reg.off, sz, reg.memSize, zeroSizeAllowed);
            }
            case PTR_TO_STACK -> StackAccess.rangeInitialized(c, regno, reg, reg.off, sz, zeroSizeAllowed, write);
            default -> {
                if (zeroSizeAllowed && sz == 0 && reg.type == RegType.SCALAR && reg.var.equalsConst(0)) {
                    return;
                }
                throw Reject.eacces("R%d type=%s expected=%s", regno, RegFormat.typeName(reg), RegType.PTR_TO_STACK.logName);
            }
        }
    }

    /** Whether a map type's values may be read through a pointer without a null check when the key is a constant. */
    static boolean canElideNullness(MapType t) {
        return t == MapType.ARRAY || t == MapType.PERCPU_ARRAY;
    }
}
