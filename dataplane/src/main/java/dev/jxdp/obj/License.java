package dev.jxdp.obj;

import java.util.Set;

/**
 * The kernel's license rule for programs (license_is_gpl_compatible in include/linux/license.h): the
 * license string passed to BPF_PROG_LOAD is GPL-compatible when it is exactly one of these. A program
 * that is not may not call GPL-only helpers.
 */
public final class License {
    private License() {}

    private static final Set<String> GPL_COMPATIBLE = Set.of(
            "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL");

    public static boolean isGplCompatible(String license) {
        return GPL_COMPATIBLE.contains(license);
    }
}
