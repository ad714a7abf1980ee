; bpf_ringbuf_output needs a ring buffer map
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: cannot pass map_type 1 into func bpf_ringbuf_output#130
*(u64 *)(r10 - 8) = 0
r1 = map[m] ll
r2 = r10
r2 += -8
r3 = 8
r4 = 0
call 130
r0 = 0
exit
