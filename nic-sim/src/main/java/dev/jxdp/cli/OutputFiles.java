package dev.jxdp.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files a command writes after its work ({@code bench --hgrm}, {@code --plot}, {@code replay
 * --dump-maps}), checked before it starts, so that a path that cannot be written is said at once
 * rather than after a run of seconds, in the words of {@link InputFiles}: {@code PATH (--plot): is a
 * directory}, {@code PATH (--plot): no such file} where the directory it would go in is missing.
 */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * {@code path}, if a file can be created or replaced there.
     *
     * @param what the option that named it
     */
    static Path writable(Path path, String what) throws IOException {
        if (path.toString().isEmpty()) {
            throw new IllegalArgumentException(what + " '': an empty path");
        }
        String label = path + " (" + what + ")";
        if (Files.isDirectory(path)) {
            throw new FileSystemException(label, null, "is a directory");
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new NoSuchFileException(label);
        }
        return path;
    }
}
