package dev.jxdp.nic.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty's leak detector reported a leaked ByteBuf or frame (registered
 * for every class of this module through JUnit's extension auto-detection).
 */
public final class NoLeaksExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        if (!NettyLeakGuard.installed()) {
            return; // not under the JUnit launcher (an IDE running one method without the listener)
        }
        List<String> leaks = NettyLeakGuard.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty's leak detector reported " + leaks.size() + " leak(s) during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
