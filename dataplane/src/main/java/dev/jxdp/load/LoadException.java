package dev.jxdp.load;

/** An object that cannot be loaded: the message names the map or program and why. */
public class LoadException extends RuntimeException {
    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
