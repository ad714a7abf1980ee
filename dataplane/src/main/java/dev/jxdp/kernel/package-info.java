/**
 * The kernel backend: jxdp's semantic oracle. Loads programs into the running Linux kernel, runs them
 * with {@code BPF_PROG_TEST_RUN} and works with kernel maps, by calling the {@code bpf()} system call
 * directly through {@code java.lang.foreign} (no JNI, no libbpf).
 *
 * <p>{@link dev.jxdp.kernel.Bpf} is the entry point for loading programs and creating maps;
 * {@link dev.jxdp.kernel.KernelRunner} runs a bare instruction body the way jxdp's test vectors
 * describe it; {@link dev.jxdp.kernel.BpfAvailability} says whether any of this works on this machine.
 * Every kernel object is an {@link java.lang.AutoCloseable} file descriptor; nothing is pinned.
 */
package dev.jxdp.kernel;
