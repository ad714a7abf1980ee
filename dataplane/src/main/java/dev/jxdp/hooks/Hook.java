package dev.jxdp.hooks;

/** Where a packet program runs. */
public enum Hook {
    /** The XDP hook of a port's receive path (and of devmap and cpumap entries). */
    XDP,
    /** tc ingress (tcx/ingress, clsact ingress) of a port. */
    TC_INGRESS,
    /** tc egress (tcx/egress, clsact egress) of a port. */
    TC_EGRESS
}
