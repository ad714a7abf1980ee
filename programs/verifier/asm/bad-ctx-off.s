; xdp_md has 24 bytes
; type: xdp
; kernel: reject
; error: invalid bpf_context access off=24 size=4
r0 = *(u32 *)(r1 + 24)
exit
