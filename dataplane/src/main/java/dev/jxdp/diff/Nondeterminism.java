package dev.jxdp.diff;

import dev.jxdp.helpers.HelperId;
import dev.jxdp.helpers.HelperIds;
import java.util.ArrayList;
import java.util.List;

/**
 * The helpers whose results neither side can make the other repeat, and what the runner does about
 * each (the README's "Testing" section says the same):
 *
 * <ul>
 *   <li>the clocks (ktime_get_ns, ktime_get_boot_ns, ktime_get_coarse_ns, jiffies64): jxdp's program
 *       reads the machine's clocks as they were just before the kernel ran the same packet
 *       ({@link PacketClock}), so times in milliseconds, seconds or jiffies agree (unless a tick falls
 *       in those microseconds); a 64-bit map word that differs counts as the same when both values
 *       are nanosecond timestamps taken during the run ({@link ClockWindow});
 *   <li>get_prandom_u32: the kernel's per-CPU generator cannot be seeded from user space, so a run
 *       is compared up to the first packet on which jxdp's program drew a number, and the maps as
 *       they were before it; later packets are not compared, and the report says so;
 *   <li>get_smp_processor_id and per-CPU maps: both sides run on CPU 0 (the kernel's test run on the
 *       calling thread's CPU, pinned; jxdp's on worker 0).
 * </ul>
 */
record Nondeterminism(boolean clocks, boolean random, boolean cpu) {
    static final List<String> CLOCK_HELPERS = List.of("ktime_get_ns", "ktime_get_boot_ns", "ktime_get_coarse_ns", "jiffies64");

    /** What the programs may call: all of the object's, since a tail call may reach any of them. */
    static Nondeterminism of(List<ProgramContext> programs) {
        return new Nondeterminism(programs.stream().anyMatch(p -> CLOCK_HELPERS.stream().anyMatch(h -> p.callsHelper(id(h)))),
                programs.stream().anyMatch(p -> p.callsHelper(id("get_prandom_u32"))),
                programs.stream().anyMatch(p -> p.callsHelper(id("get_smp_processor_id"))));
    }

    private static int id(String name) {
        return HelperIds.byName(name).map(HelperId::id).orElseThrow();
    }

    /** The notes for the report; {@code tolerated} is the count of timestamp words taken as equal. */
    List<String> notes(int tolerated) {
        List<String> notes = new ArrayList<>();
        if (clocks) {
            notes.add("the program reads the clock: jxdp's runs read it as it was just before the kernel's; " + tolerated
                    + " differing 64-bit map word(s) were timestamps of this run on both sides and count as equal");
        }
        if (cpu) {
            notes.add("the program asks for its CPU: both sides ran on CPU 0");
        }
        return notes;
    }
}
