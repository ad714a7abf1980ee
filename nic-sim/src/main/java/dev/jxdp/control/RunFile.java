package dev.jxdp.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The small file a running switch leaves so that {@code --instance NAME} finds its control endpoint:
 * {@code RUNDIR/NAME.json} with the instance's name, process id and the address it bound. RUNDIR is
 * {@code $JXDP_RUN_DIR} (or the {@code jxdp.runDir} system property), else {@code /run/jxdp} for root
 * (as daemons keep pid files in /run), else {@code $XDG_RUNTIME_DIR/jxdp}, else {@code /tmp/jxdp-USER}.
 */
public record RunFile(String name, long pid, String host, int port, long startedMs) {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Checks an instance name: it becomes a file name. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("instance name '" + name
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    public static Path dir() {
        String configured = System.getProperty("jxdp.runDir", System.getenv("JXDP_RUN_DIR"));
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured);
        }
        if ("root".equals(System.getProperty("user.name")) && Files.isDirectory(Path.of("/run"))) {
            return Path.of("/run/jxdp");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "jxdp");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "jxdp-" + System.getProperty("user.name"));
    }

    public static Path path(String name) {
        return dir().resolve(checkName(name) + ".json");
    }

    /** Writes the file whole (a reader never sees half of it). */
    public Path write() throws IOException {
        Path file = path(name);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + name + ".json." + pid);
        JSON.writeValue(tmp.toFile(), this);
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes this instance's file, if it is still this process's. */
    public void delete() {
        try {
            RunFile now = read(name);
            if (now.pid == pid) {
                Files.deleteIfExists(path(name));
            }
        } catch (IOException | IllegalArgumentException e) {
            // gone already, or another instance's: leave it
        }
    }

    /**
     * The running instance {@code name}.
     *
     * @throws IllegalArgumentException naming the instance and the directory if there is none, or if
     *     its process is gone (the file is then stale)
     */
    public static RunFile read(String name) throws IOException {
        Path file = path(name);
        RunFile f;
        try {
            f = JSON.readValue(file.toFile(), RunFile.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("no running jxdp instance '" + name + "' (no " + file + ")" + others(name));
        }
        if (!ProcessHandle.of(f.pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalArgumentException("jxdp instance '" + name + "' is not running (process " + f.pid
                    + " is gone; remove the stale " + file + ")");
        }
        return f;
    }

    /** The instance {@code name} if it runs now (its run file names a live process). */
    public static java.util.Optional<RunFile> running(String name) {
        try {
            return java.util.Optional.of(read(name));
        } catch (IOException | IllegalArgumentException e) {
            return java.util.Optional.empty(); // no file, a stale one, or one that cannot be read: nobody answers there
        }
    }

    /** The names of the instances that have a run file. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        Path d = dir();
        if (!Files.isDirectory(d)) {
            return names;
        }
        try (Stream<Path> s = Files.list(d)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static String others(String name) {
        List<String> names = names();
        names.remove(name);
        return names.isEmpty() ? "" : "; running: " + String.join(", ", names);
    }

    /** The endpoint's base URL. */
    public String url() {
        return "http://" + host + ":" + port;
    }
}
