package dev.jxdp.verifier;

import dev.jxdp.helpers.ArgType;
import dev.jxdp.helpers.HelperIds;
import dev.jxdp.helpers.HelperProto;
import dev.jxdp.helpers.HelperProtos;
import dev.jxdp.isa.Registers;
import dev.jxdp.obj.MapType;
import java.util.Optional;

/**
 * Helper calls (the kernel's check_helper_call and check_func_arg): the helper must exist and be
 * available to the program type (and to a non-GPL program if it is GPL-only); each argument must match
 * its {@link ArgType}, memory arguments must be in bounds and initialised; then r1-r5 are clobbered and
 * r0 gets the return type. Ring buffer reservations are references the program must release.
 */
final class HelperCheck {
    /** BPF_MAX_VAR_SIZ. */
    private static final long MAX_VAR_SIZ = 1L << 29;
    private static final int TAIL_CALL = 12;
    private static final int MAP_LOOKUP_ELEM = 1;
    private static final int RINGBUF_RESERVE = 131;

    private HelperCheck() {}

    /** What the argument checks found (the kernel's bpf_call_arg_meta). */
    private static final class Meta {
        MapRef map;
        int subprog = -1;
        long memSize;
        int refObjId;
        int releaseRegno;
        long constMapKey = -1;
        /** Raw (uninitialised) memory argument: register and size to mark written after the call. */
        int rawRegno = -1;
        long rawSize;
    }

    static Checker.Flow call(Checker c, int id) {
        if (id < 0 || id > HelperIds.maxId()) {
            throw Reject.einval("invalid func %s#%d", HelperIds.describe(id).replaceAll("#.*", ""), id);
        }
        Optional<HelperProto> found = HelperProtos.forFamily(id, c.family);
        if (found.isEmpty()) {
            throw Reject.einval("program of this type cannot use helper %s", HelperIds.describe(id));
        }
        HelperProto fn = found.get();
        if (!c.in.gplCompatible() && fn.gplOnly()) {
            throw Reject.einval("cannot call GPL-restricted function from non-GPL compatible program");
        }
        Meta meta = new Meta();
        for (int i = 1; i <= fn.args().size(); i++) {
            checkArg(c, fn, i, meta);
        }
        if (meta.map != null) {
            c.aux[c.insnIdx].recordCallMap(meta.map);
        }
        Reg[] regs = c.regs();
        if (meta.rawRegno >= 0) {
            for (int i = 0; i < meta.rawSize; i++) {
                MemCheck.access(c, meta.rawRegno, i, 1, true, -1, null, false, false);
            }
        }
        if (meta.releaseRegno > 0) {
            if (meta.refObjId != 0) {
                release(c, meta.refObjId);
            } else if (!(regs[meta.releaseRegno].type == RegType.SCALAR && regs[meta.releaseRegno].var.equalsConst(0))) {
                throw Reject.einval("func %s reference has not been acquired before", HelperIds.describe(id));
            }
        }
        if (id == TAIL_CALL && c.cur.refIds.length > 0) {
            throw Reject.einval("tail_call would lead to reference leak");
        }
        if (id == HelperCallbacks.LOOP || id == HelperCallbacks.FOR_EACH_MAP_ELEM) {
            callback(c, id, meta);
        }
        for (int r = Registers.R0; r <= Registers.R5; r++) {
            regs[r].markNotInit();
            c.scratchedRegs |= 1 << r;
        }
        Reg r0 = regs[Registers.R0];
        switch (fn.ret()) {
            case INTEGER -> r0.markUnknown();
            case VOID -> r0.markNotInit();
            case PTR_TO_MAP_VALUE_OR_NULL -> {
                r0.markPointer(RegType.PTR_TO_MAP_VALUE);
                r0.map = meta.map;
                boolean elide = id == MAP_LOOKUP_ELEM && MemCheck.canElideNullness(meta.map.type()) && meta.constMapKey >= 0
                        && meta.constMapKey < Integer.toUnsignedLong(meta.map.spec().maxEntries());
                r0.maybeNull = !elide;
            }
            case PTR_TO_RINGBUF_MEM_OR_NULL -> {
                r0.markPointer(RegType.PTR_TO_MEM);
                r0.ringbuf = true;
                r0.maybeNull = true;
                r0.memSize = (int) meta.memSize;
            }
        }
        if (r0.maybeNull || SpinLock.mayPointToLock(c, r0)) {
            r0.id = c.newId(); // a value with a lock keeps its id: it names the lock
        }
        if (id == RINGBUF_RESERVE) {
            int ref = c.newId();
            c.cur.acquire(ref, c.insnIdx);
            r0.id = ref;
            r0.refObjId = ref;
        }
        if (meta.map != null) {
            checkMapFuncCompatibility(meta.map, id);
        }
        if (fn.changesPacketData()) {
            clearAllPacketPointers(c.cur);
        }
        return Checker.Flow.NEXT;
    }

