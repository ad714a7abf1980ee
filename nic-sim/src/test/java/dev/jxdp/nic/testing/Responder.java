package dev.jxdp.nic.testing;

import dev.jxdp.nic.Destination;
import dev.jxdp.nic.FrameProcessor;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny host for tests, written as a frame processor: it answers ARP requests for its address
 * (RFC 826) and ICMP echo requests to it (RFC 792) by rewriting the frame in place and sending it back
 * out of the port it came in on, as an XDP_TX responder would; everything else is dropped.
 */
public final class Responder implements FrameProcessor {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int ip;
    private final byte[] mac;
    public final AtomicLong arpReplies = new AtomicLong();
    public final AtomicLong echoReplies = new AtomicLong();

    public Responder(int ip, byte[] mac) {
        this.ip = ip;
        this.mac = mac.clone();
    }

    @Override
    public Destination receive(Frame frame, WorkerContext worker) {
        MemorySegment b = frame.buffer();
        long eth = frame.offset();
        if (frame.length() < 42) {
            return Destination.Verdict.DROP;
        }
        int type = b.get(BE16, eth + 12) & 0xffff;
        if (type == 0x0806 && arpRequestForUs(b, eth + 14)) {
            long arp = eth + 14;
            MemorySegment.copy(b, arp + 8, b, arp + 18, 10); // sender hw+ip become target hw+ip
            b.set(BE16, arp + 6, (short) 2); // reply
            MemorySegment.copy(mac, 0, b, ValueLayout.JAVA_BYTE, arp + 8, 6);
            b.set(BE32, arp + 14, ip);
            swapMacs(b, eth);
            arpReplies.incrementAndGet();
            return worker.port(frame.ingressIfindex()).transmit();
        }
        if (type == 0x0800 && echoRequestToUs(b, eth + 14, frame.length() - 14)) {
            long iph = eth + 14;
            int ihl = (b.get(ValueLayout.JAVA_BYTE, iph) & 0x0f) * 4;
            int src = b.get(BE32, iph + 12);
            b.set(BE32, iph + 12, ip);
            b.set(BE32, iph + 16, src); // a swap: the header checksum stays right
            long icmp = iph + ihl;
            b.set(ValueLayout.JAVA_BYTE, icmp, (byte) 0); // echo reply
            // RFC 1624: the type went from 8 to 0, so the checksum grows by 0x0800 (ones' complement)
            int sum = (b.get(BE16, icmp + 2) & 0xffff) + 0x0800;
            b.set(BE16, icmp + 2, (short) ((sum & 0xffff) + (sum >>> 16)));
            swapMacs(b, eth);
            echoReplies.incrementAndGet();
            return worker.port(frame.ingressIfindex()).transmit();
        }
        return Destination.Verdict.DROP;
    }

    private boolean arpRequestForUs(MemorySegment b, long arp) {
        return (b.get(BE16, arp) & 0xffff) == 1 && (b.get(BE16, arp + 2) & 0xffff) == 0x0800 && (b.get(BE16, arp + 6) & 0xffff) == 1
                && b.get(BE32, arp + 24) == ip;
    }

    private boolean echoRequestToUs(MemorySegment b, long iph, int length) {
        int ihl = (b.get(ValueLayout.JAVA_BYTE, iph) & 0x0f) * 4;
        return length >= ihl + 8 && b.get(ValueLayout.JAVA_BYTE, iph + 9) == 1 && b.get(BE32, iph + 16) == ip
                && b.get(ValueLayout.JAVA_BYTE, iph + ihl) == 8;
    }

    private void swapMacs(MemorySegment b, long eth) {
        MemorySegment.copy(b, eth + 6, b, eth, 6);
        MemorySegment.copy(mac, 0, b, ValueLayout.JAVA_BYTE, eth + 6, 6);
    }
}
