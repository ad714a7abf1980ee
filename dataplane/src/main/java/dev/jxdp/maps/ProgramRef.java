package dev.jxdp.maps;

import dev.jxdp.exec.Executable;
import dev.jxdp.obj.ProgramType;

/** A program that prog arrays (and later devmap and cpumap entries) can hold. */
public interface ProgramRef {
    /** Its id in its {@link ProgramTable}: what user space reads back from a prog array. */
    int id();

    String name();

    ProgramType type();

    /** What a tail call into it runs. */
    Executable executable();
}
