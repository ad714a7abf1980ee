; bpf_skb_store_bytes is a tc helper
; type: xdp
; kernel: reject
; error: program of this type cannot use helper bpf_skb_store_bytes#9
r0 = 0
call 9
exit
