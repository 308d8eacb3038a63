/* The logic of smart-bench's `computation` ink! contract as a native contract, so the two can be
 * compared in one benchmark: sums and products over 1..=n with wrapping 64-bit arithmetic. */
#include "fat_contract.h"

static void new(fat_ctx *ctx) { (void)ctx; }

/* triangle_number(n: i32) -> i64: 1 + 2 + … + n, wrapping. */
static int64_t triangle_number(fat_ctx *ctx, int32_t n)
{
    (void)ctx;
    uint64_t sum = 0;
    for (int64_t x = 1; x <= (int64_t)n; x++) sum += (uint64_t)x;
    return (int64_t)sum;
}

/* odd_product(n: i32) -> i64: 1 · 3 · 5 · … · (2n − 1), wrapping. */
static int64_t odd_product(fat_ctx *ctx, int32_t n)
{
    (void)ctx;
    uint64_t product = 1;
    for (int64_t x = 1; x <= (int64_t)n; x++) product *= (uint64_t)(2 * x - 1);
    return (int64_t)product;
}

FAT_CONTRACT("computation", "1.0.0",
    FAT_CONSTRUCTOR(new,             "new()"),
    FAT_QUERY      (triangle_number, "triangle_number(n: i32) -> i64"),
    FAT_QUERY      (odd_product,     "odd_product(n: i32) -> i64"));
