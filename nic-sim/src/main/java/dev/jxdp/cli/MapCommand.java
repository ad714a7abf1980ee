package dev.jxdp.cli;

import picocli.CommandLine.Command;

/**
 * {@code jxdp map ...}: maps of an object file, as {@code bpftool map} shows and edits loaded ones
 * (show, dump, lookup, update, delete, getnext, peek, push, pop).
 */
@Command(
        name = "map",
        mixinStandardHelpOptions = true,
        description = "Inspect the maps of an eBPF object file.",
        subcommands = {MapShowCommand.class, MapDumpCommand.class, MapLookupCommand.class, MapUpdateCommand.class,
                MapDeleteCommand.class, MapGetNextCommand.class, MapQueueCommands.Peek.class, MapQueueCommands.Push.class,
                MapQueueCommands.Pop.class})
final class MapCommand {}
