package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Section names and the types libbpf gives them (docs.kernel.org/bpf/libbpf/program_types.html). */
class ProgramSectionsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "xdp,              XDP,       XDP,            0",
        "xdp.frags,        XDP,       XDP,            32",
        "xdp/devmap,       XDP,       XDP_DEVMAP,     0",
        "xdp.frags/cpumap, XDP,       XDP_CPUMAP,     32",
        "tc,               SCHED_CLS, -,              0",
        "tc/ingress,       SCHED_CLS, TCX_INGRESS,    0",
        "tc/egress,        SCHED_CLS, TCX_EGRESS,     0",
        "tcx/ingress,      SCHED_CLS, TCX_INGRESS,    0",
        "tcx/egress,       SCHED_CLS, TCX_EGRESS,     0",
        "classifier,       SCHED_CLS, -,              0",
        "action,           SCHED_ACT, -,              0",
        // libbpf before 1.0 matched prefixes
        "xdp1,             XDP,       XDP,            0",
        "xdp/redirect,     XDP,       XDP,            0",
        "xdp_devmap/fwd,   XDP,       XDP_DEVMAP,     0",
        "classifier/ingress, SCHED_CLS, -,            0",
        "action/mirred,    SCHED_ACT, -,              0",
    })
    void libbpfNames(String section, ProgramType type, AttachType attach, int flags) {
        ProgramSections.Kind k = ProgramSections.infer(section);
        assertEquals(type, k.type());
        assertEquals(attach, k.expectedAttachType());
        assertEquals(flags, k.flags());
    }

    @ParameterizedTest
    @CsvSource({"ingress", "egress", "prog", "tc/foo", "socket", "kprobe/sys_open"})
    void namesLibbpfDoesNotGiveAPacketType(String section) {
        assertNull(ProgramSections.infer(section));
    }

    @ParameterizedTest
    @CsvSource({"kprobe/do_sys_open, KPROBE", "tracepoint/syscalls/sys_enter_open, TRACEPOINT", "socket, SOCKET_FILTER",
        "fentry/tcp_connect, TRACING", "cgroup_skb/ingress, CGROUP_SKB"})
    void otherTypesAreRecognisedForBetterErrors(String section, ProgramType type) {
        assertEquals(type, ProgramSections.otherType(section));
    }

    @ParameterizedTest
    @CsvSource({"?xdp, XDP", "?tc, SCHED_CLS"})
    void questionMarkMeansNotAutoloaded(String section, ProgramType type) {
        ProgramSections.Kind k = ProgramSections.infer(section);
        assertEquals(type, k.type());
        assertFalse(k.autoload());
    }
}