    private static void checkArg(Checker c, HelperProto fn, int regno, Meta meta) {
        ArgType arg = fn.arg(regno);
        Reg reg = c.readReg(regno);
        if (arg == ArgType.ANYTHING) {
            if (!c.privileged() && reg.type.isPointer()) {
                throw Reject.eacces("R%d leaks addr into helper function", regno);
            }
            return;
        }
        if (reg.type.isPacket() && !fn.pktAccess()) {
            throw Reject.eacces("helper access to the packet is not allowed");
        }
        boolean nullable = arg == ArgType.PTR_TO_MEM_OR_NULL_RDONLY || arg == ArgType.PTR_TO_MEM_OR_NULL
                || arg == ArgType.PTR_TO_STACK_OR_NULL;
        boolean isNull = reg.type == RegType.SCALAR && reg.var.equalsConst(0);
        if (!(nullable && isNull)) {
            checkRegType(regno, reg, arg);
            checkRegOff(regno, reg, arg);
        }
        if (arg == ArgType.PTR_TO_RINGBUF_MEM_RELEASE) {
            if (reg.refObjId == 0 && !isNull) {
                throw Reject.einval("R%d must be referenced when passed to release function", regno);
            }
            meta.releaseRegno = regno;
        }
        if (reg.refObjId != 0) {
            meta.refObjId = reg.refObjId;
        }
        switch (arg) {
            case CONST_MAP_PTR -> {
                meta.map = reg.map;
                if (fn.id() == TAIL_CALL && reg.map.type() != MapType.PROG_ARRAY) {
                    throw Reject.einval("expected prog array map for tail call");
                }
            }
            case PTR_TO_MAP_KEY -> {
                if (meta.map == null) {
                    throw Reject.eacces("invalid map_ptr to access map->key");
                }
                MemCheck.helperMemAccess(c, regno, meta.map.keySize(), false, false);
                if (MemCheck.canElideNullness(meta.map.type())) {
                    meta.constMapKey = constantMapKey(c, reg, meta.map.keySize());
                }
            }
            case PTR_TO_MAP_VALUE, PTR_TO_UNINIT_MAP_VALUE -> {
                if (meta.map == null) {
                    throw Reject.eacces("invalid map_ptr to access map->value");
                }
                boolean raw = arg == ArgType.PTR_TO_UNINIT_MAP_VALUE;
                if (raw && reg.type == RegType.PTR_TO_STACK && reg.var.isConst()) {
                    StackAccess.checkBounds(c, regno, reg, reg.off, meta.map.valueSize(), StackAccess.Kind.WRITE);
                    meta.rawRegno = regno;
                    meta.rawSize = meta.map.valueSize();
                } else {
                    MemCheck.helperMemAccess(c, regno, meta.map.valueSize(), raw, false);
                }
            }
            case PTR_TO_FUNC -> meta.subprog = reg.subprog;
            case PTR_TO_MEM, PTR_TO_MEM_RDONLY, PTR_TO_MEM_OR_NULL_RDONLY, PTR_TO_MEM_OR_NULL, PTR_TO_UNINIT_MEM -> {
                // checked with the size argument that follows
            }
            case CONST_SIZE, CONST_SIZE_OR_ZERO -> checkMemSize(c, fn, regno, reg, meta, arg == ArgType.CONST_SIZE_OR_ZERO);
            case CONST_ALLOC_SIZE_OR_ZERO -> {
                if (!reg.var.isConst()) {
                    throw Reject.eacces("R%d is not a known constant'", regno);
                }
                meta.memSize = reg.var.value();
                Precision.markReg(c, regno);
            }
            case PTR_TO_LONG -> MemCheck.helperMemAccess(c, regno, 8, true, false);
            case PTR_TO_CONST_STR -> checkConstStr(c, regno, reg);
            case PTR_TO_SPIN_LOCK -> SpinLock.process(c, regno, reg, fn.helper().id() == SpinLock.SPIN_LOCK);
            default -> {}
        }
    }

