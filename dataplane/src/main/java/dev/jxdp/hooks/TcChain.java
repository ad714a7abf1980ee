package dev.jxdp.hooks;

import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The tc programs of one hook (ingress or egress) of a port, as the kernel runs them
 * (sch_handle_ingress/egress): first the tcx programs ({@link #tcx}, bpf_mprog order), each handing
 * on to the next when it returns TCX_NEXT (-1); then, if the tcx programs all handed on (or there are
 * none), the classic clsact filters ({@link #classifiers}, direct-action cls_bpf, by priority).
 * Immutable: a port swaps whole chains, so that every packet sees one chain or the other.
 */
public record TcChain(List<LoadedProgram> tcx, List<Classifier> classifiers) {
    public static final TcChain EMPTY = new TcChain(List.of(), List.of());

    /** A direct-action classifier: {@code tc filter add dev X ingress prio P bpf da obj ...}. */
    public record Classifier(LoadedProgram program, int priority) {
        public Classifier {
            requireTc(program);
        }
    }

    public TcChain {
        tcx.forEach(TcChain::requireTc);
        tcx = List.copyOf(tcx);
        List<Classifier> sorted = new ArrayList<>(classifiers);
        sorted.sort(Comparator.comparingInt(Classifier::priority));
        classifiers = List.copyOf(sorted);
    }

    private static void requireTc(LoadedProgram p) {
        Objects.requireNonNull(p);
        if (p.type() != ProgramType.SCHED_CLS && p.type() != ProgramType.SCHED_ACT) {
            throw new IllegalArgumentException(p + " is no tc program");
        }
    }

    /** This chain with {@code program} appended to the tcx programs (BPF_F_AFTER with no relative program). */
    public TcChain withTcx(LoadedProgram program) {
        List<LoadedProgram> all = new ArrayList<>(tcx);
        all.add(program);
        return new TcChain(all, classifiers);
    }

    /** This chain with a direct-action classifier at {@code priority}. */
    public TcChain withClassifier(LoadedProgram program, int priority) {
        List<Classifier> all = new ArrayList<>(classifiers);
        all.add(new Classifier(program, priority));
        return new TcChain(tcx, all);
    }

    /** This chain without {@code program} wherever it is. */
    public TcChain without(LoadedProgram program) {
        return new TcChain(tcx.stream().filter(p -> p != program).toList(),
                classifiers.stream().filter(c -> c.program() != program).toList());
    }

    public boolean isEmpty() {
        return tcx.isEmpty() && classifiers.isEmpty();
    }
}
