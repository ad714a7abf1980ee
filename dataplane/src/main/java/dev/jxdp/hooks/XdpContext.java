package dev.jxdp.hooks;

import dev.jxdp.exec.ContextObject;

import dev.jxdp.exec.RegionHandler;

/**
 * {@code struct xdp_md} as a program sees it, computed from the frame on each access as the kernel's
 * xdp_convert_ctx_access rewrites it: data, data_end and data_meta are the frame's 64-bit addresses
 * (a 32-bit load yields the whole pointer), ingress_ifindex and rx_queue_index come from the receive
 * queue, egress_ifindex from the devmap entry's device. Which accesses are allowed is
 * {@link ContextRules}' business.
 */
final class XdpContext implements RegionHandler, ContextObject {
    private final ContextRules<XdpMdField> rules;
    private XdpBuff buff;

    XdpContext(ContextRules<XdpMdField> rules) {
        this.rules = rules;
    }

    void frame(XdpBuff b) {
        if (buff != b) {
            buff = b; // the worker's one XdpBuff, frame after frame: no store, no write barrier
        }
    }

    @Override
    public long load(long offset, int bytes) {
        return switch (rules.check(offset, bytes, false)) {
            case DATA -> buff.dataAddress();
            case DATA_END -> buff.dataEndAddress();
            case DATA_META -> buff.dataMetaAddress();
            case INGRESS_IFINDEX -> Integer.toUnsignedLong(buff.ingressIfindex());
            case RX_QUEUE_INDEX -> Integer.toUnsignedLong(buff.rxQueueIndex());
            case EGRESS_IFINDEX -> Integer.toUnsignedLong(buff.egressIfindex());
        };
    }

    /** A verified load: every xdp_md load is a whole 4-byte field (xdp_is_valid_access), so the offset names it. */
    @Override
    public long load(int offset, int width) {
        return switch (offset) {
            case 0 -> buff.dataAddress();
            case 4 -> buff.dataEndAddress();
            case 8 -> buff.dataMetaAddress();
            case 12 -> Integer.toUnsignedLong(buff.ingressIfindex());
            case 16 -> Integer.toUnsignedLong(buff.rxQueueIndex());
            default -> load((long) offset, width); // egress_ifindex and anything else: the checked path
        };
    }

    @Override
    public void store(long offset, int bytes, long value) {
        rules.check(offset, bytes, true);
        throw new IllegalStateException("xdp_md has no writable field"); // check() refuses every write
    }
}
