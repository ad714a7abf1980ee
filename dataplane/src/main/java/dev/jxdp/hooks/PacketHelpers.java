package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.load.HelperProvider;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.ProgramType;
import java.util.HashMap;
import java.util.Map;

/**
 * The packet helpers of XDP and tc programs, by program type, as the kernel's xdp_func_proto and
 * tc_cls_act_func_proto offer them: give this to {@link LoadedObject.Options#withProvider} and the
 * object's packet programs load. The helpers find their frame or skb through the {@link PacketRun}
 * the hook attaches to each run, so programs must run through a {@link PacketRun} (the pipeline, a
 * test run).
 */
public final class PacketHelpers implements HelperProvider {
    /** The one provider: it holds no state. */
    public static final PacketHelpers INSTANCE = new PacketHelpers();

    private PacketHelpers() {}

    @Override
    public Map<Integer, Helper> helpers(ProgramType type, LoadedObject object) {
        Map<Integer, Helper> h = new HashMap<>();
        switch (type) {
            case XDP -> {
                XdpHelpers.register(h);
                RedirectHelpers.registerXdp(h, object.mapTable());
                ChecksumHelpers.registerCommon(h);
                PerfOutputHelper.register(h, object.mapTable());
                FibLookupHelper.register(h);
            }
            case SCHED_CLS, SCHED_ACT -> {
                RedirectHelpers.registerTc(h);
                ChecksumHelpers.registerCommon(h);
                ChecksumHelpers.registerTc(h);
                SkbDataHelpers.register(h);
                SkbShapeHelpers.register(h);
                SkbMetaHelpers.register(h);
                TunnelHelpers.register(h);
                PerfOutputHelper.register(h, object.mapTable());
                FibLookupHelper.register(h);
            }
            default -> {
                // other program types get no packet helpers
            }
        }
        return h;
    }
}
