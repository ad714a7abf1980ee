package dev.jxdp.exec;

import dev.jxdp.jit.Jit;

/** {@link TailCallTest} on the JIT. */
class TailCallJitTest extends TailCallTest {
    @Override
    Engine engine() {
        return new Jit();
    }
}
