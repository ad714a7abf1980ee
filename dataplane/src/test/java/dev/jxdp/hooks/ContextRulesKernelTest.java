package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.exec.MemoryFault;
import dev.jxdp.isa.Assembler;
import dev.jxdp.kernel.AttachType;
import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.ProgLoadException;
import dev.jxdp.kernel.ProgLoadRequest;
import dev.jxdp.kernel.ProgType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The context access rules against the kernel's verifier: for every offset of the structure (and a
 * little past it), every access size aligned to it, as a load and as a store from a register, a
 * one-access program is loaded into the kernel; the rules must allow exactly what the kernel loads.
 */
class ContextRulesKernelTest {

    @Test
    void skBuffRulesAreTheKernels() {
        KernelComparisons.assumeKernel();
        List<String> differences = compare(ProgType.SCHED_CLS, null, SkBuffRules.TC, SkBuffField.STRUCT_SIZE + 8);
        assertEquals(List.of(), differences);
    }

    @Test
    void xdpMdRulesAreTheKernels() {
        KernelComparisons.assumeKernel();
        List<String> differences = new ArrayList<>(compare(ProgType.XDP, AttachType.XDP, XdpMdRules.DEVICE, XdpMdField.STRUCT_SIZE + 8));
        differences.addAll(compare(ProgType.XDP, AttachType.XDP_DEVMAP, XdpMdRules.DEVMAP, XdpMdField.STRUCT_SIZE + 8));
        assertEquals(List.of(), differences);
    }

    private static List<String> compare(ProgType type, AttachType attach, ContextRules<?> rules, int limit) {
        List<String> differences = new ArrayList<>();
        for (int size : new int[] {1, 2, 4, 8}) {
            for (int off = 0; off < limit; off += size) {
                for (boolean write : new boolean[] {false, true}) {
                    boolean kernel = kernelAccepts(type, attach, off, size, write);
                    boolean ours;
                    try {
                        rules.check(off, size, write);
                        ours = true;
                    } catch (MemoryFault e) {
                        ours = false;
                    }
                    if (kernel != ours) {
                        differences.add(type + (attach == null ? "" : "/" + attach) + " " + (write ? "write" : "read") + " off=" + off
                                + " size=" + size + ": kernel " + (kernel ? "allows" : "refuses"));
                    }
                }
            }
        }
        return differences;
    }

    private static boolean kernelAccepts(ProgType type, AttachType attach, int off, int size, boolean write) {
        String width = switch (size) {
            case 1 -> "u8";
            case 2 -> "u16";
            case 4 -> "u32";
            default -> "u64";
        };
        String access = write ? "r2 = 0x0\n*(" + width + " *)(r1 + 0x" + Integer.toHexString(off) + ") = r2\n"
                : "r0 = *(" + width + " *)(r1 + 0x" + Integer.toHexString(off) + ")\n";
        ProgLoadRequest request = ProgLoadRequest.of(type, Assembler.assemble(access + "r0 = 0x0\nexit"));
        if (attach != null) {
            request = request.withExpectedAttachType(attach);
        }
        try (BpfProgram p = Bpf.loadProgram(request)) {
            return true;
        } catch (ProgLoadException e) {
            return false;
        }
    }
}
