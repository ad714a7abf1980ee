package dev.jxdp.nic.testing;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points jxdp's run directory ({@code -Djxdp.runDir}, where a switch writes its run file) at a test's
 * own folder for each test and puts the old value back after, so that switches started by tests never
 * meet each other's or a real one's run files. Register it on an instance field:
 * {@code @RegisterExtension final RunDirProperty runDirProperty = new RunDirProperty(() -> runDir);}
 * with {@code runDir} a {@code @TempDir} field (filled before this runs).
 */
public final class RunDirProperty implements BeforeEachCallback, AfterEachCallback {
    private static final String KEY = "jxdp.runDir";
    private final Supplier<Path> dir;
    private String old;

    public RunDirProperty(Supplier<Path> dir) {
        this.dir = Objects.requireNonNull(dir);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        old = System.getProperty(KEY);
        System.setProperty(KEY, Objects.requireNonNull(dir.get(), "the run directory is not made yet").toString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (old == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, old);
        }
    }
}
