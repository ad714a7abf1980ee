package dev.jxdp.exec;

import dev.jxdp.jit.Jit;

/** {@link RunLimitsTest} on the JIT: the same programs, the same results and messages. */
class RunLimitsJitTest extends RunLimitsTest {
    @Override
    Engine engine() {
        return new Jit();
    }
}
