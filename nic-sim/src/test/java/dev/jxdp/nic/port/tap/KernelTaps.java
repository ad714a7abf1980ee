package dev.jxdp.nic.port.tap;

import dev.jxdp.hooks.Pipeline;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.port.posix.Posix;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * What the tests that hold jxdp's packet path to a kernel tap's share: the objects of programs/bin,
 * loaded into a jxdp pipeline or attached to the kernel's device as tc attaches them.
 */
final class KernelTaps {
    private KernelTaps() {}

    /** A u32 map key or value as the kernel lays it out here (little-endian). */
    static byte[] le(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** programs/bin/NAME.o. */
    static Path object(String name) {
        return Cmd.repo().resolve("programs/bin/" + name + ".o");
    }

    /** NAME.o loaded for {@code pipeline}, as jxdp's commands load objects. */
    static LoadedObject load(Pipeline pipeline, String name) throws Exception {
        return LoadedObject.load(ObjectLoader.load(object(name), LoadOptions.defaults()), pipeline.objectOptions());
    }

    /**
     * Moves {@code device} (a tap the test made) into {@code ns}, sets it up, and attaches {@code object}'s
     * "tc" section at its clsact {@code hook} ("ingress" or "egress"), direct-action, as tc does.
     */
    static void adoptWithTc(Netns ns, String device, String hook, Path object) {
        ns.adopt(device);
        ns.exec("ip", "link", "set", device, "up").orFail();
        ns.exec("tc", "qdisc", "add", "dev", device, "clsact").orFail();
        ns.exec("tc", "filter", "add", "dev", device, hook, "bpf", "direct-action", "object-file", object.toString(), "section", "tc").orFail();
    }

    /**
     * The next frame read from tap descriptor {@code fd} (non-blocking) into {@code buf}, with its
     * virtio-net header if the tap has one, waiting until {@code deadline} (System.nanoTime); null if
     * none came by then.
     */
    static byte[] readFrame(Posix posix, int fd, MemorySegment buf, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            long n = posix.read(fd, buf.address(), buf.byteSize());
            if (n > 0) {
                return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            }
            Thread.sleep(5);
        }
        return null;
    }
}
