package dev.jxdp.kernel;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.Registers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whether the kernel backend works in this process, decided once by loading a two-instruction XDP
 * program, and if not, one line why. Tests use it to skip kernel comparisons with that line.
 *
 * @param usable whether bpf() loads programs here
 * @param reason "BPF is usable", or "BPF is not usable: ..." with the cause
 */
public record BpfAvailability(boolean usable, String reason) {

    /** The cached answer for this process. */
    public static BpfAvailability check() {
        return Holder.ANSWER;
    }

    /**
     * The same, and also whether libbpf can be driven as users drive it: bpftool on the PATH and a
     * bpffs at /sys/fs/bpf to pin into (what loading a whole object through libbpf takes).
     */
    public static BpfAvailability checkWithBpftool() {
        return Holder.WITH_BPFTOOL;
    }

    private static final class Holder {
        static final BpfAvailability ANSWER = probe();
        static final BpfAvailability WITH_BPFTOOL = probeBpftool(ANSWER);
    }

    private static BpfAvailability probeBpftool(BpfAvailability bpf) {
        if (!bpf.usable()) {
            return bpf;
        }
        if (!Files.isDirectory(Path.of("/sys/fs/bpf"))) {
            return new BpfAvailability(false, "no bpffs mounted at /sys/fs/bpf");
        }
        try {
            if (!ToolRun.of(List.of("bpftool", "version"), Duration.ofSeconds(30)).ok()) {
                return new BpfAvailability(false, "bpftool does not run");
            }
        } catch (IOException e) {
            return new BpfAvailability(false, "no bpftool on the PATH (apt-get install bpftool)");
        }
        return bpf;
    }

    static BpfAvailability probe() {
        var unsupported = Platform.unsupportedReason();
        if (unsupported.isPresent()) {
            return notUsable(unsupported.get());
        }
        // r0 = 2 (XDP_PASS); exit
        Bytecode pass = Bytecode.of(new Alu(true, AluOp.MOV, Registers.R0, new Operand.Imm(2)), new Exit());
        try {
            Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, pass).withName("jxdp_probe")).close();
            return new BpfAvailability(true, "BPF is usable");
        } catch (BpfException e) {
            return notUsable(switch (e.errno().value()) {
                case Errno.EPERM -> "bpf(BPF_PROG_LOAD) failed with EPERM (run as root or grant CAP_BPF+CAP_PERFMON)";
                case Errno.ENOSYS -> "bpf(BPF_PROG_LOAD) failed with ENOSYS (the kernel has no bpf() system call)";
                default -> e.getMessage().lines().findFirst().orElse(e.toString());
            });
        } catch (RuntimeException | LinkageError e) {
            // IllegalCallerException when native access is denied, UnsatisfiedLinkError without libc, ...
            return notUsable("cannot call bpf() from Java: " + e);
        }
    }

    private static BpfAvailability notUsable(String why) {
        return new BpfAvailability(false, "BPF is not usable: " + why);
    }
}