    /** check_mem_size_reg: the size of the memory argument before it. */
    private static void checkMemSize(Checker c, HelperProto fn, int regno, Reg reg, Meta meta, boolean zeroOk) {
        ArgType memArg = fn.arg(regno - 1);
        boolean write = memArg == ArgType.PTR_TO_UNINIT_MEM || memArg == ArgType.PTR_TO_MEM || memArg == ArgType.PTR_TO_MEM_OR_NULL;
        boolean raw = memArg == ArgType.PTR_TO_UNINIT_MEM && reg.var.isConst();
        if (reg.smin < 0) {
            throw Reject.eacces("R%d min value is negative, either use unsigned or 'var &= const'", regno);
        }
        if (reg.umin == 0 && !zeroOk) {
            throw Reject.eacces("R%d invalid zero-sized read: u64=[%d,%s]", regno, reg.umin, Long.toUnsignedString(reg.umax));
        }
        if (Long.compareUnsigned(reg.umax, MAX_VAR_SIZ) >= 0) {
            throw Reject.eacces("R%d unbounded memory access, use 'var &= const' or 'if (var < const)'", regno);
        }
        Reg mem = c.reg(regno - 1);
        if (raw && mem.type == RegType.PTR_TO_STACK && mem.var.isConst()) {
            // the helper fills the memory: bounds now, the bytes become data after the call
            StackAccess.checkBounds(c, regno - 1, mem, mem.off, (int) reg.umax, StackAccess.Kind.WRITE);
            meta.rawRegno = regno - 1;
            meta.rawSize = reg.umax;
        } else {
            MemCheck.helperMemAccess(c, regno - 1, reg.umax, write, zeroOk);
        }
        Precision.markReg(c, regno);
    }

    /** compatible_reg_types: which register types each argument type accepts, with the kernel's message. */
    private static void checkRegType(int regno, Reg reg, ArgType arg) {
        RegType t = reg.type;
        boolean ok;
        String expected;
        switch (arg) {
            case PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_UNINIT_MAP_VALUE, PTR_TO_MEM, PTR_TO_MEM_RDONLY, PTR_TO_MEM_OR_NULL_RDONLY,
                 PTR_TO_MEM_OR_NULL, PTR_TO_UNINIT_MEM -> {
                boolean rdonlyOk = arg == ArgType.PTR_TO_MEM_RDONLY || arg == ArgType.PTR_TO_MEM_OR_NULL_RDONLY;
                boolean nullOk = arg == ArgType.PTR_TO_MEM_OR_NULL_RDONLY || arg == ArgType.PTR_TO_MEM_OR_NULL;
                ok = (nullOk || !reg.maybeNull) && (rdonlyOk || !reg.rdonly) && switch (t) {
                    case PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM -> true;
                    default -> false;
                };
                expected = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";
            }
            case CONST_SIZE, CONST_SIZE_OR_ZERO, CONST_ALLOC_SIZE_OR_ZERO -> {
                ok = t == RegType.SCALAR;
                expected = "scalar";
            }
            case CONST_MAP_PTR -> {
                ok = t == RegType.CONST_PTR_TO_MAP;
                expected = "map_ptr";
            }
            case PTR_TO_CTX -> {
                ok = t == RegType.PTR_TO_CTX;
                expected = "ctx";
            }
            case PTR_TO_RINGBUF_MEM_RELEASE -> {
                ok = t == RegType.PTR_TO_MEM && reg.ringbuf && !reg.maybeNull;
                expected = "ringbuf_mem";
            }
            case PTR_TO_FUNC -> {
                ok = t == RegType.PTR_TO_FUNC;
                expected = "func";
            }
            case PTR_TO_STACK_OR_NULL -> {
                ok = t == RegType.PTR_TO_STACK;
                expected = "fp";
            }
            case PTR_TO_CONST_STR, PTR_TO_SPIN_LOCK -> {
                ok = t == RegType.PTR_TO_MAP_VALUE && !reg.maybeNull;
                expected = "map_value";
            }
            case PTR_TO_LONG -> {
                ok = !reg.maybeNull && switch (t) {
                    case PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE -> true;
                    default -> false;
                };
                expected = "fp, pkt, pkt_meta, map_key, map_value";
            }
            default -> {
                ok = true;
                expected = "";
            }
        }
        if (!ok) {
            throw Reject.eacces("R%d type=%s expected=%s", regno, RegFormat.typeName(reg), expected);
        }
    }

