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
 * directory}. Where the directory it would go in is missing, that directory is named ({@code PATH
 * (--plot): no such directory DIR}): "no such file" would be no news about a file yet to be made.
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
            // as the user wrote it where there is a directory part (x/y.pcap: x), else as resolved
            Path shown = path.getParent() != null ? path.getParent() : parent;
            if (Files.exists(parent)) {
                throw new FileSystemException(label, null, shown + " is not a directory");
            }
            throw new NoSuchFileException(label, null, "no such directory " + shown);
        }
        return path;
    }
}
