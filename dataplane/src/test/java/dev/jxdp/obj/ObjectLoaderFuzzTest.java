package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jxdp.obj.btf.BtfExt;
import dev.jxdp.obj.btf.BtfNames;

/**
 * Coverage-guided fuzzing (Jazzer) of the ELF, BTF, BTF.ext and map readers, CO-RE, relocation and
 * linking, from the objects of programs/bin as seeds. The only failure the loader may report for any
 * bytes is an {@link ObjectLoadException} with a one-line message; any other exception, a hang or an
 * out-of-memory is a finding and fails the build.
 *
 * <p>The build fuzzes for jxdp.fuzz.duration (60 s by default; see dataplane/pom.xml) with
 * JAZZER_FUZZ set; without it Jazzer replays the seeds and the inputs saved under
 * {@code ObjectLoaderFuzzTestInputs} only.
 */
class ObjectLoaderFuzzTest {
    private static final LoadOptions LENIENT = LoadOptions.defaults().withDefaultType(ProgramType.XDP).withAllowUnresolvedCore(true);

    @FuzzTest(maxDuration = "60s")
    void loadArbitraryBytes(byte[] data) {
        load(data, LoadOptions.defaults());
        load(data, LENIENT);
    }

    private static void load(byte[] data, LoadOptions options) {
        ObjectSpec o;
        try {
            o = ObjectLoader.load("fuzz.o", data, options);
        } catch (ObjectLoadException expected) {
            assertNotNull(expected.getMessage());
            assertFalse(expected.getMessage().contains("\n"), "one-line errors");
            return;
        }
        // Everything a user of the spec would touch must work on whatever the loader accepted.
        for (ProgramSpec p : o.programs()) {
            p.tag();
            p.tag(ProgramTag.Algorithm.SHA1);
            p.code().toBytes();
            p.code().checkTargets();
            p.kernelName();
            if (o.btf() != null) {
                for (BtfExt.FuncInfo fi : p.funcInfo()) {
                    BtfNames.signature(o.btf(), fi.typeId());
                }
            }
            for (int index : p.mapIndexes()) {
                o.maps().get(index).kernelName();
            }
        }
        for (MapSpec m : o.maps()) {
            m.contents().toString();
        }
    }
}
