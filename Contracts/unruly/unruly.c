/*
 * unruly — a native contract whose messages misbehave on request: crash, spin, abort, exit, or
 * allocate without limit. What a host must survive from someone else's code; used by the
 * isolation tests and the worker benchmark. Its well-behaved messages keep a counter.
 */
#include "fat_contract.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char COUNT[] = "count";

static uint64_t load_count(fat_ctx *ctx) {
    uint64_t value = 0;
    size_t len = sizeof value;
    if (fat_get(ctx, COUNT, sizeof COUNT - 1, &value, &len) != FAT_OK) return 0;
    return value;
}

static void store_count(fat_ctx *ctx, uint64_t value) { fat_set(ctx, COUNT, sizeof COUNT - 1, &value, sizeof value); }

/* 0: behave; 1: dereference NULL; 2: spin forever; 3: abort(); 4: exit(3); 5: raise SIGKILL on
 * itself; 6: spin forever asking the host for a key. */
static void misbehave_as(fat_ctx *ctx, uint32_t kind) {
    switch (kind) {
    case 1: *(volatile int *)0 = 1; break;
    case 2: for (volatile uint64_t i = 0;; i++) {} break;
    case 3: abort();
    case 4: exit(3);
    case 5: raise(SIGKILL); break;
    case 6: for (;;) (void)load_count(ctx); break;
    default: break;
    }
}

static void new(fat_ctx *ctx) { store_count(ctx, 0); }

static uint64_t get(fat_ctx *ctx) { return load_count(ctx); }

static void increment(fat_ctx *ctx) { store_count(ctx, load_count(ctx) + 1); }

/* A query that misbehaves as `kind` says, then answers the count. */
static uint64_t misbehave(fat_ctx *ctx, uint32_t kind) {
    misbehave_as(ctx, kind);
    return load_count(ctx);
}

/* A command that writes first, then misbehaves: its write must not survive a crash. */
static void poison(fat_ctx *ctx, uint32_t kind) {
    store_count(ctx, load_count(ctx) + 1000);
    misbehave_as(ctx, kind);
}

/* Allocates `megabytes` and touches every page without checking malloc, as careless code does. */
static uint64_t hog(fat_ctx *ctx, uint32_t megabytes) {
    (void)ctx;
    size_t size = (size_t)megabytes << 20;
    char *block = malloc(size);
    memset(block, 1, size);
    uint64_t sum = 0;
    for (size_t i = 0; i < size; i += 4096) sum += (unsigned char)block[i];
    free(block);
    return sum;
}

FAT_CONTRACT("unruly", "1.0.0",
    FAT_CONSTRUCTOR(new, "new()"),
    FAT_QUERY(get, "get() -> u64"),
    FAT_COMMAND(increment, "increment()"),
    FAT_QUERY(misbehave, "misbehave(kind: u32) -> u64"),
    FAT_COMMAND(poison, "poison(kind: u32)"),
    FAT_QUERY(hog, "hog(megabytes: u32) -> u64"));
