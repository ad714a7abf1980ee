; sk_skb fields are not for tc programs
; type: tc
; kernel: reject
; error: invalid bpf_context access off=88 size=4
r0 = *(u32 *)(r1 + 88)
exit
