package dev.jxdp.maps;

/**
 * The LRU lists of LRU hash maps: a port of kernel/bpf/bpf_lru_list.c (Linux 6.16+, with
 * {@code target_free}), so that which element an insert into a full map evicts is the kernel's
 * choice, step for step. The kernel's rules in short: elements sit on an active or an inactive list;
 * program lookups set a node's reference bit; when a worker needs a free node it flushes its pending
 * nodes onto the lists, rotates them (referenced nodes move to the head of active, unreferenced
 * active nodes age into inactive) and shrinks the inactive tail, evicting unreferenced elements, into
 * a worker-local free list of {@code target_free} nodes; with BPF_F_NO_COMMON_LRU every worker has
 * lists of its own.
 *
 * <p>Nodes here are logical: node {@code i} is bound to whatever element memory currently holds its
 * element, and that memory is reclaimed through the epochs like any hash element, so a node can be
 * reused at once (as in the kernel) while a reader still holds the old element. Lists are the kernel's
 * circular doubly linked lists over int indexes; list heads are extra indexes after the nodes. One
 * lock covers all lists (the kernel has one per list); it is taken before any bucket lock, never
 * after, as in the kernel.
 */
final class BpfLru {
    /** htab_lru_map_delete_node: unlink the element bound to {@code node} if it is in the table. */
    @FunctionalInterface
    interface Evictor {
        boolean delete(int node, int slot, int hash);
    }

    static final int LOCAL_FREE_TARGET = 128;
    static final int PERCPU_FREE_TARGET = 4;

    // enum bpf_lru_list_type
    private static final byte ACTIVE = 0;
    private static final byte INACTIVE = 1;
    private static final byte FREE = 2;
    private static final byte LOCAL_FREE = 3;
    private static final byte LOCAL_PENDING = 4;

    /** struct bpf_lru_list: three list heads, counts of active and inactive, the rotation cursor. */
    private final class LruList {
        final int[] heads = {sentinel(), sentinel(), sentinel()};
        final int[] counts = new int[2];
        int nextInactiveRotation = heads[INACTIVE];
    }

    private final int nodes;
    private final int workers;
    private final boolean percpu;
    private final int nrScans;
    private final int targetFree;
    private final Evictor evictor;
    private int[] prev;
    private int[] next;
    private final byte[] type;
    /** The reference bits: set by lookups without the lock (a racy int store, as in the kernel). */
    private final int[] ref;
    private final int[] cpu;
    private final int[] hash;
    private final int[] slot;
    private int sentinels;

    private LruList common;
    private LruList[] perCpu;
    private int[] localFree;
    private int[] localPending;
    private int[] nextSteal;

    BpfLru(int nodes, int workers, boolean percpu, Evictor evictor) {
        this.nodes = nodes;
        this.workers = workers;
        this.percpu = percpu;
        this.evictor = evictor;
        this.nrScans = percpu ? PERCPU_FREE_TARGET : LOCAL_FREE_TARGET;
        int lists = percpu ? 3 * workers : 3 + 2 * workers;
        this.prev = new int[nodes + lists];
        this.next = new int[nodes + lists];
        this.type = new byte[nodes];
        this.ref = new int[nodes];
        this.cpu = new int[nodes];
        this.hash = new int[nodes];
        this.slot = new int[nodes];
        java.util.Arrays.fill(slot, -1);
        if (percpu) {
            perCpu = new LruList[workers];
            for (int c = 0; c < workers; c++) {
                perCpu[c] = new LruList();
            }
            populatePerCpu();
            targetFree = PERCPU_FREE_TARGET;
        } else {
            common = new LruList();
            localFree = new int[workers];
            localPending = new int[workers];
            nextSteal = new int[workers];
            for (int c = 0; c < workers; c++) {
                localFree[c] = sentinel();
                localPending[c] = sentinel();
                nextSteal[c] = c;
            }
            for (int i = 0; i < nodes; i++) {
                type[i] = FREE;
                listAdd(i, common.heads[FREE]);
            }
            targetFree = Math.clamp((long) (nodes / workers) / 2, 1, LOCAL_FREE_TARGET);
        }
    }

