/**
 * Objects loaded to run: {@link dev.jxdp.load.LoadedObject} turns an {@link dev.jxdp.obj.ObjectSpec}
 * into live maps and prepared programs ({@link dev.jxdp.load.LoadedProgram}), with the helpers that
 * need no packet (maps, ring buffers, perf events, tail calls, time, random numbers, printing, loops,
 * strncmp, spin locks). The XDP/tc hooks add theirs through {@link dev.jxdp.load.HelperProvider} and
 * keep per-run state in {@link dev.jxdp.load.ProgramRun#hook()}.
 */
package dev.jxdp.load;
