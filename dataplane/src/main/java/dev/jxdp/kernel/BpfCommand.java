package dev.jxdp.kernel;

/** The bpf() commands the backend issues: {@code enum bpf_cmd} of include/uapi/linux/bpf.h. */
enum BpfCommand {
    MAP_CREATE(0),
    MAP_LOOKUP_ELEM(1),
    MAP_UPDATE_ELEM(2),
    MAP_DELETE_ELEM(3),
    MAP_GET_NEXT_KEY(4),
    PROG_LOAD(5),
    OBJ_GET(7),
    PROG_TEST_RUN(10),
    OBJ_GET_INFO_BY_FD(15),
    MAP_LOOKUP_AND_DELETE_ELEM(21),
    MAP_FREEZE(22);

    final int code;

    BpfCommand(int code) {
        this.code = code;
    }

    /** The kernel's name, as error messages show it: {@code BPF_PROG_LOAD}. */
    String kernelName() {
        return "BPF_" + name();
    }
}
