; XDP programs may not write xdp_md
; type: xdp
; kernel: reject
; error: invalid bpf_context access off=16 size=4
r0 = 0
*(u32 *)(r1 + 16) = r0
exit
