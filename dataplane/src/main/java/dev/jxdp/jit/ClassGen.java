package dev.jxdp.jit;

import static java.lang.constant.ConstantDescs.CD_Class;
import static java.lang.constant.ConstantDescs.CD_List;
import static java.lang.constant.ConstantDescs.CD_MethodHandles;
import static java.lang.constant.ConstantDescs.CD_MethodHandles_Lookup;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.INIT_NAME;
import static java.lang.constant.ConstantDescs.MTD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the class of one program with java.lang.classfile:
 *
 * <pre>
 * final class Program implements CompiledCode {
 *     static final Helper h1, h7, ...;           // from the class data
 *     static final Object m0, ...;               // the maps of inline array lookups, from the class data
 *     public long run(JitRun rt, long r1..r5)    // calls f0
 *     public long callback(JitRun rt, long target, int pc, long r1..r5) // if it has function references
 *     static long callx(JitRun rt, long target, int pc, long r0..r9) // if the program has callx or function references
 *     static long f0(JitRun rt, long r10, long live-ins...)       // one method per function
 *     static int f0_3(JitRun rt, long[] regs, long r10, int entry) // regions of a split function
 * }
 * </pre>
 */
final class ClassGen {
    private static final ClassDesc ILLEGAL_STATE = ClassDesc.of("java.lang.IllegalStateException");
    private static final int STATIC = ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC;

    private ClassGen() {}

