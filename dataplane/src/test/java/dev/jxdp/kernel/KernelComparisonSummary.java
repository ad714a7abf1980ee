package dev.jxdp.kernel;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints {@link KernelComparisons#summary()} once all tests have run, so the build output says how
 * many tests were checked against the kernel and why the rest were skipped. Registered through
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener, which the JUnit Platform
 * launcher (and so Maven Surefire and IDEs) loads by itself.
 */
public final class KernelComparisonSummary implements TestExecutionListener {

    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.isTest()) {
            KernelComparisons.testStarted(id.getUniqueId());
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            KernelComparisons.testFinished();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (!KernelComparisons.any()) {
            return; // a test run without kernel comparisons (e.g. the fuzzing execution) has nothing to say
        }
        // stdout of the forked test JVM reaches Maven's console even under -q.
        System.out.println(KernelComparisons.summary());
        System.out.flush();
    }
}
