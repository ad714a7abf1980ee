; bpf_xdp_load_bytes fills uninitialised stack
; type: xdp
; kernel: accept
r1 = r1
r2 = 0
r3 = r10
r3 += -16
r4 = 16
call 189
r0 = *(u64 *)(r10 - 16)
r0 = 2
exit
