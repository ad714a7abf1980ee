; LD_ABS/LD_IND in a tc program
; type: tc
; kernel: accept
r6 = r1
r0 = *(u16 *)skb[12]
r7 = 14
r0 = *(u8 *)skb[r7 + 9]
r0 = 0
exit
