package dev.jxdp.maps;

import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Epoch-based reclamation: when the memory of a deleted map element may be used again.
 *
 * <p>Programs get raw pointers into map values and keep them, unannounced, until the run ends; a
 * lookup on the packet path takes no lock. So a deleted element must stay untouched while any run
 * that might have seen it is still going: the kernel waits for an RCU grace period, and this is the
 * same idea in user space. Each thread that reads maps (packet workers running programs, control-plane
 * threads doing user-space operations) marks a read section with {@link #enter()}/{@link #exit()};
 * a writer that unlinks an element retires it at the current epoch, and it is freed only once the
 * global epoch has moved on twice, which needs every thread in a read section to have entered it
 * after the retirement. Hazard pointers would need one announcement per pointer a program holds,
 * which an eBPF program cannot make; a whole run is one read section, exactly like the kernel's
 * rcu_read_lock around a program, and costs two stores and one fence per section. As in the kernel,
 * where a test run's loop and a driver's NAPI poll hold one rcu_read_lock over many program runs, a
 * caller running a program many times may hold one section around them; each run's own is then nested
 * and costs no fence.
 *
 * <p>Sections nest (a helper's callback, a tail call, a user-space operation inside a run). A thread
 * that never enters costs nothing; a thread that dies leaves an idle record that is dropped later.
 */
public final class Epochs {
    /** The process-wide domain: maps may be shared between objects, so there is one epoch for all. */
    public static final Epochs GLOBAL = new Epochs();

    /**
     * A thread's record: its epoch while in a read section, 0 while idle. Its owner may keep it
     * ({@link #reader()}) and enter and leave through it without the ThreadLocal's lookup each time.
     */
    public static final class Reader {
        volatile long active;
        int depth;
        final WeakReference<Thread> owner;
        private final Epochs domain;

        Reader(Thread owner, Epochs domain) {
            this.owner = new WeakReference<>(owner);
            this.domain = domain;
        }

        /**
         * Enters a read section: pointers read from maps stay valid until the matching {@link #exit()}.
         * Only the outermost entry announces the epoch and pays the fence; a nested one only counts.
         */
        public void enter() {
            if (depth++ == 0) {
                active = domain.epoch.get();
                // The announcement must be visible before this thread reads any map pointer.
                VarHandle.fullFence();
            }
        }

        /** Leaves the read section entered last. */
        public void exit() {
            if (depth <= 0) {
                throw new IllegalStateException("Epochs.exit() without enter()");
            }
            if (--depth == 0) {
                active = 0;
            }
        }

        /** Whether the owner is in a read section. */
        public boolean inSection() {
            return depth > 0;
        }
    }

    private final AtomicLong epoch = new AtomicLong(1);
    /** For tests that show the stress tests can fail: memory is reused at once, as without epochs. */
    private final boolean noGracePeriod;
    private final CopyOnWriteArrayList<Reader> participants = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Reader> mine = ThreadLocal.withInitial(this::register);

    Epochs() {
        this(false);
    }

    Epochs(boolean noGracePeriod) {
        this.noGracePeriod = noGracePeriod;
    }

    /** A domain that reuses memory at once: broken on purpose, for the tests that must catch it. */
    static Epochs withoutGracePeriod() {
        return new Epochs(true);
    }

    private Reader register() {
        participants.removeIf(p -> {
            Thread t = p.owner.get();
            return t == null || !t.isAlive();
        });
        Reader p = new Reader(Thread.currentThread(), this);
        participants.add(p);
        return p;
    }

    /**
     * The calling thread's reader, to keep and use on this thread only: a packet worker or a run
     * state that enters a section per packet saves the ThreadLocal lookup of {@link #enter()}.
     */
    public Reader reader() {
        return mine.get();
    }

    /** Enters a read section on this thread: pointers read from maps stay valid until {@link #exit()}. */
    public void enter() {
        mine.get().enter();
    }

    /** Leaves the read section this thread entered last. */
    public void exit() {
        mine.get().exit();
    }

    /** Whether this thread is in a read section. */
    public boolean inSection() {
        return mine.get().inSection();
    }

    /**
     * The epoch to retire an element at, read after the element was unlinked (the fence orders the
     * unlinking store before the read).
     */
    long retirementEpoch() {
        VarHandle.fullFence();
        return epoch.get();
    }

    /** The current global epoch. */
    long current() {
        return epoch.get();
    }

    /**
     * Moves the global epoch on if every thread in a read section has seen the current one. Returns
     * the epoch after the attempt.
     */
    long tryAdvance() {
        long e = epoch.get();
        for (Reader p : participants) {
            long a = p.active;
            if (a != 0 && a != e) {
                return e;
            }
        }
        epoch.compareAndSet(e, e + 1);
        return epoch.get();
    }

    /** Whether memory retired at {@code retired} can no longer be reached by any read section. */
    boolean safe(long retired, long now) {
        return noGracePeriod || now >= retired + 2;
    }
}
