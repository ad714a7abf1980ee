package dev.jxdp.nic.pipeline;

import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.CpuPin;
import dev.jxdp.testing.Bpftool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the kernel does with each frame of a capture: the object loaded by libbpf (bpftool prog loadall),
 * one BPF_PROG_TEST_RUN per frame in order on CPU 0 (so that maps evolve as they do in a one-worker
 * replay), its return value and data_out. Skips the calling test, with the reason, where bpf() or
 * bpftool is not usable.
 */
public final class KernelOracle {
    private KernelOracle() {}

    /** The kernel's verdict and frame afterwards, per input frame. */
    public record Run(int retval, byte[] dataOut) {}

    public static List<Run> xdp(Path object, String program, List<byte[]> frames) throws Exception {
        String reason = Bpftool.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        List<Run> runs = new ArrayList<>();
        try (CpuPin pinned = CpuPin.to(0); Bpftool bt = new Bpftool(object)) {
            for (byte[] f : frames) {
                Bpftool.Result r = bt.runProgram(program, f, 1);
                runs.add(new Run(r.retval(), r.dataOut()));
            }
        }
        return runs;
    }

    /**
     * The frames each output file of a replay should hold for these runs of a lone XDP program:
     * XDP_PASS to the host, XDP_TX out of the port, XDP_DROP dropped, XDP_ABORTED (and unknown values)
     * aborted; each as the kernel's data_out. Keys are the replay's file names.
     */
    public static Map<String, List<String>> byOutcome(List<Run> runs) {
        Map<String, List<String>> m = new TreeMap<>();
        for (String k : List.of("pass.pcap", "tx.pcap", "drop.pcap", "aborted.pcap")) {
            m.put(k, new ArrayList<>());
        }
        for (Run r : runs) {
            String file = switch (r.retval()) {
                case 1 -> "drop.pcap";
                case 2 -> "pass.pcap";
                case 3 -> "tx.pcap";
                default -> "aborted.pcap";
            };
            m.get(file).add(hex(r.dataOut()));
        }
        return m;
    }

    /** Frames as hex lines, for assertions whose failures show the bytes. */
    public static List<String> hex(List<byte[]> frames) {
        return frames.stream().map(KernelOracle::hex).toList();
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Verdict counts, e.g. {1=3, 2=9}. */
    public static Map<Integer, Integer> verdicts(List<Run> runs) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        runs.stream().map(Run::retval).sorted().forEach(r -> m.merge(r, 1, Integer::sum));
        return m;
    }

    static byte[] strip(byte[] b, int n) {
        return Arrays.copyOfRange(b, n, b.length);
    }
}
