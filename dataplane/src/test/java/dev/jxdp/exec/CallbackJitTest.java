package dev.jxdp.exec;

import dev.jxdp.jit.Jit;

/** {@link CallbackTest} on the JIT. */
class CallbackJitTest extends CallbackTest {
    @Override
    Engine engine() {
        return new Jit();
    }
}
