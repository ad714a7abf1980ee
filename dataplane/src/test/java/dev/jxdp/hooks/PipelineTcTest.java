package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.load.LoadedObject;
import dev.jxdp.maps.ProgArray;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.LoadOptions;

import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.testing.Repo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tc ingress and egress in the pipeline, as sch_handle_ingress/egress treat a direct-action program's
 * verdict and bpf_mprog (tcx) chains programs; tc redirects (egress, BPF_F_INGRESS, peer, neigh);
 * the XDP metadata handoff; the libxdp dispatcher model for several XDP programs.
 */
class PipelineTcTest {
    private static final byte[] UDP = TestFrames.v4(TestFrames.UDP, 22);

    private final PipelineFixture f = new PipelineFixture(1);

    private AsmObject tc(String... asm) {
        AsmObject.Prog[] progs = new AsmObject.Prog[asm.length];
        for (int i = 0; i < asm.length; i++) {
            progs[i] = AsmObject.Prog.tc("p" + i, asm[i]);
        }
        return AsmObject.load(f.pipeline.objectOptions(), List.of(), progs);
    }

    private static String ret(int code) {
        return "r0 = " + (code < 0 ? "-0x" + Integer.toHexString(-code) : "0x" + Integer.toHexString(code)) + "\nexit";
    }

    /** Adds {@code n} to the mark, then returns {@code code}: which programs ran shows in the mark. */
    private static String markAndReturn(int n, int code) {
        return "r2 = *(u32 *)(r1 + 0x8)\nr2 += 0x" + Integer.toHexString(n) + "\n*(u32 *)(r1 + 0x8) = r2\n" + ret(code);
    }

    /** LD_ABS of the EtherType (r6 = ctx, as the instruction wants), into the mark; then TC_ACT_OK. */
    private static final String ETHERTYPE_TO_MARK = "r6 = r1\nr0 = *(u16 *)skb[0xc]\n*(u32 *)(r6 + 0x8) = r0\nr0 = 0x0\nexit";

