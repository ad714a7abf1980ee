package dev.jxdp.verifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's verdict on an ELF object, as users get it: {@code bpftool -d prog loadall OBJ PIN}
 * (libbpf creates the maps, fills prog arrays and map-in-maps, loads every program), with the
 * verifier's log from bpftool's debug output. The pins are removed after.
 */
final class ObjectKernelLoad {
    private ObjectKernelLoad() {}

    /** Whether bpftool runs here. */
    static boolean bpftoolAvailable() {
        try {
            Process p = new ProcessBuilder("bpftool", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Loads without a log first (with -d, libbpf asks for the most verbose log level, which for
     * xdp_payload_crc32 takes minutes and overflows the log buffer); only a refused object is loaded
     * again with -d to learn why.
     */
    static KernelVerdict load(Path object) {
        KernelVerdict quiet = run(object, false);
        return quiet.accepted() ? quiet : run(object, true);
    }

    private static KernelVerdict run(Path object, boolean debug) {
        Path pin = Path.of("/sys/fs/bpf", "jxdp_vcorpus_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        try {
            List<String> command = debug ? List.of("bpftool", "-d", "prog", "loadall", object.toString(), pin.toString())
                    : List.of("bpftool", "prog", "loadall", object.toString(), pin.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("bpftool did not finish loading " + object);
            }
            int begin = out.lastIndexOf("-- BEGIN PROG LOAD LOG --");
            int end = out.lastIndexOf("-- END PROG LOAD LOG --");
            String log = begin >= 0 && end > begin ? out.substring(begin, end) : out;
            return new KernelVerdict(p.exitValue() == 0, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bpftool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteTree(pin);
        }
    }

    private static void deleteTree(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (var s = Files.list(p)) {
                    s.forEach(ObjectKernelLoad::deleteTree);
                }
            }
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a pin left behind holds a program until reboot; nothing else to do from a test
        }
    }
}
