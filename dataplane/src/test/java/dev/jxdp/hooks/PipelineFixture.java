package dev.jxdp.hooks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A pipeline with four ports that records what each sends and what reaches the host: eth0 (ifindex
 * 2), eth1 (3), eth2 (4), and veth0 (5) whose peer is veth1 (6).
 */
final class PipelineFixture {
    record Sent(int ifindex, byte[] frame, TunnelKey tunnel) {}

    record Delivered(int ifindex, byte[] frame, int mark, int metaLength, int pktType) {}

    final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    final List<Delivered> delivered = Collections.synchronizedList(new ArrayList<>());
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    final Pipeline pipeline;
    final Port eth0;
    final Port eth1;
    final Port eth2;
    final Port veth0;
    final Port veth1;
    private final Arena arena = Arena.ofAuto();

    PipelineFixture(int workers) {
        pipeline = Pipeline.builder().workers(workers).latencySampling(1).warnings(warnings::add)
                .host((port, skb) -> delivered.add(new Delivered(port.ifindex(), skb.toByteArray(), skb.mark(), skb.metaLength(), skb.pktType())))
                .build();
        PortSink sink = (port, frame, tunnel) -> sent.add(new Sent(port.ifindex(), frame.toArray(ValueLayout.JAVA_BYTE), tunnel));
        eth0 = pipeline.addPort(device(2, "eth0", 0), sink);
        eth1 = pipeline.addPort(device(3, "eth1", 0), sink);
        eth2 = pipeline.addPort(device(4, "eth2", 0), sink);
        veth0 = pipeline.addPort(device(5, "veth0", 6), sink);
        veth1 = pipeline.addPort(device(6, "veth1", 5), sink);
    }

    static Device device(int ifindex, String name, int peer) {
        return new Device(ifindex, name, new byte[] {2, 0, 0, 0, 0, (byte) ifindex}, 1500, 2, peer);
    }

    /** A buffer as a driver gives it: 256 bytes of headroom, the frame, the rest of a 4 KiB page. */
    MemorySegment buffer(byte[] frame) {
        MemorySegment b = arena.allocate(4096, 64);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, b, XdpBuff.PACKET_HEADROOM, frame.length);
        return b;
    }

    Outcome receive(Port port, byte[] frame) {
        return pipeline.worker(0).receive(port, 0, buffer(frame), XdpBuff.PACKET_HEADROOM, frame.length);
    }

    List<Sent> sentOn(Port p) {
        synchronized (sent) {
            return sent.stream().filter(s -> s.ifindex() == p.ifindex()).toList();
        }
    }
}
