package dev.jxdp.jit;

/**
 * What every generated class implements: the entry of the main function. One interface call per run;
 * everything below it is static calls inside the generated class.
 */
interface CompiledCode {
    long run(JitRun rt, long r1, long r2, long r3, long r4, long r5);
}
