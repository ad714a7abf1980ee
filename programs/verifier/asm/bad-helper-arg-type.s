; the key of a map lookup must be memory, not the context
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r2 = r1
r1 = map[m] ll
call 1
r0 = 0
exit