    /** bpf_percpu_lru_populate: consecutive runs of nodes / workers nodes per worker. */
    private void populatePerCpu() {
        int perWorker = nodes / workers;
        int i = 0;
        outer:
        for (int c = 0; c < workers; c++) {
            do {
                cpu[i] = c;
                type[i] = FREE;
                listAdd(i, perCpu[c].heads[FREE]);
                i++;
                if (i == nodes) {
                    break outer;
                }
            } while (perWorker == 0 || i % perWorker != 0);
        }
    }

    private int sentinel() {
        int s = nodes + sentinels++;
        prev[s] = s;
        next[s] = s;
        return s;
    }

    // ---- the kernel's list.h

    private void listAdd(int node, int head) {
        int first = next[head];
        next[node] = first;
        prev[node] = head;
        prev[first] = node;
        next[head] = node;
    }

    private void listDel(int node) {
        next[prev[node]] = next[node];
        prev[next[node]] = prev[node];
    }

    private void listMove(int node, int head) {
        listDel(node);
        listAdd(node, head);
    }

    private boolean empty(int head) {
        return next[head] == head;
    }

    // ---- bindings to element memory (the hash map's side)

    synchronized void unbind(int node) {
        slot[node] = -1;
    }

    /** bpf_lru_node_set_ref: from lookups, without the lock. */
    void setRef(int node) {
        if (ref[node] == 0) {
            ref[node] = 1;
        }
    }

    private boolean isRef(int node) {
        return ref[node] != 0;
    }

    private boolean delFromHtab(int node) {
        return slot[node] >= 0 && evictor.delete(node, slot[node], hash[node]);
    }

    // ---- bpf_lru_list.c

    private void countInc(LruList l, byte t) {
        if (t < 2) {
            l.counts[t]++;
        }
    }

    private void countDec(LruList l, byte t) {
        if (t < 2) {
            l.counts[t]--;
        }
    }

    private void moveToFree(LruList l, int node, int freeList, byte freeType) {
        if (node == l.nextInactiveRotation) {
            l.nextInactiveRotation = prev[l.nextInactiveRotation];
        }
        countDec(l, type[node]);
        type[node] = freeType;
        listMove(node, freeList);
    }

    private void moveIn(LruList l, int node, byte target) {
        countInc(l, target);
        type[node] = target;
        ref[node] = 0;
        listMove(node, l.heads[target]);
    }

    private void move(LruList l, int node, byte target) {
        if (type[node] != target) {
            countDec(l, type[node]);
            countInc(l, target);
            type[node] = target;
        }
        ref[node] = 0;
        if (node == l.nextInactiveRotation) {
            l.nextInactiveRotation = prev[l.nextInactiveRotation];
        }
        listMove(node, l.heads[target]);
    }

    private boolean inactiveLow(LruList l) {
        return l.counts[INACTIVE] < l.counts[ACTIVE];
    }

    private void rotateActive(LruList l) {
        int active = l.heads[ACTIVE];
        int firstNode = next[active];
        int i = 0;
        for (int node = prev[active], tmp = prev[node]; node != active; node = tmp, tmp = prev[node]) {
            move(l, node, isRef(node) ? ACTIVE : INACTIVE);
            if (++i == nrScans || node == firstNode) {
                break;
            }
        }
    }

    private void rotateInactive(LruList l) {
        int inactive = l.heads[INACTIVE];
        if (empty(inactive)) {
            return;
        }
        int last = next[l.nextInactiveRotation];
        if (last == inactive) {
            last = next[last];
        }
        int cur = l.nextInactiveRotation;
        int nxt = inactive;
        int i = 0;
        while (i < nrScans) {
            if (cur == inactive) {
                cur = prev[cur];
                continue;
            }
            int node = cur;
            nxt = prev[cur];
            if (isRef(node)) {
                move(l, node, ACTIVE);
            }
            if (cur == last) {
                break;
            }
            cur = nxt;
            i++;
        }
        l.nextInactiveRotation = nxt;
    }

    private int shrinkInactive(LruList l, int target, int freeList, byte freeType) {
        int inactive = l.heads[INACTIVE];
        int shrunk = 0;
        int i = 0;
        for (int node = prev[inactive], tmp = prev[node]; node != inactive; node = tmp, tmp = prev[node]) {
            if (isRef(node)) {
                move(l, node, ACTIVE);
            } else if (delFromHtab(node)) {
                moveToFree(l, node, freeList, freeType);
                if (++shrunk == target) {
                    break;
                }
            }
            if (++i == nrScans) {
                break;
            }
        }
        return shrunk;
    }

