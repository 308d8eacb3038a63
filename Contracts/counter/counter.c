#include "fat_contract.h"
static uint64_t get(fat_ctx *ctx) { uint64_t v=0; size_t n=8; fat_get(ctx,"count",5,&v,&n); return v; }
static void increment(fat_ctx *ctx, uint32_t by) { uint64_t v=get(ctx)+by; fat_set(ctx,"count",5,&v,8); }
FAT_CONTRACT("counter", "1.0.0",
    FAT_QUERY(get, "get() -> u64"),
    FAT_COMMAND(increment, "increment(by: u32)"))
