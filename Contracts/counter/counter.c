/*
 * counter — a contract is a table plus plain functions.
 *
 * Every message is a typed C function: the host decodes the SCALE arguments, calls the function
 * through libffi and SCALE-encodes what it returns, so this file contains no SCALE code at all.
 *
 * Storage: key "count" holds the count as 8 little-endian bytes (a SCALE u64), the same layout the
 * Swift and Rust builds of this contract use, so any of them can read the others' state.
 */
#include "fat_contract.h"

static const char COUNT_KEY[] = "count";
#define COUNT_KEY_LEN (sizeof COUNT_KEY - 1)

/* Bytes are assembled by hand rather than memcpy'd so the stored layout is little-endian on every
 * host, whatever its own byte order. A missing key reads as 0: a counter that was never set. */
static uint64_t load_count(fat_ctx *ctx)
{
    uint8_t bytes[8];
    size_t len = sizeof bytes;
    if (fat_get(ctx, COUNT_KEY, COUNT_KEY_LEN, bytes, &len) != FAT_OK || len != sizeof bytes)
        return 0;
    uint64_t value = 0;
    for (int i = 7; i >= 0; i--)
        value = (value << 8) | bytes[i];
    return value;
}

static void store_count(fat_ctx *ctx, uint64_t value)
{
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(value >> (8 * i));
    fat_set(ctx, COUNT_KEY, COUNT_KEY_LEN, bytes, sizeof bytes);
}

/* new(initial: u64) */
static void new(fat_ctx *ctx, uint64_t initial)
{
    store_count(ctx, initial);
}

/* get() -> u64 */
static uint64_t get(fat_ctx *ctx)
{
    return load_count(ctx);
}

/* increment(by: u32) -> u64 — wrapping would silently corrupt the count, so overflow reverts. */
static uint64_t increment(fat_ctx *ctx, uint32_t by)
{
    uint64_t count = load_count(ctx);
    if (count > UINT64_MAX - by) {
        static const char reason[] = "counter overflow";
        fat_revert(ctx, reason, sizeof reason - 1);
        return count;
    }
    store_count(ctx, count + by);
    return count + by;
}

/* reset() */
static void reset(fat_ctx *ctx)
{
    store_count(ctx, 0);
}

FAT_CONTRACT("counter", "1.0.0",
    FAT_CONSTRUCTOR(new,       "new(initial: u64)"),
    FAT_QUERY      (get,       "get() -> u64"),
    FAT_COMMAND    (increment, "increment(by: u32) -> u64"),
    FAT_COMMAND    (reset,     "reset()"));
