/**
 * The context structures programs see (xdp_md, __sk_buff), which accesses each program type may make
 * ({@link dev.jxdp.verifier.ctx.CtxRules}, the kernel's is_valid_access functions), and the rewrite
 * table entries ({@link dev.jxdp.verifier.ctx.CtxAccess}, the kernel's convert_ctx_access in data
 * form) that engines and hooks use to serve those accesses from the runtime's context objects. No
 * dependency on the rest of the verifier, so that the hooks can build their contexts from it.
 */
package dev.jxdp.verifier.ctx;
