package dev.jxdp.cli;

import picocli.CommandLine.Command;

/** {@code jxdp map ...}: maps of an object file, as {@code bpftool map} shows loaded ones. */
@Command(
        name = "map",
        mixinStandardHelpOptions = true,
        description = "Inspect the maps of an eBPF object file.",
        subcommands = {MapShowCommand.class})
final class MapCommand {}
