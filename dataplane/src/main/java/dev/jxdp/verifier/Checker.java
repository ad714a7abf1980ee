package dev.jxdp.verifier;

import dev.jxdp.helpers.HelperProtos;
import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Registers;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The exploration (the kernel's do_check): follows every path from the entry with an abstract
 * {@link State}, one instruction at a time, forking at conditional jumps whose outcome the state does
 * not decide; compares states at prune points so that a path reaching a state already shown safe
 * stops there. The per-instruction rules live in {@link AluCheck}, {@link MemCheck},
 * {@link JumpCheck}, {@link CallCheck} and {@link HelperCheck}; pruning in {@link Pruner}.
 */
final class Checker {
    final VerifierInput in;
    final VerifierOptions opt;
    final Bytecode code;
    final List<MapSpec> maps;
    final ProgramType type;
    final HelperProtos.Family family;
    final Cfg cfg;
    final Liveness liveness;
    final VerifierLog log;
    final InsnAux[] aux;
    /** Per subprogram: bytes of stack used (the kernel's subprog_info[].stack_depth). */
    final int[] stackDepth;
    final Pruner pruner;
    /** Which functions are global and their signatures (from BTF). */
    final FuncSignatures funcs;
    /** Per subprogram: a global function some verified path calls, to be verified on its own. */
    final boolean[] globalCalled;
    private final java.util.IdentityHashMap<MapSpec, MapFields> mapFields = new java.util.IdentityHashMap<>();

    int idGen;
    State cur;
    int insnIdx;
    int prevInsnIdx = -1;
    /** The instruction the path came from to the current one (for the path's history). */
    int fromInsn = -1;
    /** The history entry recorded for this visit of the current instruction, if any. */
    private State.Hist visitEntry;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    int insnProcessed;
    int prevInsnProcessed;
    int jmpsProcessed;
    int prevJmpsProcessed;

    /** Registers (bit per register) and stack slots (bit per 8-byte slot) touched by the current instruction. */
    int scratchedRegs;
    long scratchedStack;
    private boolean printFullState = true;

    /** A branch waiting to be explored: its state, where it starts, and the log length when it was pushed. */
    private record Pending(State state, int insn, int prevInsn, int logPos) {}

    /** What an instruction did to the flow: go on to the next, jumped (insnIdx set), or ended its path. */
    enum Flow { NEXT, JUMPED, PATH_DONE }

    static final int BPF_COMPLEXITY_LIMIT_JMP_SEQ = 8192;

    Checker(VerifierInput in, VerifierOptions opt, Cfg cfg) {
        this.in = in;
        this.opt = opt;
        this.code = in.code();
        this.maps = in.maps();
        this.type = in.type();
        this.family = switch (in.type()) {
            case XDP -> HelperProtos.Family.XDP;
            case SCHED_CLS, SCHED_ACT -> HelperProtos.Family.TC;
            default -> throw new Reject(Reject.EINVAL, -1, "jxdp verifies xdp, sched_cls and sched_act programs, not "
                    + in.type().bpftoolName());
        };
        this.cfg = cfg;
        this.liveness = Liveness.compute(code);
        this.log = new VerifierLog(opt.logLevel());
        this.aux = new InsnAux[code.length()];
        for (int i = 0; i < aux.length; i++) {
            aux[i] = new InsnAux();
        }
        this.stackDepth = new int[cfg.subprogCount()];
        this.pruner = new Pruner(this);
        this.funcs = FuncSignatures.of(in, cfg, family);
        this.globalCalled = new boolean[cfg.subprogCount()];
    }

    boolean privileged() {
        return opt.privileged();
    }

    /**
     * Runs the exploration from the entry, then (do_check_subprogs) of every global function that a
     * verified path calls, each once, on its own, with its arguments as its BTF signature types them;
     * returns normally if every path is safe.
     */
    void run() {
        Frame main = new Frame(-1, 0, 0);
        main.regs[Registers.R1].markPointer(RegType.PTR_TO_CTX);
        if (log.level >= 2) {
            log.print("func#0 @0\n");
        }
        explore(main, 0);
        boolean[] verified = new boolean[cfg.subprogCount()];
        for (boolean more = true; more; ) {
            more = false;
            for (int s = 1; s < cfg.subprogCount(); s++) {
                if (!funcs.isGlobal(s) || !globalCalled[s] || verified[s]) {
                    continue;
                }
                FuncSignatures.Sig sig = funcs.get(s);
                if (log.on()) {
                    log.print("Validating " + sig.name() + "() func#" + s + "...\n");
                }
                explore(globalEntry(sig), cfg.subprogStarts[s]);
                if (log.on()) {
                    log.print("Func#" + s + " ('" + sig.name() + "') is safe for any args that match its prototype\n");
                }
                verified[s] = true;
                more = true;
            }
        }
    }

    /** The frame a global function starts in: r1-r5 from its signature, the rest not initialised. */
    private Frame globalEntry(FuncSignatures.Sig sig) {
        Frame f = new Frame(-1, 0, sig.subprog());
        for (int i = 0; i < sig.args().size(); i++) {
            Reg r = f.regs[Registers.R1 + i];
            switch (sig.args().get(i)) {
                case FuncSignatures.Arg.Scalar s -> r.markUnknown();
                case FuncSignatures.Arg.Ctx x -> r.markPointer(RegType.PTR_TO_CTX);
                case FuncSignatures.Arg.Mem m -> {
                    r.markPointer(RegType.PTR_TO_MEM);
                    r.memSize = m.size();
                    r.maybeNull = true;
                    r.id = newId();
                }
            }
        }
        return f;
    }

    /** One do_check_common: every path from {@code start} with {@code entry} as the only frame. */
    private void explore(Frame entry, int start) {
        pruner.clear();
        cur = new State(entry);
        cur.firstInsn = start;
        insnIdx = start;
        prevInsnIdx = -1;
        printFullState = true;
        while (true) {
            Flow flow = step();
            if (flow == Flow.PATH_DONE) {
                pruner.pathDone(cur);
                if (!popPending()) {
                    return;
                }
            }
        }
    }

    private Flow step() {
        if (insnIdx < 0 || insnIdx >= code.length() || code.at(insnIdx) == null) {
            throw new Reject(Reject.EFAULT, "invalid insn idx " + insnIdx + " insn_cnt " + code.length());
        }
        Instruction insn = code.at(insnIdx);
        if (++insnProcessed > opt.insnLimit()) {
            throw new Reject(Reject.E2BIG, "BPF program is too large. Processed " + insnProcessed + " insn");
        }
        fromInsn = prevInsnIdx;
        visitEntry = null;
        if (cfg.prunePoint[insnIdx] && pruner.isStateVisited(insnIdx)) {
            if (log.on()) {
                log.print(printFullState ? "\nfrom " + prevInsnIdx + " to " + insnIdx + ": safe\n" : insnIdx + ": safe\n");
            }
            return Flow.PATH_DONE;
        }
        recordArrival();
        InsnAux a = aux[insnIdx];
        a.seen = true;
        a.recordEntry(cur.frame().regs);
        if (log.on()) {
            if (printFullState) {
                log.print(prevInsnIdx < 0 ? "" : "\nfrom " + prevInsnIdx + " to " + insnIdx + ":");
                if (prevInsnIdx < 0) {
                    log.print(insnIdx + ":");
                }
                log.print(StatePrinter.frame(cur.frame(), true, 0, 0) + "\n");
                printFullState = false;
            }
            log.insn(insnIdx, KernelInsnFormat.format(insn, maps));
        }
        scratchedRegs = 0;
        scratchedStack = 0;
        int at = insnIdx;
        prevInsnIdx = insnIdx;
        Flow flow = switch (insn) {
            case Alu x -> AluCheck.alu(this, x);
            case ByteSwap x -> AluCheck.byteSwap(this, x);
            case Load x -> MemCheck.load(this, x);
            case Store x -> MemCheck.store(this, x);
            case StoreReg x -> MemCheck.storeReg(this, x);
            case Atomic x -> MemCheck.atomic(this, x);
            case LoadImm64 x -> AluCheck.ldImm64(this, x);
            case PacketLoad x -> MemCheck.packetLoad(this, x);
            case Jump x -> JumpCheck.cond(this, x);
            case Goto x -> {
                jmpsProcessed++;
                insnIdx = (int) Bytecode.targetOf(x, insnIdx);
                yield Flow.JUMPED;
            }
            case Call x -> CallCheck.call(this, x);
            case CallReg x -> CallCheck.callx(this, x);
            case Exit x -> CallCheck.exit(this);
        };
        if (log.on() && flow != Flow.PATH_DONE && (scratchedRegs != 0 || scratchedStack != 0)
                && !(insn instanceof Jump) && !(insn instanceof Goto) && !(insn instanceof Exit)) {
            log.insnState(at, StatePrinter.frame(cur.frame(), false, scratchedRegs, scratchedStack));
        }
        if (flow == Flow.NEXT) {
            insnIdx = at + insn.slots();
        }
        if (flow == Flow.JUMPED && code.at(at) instanceof Exit) {
            printFullState = true;
        }
        return flow;
    }

    /** Queues the other side of a branch: a copy of the current state starting at {@code target}. */
    State pushBranch(int target) {
        State copy = new State(cur);
        pending.push(new Pending(copy, target, insnIdx, log.level >= 2 ? -1 : log.mark()));
        if (copy.parent != null) {
            copy.parent.branches++;
        }
        if (pending.size() > BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
            throw new Reject(Reject.E2BIG, "The sequence of " + pending.size() + " jumps is too complex.");
        }
        return copy;
    }

    private boolean popPending() {
        Pending p = pending.poll();
        if (p == null) {
            return false;
        }
        if (p.logPos >= 0) {
            log.reset(p.logPos);
        }
        cur = p.state;
        insnIdx = p.insn;
        prevInsnIdx = p.prevInsn;
        printFullState = true;
        return true;
    }

    int pendingCount() {
        return pending.size();
    }

    /** Notes in the path's history how the path reached the current instruction, if not by falling through. */
    void recordArrival() {
        if (fromInsn >= 0 && insnIdx != fromInsn + code.at(fromInsn).slots()) {
            visitEntry = cur.record(insnIdx, fromInsn, 0, 0, null);
        }
    }

    /** Notes in the path's history what the current instruction did ({@link Precision} flags). */
    void recordFlags(int flags, int linkedRegs) {
        visitEntry = cur.record(insnIdx, fromInsn, flags, linkedRegs, visitEntry);
    }

    /** The special fields of a map's value, from the object's BTF. */
    MapFields fields(MapRef map) {
        return mapFields.computeIfAbsent(map.spec(), m -> MapFields.of(m, in.btf()));
    }

    int newId() {
        return ++idGen;
    }

    Reg reg(int r) {
        return cur.reg(r);
    }

    Reg[] regs() {
        return cur.frame().regs;
    }

    /** check_reg_arg(SRC_OP): the register must hold a value. */
    Reg readReg(int r) {
        scratchedRegs |= 1 << r;
        Reg reg = cur.reg(r);
        if (reg.type == RegType.NOT_INIT) {
            throw Reject.eacces("R%d !read_ok", r);
        }
        return reg;
    }

    /** check_reg_arg(DST_OP_NO_MARK): the register may be written. */
    Reg writeReg(int r) {
        scratchedRegs |= 1 << r;
        if (r == Registers.FP) {
            throw Reject.eacces("frame pointer is read only");
        }
        return cur.reg(r);
    }

    void scratchStack(int spi) {
        if (spi >= 0 && spi < 64) {
            scratchedStack |= 1L << spi;
        }
    }

    /** Records that the current subprogram uses {@code bytes} of stack. */
    void updateStackDepth(Frame f, int bytes) {
        if (stackDepth[f.subprog] < bytes) {
            stackDepth[f.subprog] = bytes;
        }
    }
}
