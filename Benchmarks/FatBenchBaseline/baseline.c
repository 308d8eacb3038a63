#include "fat_bench_baseline.h"

#include <string.h>

static uint64_t stored_count;

static fat_status get(fat_ctx *ctx, const uint8_t *key, size_t key_len, uint8_t *out, size_t *out_len)
{
    (void)ctx;
    if (key_len != 5 || memcmp(key, "count", 5) != 0) return FAT_ERR_NOT_FOUND;
    if (*out_len < 8) { *out_len = 8; return FAT_ERR_BUFFER_TOO_SMALL; }
    memcpy(out, &stored_count, 8);
    *out_len = 8;
    return FAT_OK;
}

static fat_host_api table;
static fat_ctx context;

fat_ctx *fat_bench_baseline_context(uint64_t count)
{
    stored_count = count;
    memset(&table, 0, sizeof table);
    table.struct_size = sizeof table;
    table.version_major = FAT_ABI_VERSION_MAJOR;
    table.version_minor = FAT_ABI_VERSION_MINOR;
    table.storage_get = get;
    context.host = &table;
    context.host_data = NULL;
    return &context;
}

uint64_t fat_bench_call_u64(void (*fn)(void), fat_ctx *ctx, uint64_t iterations)
{
    uint64_t (*typed)(fat_ctx *) = (uint64_t (*)(fat_ctx *))fn;
    uint64_t result = 0;
    for (uint64_t i = 0; i < iterations; i++) result = typed(ctx);
    return result;
}

uint64_t fat_bench_call_u64_once(void (*fn)(void), fat_ctx *ctx)
{
    return ((uint64_t (*)(fat_ctx *))fn)(ctx);
}
