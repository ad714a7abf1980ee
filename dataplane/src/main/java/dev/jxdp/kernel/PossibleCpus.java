package dev.jxdp.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * num_possible_cpus(): how many values the kernel's per-CPU maps hold, read from
 * /sys/devices/system/cpu/possible ("0-1", "0,2-3") as libbpf's libbpf_num_possible_cpus does.
 */
public final class PossibleCpus {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");
    private static volatile int count;

    private PossibleCpus() {}

    public static int count() {
        int c = count;
        if (c == 0) {
            try {
                c = parse(Files.readString(POSSIBLE).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + POSSIBLE, e);
            }
            count = c;
        }
        return c;
    }

    static int parse(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                n++;
            } else {
                n += Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
            }
        }
        return n;
    }
}
