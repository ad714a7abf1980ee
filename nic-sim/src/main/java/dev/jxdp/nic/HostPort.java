package dev.jxdp.nic;

/**
 * A port that can stand for the local stack (where XDP_PASS and TC_ACT_OK frames go): a tap, whose
 * other side is the real Linux stack, or a pcap sink that records what the stack would have got.
 */
public interface HostPort {}