    private void rotate(LruList l) {
        if (inactiveLow(l)) {
            rotateActive(l);
        }
        rotateInactive(l);
    }

    private int shrink(LruList l, int target, int freeList, byte freeType) {
        int shrunk = shrinkInactive(l, target, freeList, freeType);
        if (shrunk > 0) {
            return shrunk;
        }
        int force = !empty(l.heads[INACTIVE]) ? l.heads[INACTIVE] : l.heads[ACTIVE];
        for (int node = prev[force], tmp = prev[node]; node != force; node = tmp, tmp = prev[node]) {
            if (delFromHtab(node)) {
                moveToFree(l, node, freeList, freeType);
                return 1;
            }
        }
        return 0;
    }

    private void localListFlush(LruList l, int c) {
        int pending = localPending[c];
        for (int node = prev[pending], tmp = prev[node]; node != pending; node = tmp, tmp = prev[node]) {
            moveIn(l, node, isRef(node) ? ACTIVE : INACTIVE);
        }
    }

    private void popFreeToLocal(int c) {
        LruList l = common;
        localListFlush(l, c);
        rotate(l);
        int nfree = 0;
        int free = l.heads[FREE];
        for (int node = next[free], tmp = next[node]; node != free; node = tmp, tmp = next[node]) {
            moveToFree(l, node, localFree[c], LOCAL_FREE);
            if (++nfree == targetFree) {
                break;
            }
        }
        if (nfree < targetFree) {
            shrink(l, targetFree - nfree, localFree[c], LOCAL_FREE);
        }
    }

    private void localAddPending(int c, int node, int h) {
        hash[node] = h;
        cpu[node] = c;
        type[node] = LOCAL_PENDING;
        ref[node] = 0;
        listAdd(node, localPending[c]);
    }

    private int localPopFree(int c) {
        int free = localFree[c];
        if (empty(free)) {
            return -1;
        }
        int node = next[free];
        listDel(node);
        return node;
    }

    private int localPopPending(int c) {
        int pending = localPending[c];
        for (boolean force : new boolean[] {false, true}) {
            for (int node = prev[pending]; node != pending; node = prev[node]) {
                if ((!isRef(node) || force) && delFromHtab(node)) {
                    listDel(node);
                    return node;
                }
            }
        }
        return -1;
    }

    private int percpuPopFree(int h, int c) {
        LruList l = perCpu[c];
        rotate(l);
        int free = l.heads[FREE];
        if (empty(free)) {
            shrink(l, PERCPU_FREE_TARGET, free, FREE);
        }
        if (empty(free)) {
            return -1;
        }
        int node = next[free];
        hash[node] = h;
        ref[node] = 0;
        move(l, node, INACTIVE);
        return node;
    }

    private int commonPopFree(int h, int c) {
        int node = localPopFree(c);
        if (node < 0) {
            popFreeToLocal(c);
            node = localPopFree(c);
        }
        if (node >= 0) {
            localAddPending(c, node, h);
            return node;
        }
        // Steal from the local lists of every worker in turn, starting at this worker's next_steal.
        int first = nextSteal[c];
        int steal = first;
        do {
            node = localPopFree(steal);
            if (node < 0) {
                node = localPopPending(steal);
            }
            steal = (steal + 1) % workers;
        } while (node < 0 && steal != first);
        nextSteal[c] = steal;
        if (node >= 0) {
            localAddPending(c, node, h);
        }
        return node;
    }

    /**
     * bpf_lru_pop_free: a free node for an element of hash {@code h} on worker {@code c}, bound to the
     * element memory {@code elementSlot}; -1 if there is none.
     */
    synchronized int popFree(int h, int c, int elementSlot) {
        int w = Math.floorMod(c, workers);
        int node = percpu ? percpuPopFree(h, w) : commonPopFree(h, w);
        if (node >= 0) {
            slot[node] = elementSlot;
        }
        return node;
    }

    /** bpf_lru_push_free: a node whose element left the table. */
    synchronized void pushFree(int node) {
        if (percpu) {
            move(perCpu[cpu[node]], node, FREE);
            return;
        }
        if (type[node] == LOCAL_PENDING) {
            type[node] = LOCAL_FREE;
            ref[node] = 0;
            listMove(node, localFree[cpu[node]]);
            return;
        }
        move(common, node, FREE);
    }
}
