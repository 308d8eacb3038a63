/*
 * token — a confidential fungible token written with byte-level messages.
 *
 * Each message receives its SCALE-encoded arguments (selector already stripped) and answers with
 * set_output; that is the form to use when a type has no C equivalent in the typed mapping (u128
 * here) or when a message needs to revert with structured data.
 *
 * Confidentiality is the contract's own rule: state is sealed by the host and there is no raw state
 * read, so the only way to learn a balance is `balance_of`, and it answers the owner alone.
 *
 * Storage: "total_supply" → u128 LE; "bal:" + 32-byte AccountId → u128 LE (absent means 0).
 * Event on transfer: topics [from, to], data SCALE (from: AccountId, to: AccountId, value: u128).
 * Reverts carry a SCALE String reason as revert data.
 */
#include <string.h>

#include "fat_contract.h"

/* GCC and Clang both have a 128-bit integer; __extension__ keeps -pedantic builds quiet. */
__extension__ typedef unsigned __int128 u128;

static const char TOTAL_SUPPLY_KEY[] = "total_supply";
static const char BALANCE_PREFIX[] = "bal:";
#define BALANCE_KEY_LEN (sizeof BALANCE_PREFIX - 1 + sizeof(fat_address))

/* --- SCALE ------------------------------------------------------------------------------------ */

static u128 decode_u128(const uint8_t *p)
{
    u128 value = 0;
    for (int i = 15; i >= 0; i--)
        value = (value << 8) | p[i];
    return value;
}

