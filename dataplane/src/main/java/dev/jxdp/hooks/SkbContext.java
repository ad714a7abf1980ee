package dev.jxdp.hooks;

import dev.jxdp.exec.ContextObject;

import dev.jxdp.exec.RegionHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct __sk_buff} as a tc program sees it, computed from the {@link Skb} on each access as
 * the kernel's bpf_convert_ctx_access and tc_cls_act_convert_ctx_access rewrite it.
 *
 * <p>Narrow loads follow the verifier's rewrite exactly: the field is loaded at its kernel width
 * (pkt_type 1 byte; queue_mapping, protocol, vlan_tci, vlan_proto, tc_index, tc_classid, gso_segs,
 * gso_size 2 bytes; the rest 4), then shifted and masked only if the access is narrower than that
 * width. So a 2-byte load of the upper half of protocol gives protocol again, as in the kernel.
 * Writes store the field at its kernel width (tc_index and tc_classid keep 16 bits); a queue_mapping
 * of 0xffff or more is ignored (NO_QUEUE_MAPPING); writing tstamp at ingress clears a mono delivery
 * time's type, as for a program that never looks at tstamp_type.
 */
final class SkbContext implements RegionHandler, ContextObject {
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final ContextRules<SkBuffField> rules;
    private Skb skb;

    SkbContext(ContextRules<SkBuffField> rules) {
        this.rules = rules;
    }

    void skb(Skb s) {
        if (skb != s) {
            skb = s; // the worker's one Skb, packet after packet: no store, no write barrier
        }
    }

    /** A verified load; __sk_buff's narrow loads and field widths make the checked path the simple one here. */
    @Override
    public long load(int offset, int width) {
        return load((long) offset, width);
    }

    @Override
    public long load(long offset, int bytes) {
        SkBuffField f = rules.check(offset, bytes, false);
        return switch (f) {
            case DATA -> skb.dataAddress();
            case DATA_END -> skb.dataEndAddress();
            case DATA_META -> skb.dataMetaAddress();
            case CB -> read(MemorySegment.ofArray(skb.cb), offset - f.offset(), bytes);
            case TSTAMP -> skb.tstamp;
            case HWTSTAMP -> skb.hwtstamp;
            case SK -> 0; // no socket: PTR_TO_SOCK_COMMON_OR_NULL is NULL
            case TSTAMP_TYPE -> skb.tstampType;
            default -> narrow(value(f), kernelWidth(f), offset, bytes);
        };
    }

    private long value(SkBuffField f) {
        return switch (f) {
            case LEN -> skb.length();
            case PKT_TYPE -> skb.pktType;
            case MARK -> Integer.toUnsignedLong(skb.mark);
            case QUEUE_MAPPING -> skb.queueMapping;
            // __be16 in memory: the u16 a load sees on little-endian is the byte-swapped EtherType
            case PROTOCOL -> Short.toUnsignedLong(Short.reverseBytes((short) skb.protocol));
            case VLAN_PRESENT -> skb.vlanPresent ? 1 : 0;
            case VLAN_TCI -> skb.vlanTci;
            case VLAN_PROTO -> Short.toUnsignedLong(Short.reverseBytes((short) skb.vlanProto));
            case PRIORITY -> Integer.toUnsignedLong(skb.priority);
            case INGRESS_IFINDEX -> Integer.toUnsignedLong(skb.ingressIfindex);
            case IFINDEX -> Integer.toUnsignedLong(skb.ifindex);
            case TC_INDEX -> skb.tcIndex;
            case HASH -> Integer.toUnsignedLong(skb.hash);
            case TC_CLASSID -> skb.tcClassid;
            case NAPI_ID -> 0; // no busy-polling NAPI context (napi_id below MIN_NAPI_ID reads 0)
            case WIRE_LEN -> Integer.toUnsignedLong(skb.wireLen);
            case GSO_SEGS -> skb.gsoSegs;
            case GSO_SIZE -> skb.gsoSize;
            default -> throw new IllegalStateException("no plain value for __sk_buff." + f.cName());
        };
    }

    /** The width of the sk_buff member convert_ctx_access loads for a field (its target_size). */
    private static int kernelWidth(SkBuffField f) {
        return switch (f) {
            case PKT_TYPE -> 1;
            case QUEUE_MAPPING, PROTOCOL, VLAN_TCI, VLAN_PROTO, TC_INDEX, TC_CLASSID, GSO_SEGS, GSO_SIZE -> 2;
            default -> 4;
        };
    }

    /** The verifier's narrow-load rewrite: shift and mask only when the access is narrower than the load. */
    private static long narrow(long value, int width, long offset, int bytes) {
        if (bytes >= width) {
            return value;
        }
        int shift = (int) (offset & 3) * 8;
        return (value >>> shift) & ((1L << (bytes * 8)) - 1);
    }

    @Override
    public void store(long offset, int bytes, long value) {
        SkBuffField f = rules.check(offset, bytes, true);
        switch (f) {
            case MARK -> skb.mark = (int) value;
            case PRIORITY -> skb.priority = (int) value;
            case TC_INDEX -> skb.tcIndex = (int) value & 0xffff;
            case TC_CLASSID -> skb.tcClassid = (int) value & 0xffff;
            case QUEUE_MAPPING -> {
                if (Integer.toUnsignedLong((int) value) < 0xffff) {
                    skb.queueMapping = (int) value & 0xffff;
                }
            }
            case CB -> write(MemorySegment.ofArray(skb.cb), offset - f.offset(), bytes, value);
            case TSTAMP -> {
                if (skb.atIngress && skb.tstampType != 0) {
                    skb.tstampType = 0;
                }
                skb.tstamp = value;
            }
            default -> throw new IllegalStateException("__sk_buff." + f.cName() + " passed the write rules but has no store");
        }
    }

    private static long read(MemorySegment s, long offset, int bytes) {
        return switch (bytes) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
            case 2 -> s.get(LE16, offset) & 0xffffL;
            case 4 -> s.get(LE32, offset) & 0xffff_ffffL;
            default -> s.get(LE64, offset);
        };
    }

    private static void write(MemorySegment s, long offset, int bytes, long value) {
        switch (bytes) {
            case 1 -> s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
            case 2 -> s.set(LE16, offset, (short) value);
            case 4 -> s.set(LE32, offset, (int) value);
            default -> s.set(LE64, offset, value);
        }
    }
}
