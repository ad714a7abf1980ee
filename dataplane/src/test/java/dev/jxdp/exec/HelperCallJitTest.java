package dev.jxdp.exec;

import dev.jxdp.jit.Jit;

/** {@link HelperCallTest} on the JIT: the same programs, the same results and messages. */
class HelperCallJitTest extends HelperCallTest {
    @Override
    Engine engine() {
        return new Jit();
    }
}
