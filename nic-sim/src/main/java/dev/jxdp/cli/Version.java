package dev.jxdp.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code jxdp --version}: the build's version and the JVM it runs on. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "jxdp " + (v == null ? "(development build)" : v),
            "JVM: " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
