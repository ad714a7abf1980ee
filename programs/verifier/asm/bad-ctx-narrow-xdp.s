; xdp_md fields are read whole (no narrow loads)
; type: xdp
; kernel: reject
; error: invalid bpf_context access off=16 size=2
r0 = *(u16 *)(r1 + 16)
exit
