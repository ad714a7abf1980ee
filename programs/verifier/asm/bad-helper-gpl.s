; bpf_trace_printk is GPL-only
; type: xdp
; license: Proprietary
; kernel: reject
; error: cannot call GPL-restricted function from non-GPL compatible program
*(u64 *)(r10 - 8) = 0
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