    /** check_func_arg_reg_off: pointers to objects other than memory must be unmodified. */
    private static void checkRegOff(int regno, Reg reg, ArgType arg) {
        if (arg == ArgType.PTR_TO_RINGBUF_MEM_RELEASE) {
            if (reg.off != 0 || !reg.var.equalsConst(0)) {
                throw Reject.eacces("R%d must have zero offset when passed to release func or trusted arg to kfunc", regno);
            }
            return;
        }
        switch (reg.type) {
            case PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, SCALAR -> {}
            default -> MemCheck.checkPtrOffReg(regno, reg, false);
        }
    }

    /** get_constant_map_key: a key on the stack that is a known constant (a spill of a constant, or zeroes). */
    private static long constantMapKey(Checker c, Reg key, int keySize) {
        if (!c.privileged() || key.type != RegType.PTR_TO_STACK || !key.var.isConst()) {
            return -1;
        }
        long stackOff = key.off + key.var.value();
        int slot = (int) (-stackOff - 1);
        int spi = slot / 8;
        int off = slot % 8;
        StackState st = c.cur.frames[key.frameno].stack;
        int zeroSize = 0;
        for (int i = off; i >= 0 && st.type(spi, i) == StackState.ZERO; i--) {
            zeroSize++;
        }
        if (zeroSize >= keySize) {
            return 0;
        }
        if (!st.isSpilled(spi) || st.spilled[spi] == null || st.spilled[spi].type != RegType.SCALAR) {
            return -1;
        }
        int spillSize = 0;
        for (int i = off; i >= 0 && st.type(spi, i) == StackState.SPILL; i--) {
            spillSize++;
        }
        if (spillSize != keySize) {
            return -1;
        }
        Reg r = st.spilled[spi];
        if (!r.var.isConst()) {
            return -1;
        }
        if (key.frameno == c.cur.curframe) {
            Precision.markSlot(c, spi);
        } else {
            Precision.markAll(c.cur);
        }
        return r.var.value();
    }

    /** check_reg_const_str: a NUL-terminated string at a constant offset of frozen read-only data. */
    private static void checkConstStr(Checker c, int regno, Reg reg) {
        MapRef m = reg.map;
        if (!m.readOnlyForPrograms() || !m.spec().frozen()) {
            throw Reject.eacces("R%d does not point to a readonly map'", regno);
        }
        if (!reg.var.isConst()) {
            throw Reject.eacces("R%d is not a constant address'", regno);
        }
        long off = reg.off + reg.var.value();
        if (m.spec().contents() instanceof dev.jxdp.obj.MapContents.Data d) {
            byte[] b = d.bytes();
            for (long i = off; i >= 0 && i < b.length; i++) {
                if (b[(int) i] == 0) {
                    return;
                }
            }
        }
        throw Reject.eacces("string is not zero-terminated");
    }

    /** release_reference: every register holding the reference becomes invalid. */
    private static void release(Checker c, int refObjId) {
        if (!c.cur.release(refObjId)) {
            throw Reject.einval("verifier internal error: reference %d not held", refObjId);
        }
        boolean priv = c.privileged();
        c.cur.forEachReg(r -> {
            if (r.refObjId == refObjId) {
                if (priv) {
                    r.markUnknown();
                } else {
                    r.markNotInit();
                }
            }
        });
    }

    /** clear_all_pkt_pointers: after a helper that may move the packet, no packet pointer is valid. */
    static void clearAllPacketPointers(State st) {
        st.forEachReg(r -> {
            if (r.type.isPacket() || r.type == RegType.PTR_TO_PACKET_END) {
                r.markUnknown();
            }
        });
    }

