package dev.jxdp.hooks;

import dev.jxdp.maps.ProgramRef;
import java.lang.foreign.MemorySegment;

/**
 * A frame a cpumap redirect queued for another worker (the kernel's xdp_frame in a cpumap entry's
 * ptr_ring): a private copy of the frame with its metadata, the port it came in on, and the program of
 * the cpumap entry (or null). Not the queue: an xdp_frame keeps none, and the kernel's cpumap gives
 * its program queue 0 (an xdp_rxq_info of its own with only the device; CpumapProgramKernelTest).
 */
record CpuFrame(MemorySegment buffer, int headroom, int length, int metaLength, Port in, ProgramRef program) {}
