package dev.jxdp.diff;

import dev.jxdp.obj.ProgramType;

/** Return values with their action names, as a reader of the report wants them: {@code 1 (XDP_DROP)}. */
final class Verdicts {
    private Verdicts() {}

    private static final String[] XDP = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"};
    private static final String[] TC = {"TC_ACT_OK", "TC_ACT_RECLASSIFY", "TC_ACT_SHOT", "TC_ACT_PIPE", "TC_ACT_STOLEN",
        "TC_ACT_QUEUED", "TC_ACT_REPEAT", "TC_ACT_REDIRECT"};

    static String describe(ProgramType type, long retval) {
        String[] names = type == ProgramType.XDP ? XDP : TC;
        if (retval >= 0 && retval < names.length) {
            return retval + " (" + names[(int) retval] + ")";
        }
        if (type != ProgramType.XDP && retval == 0xffff_ffffL) {
            return retval + " (TC_ACT_UNSPEC)";
        }
        return Long.toString(retval);
    }
}
