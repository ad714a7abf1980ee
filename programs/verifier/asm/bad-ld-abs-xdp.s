; LD_ABS is for socket filters and tc
; type: xdp
; kernel: reject
; error: BPF_LD_[ABS|IND] instructions not allowed for this program type
r6 = r1
r0 = *(u8 *)skb[12]
exit
