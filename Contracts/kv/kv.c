/*
 * kv — a key-value store: many small entries, for measuring a state far larger than one value.
 *
 * Storage: key "kv:" + 8-byte little-endian u64 → a 32-byte value.
 * Messages take and answer SCALE bytes (byte-level entry): the value is a [u8; 32]. `set_many`
 * writes a run of keys in one command and `uniform` reads a run in one query: a query that saw
 * half of one command's writes would find the run not uniform.
 */
#include <string.h>

#include "fat_contract.h"

static const char PREFIX[] = "kv:";
#define PREFIX_LEN (sizeof PREFIX - 1)
#define KEY_LEN (PREFIX_LEN + 8)
#define VALUE_LEN 32

static void make_key(uint8_t key[KEY_LEN], const uint8_t *le_u64)
{
    memcpy(key, PREFIX, PREFIX_LEN);
    memcpy(key + PREFIX_LEN, le_u64, 8);
}

/* new() */
static void new(fat_ctx *ctx)
{
    (void)ctx;
}

/* set(key: u64, value: [u8; 32]) */
static fat_status set(fat_ctx *ctx, const uint8_t *args, size_t len)
{
    if (len != 8 + VALUE_LEN)
        return FAT_ERR_INVALID_ARGUMENT;
    uint8_t key[KEY_LEN];
    make_key(key, args);
    return fat_set(ctx, (const char *)key, sizeof key, args + 8, VALUE_LEN);
}

/* get(key: u64) -> Option<[u8; 32]> */
static fat_status get(fat_ctx *ctx, const uint8_t *args, size_t len)
{
    if (len != 8)
        return FAT_ERR_INVALID_ARGUMENT;
    uint8_t key[KEY_LEN];
    make_key(key, args);
    uint8_t out[1 + VALUE_LEN];
    size_t value_len = VALUE_LEN;
    if (fat_get(ctx, (const char *)key, sizeof key, out + 1, &value_len) != FAT_OK || value_len != VALUE_LEN) {
        out[0] = 0;
        return fat_output(ctx, out, 1);
    }
    out[0] = 1;
    return fat_output(ctx, out, sizeof out);
}

static uint64_t read_u64(const uint8_t *p)
{
    uint64_t value = 0;
    for (int i = 7; i >= 0; i--)
        value = (value << 8) | p[i];
    return value;
}

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void write_u64(uint8_t *p, uint64_t value)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

/* set_many(from: u64, count: u32, value: [u8; 32]) — keys from..from+count-1, at most 4096. */
static fat_status set_many(fat_ctx *ctx, const uint8_t *args, size_t len)
{
    if (len != 8 + 4 + VALUE_LEN)
        return FAT_ERR_INVALID_ARGUMENT;
    uint64_t from = read_u64(args);
    uint32_t count = read_u32(args + 8);
    if (count > 4096 || from > UINT64_MAX - count)
        return FAT_ERR_INVALID_ARGUMENT;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t index[8], key[KEY_LEN];
        write_u64(index, from + i);
        make_key(key, index);
        fat_status status = fat_set(ctx, (const char *)key, sizeof key, args + 12, VALUE_LEN);
        if (status != FAT_OK)
            return status;
    }
    return FAT_OK;
}

/* uniform(from: u64, count: u32) -> u32 — how many keys of the run hold the first key's value
 * (0 when the first has none). */
static fat_status uniform(fat_ctx *ctx, const uint8_t *args, size_t len)
{
    if (len != 8 + 4)
        return FAT_ERR_INVALID_ARGUMENT;
    uint64_t from = read_u64(args);
    uint32_t count = read_u32(args + 8);
    if (count > 4096 || from > UINT64_MAX - count)
        return FAT_ERR_INVALID_ARGUMENT;
    uint8_t first[VALUE_LEN] = {0};
    uint32_t same = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t index[8], key[KEY_LEN], value[VALUE_LEN];
        size_t value_len = VALUE_LEN;
        write_u64(index, from + i);
        make_key(key, index);
        if (fat_get(ctx, (const char *)key, sizeof key, value, &value_len) != FAT_OK || value_len != VALUE_LEN)
            break;
        if (i == 0)
            memcpy(first, value, VALUE_LEN);
        if (memcmp(first, value, VALUE_LEN) == 0)
            same++;
    }
    uint8_t out[4] = {(uint8_t)same, (uint8_t)(same >> 8), (uint8_t)(same >> 16), (uint8_t)(same >> 24)};
    return fat_output(ctx, out, sizeof out);
}

FAT_CONTRACT("kv", "1.0.0",
    FAT_CONSTRUCTOR(new, "new()"),
    FAT_RAW_COMMAND(set, "set(key: u64, value: [u8; 32])"),
    FAT_RAW_QUERY  (get, "get(key: u64) -> Option<[u8; 32]>"),
    FAT_RAW_COMMAND(set_many, "set_many(from: u64, count: u32, value: [u8; 32])"),
    FAT_RAW_QUERY  (uniform, "uniform(from: u64, count: u32) -> u32"));
