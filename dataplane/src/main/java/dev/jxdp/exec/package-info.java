/**
 * Running eBPF programs: the {@link dev.jxdp.exec.Engine} seam that the reference
 * {@link dev.jxdp.exec.Interpreter} and the JIT ({@code dev.jxdp.jit}) implement, the checked memory that every
 * load, store and atomic goes through ({@link dev.jxdp.exec.MemoryMap} of
 * {@link dev.jxdp.exec.Region}s), and helper calls ({@link dev.jxdp.exec.Helpers}).
 *
 * <p>Registers hold real 64-bit addresses of off-heap memory ({@code segment.address() + offset}); an
 * access is allowed only inside a region the program was given, so a wrong program ends with an
 * {@link dev.jxdp.exec.ExecutionException} naming the instruction, never with a JVM crash.
 */
package dev.jxdp.exec;
