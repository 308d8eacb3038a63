/* A minimal in-memory host for calling a native contract's message function directly, with no
 * dispatcher, store or Swift in between: the baseline the host's query path is measured against. */
#ifndef FAT_BENCH_BASELINE_H
#define FAT_BENCH_BASELINE_H

#include "fat_contract.h"

/** A context whose host table serves one storage value (the 8-byte counter) from memory. */
fat_ctx *fat_bench_baseline_context(uint64_t count);

/** Calls `fn` (a typed `uint64_t fn(fat_ctx *)`) `iterations` times and returns the last result. */
uint64_t fat_bench_call_u64(void (*fn)(void), fat_ctx *ctx, uint64_t iterations);

/** Calls `fn` once. */
uint64_t fat_bench_call_u64_once(void (*fn)(void), fat_ctx *ctx);

#endif
