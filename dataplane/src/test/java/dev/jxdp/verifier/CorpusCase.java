package dev.jxdp.verifier;

import dev.jxdp.diff.KernelVerdict;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One program of the verifier corpus (programs/verifier/README.md): a hand-assembled case
 * (asm/NAME.s) or a C one (bin/NAME.o built from src/NAME.c), with the kernel's verdict and first
 * error line as recorded in the source's header; or a program of programs/bin, which the kernel
 * accepts (the two objects with legacy map sections are refused by libbpf before the kernel sees
 * them, {@link #loaderRefuses}: their programs go into the kernel through bpf() as jxdp links them).
 */
record CorpusCase(String name, Path file, boolean asm, boolean accepts, String error, boolean loaderRefuses) {
    private static final Pattern C_VERDICT = Pattern.compile("^// kernel: (accept|reject)$", Pattern.MULTILINE);
    private static final Pattern C_ERROR = Pattern.compile("^// error: (.*)$", Pattern.MULTILINE);
    private static final List<String> LEGACY_MAPS = List.of("tc_iproute2_dscp_classifier.o", "xdp_legacy_ethertype_filter.o");

    @Override
    public String toString() {
        return name;
    }

    static Path dir() {
        return Repo.root().resolve("programs/verifier");
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The verifier corpus: asm cases, then C cases. */
    static List<CorpusCase> verifierCorpus() {
        List<CorpusCase> all = new ArrayList<>();
        for (Path s : list(dir().resolve("asm"), ".s")) {
            AsmProgram p = parse(s);
            if (p.kernelAccepts() == null) {
                throw new IllegalStateException(s + ": no '; kernel: accept|reject' line");
            }
            all.add(new CorpusCase("asm/" + s.getFileName(), s, true, p.kernelAccepts(), p.kernelError(), false));
        }
        for (Path o : list(dir().resolve("bin"), ".o")) {
            String base = o.getFileName().toString().replaceFirst("\\.o$", "");
            String source = read(dir().resolve("src/" + base + ".c"));
            Matcher v = C_VERDICT.matcher(source);
            if (!v.find()) {
                throw new IllegalStateException("src/" + base + ".c: no '// kernel: accept|reject' line");
            }
            Matcher e = C_ERROR.matcher(source);
            all.add(new CorpusCase("bin/" + o.getFileName(), o, false, v.group(1).equals("accept"), e.find() ? e.group(1) : null, false));
        }
        return all;
    }

    /** The packet programs of programs/bin. */
    static List<CorpusCase> packetPrograms() {
        return Repo.programObjects().stream()
                .map(o -> new CorpusCase("programs/bin/" + o.getFileName(), o, false, true, null,
                        LEGACY_MAPS.contains(o.getFileName().toString())))
                .toList();
    }

    static AsmProgram parse(Path s) {
        return AsmProgram.parse(s.getFileName().toString(), read(s));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jxdp's verdict: empty if every program of the case is accepted, else the first refusal. */
    Optional<VerifierException> verifyWithJxdp(VerifierOptions options) {
        try {
            if (asm) {
                Verifier.verify(parse(file), options);
            } else {
                ObjectSpec o = ObjectLoader.load(file, LoadOptions.defaults());
                for (ProgramSpec p : o.programs()) {
                    Verifier.verify(VerifierInput.of(o, p), options);
                }
            }
            return Optional.empty();
        } catch (VerifierException e) {
            return Optional.of(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel's verdict, live. */
    KernelVerdict verifyWithKernel() {
        if (asm) {
            AsmProgram p = parse(file);
            return KernelVerdict.load(p.type(), p.insns(), p.maps(), p.license());
        }
        try {
            if (loaderRefuses) {
                // libbpf 1.x cannot open it: each program goes in through bpf() as jxdp links it
                ObjectSpec o = ObjectLoader.load(file, LoadOptions.defaults());
                KernelVerdict last = null;
                for (ProgramSpec p : o.programs()) {
                    last = KernelVerdict.load(p.type(), p.code().toBytes(), o.maps(), p.license());
                    if (!last.accepted()) {
                        break;
                    }
                }
                return last;
            }
            return KernelVerdict.loadObject(file, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
