package dev.jxdp.hooks;

import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The XDP programs of a port, as libxdp's dispatcher runs several on one interface: in order of run
 * priority (lower first, then attach order), each with the actions on which the next program runs
 * instead ("chain call actions", by default only XDP_PASS). The first program whose verdict is not
 * one of its chain-call actions decides; the last program's verdict decides in any case. A single
 * program is the plain one-program-per-interface case. Immutable: a port swaps whole chains, so that
 * every packet sees one chain or the other.
 */
public record XdpChain(List<Entry> entries) {
    /** libxdp's defaults: run priority 50, chain on XDP_PASS. */
    public static final int DEFAULT_PRIORITY = 50;
    public static final int DEFAULT_CHAIN_ON = 1 << XdpAction.PASS.code();

    /** No program: frames pass. */
    public static final XdpChain EMPTY = new XdpChain(List.of());

    /**
     * One program in the chain.
     *
     * @param priority lower runs first
     * @param chainOn a bit per XDP action ({@code 1 << XDP_*}) on which the next program runs
     */
    public record Entry(LoadedProgram program, int priority, int chainOn) {
        public Entry {
            Objects.requireNonNull(program);
            if (program.type() != ProgramType.XDP) {
                throw new IllegalArgumentException(program + " is no XDP program");
            }
            AttachType attach = program.spec().expectedAttachType();
            if (attach == AttachType.XDP_DEVMAP || attach == AttachType.XDP_CPUMAP) {
                throw new IllegalArgumentException(program + " is for " + attach.bpftoolName()
                        + " entries; the kernel attaches such programs only to devmap/cpumap entries, not to a device");
            }
        }
    }

    public XdpChain {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::priority)); // stable: equal priorities keep attach order
        entries = List.copyOf(sorted);
    }

    /** One program, as {@code ip link set dev X xdp obj ...} attaches it. */
    public static XdpChain of(LoadedProgram program) {
        return new XdpChain(List.of(new Entry(program, DEFAULT_PRIORITY, DEFAULT_CHAIN_ON)));
    }

    /** This chain and {@code program} added at {@code priority}, chaining on the actions given. */
    public XdpChain with(LoadedProgram program, int priority, XdpAction... chainOn) {
        int mask = 0;
        for (XdpAction a : chainOn) {
            mask |= 1 << a.code();
        }
        List<Entry> all = new ArrayList<>(entries);
        all.add(new Entry(program, priority, mask));
        return new XdpChain(all);
    }

    /** This chain without {@code program}. */
    public XdpChain without(LoadedProgram program) {
        return new XdpChain(entries.stream().filter(e -> e.program() != program).toList());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