static void encode_u128(uint8_t *p, u128 value)
{
    for (int i = 0; i < 16; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

/* Sets the revert data to SCALE String `reason` and tells the host the call reverted. Reasons are
 * short literals, so the one-byte compact length (up to 63) is all that is needed. */
static fat_status revert_with(fat_ctx *ctx, const char *reason)
{
    uint8_t out[64];
    size_t len = strlen(reason);
    if (len > 63)
        return FAT_ERR_INVALID_ARGUMENT;
    out[0] = (uint8_t)(len << 2);
    memcpy(out + 1, reason, len);
    fat_output(ctx, out, 1 + len);
    return FAT_REVERT;
}

static fat_status output_u128(fat_ctx *ctx, u128 value)
{
    uint8_t out[16];
    encode_u128(out, value);
    return fat_output(ctx, out, sizeof out);
}

/* --- storage ---------------------------------------------------------------------------------- */

static u128 load_u128(fat_ctx *ctx, const char *key, size_t key_len)
{
    uint8_t bytes[16];
    size_t len = sizeof bytes;
    if (fat_get(ctx, key, key_len, bytes, &len) != FAT_OK || len != sizeof bytes)
        return 0;
    return decode_u128(bytes);
}

static fat_status store_u128(fat_ctx *ctx, const char *key, size_t key_len, u128 value)
{
    uint8_t bytes[16];
    encode_u128(bytes, value);
    return fat_set(ctx, key, key_len, bytes, sizeof bytes);
}

static void balance_key(char key[BALANCE_KEY_LEN], const fat_address *owner)
{
    memcpy(key, BALANCE_PREFIX, sizeof BALANCE_PREFIX - 1);
    memcpy(key + sizeof BALANCE_PREFIX - 1, owner->bytes, sizeof owner->bytes);
}

static u128 load_balance(fat_ctx *ctx, const fat_address *owner)
{
    char key[BALANCE_KEY_LEN];
    balance_key(key, owner);
    return load_u128(ctx, key, sizeof key);
}

static fat_status store_balance(fat_ctx *ctx, const fat_address *owner, u128 value)
{
    char key[BALANCE_KEY_LEN];
    balance_key(key, owner);
    return store_u128(ctx, key, sizeof key, value);
}

/* --- messages --------------------------------------------------------------------------------- */

/* new(supply: u128) — mints the whole supply to the deployer. */
static fat_status new(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    fat_address deployer;
    if (input_len != 16)
        return FAT_ERR_DECODE;
    if (ctx->host->caller(ctx, &deployer) != FAT_OK)
        return revert_with(ctx, "a signed caller is required");
    u128 supply = decode_u128(input);
    fat_status status = store_u128(ctx, TOTAL_SUPPLY_KEY, sizeof TOTAL_SUPPLY_KEY - 1, supply);
    return status != FAT_OK ? status : store_balance(ctx, &deployer, supply);
}

/* transfer(to: AccountId, value: u128) -> bool */
static fat_status transfer(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    fat_address from, to;
    if (input_len != sizeof to.bytes + 16)
        return FAT_ERR_DECODE;
    if (ctx->host->caller(ctx, &from) != FAT_OK)
        return revert_with(ctx, "a signed caller is required");
    memcpy(to.bytes, input, sizeof to.bytes);
    u128 value = decode_u128(input + sizeof to.bytes);

    u128 from_balance = load_balance(ctx, &from);
    if (from_balance < value)
        return revert_with(ctx, "insufficient balance");
    /* Debit before reading the recipient's balance so a transfer to oneself is a no-op. The credit
     * cannot overflow: every balance is part of total_supply, which fits in a u128. */
    fat_status status = store_balance(ctx, &from, from_balance - value);
    if (status == FAT_OK)
        status = store_balance(ctx, &to, load_balance(ctx, &to) + value);
    if (status != FAT_OK)
        return status;

    uint8_t topics[2 * sizeof(fat_address)];
    uint8_t data[2 * sizeof(fat_address) + 16];
    memcpy(topics, from.bytes, sizeof from.bytes);
    memcpy(topics + sizeof from.bytes, to.bytes, sizeof to.bytes);
    memcpy(data, topics, sizeof topics);
    encode_u128(data + sizeof topics, value);
    status = ctx->host->emit_event(ctx, topics, 2, data, sizeof data);
    if (status != FAT_OK)
        return status;

    static const uint8_t success = 1; /* SCALE bool true */
    return fat_output(ctx, &success, 1);
}

/* balance_of(owner: AccountId) -> u128 — answers only the owner. */
static fat_status balance_of(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    fat_address owner, caller;
    if (input_len != sizeof owner.bytes)
        return FAT_ERR_DECODE;
    memcpy(owner.bytes, input, sizeof owner.bytes);
    /* An unsigned query has no caller, and so is nobody's owner. */
    if (ctx->host->caller(ctx, &caller) != FAT_OK
        || memcmp(caller.bytes, owner.bytes, sizeof owner.bytes) != 0)
        return revert_with(ctx, "only the owner may read this balance");
    return output_u128(ctx, load_balance(ctx, &owner));
}

/* total_supply() -> u128 — public: it says nothing about any one holder. */
static fat_status total_supply(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    (void)input;
    if (input_len != 0)
        return FAT_ERR_DECODE;
    return output_u128(ctx, load_u128(ctx, TOTAL_SUPPLY_KEY, sizeof TOTAL_SUPPLY_KEY - 1));
}

/* my_balance() -> u128 */
static fat_status my_balance(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    fat_address caller;
    (void)input;
    if (input_len != 0)
        return FAT_ERR_DECODE;
    if (ctx->host->caller(ctx, &caller) != FAT_OK)
        return revert_with(ctx, "a signed caller is required");
    return output_u128(ctx, load_balance(ctx, &caller));
}

FAT_CONTRACT("token", "1.0.0",
    FAT_RAW_CONSTRUCTOR(new,          "new(supply: u128)"),
    FAT_RAW_COMMAND    (transfer,     "transfer(to: AccountId, value: u128) -> bool"),
    FAT_RAW_QUERY      (balance_of,   "balance_of(owner: AccountId) -> u128"),
    FAT_RAW_QUERY      (total_supply, "total_supply() -> u128"),
    FAT_RAW_QUERY      (my_balance,   "my_balance() -> u128"));
