package dev.jxdp.nic.port.pcap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.nic.testing.Cmd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What tcpdump reads in a capture: the oracle for jxdp's pcap reading and writing. */
record Tcpdump(long timestampNanos, int length, String line) {

    /** Every record of {@code file} as tcpdump -e prints it (nanosecond timestamps, link-level length). */
    static List<Tcpdump> read(Path file) {
        assumeTrue(Cmd.available("tcpdump"), "tcpdump is not installed");
        Cmd.Result r = Cmd.run("tcpdump", "-r", file.toString(), "-tt", "--time-stamp-precision=nano", "-e", "-n").orFail();
        List<Tcpdump> records = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String ts = line.substring(0, line.indexOf(' '));
            String[] parts = ts.split("\\.");
            long nanos = Long.parseLong(parts[0]) * 1_000_000_000L + Long.parseLong(parts[1]);
            int at = line.indexOf(", length ");
            int end = line.indexOf(':', at);
            records.add(new Tcpdump(nanos, Integer.parseInt(line.substring(at + 9, end)), line));
        }
        return records;
    }

    /** tcpdump -xx of {@code file}: every byte of every frame, with timestamps. */
    static String hex(Path file) {
        return Cmd.run("tcpdump", "-r", file.toString(), "-tt", "--time-stamp-precision=nano", "-xx", "-n").orFail().out();
    }
}
