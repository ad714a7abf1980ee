package dev.jxdp.hooks;

import dev.jxdp.maps.ProgramRef;
import java.lang.foreign.MemorySegment;

/**
 * A frame a cpumap redirect queued for another worker (the kernel's xdp_frame in a cpumap entry's
 * ptr_ring): a private copy of the frame with its metadata, where it came in, and the program of the
 * cpumap entry (or null).
 */
record CpuFrame(MemorySegment buffer, int headroom, int length, int metaLength, Port in, int queue, ProgramRef program) {}
