; callx (BPF_CALL|BPF_X) is not an instruction the kernel takes
; type: xdp
; kernel: reject
; error: unknown opcode 8d
r0 = 0
raw 8d 01 00 00 00 00 00 00
exit
