package dev.jxdp.load;

import dev.jxdp.exec.Helper;
import dev.jxdp.obj.ProgramType;
import java.util.Map;

/**
 * More helpers for the programs of a loaded object: the seam for the XDP/tc hooks, whose packet
 * helpers (bpf_xdp_adjust_head, bpf_redirect, bpf_redirect_map, bpf_csum_diff, bpf_skb_*,
 * bpf_fib_lookup ...) need the packet and the ports. A provider is asked once per program; what it
 * returns joins the object's own helpers (maps, time, random, printing, loops) and replaces any of them
 * with the same id. A helper the program calls that neither the object nor a provider has is refused
 * when the object loads, naming it ({@link UnsupportedHelperException}).
 *
 * <p>Helpers get their per-run state through {@link ProgramRun#of}: the worker, and
 * {@link ProgramRun#hook()}, whatever the hook attached to the run's invocation.
 */
@FunctionalInterface
public interface HelperProvider {

    /** The helpers for programs of {@code type} in {@code object}, by helper id (include/uapi/linux/bpf.h). */
    Map<Integer, Helper> helpers(ProgramType type, LoadedObject object);
}
