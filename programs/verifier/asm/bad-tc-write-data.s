; __sk_buff.data is read-only
; type: tc
; kernel: reject
; error: invalid bpf_context access off=76 size=4
r0 = 0
*(u32 *)(r1 + 76) = r0
exit
