package dev.jxdp.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files the command line reads, checked before they are opened so that the error names them: the
 * JDK's reading of a directory fails with a bare "Is a directory", no path. Errors read as the
 * command line's other file errors: {@code PATH: no such file}, {@code PATH: is a directory}, with
 * the option or word that named the file in parentheses where there is one ({@code d (--pcap): ...}).
 */
final class InputFiles {
    private InputFiles() {}

    /**
     * {@code path}, if there is a file there to read (a regular file, or a pipe or device such as
     * {@code <(...)}'s).
     *
     * @param what the option or word that named it, or null
     * @throws IllegalArgumentException if the path is empty
     * @throws NoSuchFileException if nothing is there
     * @throws FileSystemException if it is a directory
     */
    static Path readable(Path path, String what) throws IOException {
        if (path.toString().isEmpty()) {
            // Path.of("") is the working directory, which would be refused as "": is a directory
            throw new IllegalArgumentException((what == null ? "" : what + " ") + "'': an empty path");
        }
        String label = what == null ? path.toString() : path + " (" + what + ")";
        if (Files.isDirectory(path)) {
            throw new FileSystemException(label, null, "is a directory");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(label);
        }
        return path;
    }

    /** The bytes of {@link #readable}'s file. */
    static byte[] read(Path path, String what) throws IOException {
        return Files.readAllBytes(readable(path, what));
    }
}
