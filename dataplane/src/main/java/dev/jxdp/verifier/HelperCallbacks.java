package dev.jxdp.verifier;

/** Helpers that call a subprogram of the program back (bpf_loop, bpf_for_each_map_elem). */
final class HelperCallbacks {
    static final int FOR_EACH_MAP_ELEM = 164;
    static final int LOOP = 181;

    private HelperCallbacks() {}
}
