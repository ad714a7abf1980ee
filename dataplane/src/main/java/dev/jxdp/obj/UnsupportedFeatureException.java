package dev.jxdp.obj;

/**
 * A well-formed object that uses something jxdp does not implement (an extern symbol, a kfunc, a
 * program type it cannot infer) or that the user has to decide (the program type of an iproute2-era
 * section name). The message says what, where, and what to do about it when there is something.
 */
public final class UnsupportedFeatureException extends ObjectLoadException {
    public UnsupportedFeatureException(String file, String section, long offset, String problem) {
        super(file, section, offset, problem);
    }
}
