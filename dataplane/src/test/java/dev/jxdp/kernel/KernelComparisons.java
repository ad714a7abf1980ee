package dev.jxdp.kernel;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.opentest4j.TestAbortedException;

/**
 * The assumption every test that needs the kernel starts with, and the tally behind the
 * "kernel comparisons: N run, M skipped (reason)" line that {@link KernelComparisonSummary} prints at
 * the end of the test run.
 *
 * <pre>
 * &#64;Test
 * void divisionByZeroGivesZero() {
 *     KernelComparisons.assumeKernel();   // skips, with the reason, where bpf() is not usable
 *     ...
 * }
 * </pre>
 *
 * A test counts once however often it calls {@link #assumeKernel()}: the listener tells this class
 * which test is running on the current thread (JUnit notifies listeners on the thread that runs the
 * test). Without the listener each call counts.
 */
public final class KernelComparisons {
    private static final ThreadLocal<String> CURRENT_TEST = new ThreadLocal<>();
    private static final AtomicLong ANONYMOUS = new AtomicLong();
    private static final Set<String> RAN = ConcurrentHashMap.newKeySet();
    private static final Set<String> SKIPPED = ConcurrentHashMap.newKeySet();
    private static final Set<String> REASONS = ConcurrentHashMap.newKeySet();

    private KernelComparisons() {}

    /**
     * Aborts the calling test (JUnit reports it as skipped, with the reason) if the kernel backend is
     * not usable here, and counts the test as a kernel comparison run or skipped.
     */
    public static BpfAvailability assumeKernel() {
        BpfAvailability availability = BpfAvailability.check();
        assume(availability.usable(), availability.reason());
        return availability;
    }

    /**
     * Like {@link #assumeKernel()} for a comparison that needs more than the bpf() call, e.g. bpftool
     * or a bpffs: aborts (and counts a skip with {@code reason}) unless {@code usable}.
     */
    public static void assume(boolean usable, String reason) {
        String test = CURRENT_TEST.get();
        String key = test != null ? test : "call-" + ANONYMOUS.incrementAndGet();
        if (!usable) {
            RAN.remove(key);
            SKIPPED.add(key);
            REASONS.add(reason);
            throw new TestAbortedException(reason);
        }
        if (!SKIPPED.contains(key)) {
            RAN.add(key);
        }
    }

    /** Whether any test of this run asked for the kernel. */
    static boolean any() {
        return !RAN.isEmpty() || !SKIPPED.isEmpty();
    }

    static void testStarted(String uniqueId) {
        CURRENT_TEST.set(uniqueId);
    }

    static void testFinished() {
        CURRENT_TEST.remove();
    }

    /** {@code kernel comparisons: 12 run, 0 skipped}, or with the reasons of the skips in parentheses. */
    public static String summary() {
        String line = "kernel comparisons: " + RAN.size() + " run, " + SKIPPED.size() + " skipped";
        return REASONS.isEmpty() ? line : line + " (" + String.join("; ", new TreeSet<>(REASONS)) + ")";
    }
}
