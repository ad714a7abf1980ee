package dev.jxdp.hooks;

/**
 * xdp_is_valid_access (net/core/filter.c): XDP programs only read xdp_md, whole 4-byte fields at
 * their offsets (no narrow loads: __is_valid_xdp_access wants size 4), and egress_ifindex only in
 * programs that run on a devmap entry (expected attach type BPF_XDP_DEVMAP). No field is writable
 * (rx_queue_index only for offloaded programs, which jxdp does not have).
 */
public record XdpMdRules(boolean devmapProgram) implements ContextRules<XdpMdField> {

    /** Programs attached to a device (SEC("xdp")). */
    public static final XdpMdRules DEVICE = new XdpMdRules(false);
    /** Programs run on a devmap entry (SEC("xdp/devmap")). */
    public static final XdpMdRules DEVMAP = new XdpMdRules(true);

    @Override
    public XdpMdField check(long offset, int size, boolean write) {
        XdpMdField f = XdpMdField.at(offset);
        if (write || size != 4 || f == null || f == XdpMdField.EGRESS_IFINDEX && !devmapProgram) {
            throw ContextRules.refused(offset, size);
        }
        return f;
    }
}
