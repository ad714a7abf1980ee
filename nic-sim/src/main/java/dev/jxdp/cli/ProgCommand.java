package dev.jxdp.cli;

import picocli.CommandLine.Command;

/** {@code jxdp prog ...}: programs of an object file, as {@code bpftool prog} shows loaded ones. */
@Command(
        name = "prog",
        mixinStandardHelpOptions = true,
        description = "Inspect and run the programs of an eBPF object file.",
        subcommands = {ProgShowCommand.class, ProgDumpCommand.class, ProgRunCommand.class})
final class ProgCommand {}
