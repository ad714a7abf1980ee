; bpf_spin_lock on the value of a map created without BTF: the kernel cannot know where its lock is
; type: xdp
; map m: hash key=4 value=16 entries=4
; kernel: reject
; error: map 'm' has to have BTF in order to use bpf_spin_lock
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[m] ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = r0
call 93
r1 = r6
call 94
out:
r0 = 0
exit
