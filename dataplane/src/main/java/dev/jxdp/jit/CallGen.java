package dev.jxdp.jit;

import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import dev.jxdp.exec.FunctionAddress;
import dev.jxdp.exec.Helpers;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.isa.Registers;
import dev.jxdp.isa.Size;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls and exits.
 *
 * <ul>
 *   <li>A helper is a static final field of the generated class; the call is one invokeinterface on
 *       it with r1-r5, a site HotSpot sees as monomorphic with a constant receiver. r1-r5 keep their
 *       values (the helper gets copies). A {@code MemoryFault} from the helper becomes the
 *       interpreter's error at the call, through an exception handler, not a check on the fast path.
 *   <li>A bpf-to-bpf call is a static call of the callee's method with its live-in registers; the
 *       run gives it a fresh zeroed frame ({@link JitRun#enter}) and takes it back after. r6-r9 and
 *       r10 are the caller's locals, untouched; r1-r5 come back through the run's return slots when
 *       the caller reads them.
 *   <li>callx calls the program's one {@code callx} method, which switches over its function
 *       references: the code at each site stays small however many functions there are.
 *   <li>exit checks r0 was written where the analysis cannot tell, hands back r1-r5 and returns r0.
 * </ul>
 */
final class CallGen {
    private CallGen() {}

    /** The 64-bit value of an ld_imm64 that {@code StaticCheck} let through. */
    static long immediate(LoadImm64 l, int pc) {
        if (l.source() == PseudoSource.FUNC) {
            return FunctionAddress.of(pc + 1 + l.imm());
        }
        if (l.source() != PseudoSource.VALUE) {
            throw new IllegalStateException("ld_imm64 " + l.source() + " reached the JIT");
        }
        return l.value();
    }

    static void call(Emitter e, Call c, int pc) {
        switch (c.kind()) {
            case HELPER -> helper(e, c.imm(), pc);
            case LOCAL -> local(e, pc + 1 + c.imm(), pc);
            case KFUNC -> throw new IllegalStateException("kfunc call reached the JIT");
        }
    }

    private static void helper(Emitter e, int id, int pc) {
        CodeBuilder cb = e.cb;
        if (id == Helpers.TAIL_CALL && e.unit.helpers.tailCalls() != null) {
            tailCall(e, pc);
            return;
        }
        ArrayValues array = e.unit.inlineLookups.get(pc);
        if (array != null) {
            inlineArrayLookup(e, array, pc);
            return;
        }
        HashLookup hash = e.unit.hashLookups.get(pc);
        if (hash != null) {
            hashLookup(e, hash);
            return;
        }
        helperCall(e, id, pc);
    }

    /** One invokeinterface on the helper's field, r0 from its result. */
    private static void helperCall(Emitter e, int id, int pc) {
        CodeBuilder cb = e.cb;
        if (!e.unit.helperFields.containsKey(id)) {
            // As in the interpreter, an unknown helper is an error only when the call runs.
            cb.aload(e.loc.rt());
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "missingHelper", Descs.ERROR_I);
            cb.athrow();
            return;
        }
        cb.aload(e.loc.rt());
        cb.loadConstant(pc);
        cb.putfield(Descs.RUN, "pc", CD_int);
        Label start = cb.newLabel();
        Label end = cb.newLabel();
        Label handler = cb.newLabel();
        cb.labelBinding(start);
        cb.getstatic(e.unit.self, Unit.helperField(id), Descs.HELPER);
        cb.aload(e.loc.rt());
        for (int r = 1; r <= 5; r++) {
            e.loadReg(r);
        }
        cb.invokeinterface(Descs.HELPER, "call", Descs.HELPER_CALL);
        cb.labelBinding(end);
        e.storeReg(Registers.R0);
        cb.exceptionCatch(start, end, handler, Descs.MEMORY_FAULT);
        e.defer(() -> {
            cb.labelBinding(handler);
            cb.aload(e.loc.rt());
            cb.swap();
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "helperFault", Descs.ERROR_FAULT_I);
            cb.athrow();
        });
    }

    /**
     * bpf_map_lookup_elem on the one ARRAY or PERCPU_ARRAY map the verifier proved reaches this call:
     * the kernel's array_map_gen_lookup, {@code r0 = key < max_entries ? values + (key * copies +
     * worker) * stride : 0} with the u32 key read at r2 (proven readable), the block's address and
     * the layout as constants. The value's region is noted for the region table as the helper would
     * note it ({@link JitRun#exposeArrayValue}). A per-CPU site calls the helper for a worker the map
     * has no values for, so that its error is the helper's.
     */
    private static void inlineArrayLookup(Emitter e, ArrayValues array, int pc) {
        CodeBuilder cb = e.cb;
        Label slow = cb.newLabel();
        Label miss = cb.newLabel();
        Label done = cb.newLabel();
        Label end = cb.newLabel();
        if (array.perCpu()) {
            cb.aload(e.loc.rt());
            cb.invokevirtual(Descs.RUN, "worker", MethodTypeDesc.of(CD_int));
            cb.i2l();
            cb.lstore(e.loc.tmp());
            cb.lload(e.loc.tmp());
            cb.lconst_0();
            cb.lcmp();
            cb.iflt(slow);
            cb.lload(e.loc.tmp());
            cb.loadConstant((long) array.copies());
            cb.lcmp();
            cb.ifge(slow);
        }
        MemoryGen.directLoad(cb, Size.W, () -> e.loadReg(Registers.R2));
        cb.dup2();
        cb.loadConstant(Integer.toUnsignedLong(array.maxEntries()));
        cb.lcmp();
        cb.ifge(miss);
        if (array.perCpu()) {
            cb.loadConstant((long) array.copies());
            cb.lmul();
            cb.lload(e.loc.tmp());
            cb.ladd();
        }
        cb.loadConstant((long) array.stride());
        cb.lmul();
        cb.loadConstant(array.values().address());
        cb.ladd();
        cb.lstore(e.loc.tmp());
        cb.aload(e.loc.rt());
        cb.loadConstant(e.unit.arrayIndex(array));
        cb.lload(e.loc.tmp());
        cb.invokevirtual(Descs.RUN, "exposeArrayValue", MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_void, CD_int, CD_long));
        cb.lload(e.loc.tmp());
        cb.goto_(done);
        cb.labelBinding(miss);
        cb.pop2();
        cb.lconst_0();
        cb.labelBinding(done);
        e.storeReg(Registers.R0);
        if (array.perCpu()) {
            cb.goto_(end);
            cb.labelBinding(slow);
            helperCall(e, MAP_LOOKUP_ELEM, pc);
        }
        cb.labelBinding(end);
    }

    private static final int MAP_LOOKUP_ELEM = 1;

    /**
     * bpf_map_lookup_elem on the one HASH map the verifier proved reaches this call, with r2 proven
     * readable for the key: {@code r0 = hm<i>.lookup(r2)}, a call on a constant of the class that C2
     * can inline, and the value's region noted for the region table as the helper would note it
     * ({@link JitRun#exposeHashValue}).
     */
    private static void hashLookup(Emitter e, HashLookup hash) {
        CodeBuilder cb = e.cb;
        Label done = cb.newLabel();
        cb.getstatic(e.unit.self, Unit.hashField(e.unit.hashIndex(hash)), Descs.HASH_LOOKUP);
        e.loadReg(Registers.R2);
        cb.invokeinterface(Descs.HASH_LOOKUP, "lookup", MethodTypeDesc.of(CD_long, CD_long));
        cb.lstore(e.loc.tmp());
        cb.lload(e.loc.tmp());
        cb.lconst_0();
        cb.lcmp();
        cb.ifeq(done);
        cb.aload(e.loc.rt());
        cb.loadConstant(e.unit.hashIndex(hash));
        cb.lload(e.loc.tmp());
        cb.invokevirtual(Descs.RUN, "exposeHashValue", MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_void, CD_int, CD_long));
        cb.labelBinding(done);
        cb.lload(e.loc.tmp());
        e.storeReg(Registers.R0);
    }

    /**
     * bpf_tail_call ({@link JitRun#tailCall}): on success r0 is the callee's and the function exits
     * (no r0 check: it is written); on failure r0 is 0 and unwritten, as in the interpreter. The call
     * ends its block ({@link Cfg}), and {@link Liveness} counts it as a possible exit.
     */
    private static void tailCall(Emitter e, int pc) {
        CodeBuilder cb = e.cb;
        cb.aload(e.loc.rt());
        for (int r = 1; r <= 3; r++) {
            e.loadReg(r);
        }
        cb.loadConstant(pc);
        cb.invokevirtual(Descs.RUN, "tailCall", MethodTypeDesc.of(CD_int, CD_long, CD_long, CD_long, CD_int));
        Label failed = cb.newLabel();
        cb.ifeq(failed);
        cb.aload(e.loc.rt());
        cb.getfield(Descs.RUN, "tailResult", CD_long);
        e.storeReg(Registers.R0);
        exitSequence(e);
        cb.labelBinding(failed);
        cb.lconst_0();
        cb.lstore(e.loc.reg(Registers.R0));
        if (e.fn.r0Flag()) {
            cb.iconst_0();
            cb.istore(e.loc.w0());
        }
    }

    private static void local(Emitter e, int target, int pc) {
        CodeBuilder cb = e.cb;
        FunctionPlan callee = e.unit.function(target);
        cb.aload(e.loc.rt());
        cb.loadConstant(pc);
        cb.invokevirtual(Descs.RUN, "enter", Descs.J_I);
        cb.lstore(e.loc.tmp());
        cb.aload(e.loc.rt());
        cb.lload(e.loc.tmp());
        for (int r = 0; r < 10; r++) {
            if ((callee.liveIn() & 1 << r) != 0) {
                e.loadReg(r);
            }
        }
        cb.invokestatic(e.unit.self, callee.methodName(), callee.type());
        cb.aload(e.loc.rt());
        cb.invokevirtual(Descs.RUN, "leave", Descs.V);
        afterCall(e, pc);
    }

    /** r0 from the call's result on the stack; r1-r5 the callee left, where read afterwards. */
    private static void afterCall(Emitter e, int pc) {
        CodeBuilder cb = e.cb;
        e.storeReg(Registers.R0);
        int reload = e.unit.liveness.liveAfterCall(pc) & Effects.R1_R5;
        for (int r = 1; r <= 5; r++) {
            if ((reload & 1 << r) != 0) {
                cb.aload(e.loc.rt());
                cb.getfield(Descs.RUN, "ret" + r, CD_long);
                cb.lstore(e.loc.reg(r));
            }
        }
    }

    /**
     * callx: one call of the program's {@code callx} method ({@link ClassGen}), which switches over
     * the function references, with all of r0-r9 (each target takes its own live-ins from them).
     */
    static void callx(Emitter e, CallReg c, int pc) {
        CodeBuilder cb = e.cb;
        cb.aload(e.loc.rt());
        e.loadReg(c.reg());
        cb.loadConstant(pc);
        for (int r = 0; r < 10; r++) {
            e.loadReg(r);
        }
        cb.invokestatic(e.unit.self, CALLX, CALLX_TYPE);
        afterCall(e, pc);
    }

    static final MethodTypeDesc CALLBACK_TYPE = MethodTypeDesc.of(CD_long, Descs.RUN, CD_long, CD_int,
            CD_long, CD_long, CD_long, CD_long, CD_long);

    /**
     * The body of {@code callback(JitRun rt, long target, int pc, long r1..r5) -> r0}: the callx
     * dispatch with r0 and r6-r9 at 0, as the interpreter starts a callback.
     */
    static void callbackMethod(Unit u, CodeBuilder cb) {
        int rt = 1;
        int target = 2;
        int pc = 4;
        int args = 5;
        cb.aload(rt);
        cb.lload(target);
        cb.iload(pc);
        cb.lconst_0();
        for (int r = 0; r < 5; r++) {
            cb.lload(args + 2 * r);
        }
        for (int r = 6; r <= 9; r++) {
            cb.lconst_0();
        }
        cb.invokestatic(u.self, CALLX, CALLX_TYPE);
        cb.lreturn();
    }

    static final String CALLX = "callx";
    static final MethodTypeDesc CALLX_TYPE = MethodTypeDesc.of(CD_long, Descs.RUN, CD_long, CD_int,
            CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long);

    /**
     * The body of {@code callx(JitRun rt, long target, int pc, long r0..r9) -> r0}: the interpreter's
     * order, first whether the target is a function, then the frame.
     */
    static void callxMethod(Unit u, CodeBuilder cb) {
        int target = 1;
        int pc = 3;
        int regs = 4;
        int fp = regs + 20;
        Label bad = cb.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        for (int t : u.cfg.functionRefs()) {
            cases.add(SwitchCase.of(t, cb.newLabel()));
        }
        cb.lload(target);
        cb.invokestatic(Descs.FUNCTION_ADDRESS, "slotOf", Descs.I_J);
        cb.lookupswitch(bad, cases);
        for (SwitchCase sc : cases) {
            FunctionPlan callee = u.function(sc.caseValue());
            cb.labelBinding(sc.target());
            cb.aload(0);
            cb.iload(pc);
            cb.invokevirtual(Descs.RUN, "enter", Descs.J_I);
            cb.lstore(fp);
            cb.aload(0);
            cb.lload(fp);
            for (int r = 0; r < 10; r++) {
                if ((callee.liveIn() & 1 << r) != 0) {
                    cb.lload(regs + 2 * r);
                }
            }
            cb.invokestatic(u.self, callee.methodName(), callee.type());
            cb.aload(0);
            cb.invokevirtual(Descs.RUN, "leave", Descs.V);
            cb.lreturn();
        }
        cb.labelBinding(bad);
        cb.aload(0);
        cb.iload(pc);
        cb.lload(target);
        cb.invokevirtual(Descs.RUN, "badCallTarget", Descs.ERROR_IJ);
        cb.athrow();
    }

    static void exit(Emitter e, int pc) {
        CodeBuilder cb = e.cb;
        if (e.fn.r0Checks().contains(pc)) {
            Label ok = cb.newLabel();
            cb.iload(e.loc.w0());
            cb.ifne(ok);
            cb.aload(e.loc.rt());
            cb.loadConstant(pc);
            cb.invokevirtual(Descs.RUN, "r0Unwritten", Descs.ERROR_I);
            cb.athrow();
            cb.labelBinding(ok);
        }
        exitSequence(e);
    }

    /** Hands back r1-r5 and returns r0: the end of every exit. */
    private static void exitSequence(Emitter e) {
        CodeBuilder cb = e.cb;
        int out = e.unit.liveness.needOut();
        for (int r = 1; r <= 5; r++) {
            if ((out & 1 << r) != 0) {
                cb.aload(e.loc.rt());
                e.loadReg(r);
                cb.putfield(Descs.RUN, "ret" + r, CD_long);
            }
        }
        if (e.region == null) {
            e.loadReg(Registers.R0);
            cb.lreturn();
        } else {
            cb.aload(e.loc.st());
            cb.iconst_0();
            e.loadReg(Registers.R0);
            cb.lastore();
            cb.iconst_m1();
            cb.ireturn();
        }
    }
}
