package dev.jxdp.nic.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sees every leak Netty's leak detector finds in this test JVM, ByteBufs and jxdp's frames alike.
 * As the JUnit launcher session opens (before any test class touches Netty) it installs a leak
 * detector factory whose detectors record each leak they report, instead of only logging it;
 * {@link NoLeaksExtension} then fails the test class after which a leak showed up.
 *
 * <p>Netty finds a leak when a tracked object is garbage-collected without its last release, and
 * reports it on a later allocation; {@link #collect()} forces both.
 */
public final class NettyLeakGuard implements LauncherSessionListener {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;
    private static volatile boolean quiet;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    /** Installs the recording factory (idempotent); must run before Netty creates its detectors. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    public static boolean installed() {
        return installed;
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // whatever logging backend Netty picked
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType + " leaked:" + records);
            if (!quiet) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType + " leaked (no access records)");
            if (!quiet) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    /** {@link #collect()} without Netty's own log lines: for a test that leaks on purpose. */
    public static List<String> collectQuietly() {
        quiet = true;
        try {
            return collect();
        } finally {
            quiet = false;
        }
    }

    /**
     * Collects garbage and makes the detectors look at what was collected, then returns (and forgets)
     * the leaks reported since the last call.
     */
    public static List<String> collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(30); // the reference handler enqueues what the collection found
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // A tracked allocation makes Netty's detector drain its reference queue and report.
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            probe.release();
            FramePools.probe();
        }
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }
}
