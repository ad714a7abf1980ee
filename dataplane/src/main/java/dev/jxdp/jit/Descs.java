package dev.jxdp.jit;

import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.FunctionAddress;
import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;

/** Symbolic references the generated code uses, in one place. */
final class Descs {
    static final ClassDesc RUN = desc(JitRun.class);
    static final ClassDesc COMPILED = desc(CompiledCode.class);
    static final ClassDesc HELPER = desc(Helper.class);
    static final ClassDesc HELPER_CONTEXT = desc(HelperContext.class);
    static final ClassDesc EXECUTION_EXCEPTION = desc(ExecutionException.class);
    static final ClassDesc MEMORY_FAULT = desc(MemoryFault.class);
    static final ClassDesc DIRECT = desc(Direct.class);
    static final ClassDesc HASH_LOOKUP = desc(HashLookup.class);
    static final ClassDesc ATOMIC_OPS = desc(AtomicOps.class);
    static final ClassDesc OPS = desc(Ops.class);
    static final ClassDesc FUNCTION_ADDRESS = desc(FunctionAddress.class);
    static final ClassDesc SEGMENT = desc(MemorySegment.class);
    static final ClassDesc LONG_ARRAY = CD_long.arrayType();

    static final MethodTypeDesc HELPER_CALL = MethodTypeDesc.of(CD_long, HELPER_CONTEXT, CD_long, CD_long, CD_long, CD_long, CD_long);
    static final MethodTypeDesc RUN_ENTRY = MethodTypeDesc.of(CD_long, RUN, CD_long, CD_long, CD_long, CD_long, CD_long);
    static final MethodTypeDesc REGION = MethodTypeDesc.of(CD_int, RUN, LONG_ARRAY, CD_long, CD_int);
    static final MethodTypeDesc J_JJ = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    static final MethodTypeDesc I_II = MethodTypeDesc.of(CD_int, CD_int, CD_int);
    static final MethodTypeDesc I_JJ = MethodTypeDesc.of(CD_int, CD_long, CD_long);
    static final MethodTypeDesc I_J = MethodTypeDesc.of(CD_int, CD_long);
    static final MethodTypeDesc J = MethodTypeDesc.of(CD_long);
    static final MethodTypeDesc J_I = MethodTypeDesc.of(CD_long, CD_int);
    static final MethodTypeDesc J_II = MethodTypeDesc.of(CD_long, CD_int, CD_int);
    static final MethodTypeDesc J_JI = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    static final MethodTypeDesc J_JIII = MethodTypeDesc.of(CD_long, CD_long, CD_int, CD_int, CD_int);
    static final MethodTypeDesc V = MethodTypeDesc.of(CD_void);
    static final MethodTypeDesc V_II = MethodTypeDesc.of(CD_void, CD_int, CD_int);
    static final MethodTypeDesc V_JJI = MethodTypeDesc.of(CD_void, CD_long, CD_long, CD_int);
    static final MethodTypeDesc ERROR_I = MethodTypeDesc.of(EXECUTION_EXCEPTION, CD_int);
    static final MethodTypeDesc ERROR_IJ = MethodTypeDesc.of(EXECUTION_EXCEPTION, CD_int, CD_long);
    static final MethodTypeDesc ERROR_FAULT_I = MethodTypeDesc.of(EXECUTION_EXCEPTION, MEMORY_FAULT, CD_int);
    static final MethodTypeDesc WORD = MethodTypeDesc.of(SEGMENT, CD_long, CD_int, CD_int);
    static final MethodTypeDesc ATOMIC = MethodTypeDesc.of(CD_long, SEGMENT, CD_long, CD_long);
    static final MethodTypeDesc ATOMIC_CMPXCHG = MethodTypeDesc.of(CD_long, SEGMENT, CD_long, CD_long, CD_long);

    private Descs() {}

    static ClassDesc desc(Class<?> c) {
        return c.describeConstable().orElseThrow();
    }
}
