package dev.jxdp.jit;

import java.util.List;

/**
 * A piece of a split function: consecutive blocks (in slot order) compiled into one method
 * {@code f<entry>_<index>(JitRun rt, long[] registers, long r10, int entry) -> next}. The method
 * loads the registers from the array, starts at the entry block the dispatcher names, and when
 * control leaves the region saves them and returns the next region and entry (or -1 after an exit).
 *
 * @param entries the starts of the blocks control can enter from outside the region; an entry's
 *     index in this list is its number
 */
record RegionPlan(int index, List<Block> blocks, List<Integer> entries) {}