    /** check_map_func_compatibility: which helpers may take which map types. */
    private static void checkMapFuncCompatibility(MapRef map, int id) {
        MapType t = map.type();
        boolean ok = switch (t) {
            case PROG_ARRAY -> id == TAIL_CALL;
            case PERF_EVENT_ARRAY -> id == 22 || id == 25 || id == 55 || id == 111 || id == 121;
            case RINGBUF -> id == 130 || id == 131 || id == 134 || id == 198 || id == 199 || id == 200;
            case CGROUP_ARRAY -> id == 33 || id == 37;
            case DEVMAP, DEVMAP_HASH, XSKMAP -> id == 51 || id == MAP_LOOKUP_ELEM;
            case CPUMAP -> id == 51;
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> id == MAP_LOOKUP_ELEM;
            case QUEUE, STACK -> id == 87 || id == 88 || id == 89;
            case BLOOM_FILTER -> id == 87 || id == 89;
            case SOCKMAP, SOCKHASH, REUSEPORT_SOCKARRAY, SK_STORAGE, STACK_TRACE, CGROUP_STORAGE, PERCPU_CGROUP_STORAGE, USER_RINGBUF,
                 INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE, STRUCT_OPS, ARENA -> false;
            default -> true;
        };
        if (ok) {
            ok = switch (id) {
                case TAIL_CALL -> t == MapType.PROG_ARRAY;
                case 22, 25, 55 -> t == MapType.PERF_EVENT_ARRAY;
                case 130, 131, 134 -> t == MapType.RINGBUF;
                case 51 -> t == MapType.DEVMAP || t == MapType.DEVMAP_HASH || t == MapType.CPUMAP || t == MapType.XSKMAP;
                case 88 -> t == MapType.QUEUE || t == MapType.STACK;
                case 195 -> t == MapType.PERCPU_ARRAY || t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH;
                case 87, 89 -> t == MapType.QUEUE || t == MapType.STACK || t == MapType.BLOOM_FILTER;
                default -> true;
            };
        }
        if (!ok) {
            throw Reject.einval("cannot pass map_type %d into func %s", t.id(), HelperIds.describe(id));
        }
    }

    /**
     * bpf_loop and bpf_for_each_map_elem: besides returning, the helper may run the callback (again);
     * that path is explored as a branch entering the callback with its arguments. When the callback
     * returns, the path comes back to this call, which is how repeated invocations are explored until
     * the states converge (or, for bpf_loop, the count of invocations reaches the loop bound).
     */
    private static void callback(Checker c, int id, Meta meta) {
        Frame caller = c.cur.frame();
        Reg[] regs = caller.regs;
        boolean push = true;
        if (id == HelperCallbacks.LOOP) {
            // the loop count decides how often the callback may run
            Precision.markReg(c, Registers.R1);
            push = Long.compareUnsigned(Integer.toUnsignedLong(caller.callbackDepth), regs[Registers.R1].umax) < 0;
        }
        if (push) {
            int start = c.cfg.subprogStarts[meta.subprog];
            State cb = c.pushBranch(start);
            Frame cbCaller = cb.frame();
            Frame callee = CallCheck.enterFrame(c, cb, meta.subprog, c.insnIdx);
            callee.callback = new Frame.CallbackInfo(id, 0, 1);
            if (id == HelperCallbacks.LOOP) {
                // callback(u32 index, void *ctx)
                callee.regs[Registers.R1].markUnknown();
                callee.regs[Registers.R2].copyFrom(cbCaller.regs[Registers.R3]);
            } else {
                // callback(struct bpf_map *map, void *key, void *value, void *ctx)
                MapRef m = meta.map;
                callee.regs[Registers.R1].copyFrom(cbCaller.regs[Registers.R1]);
                callee.regs[Registers.R2].markPointer(RegType.PTR_TO_MAP_KEY);
                callee.regs[Registers.R2].map = m;
                callee.regs[Registers.R3].markPointer(RegType.PTR_TO_MAP_VALUE);
                callee.regs[Registers.R3].map = m;
                callee.regs[Registers.R4].copyFrom(cbCaller.regs[Registers.R3]);
            }
            cbCaller.callbackDepth++;
            cb.callbackUnrollDepth++;
        }
        caller.callbackDepth = 0;
    }
}