    static byte[] build(Unit u) {
        return ClassFile.of().build(u.self, clb -> {
            clb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
            clb.withInterfaceSymbols(Descs.COMPILED);
            for (int id : u.helperFields.keySet()) {
                clb.withField(Unit.helperField(id), Descs.HELPER,
                        ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
            }
            for (int i = 0; i < u.arrays.size(); i++) {
                clb.withField(Unit.mapField(i), CD_Object, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
            }
            for (int i = 0; i < u.hashes.size(); i++) {
                clb.withField(Unit.hashField(i), Descs.HASH_LOOKUP, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
            }
            classInit(u, clb);
            clb.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC, cb -> {
                cb.aload(0);
                cb.invokespecial(CD_Object, INIT_NAME, MTD_void);
                cb.return_();
            });
            runEntry(u, clb);
            if (u.hasCallx() || !u.cfg.functionRefs().isEmpty()) {
                clb.withMethodBody(CallGen.CALLX, CallGen.CALLX_TYPE, STATIC, cb -> CallGen.callxMethod(u, cb));
            }
            if (!u.cfg.functionRefs().isEmpty()) {
                clb.withMethodBody("callback", CallGen.CALLBACK_TYPE, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL,
                        cb -> CallGen.callbackMethod(u, cb));
            }
            for (FunctionPlan f : u.functions.values()) {
                if (f.split()) {
                    dispatcher(u, f, clb);
                    for (RegionPlan r : f.regions()) {
                        region(u, f, r, clb);
                    }
                } else {
                    clb.withMethodBody(f.methodName(), f.type(), STATIC, cb -> function(u, f, cb));
                }
            }
        });
    }

    /** Helper and map fields from the class data: {@code MethodHandles.classData(lookup(), "_", List.class)}. */
    private static void classInit(Unit u, ClassBuilder clb) {
        if (u.helperFields.isEmpty() && u.arrays.isEmpty() && u.hashes.isEmpty()) {
            return;
        }
        clb.withMethodBody(ConstantDescs.CLASS_INIT_NAME, MTD_void, ClassFile.ACC_STATIC, cb -> {
            cb.invokestatic(CD_MethodHandles, "lookup", MethodTypeDesc.of(CD_MethodHandles_Lookup));
            cb.loadConstant(ConstantDescs.DEFAULT_NAME);
            cb.loadConstant(CD_List);
            cb.invokestatic(CD_MethodHandles, "classData",
                    MethodTypeDesc.of(CD_Object, CD_MethodHandles_Lookup, CD_String, CD_Class));
            cb.checkcast(CD_List);
            cb.astore(0);
            int i = 0;
            for (int id : u.helperFields.keySet()) {
                cb.aload(0);
                cb.loadConstant(i++);
                cb.invokeinterface(CD_List, "get", MethodTypeDesc.of(CD_Object, CD_int));
                cb.checkcast(Descs.HELPER);
                cb.putstatic(u.self, Unit.helperField(id), Descs.HELPER);
            }
            for (int m = 0; m < u.arrays.size(); m++) {
                cb.aload(0);
                cb.loadConstant(i++);
                cb.invokeinterface(CD_List, "get", MethodTypeDesc.of(CD_Object, CD_int));
                cb.putstatic(u.self, Unit.mapField(m), CD_Object);
            }
            for (int h = 0; h < u.hashes.size(); h++) {
                cb.aload(0);
                cb.loadConstant(i++);
                cb.invokeinterface(CD_List, "get", MethodTypeDesc.of(CD_Object, CD_int));
                cb.checkcast(Descs.HASH_LOOKUP);
                cb.putstatic(u.self, Unit.hashField(h), Descs.HASH_LOOKUP);
            }
            cb.return_();
        });
    }

    /** {@code run(rt, r1..r5)}: the main function with r0 and r6-r9 at 0, r10 at the end of frame 0. */
    private static void runEntry(Unit u, ClassBuilder clb) {
        clb.withMethodBody("run", Descs.RUN_ENTRY, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, cb -> {
            if (u.functions.isEmpty()) {
                cb.aload(1);
                cb.iconst_m1();
                cb.invokevirtual(Descs.RUN, "fallOff", Descs.ERROR_I);
                cb.athrow();
                return;
            }
            FunctionPlan main = u.function(0);
            cb.aload(1);
            cb.aload(1);
            cb.invokevirtual(Descs.RUN, "framePointer", Descs.J);
            for (int r = 0; r < 10; r++) {
                if ((main.liveIn() & 1 << r) != 0) {
                    if (r >= 1 && r <= 5) {
                        cb.lload(2 * r);
                    } else {
                        cb.lconst_0();
                    }
                }
            }
            cb.invokestatic(u.self, main.methodName(), main.type());
            cb.lreturn();
        });
    }

    private static void function(Unit u, FunctionPlan f, CodeBuilder cb) {
        Locals loc = Locals.forFunction(f.liveIn());
        for (int r = 0; r < 10; r++) {
            if ((f.liveIn() & 1 << r) == 0) {
                // Never read before written (liveness); the JVM wants it assigned.
                cb.lconst_0();
                cb.lstore(loc.reg(r));
            }
        }
        if (f.r0Flag()) {
            cb.iconst_0();
            cb.istore(loc.w0());
        }
        Emitter e = new Emitter(u, f, null, cb, loc);
        e.declare(f.blocks());
        Block first = f.blocks().getFirst();
        if (first.start() != f.entry()) {
            cb.goto_(e.label(f.entry()));
        }
        e.emit(f.blocks());
    }

    /** Regions one dispatch method switches over: above this, a second level of dispatch methods. */
    static final int GROUP = 256;

    /**
     * A split function's own method: the registers go into an array that the regions share, then a
     * loop calls the region holding the next block until one returns -1 (an exit; r0 is in the array).
     * The next block is named {@code region << 16 | entry}. Functions of more than {@link #GROUP}
     * regions dispatch in two steps ({@code f<entry>_d<group>}) so no dispatch method grows large.
     */
    private static void dispatcher(Unit u, FunctionPlan f, ClassBuilder clb) {
        int regions = f.regions().size();
        if (regions >= 1 << 15) {
            throw new JitException("cannot JIT-compile this program: function " + f.methodName() + " needs "
                    + regions + " regions, more than the JIT can number; run it with --interpret");
        }
        boolean twoLevels = regions > GROUP;
        clb.withMethodBody(f.methodName(), f.type(), STATIC, cb -> {
            Locals params = Locals.forFunction(f.liveIn());
            int st = params.w0();
            int next = st + 1;
            cb.bipush(11);
            cb.newarray(TypeKind.LONG);
            cb.astore(st);
            for (int r = 0; r < 10; r++) {
                if ((f.liveIn() & 1 << r) != 0) {
                    cb.aload(st);
                    cb.loadConstant(r);
                    cb.lload(params.reg(r));
                    cb.lastore();
                }
            }
            cb.loadConstant(f.targetId(f.entry()));
            cb.istore(next);
            Label loop = cb.newLabel();
            Label check = cb.newLabel();
            cb.labelBinding(loop);
            cb.iload(next);
            cb.bipush(twoLevels ? 24 : 16);
            cb.iushr();
            int cases = twoLevels ? (regions + GROUP - 1) / GROUP : regions;
            dispatch(cb, 0, cases, i -> {
                cb.aload(0);
                cb.aload(st);
                cb.lload(1);
                cb.iload(next);
                cb.invokestatic(u.self, twoLevels ? f.methodName() + "_d" + i : f.regionName(i), Descs.REGION);
                cb.istore(next);
                cb.goto_(check);
            });
            cb.labelBinding(check);
            cb.iload(next);
            cb.ifge(loop);
            cb.aload(st);
            cb.iconst_0();
            cb.laload();
            cb.lreturn();
        });
        if (twoLevels) {
            for (int g = 0; g * GROUP < regions; g++) {
                int first = g * GROUP;
                int count = Math.min(GROUP, regions - first);
                clb.withMethodBody(f.methodName() + "_d" + g, Descs.REGION, STATIC, cb -> {
                    cb.iload(Locals.REGION_ENTRY_SLOT);
                    cb.bipush(16);
                    cb.iushr();
                    cb.loadConstant(0xff);
                    cb.iand();
                    dispatch(cb, 0, count, i -> {
                        cb.aload(0);
                        cb.aload(1);
                        cb.lload(2);
                        cb.iload(Locals.REGION_ENTRY_SLOT);
                        cb.invokestatic(u.self, f.regionName(first + i), Descs.REGION);
                        cb.ireturn();
                    });
                });
            }
        }
    }

    /** A tableswitch over the int on the stack, cases {@code [low, low + count)}; others are a JIT bug. */
    private static void dispatch(CodeBuilder cb, int low, int count, java.util.function.IntConsumer body) {
        Label bad = cb.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(SwitchCase.of(low + i, cb.newLabel()));
        }
        cb.tableswitch(low, low + count - 1, bad, cases);
        for (SwitchCase c : cases) {
            cb.labelBinding(c.target());
            body.accept(c.caseValue());
        }
        cb.labelBinding(bad);
        internalError(cb);
    }

    private static void region(Unit u, FunctionPlan f, RegionPlan r, ClassBuilder clb) {
        clb.withMethodBody(f.regionName(r.index()), Descs.REGION, STATIC, cb -> {
            Locals loc = Locals.forRegion();
            Emitter e = new Emitter(u, f, r, cb, loc);
            e.declare(r.blocks());
            e.loadRegisters();
            Label bad = cb.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            for (int i = 0; i < r.entries().size(); i++) {
                cases.add(SwitchCase.of(i, e.label(r.entries().get(i))));
            }
            cb.iload(Locals.REGION_ENTRY_SLOT);
            cb.loadConstant(0xffff);
            cb.iand();
            cb.tableswitch(0, cases.size() - 1, bad, cases);
            e.emit(r.blocks());
            cb.labelBinding(bad);
            internalError(cb);
        });
    }

    /** A dispatch value no region has: a bug of the JIT, never of the program. */
    private static void internalError(CodeBuilder cb) {
        cb.new_(ILLEGAL_STATE);
        cb.dup();
        cb.invokespecial(ILLEGAL_STATE, INIT_NAME, MTD_void);
        cb.athrow();
    }
}
