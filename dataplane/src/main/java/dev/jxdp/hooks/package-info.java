/**
 * The packet path: the XDP and tc hooks with the kernel's semantics, as a library the NIC simulator
 * drives.
 *
 * <ul>
 *   <li>Frames and packets: {@link dev.jxdp.hooks.XdpBuff} (an off-heap frame with headroom,
 *       metadata, tailroom and fragments) and {@link dev.jxdp.hooks.Skb} (what tc programs see).
 *   <li>Contexts: {@code xdp_md} and {@code __sk_buff} as regions whose fields are computed from the
 *       frame or skb on each access, with the access rules of the kernel's verifier in one place
 *       ({@link dev.jxdp.hooks.ContextRules}: {@link dev.jxdp.hooks.XdpMdRules},
 *       {@link dev.jxdp.hooks.SkBuffRules}), the seam the verifier's context descriptors will drive.
 *   <li>Packet helpers for XDP and tc programs ({@link dev.jxdp.hooks.PacketHelpers}, a
 *       {@link dev.jxdp.load.HelperProvider}), one family per file: the XDP frame helpers, redirects,
 *       checksums, skb data, skb shape, skb metadata, tunnel keys, FIB lookups, perf output.
 *   <li>Running: {@link dev.jxdp.hooks.PacketRun} (a worker's contexts and redirect state),
 *       {@link dev.jxdp.hooks.ProgTestRun} (BPF_PROG_TEST_RUN, behind {@code jxdp prog run}).
 *   <li>The pipeline the NIC simulator drives: {@link dev.jxdp.hooks.Pipeline} (ports, programs per
 *       port and hook, swapped atomically; counters; sampled latency histograms),
 *       {@link dev.jxdp.hooks.Worker} (a frame in, an {@link dev.jxdp.hooks.Outcome} out: XDP, the
 *       skb, tc ingress, the host; tc egress for what the host sends; redirects through devmaps,
 *       cpumaps, xskmaps and bpf_redirect), {@link dev.jxdp.hooks.PortSink} and
 *       {@link dev.jxdp.hooks.HostSink} where frames leave.
 * </ul>
 *
 * Dependencies point down only: hooks uses load, maps, exec, jit and obj; nothing below uses hooks.
 */
package dev.jxdp.hooks;