    /**
     * A tc program reads the packet with LD_ABS whether it has such loads itself or reaches one through
     * a tail call (the hook hands the packet only to runs that may read it that way): the IPv4 frame's
     * EtherType, 0x0800, in network order, becomes the mark the host sees.
     */
    @Test
    void packetLoadsReadTheFrameDirectlyAndThroughATailCall() {
        MapSpec jump = AsmObject.map("jump", MapType.PROG_ARRAY, 4, 4, 1);
        String tailCall = "ld_pseudo r2, 0x1, 0x0\nr3 = 0x0\ncall 0xc\nr0 = 0x2\nexit";
        try (AsmObject o = AsmObject.load(f.pipeline.objectOptions(), List.of(jump), AsmObject.Prog.tc("loads", ETHERTYPE_TO_MARK),
                AsmObject.Prog.tc("jumps", tailCall))) {
            ((ProgArray) o.object.map("jump")).set(0, o.program("loads"));
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, o.program("loads"));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, UDP).fate());
            assertEquals(0x0800, f.delivered.getLast().mark());
            f.pipeline.setTc(f.eth1, Hook.TC_INGRESS, TcChain.EMPTY.withTcx(o.program("jumps")));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth1, UDP).fate(), "the tail call ran (else TC_ACT_SHOT)");
            assertEquals(0x0800, f.delivered.getLast().mark());
        }
    }

    @Test
    void ingressVerdictsAsSchHandleIngress() {
        // cls_bpf_exec_opcode keeps OK, SHOT, STOLEN, TRAP, REDIRECT, RECLASSIFY; PIPE, QUEUED, REPEAT and the rest are UNSPEC
        int[][] expect = {{0, 0}, {3, 0}, {-1, 0}, {5, 0}, {6, 0}, {99, 0}, {2, 1}, {4, 2}, {8, 2}};
        for (int[] e : expect) {
            try (AsmObject o = tc(ret(e[0]))) {
                f.pipeline.setTc(f.eth0, Hook.TC_INGRESS, TcChain.EMPTY.withClassifier(o.program, 1));
                Outcome.Fate fate = f.receive(f.eth0, UDP).fate();
                Outcome.Fate want = switch (e[1]) {
                    case 0 -> Outcome.Fate.TO_HOST;
                    case 1 -> Outcome.Fate.DROPPED;
                    default -> Outcome.Fate.CONSUMED;
                };
                assertEquals(want, fate, "classifier returning " + e[0]);
            }
        }
    }

    @Test
    void tcxHandsOnOnlyOnNextAndEndsOnAnyOtherValue() {
        try (AsmObject o = tc(markAndReturn(1, -1), markAndReturn(0x10, 0), markAndReturn(0x100, 2), markAndReturn(0x1000, 4))) {
            for (String p : List.of("p0", "p1", "p2")) {
                f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, o.program(p));
            }
            Outcome out = f.receive(f.eth0, UDP);
            assertEquals(Outcome.Fate.TO_HOST, out.fate(), "TCX_NEXT hands on; TCX_PASS decides");
            assertEquals(0x11, f.delivered.getFirst().mark(), "the third program did not run");
            // tcx_run stops at the first value that is not TCX_NEXT; tcx_action_code makes TC_ACT_STOLEN "next":
            // the classic filters (none here) decide, so the packet passes, and p2 never runs
            f.pipeline.setTc(f.eth1, Hook.TC_INGRESS, TcChain.EMPTY.withTcx(o.program("p3")).withTcx(o.program("p2")));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth1, UDP).fate());
            assertEquals(0x1000, f.delivered.getLast().mark());
        }
    }

    @Test
    void classifiersRunAfterTcxAndReclassifyRestartsThem() {
        try (AsmObject o = tc(markAndReturn(1, -1), markAndReturn(0x10, 3), markAndReturn(0x100, 0), ret(1))) {
            f.pipeline.setTc(f.eth0, Hook.TC_INGRESS, TcChain.EMPTY.withTcx(o.program("p0")).withClassifier(o.program("p2"), 20)
                    .withClassifier(o.program("p1"), 10));
            f.receive(f.eth0, UDP);
            assertEquals(0x111, f.delivered.getFirst().mark(), "tcx handed on; classifiers by priority: PIPE is UNSPEC, on to OK");
            f.pipeline.setTc(f.eth1, Hook.TC_INGRESS, TcChain.EMPTY.withClassifier(o.program("p3"), 1));
            assertEquals(Outcome.Fate.DROPPED, f.receive(f.eth1, UDP).fate(), "a reclassify loop ends in a drop");
            assertTrue(f.warnings.stream().anyMatch(w -> w.contains("reclassify loop")), f.warnings.toString());
        }
    }

    @Test
    void tcRedirectsToEgressIngressAndPeer() {
        String toEth1 = "r1 = 0x3\nr2 = 0x0\ncall 0x17\nexit";
        String toEth1Ingress = "r1 = 0x3\nr2 = 0x1\ncall 0x17\nexit";
        String toPeerOf5 = "r1 = 0x5\nr2 = 0x0\ncall 0x9b\nexit";
        try (AsmObject o = tc(toEth1, toEth1Ingress, toPeerOf5, markAndReturn(7, 0))) {
            f.pipeline.attachTc(f.eth1, Hook.TC_EGRESS, o.program("p3"));
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, o.program("p0"));
            Outcome out = f.receive(f.eth0, UDP);
            assertEquals(Outcome.Fate.TRANSMITTED, out.fate());
            assertEquals(f.eth1, out.port());
            assertEquals(1, f.pipeline.stats(f.eth1, Hook.TC_EGRESS).runs(), "a tc redirect goes through the target's tc egress");

            f.pipeline.setTc(f.eth0, Hook.TC_INGRESS, TcChain.EMPTY.withTcx(o.program("p1")));
            f.pipeline.attachTc(f.eth1, Hook.TC_INGRESS, o.program("p3"));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, UDP).fate());
            assertEquals(3, f.delivered.getLast().ifindex(), "BPF_F_INGRESS: received on eth1, through its tc ingress");
            assertEquals(7, f.delivered.getLast().mark());

            f.pipeline.setTc(f.eth0, Hook.TC_INGRESS, TcChain.EMPTY.withTcx(o.program("p2")));
            f.receive(f.eth0, UDP);
            assertEquals(6, f.delivered.getLast().ifindex(), "bpf_redirect_peer(veth0): into veth1, its peer");
        }
    }

    @Test
    void theHostsFramesGoThroughTcEgress() {
        try (AsmObject o = tc(markAndReturn(1, 0), ret(2))) {
            f.pipeline.attachTc(f.eth2, Hook.TC_EGRESS, o.program("p0"));
            Outcome out = f.pipeline.worker(0).transmit(f.eth2, f.buffer(UDP), XdpBuff.PACKET_HEADROOM, UDP.length);
            assertEquals(Outcome.Fate.TRANSMITTED, out.fate());
            assertArrayEquals(UDP, f.sentOn(f.eth2).getFirst().frame());
            f.pipeline.setTc(f.eth2, Hook.TC_EGRESS, TcChain.EMPTY.withTcx(o.program("p1")));
            assertEquals(Outcome.Fate.DROPPED, f.pipeline.worker(0).transmit(f.eth2, f.buffer(UDP), 256, UDP.length).fate());
        }
    }

    @Test
    void redirectLoopsEndAfterEightHops() {
        try (AsmObject o = tc("r1 = 0x3\nr2 = 0x0\ncall 0x17\nexit")) {
            f.pipeline.attachTc(f.eth1, Hook.TC_EGRESS, o.program);
            Outcome out = f.pipeline.worker(0).transmit(f.eth1, f.buffer(UDP), 256, UDP.length);
            assertEquals(Outcome.Fate.DROPPED, out.fate());
            assertTrue(out.reason().contains("loop"), out.reason());
            assertEquals(9, f.pipeline.stats(f.eth1, Hook.TC_EGRESS).runs());
        }
    }

    @Test
    void cloneRedirectSendsACopyAndTheOriginalGoesOn() {
        try (AsmObject o = tc("r6 = r1\nr2 = 0x4\nr3 = 0x0\ncall 0xd\nr0 = 0x0\nexit")) {
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, o.program);
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, UDP).fate());
            assertArrayEquals(UDP, f.sentOn(f.eth2).getFirst().frame(), "the clone left through eth2");
        }
    }

    @Test
    void xdpMetadataIsSeenByTcIngressAndGoneAfter() throws Exception {
        byte[] tcp = TestFrames.v4(TestFrames.TCP, 0);
        tcp[15] = 0x28; // TOS: DSCP 10
        int csum = TestFrames.checksum(withoutChecksum(tcp), 14, 20, 0);
        tcp[24] = (byte) (csum >> 8);
        tcp[25] = (byte) csum;
        try (LoadedObject o = LoadedObject.load(ObjectLoader.load(Repo.root().resolve("programs/bin/xdp_tc_meta_handoff.o"),
                LoadOptions.defaults()), f.pipeline.objectOptions())) {
            f.pipeline.attachXdp(f.eth0, o.program("xdp_store_meta"));
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, o.program("tc_meta_to_mark"));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, tcp).fate());
            PipelineFixture.Delivered d = f.delivered.getFirst();
            assertEquals(10 << 8 | 1, d.mark(), "DSCP 10 and TCP, through 8 bytes of metadata");
            assertEquals(0, d.metaLength(), "the metadata does not go past tc ingress");
            assertArrayEquals(tcp, d.frame());
            // without the XDP program there is no metadata: the mark stays 0
            f.pipeline.detachXdp(f.eth0);
            f.receive(f.eth0, tcp);
            assertEquals(0, f.delivered.getLast().mark());
        }
    }

    private static byte[] withoutChecksum(byte[] frame) {
        byte[] c = frame.clone();
        c[24] = 0;
        c[25] = 0;
        return c;
    }

    /** {@code frame} with an 802.1Q tag (TPID 0x8100, {@code tci}) after its MAC addresses. */
    private static byte[] tagged(byte[] frame, int tci) {
        return java.nio.ByteBuffer.allocate(frame.length + 4).put(frame, 0, 12).putShort((short) 0x8100).putShort((short) tci)
                .put(frame, 12, frame.length - 12).array();
    }

    private LoadedObject program(String name) throws Exception {
        return LoadedObject.load(ObjectLoader.load(Repo.root().resolve("programs/bin/" + name + ".o"), LoadOptions.defaults()),
                f.pipeline.objectOptions());
    }

    /**
     * The kernel's answer for an 802.1Q frame at a tap's tc ingress (VlanAtTcKernelTest in nic-sim
     * measures it live): the tag held beside the packet (vlan_present 1, vlan_tci 0x2005, vlan_proto
     * 0x8100), protocol and the data's EtherType IPv4, len and wire_len 4 bytes less. The host gets the
     * frame with its tag back; so does a port a tc redirect sends it out of, whose tc egress sees the tag
     * still held (as a kernel tap's does after bpf_redirect from another's ingress); a tag tc_vlan_tag
     * pushes at egress leaves in the frame. A tagged frame shorter than 20 bytes never reaches tc.
     */
    @Test
    void tcSeesAReceivedTagHeldOutOfTheDataAndItGoesBackInOnTheWayOut() throws Exception {
        byte[] frame = tagged(UDP, 0x2005);
        try (LoadedObject probe = program("tc_vlan_probe"); LoadedObject tag = program("tc_vlan_tag");
                AsmObject redirect = tc("r1 = 0x3\nr2 = 0x0\ncall 0x17\nexit")) {
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, probe.program("tc_vlan_probe"));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, frame).fate());
            java.nio.ByteBuffer seen = java.nio.ByteBuffer.wrap(probe.map("vlan_seen").lookup(new byte[4]).orElseThrow())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int[] want = {1, 1, 0x2005, 0x0081, 0x0008, UDP.length, UDP.length - 14, 0x0800, 0, 0};
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], seen.getInt(4 * i), "vlan_seen word " + i);
            }
            assertArrayEquals(frame, f.delivered.getLast().frame(), "the host gets the tag back in place");

            f.pipeline.attachTc(f.eth1, Hook.TC_INGRESS, redirect.program);
            f.pipeline.attachTc(f.eth1, Hook.TC_EGRESS, probe.program("tc_vlan_probe"));
            f.receive(f.eth1, frame);
            assertArrayEquals(frame, f.sentOn(f.eth1).getLast().frame(), "redirected out of eth1 with its tag");
            // a kernel tap's tc egress after bpf_redirect from another tap's ingress: the tag still held, wire_len = len
            seen = java.nio.ByteBuffer.wrap(probe.map("vlan_seen").lookup(new byte[4]).orElseThrow()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int[] atEgress = {2, 1, 0x2005, 0x0081, 0x0008, UDP.length, UDP.length, 0x0800, 0, 0};
            for (int i = 0; i < atEgress.length; i++) {
                assertEquals(atEgress[i], seen.getInt(4 * i), "vlan_seen at eth1's egress, word " + i);
            }

            f.pipeline.attachTc(f.eth2, Hook.TC_EGRESS, tag.program("tc_vlan_tag"));
            assertEquals(Outcome.Fate.TRANSMITTED, f.pipeline.worker(0).transmit(f.eth2, f.buffer(UDP), XdpBuff.PACKET_HEADROOM, UDP.length).fate());
            assertArrayEquals(tagged(UDP, 100), f.sentOn(f.eth2).getLast().frame(), "tc_vlan_tag's tag goes into the frame");

            Outcome runt = f.receive(f.eth0, java.util.Arrays.copyOf(frame, 19));
            assertEquals(Outcome.Fate.DROPPED, runt.fate());
            assertTrue(runt.reason().contains("too short to untag"), runt.reason());
            assertEquals(2, probe.map("vlan_seen").lookup(new byte[4]).orElseThrow()[0], "the probe saw only the first two frames");
        }
    }

    /**
     * What a packet tc redirected keeps, as a kernel tap's shows it (a frame written into tap A, bpf_redirect
     * from A's tc ingress to tap B, tc_skb_fields at B): at B's egress queue_mapping 1 (A's receive queue
     * 0, recorded), pkt_type as A's eth_type_trans set it, ingress_ifindex A, ifindex B, wire_len len; at
     * B's ingress (BPF_F_INGRESS) queue_mapping still 1, both ifindexes B, wire_len len - 14.
     */
    @Test
    void aRedirectedPacketKeepsWhatItsReceptionGaveIt() throws Exception {
        try (LoadedObject fields = program("tc_skb_fields"); AsmObject o = tc("r1 = 0x3\nr2 = 0x0\ncall 0x17\nexit",
                "r1 = 0x3\nr2 = 0x1\ncall 0x17\nexit")) {
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, o.program("p0"));
            f.pipeline.attachTc(f.eth1, Hook.TC_EGRESS, fields.program("tc_skb_fields"));
            assertEquals(Outcome.Fate.TRANSMITTED, f.receive(f.eth0, UDP).fate());
            // len, pkt_type, mark, queue_mapping, protocol; ingress_ifindex, ifindex; wire_len
            assertEquals(List.of(UDP.length, Skb.PACKET_HOST, 0, 1, 0x0008, 2, 3, UDP.length), skbFields(fields));
            f.pipeline.setTc(f.eth0, Hook.TC_INGRESS, TcChain.EMPTY.withTcx(o.program("p1")));
            f.pipeline.attachTc(f.eth1, Hook.TC_INGRESS, fields.program("tc_skb_fields"));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, UDP).fate());
            assertEquals(List.of(UDP.length, Skb.PACKET_OTHERHOST, 0, 1, 0x0008, 3, 3, UDP.length - 14), skbFields(fields),
                    "eth1's eth_type_trans: the frame is for eth0's address");
        }
    }

    private static List<Integer> skbFields(LoadedObject fields) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(fields.map("skb_fields").lookup(new byte[4]).orElseThrow())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return List.of(b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20), b.getInt(40), b.getInt(44), b.getInt(64));
    }

    /**
     * A host frame whose TCP checksum is still to be completed is CHECKSUM_PARTIAL at tc egress, and
     * tc_snat's bpf_l4_csum_replace(BPF_F_PSEUDO_HDR) fixes its field as the kernel's does for such a
     * segment (ChecksumPartialKernelTest in nic-sim measured these bytes on kernel taps: field 0x142c
     * becomes 0xcc2c, source 10.0.0.1 becomes 192.0.2.1, IPv4 checksum 0x26be becomes 0x6ebd).
     */
    @Test
    void aPartialChecksumFromTheHostIsFixedAsTheKernelFixesIt() throws Exception {
        java.util.HexFormat hex = java.util.HexFormat.of();
        String tail = "0a0000029c40138900000001000000015018ffff";
        String payload = "000068656c6c6f2c20636865636b73756d";
        byte[] in = hex.parseHex("020000000002020000000001080045000037000140004006" + "26be0a000001" + tail + "142c" + payload);
        byte[] want = hex.parseHex("020000000002020000000001080045000037000140004006" + "6ebdc0000201" + tail + "cc2c" + payload);
        try (LoadedObject snat = program("tc_snat")) {
            f.pipeline.attachTc(f.eth2, Hook.TC_EGRESS, snat.program("tc_snat"));
            assertEquals(Outcome.Fate.TRANSMITTED, f.pipeline.worker(0).transmit(f.eth2, f.buffer(in), XdpBuff.PACKET_HEADROOM, in.length, 0, true)
                    .fate());
            assertEquals(hex.formatHex(want), hex.formatHex(f.sentOn(f.eth2).getLast().frame()));
        }
    }

    @Test
    void severalXdpProgramsRunAsLibxdpsDispatcher() {
        String markPass = "r0 = 0x2\nexit";
        try (AsmObject o = AsmObject.load(f.pipeline.objectOptions(), List.of(), AsmObject.Prog.xdp("pass", markPass),
                AsmObject.Prog.xdp("drop", "r0 = 0x1\nexit"), AsmObject.Prog.xdp("tx", "r0 = 0x3\nexit"))) {
            // run priority orders them; each runs the next only on its chain-call actions
            XdpChain chain = XdpChain.EMPTY.with(o.program("tx"), 30).with(o.program("pass"), 10, XdpAction.PASS)
                    .with(o.program("drop"), 20, XdpAction.PASS);
            f.pipeline.setXdp(f.eth0, chain);
            assertEquals(Outcome.Fate.DROPPED, f.receive(f.eth0, UDP).fate(), "pass (chains on PASS), then drop, which decides");
            f.pipeline.setXdp(f.eth0, XdpChain.EMPTY.with(o.program("pass"), 10, XdpAction.PASS).with(o.program("tx"), 20));
            assertEquals(Outcome.Fate.TRANSMITTED, f.receive(f.eth0, UDP).fate());
            f.pipeline.setXdp(f.eth0, XdpChain.EMPTY.with(o.program("pass"), 10).with(o.program("tx"), 20));
            assertEquals(Outcome.Fate.TO_HOST, f.receive(f.eth0, UDP).fate(), "no chain-call actions: the first decides");
        }
    }

}
