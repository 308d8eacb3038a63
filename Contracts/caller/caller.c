/*
 * caller — reaches other contracts by address through host->call.
 *
 * A cross-contract call sends the same bytes a client would: the 4-byte selector of the message
 * name (host->selector) followed by the SCALE arguments. The host's dispatcher routes it to a
 * native or an ink! contract alike, in the same kind of call as this one.
 *
 * `forward_increment` and `read` expect a counter as the target; `call_fail` expects a contract
 * with a `fail` message (this one, or another instance of it); `call_raw` forwards anything.
 * This contract keeps no storage of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "fat_contract.h"

/* --- SCALE ------------------------------------------------------------------------------------ */

static uint64_t decode_u64(const uint8_t *p)
{
    uint64_t value = 0;
    for (int i = 7; i >= 0; i--)
        value = (value << 8) | p[i];
    return value;
}

/* Decodes a compact length; returns the number of bytes read, or 0 when the input is malformed
 * or announces a length this contract would never be able to hold (the 0b11 big-integer mode). */
static size_t decode_compact(const uint8_t *p, size_t avail, size_t *value)
{
    if (avail < 1)
        return 0;
    switch (p[0] & 3) {
    case 0: *value = p[0] >> 2; return 1;
    case 1:
        if (avail < 2) return 0;
        *value = ((size_t)p[0] | (size_t)p[1] << 8) >> 2;
        return 2;
    case 2:
        if (avail < 4) return 0;
        *value = ((size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24) >> 2;
        return 4;
    default: return 0;
    }
}

/* Encodes a compact length into `out` (at least 5 bytes); returns the number of bytes written. */
static size_t encode_compact(uint8_t *out, uint32_t value)
{
    if (value < (1u << 6)) {
        out[0] = (uint8_t)(value << 2);
        return 1;
    }
    if (value < (1u << 14)) {
        uint32_t v = value << 2 | 1;
        out[0] = (uint8_t)v, out[1] = (uint8_t)(v >> 8);
        return 2;
    }
    if (value < (1u << 30)) {
        uint32_t v = value << 2 | 2;
        for (int i = 0; i < 4; i++) out[i] = (uint8_t)(v >> (8 * i));
        return 4;
    }
    out[0] = 3; /* big-integer mode: (4 bytes - 4) << 2 | 0b11, then the value */
    for (int i = 0; i < 4; i++) out[1 + i] = (uint8_t)(value >> (8 * i));
    return 5;
}

/* --- calling ---------------------------------------------------------------------------------- */

/* Calls message `name` of `target` with SCALE `args` (at most 16 bytes, enough for every call this
 * file makes). `out`/`out_len` follow host->call's in/out convention. */
static fat_status call_message(fat_ctx *ctx, const fat_address *target, const char *name,
                               const uint8_t *args, size_t args_len, uint8_t *out, size_t *out_len)
{
    uint8_t input[4 + 16];
    if (args_len > sizeof input - 4)
        return FAT_ERR_INVALID_ARGUMENT;
    fat_status status = ctx->host->selector(name, strlen(name), input);
    if (status != FAT_OK)
        return status;
    if (args_len > 0)
        memcpy(input + 4, args, args_len);
    return ctx->host->call(ctx, target, input, 4 + args_len, out, out_len);
}

/* A typed message cannot return a status, so a failed call becomes a revert of this call; the
 * returned 0 is never seen by anyone, since revert data replaces the result. */
static uint64_t call_for_u64(fat_ctx *ctx, const fat_address *target, const char *name,
                             const uint8_t *args, size_t args_len)
{
    uint8_t out[8];
    size_t len = sizeof out;
    fat_status status = call_message(ctx, target, name, args, args_len, out, &len);
    if (status != FAT_OK || len != sizeof out) {
        static const char reason[] = "the target did not answer a u64";
        fat_revert(ctx, reason, sizeof reason - 1);
        return 0;
    }
    return decode_u64(out);
}

/* --- messages --------------------------------------------------------------------------------- */

/* forward_increment(target: AccountId, by: u32) -> u64 — the target's new count. */
static uint64_t forward_increment(fat_ctx *ctx, const fat_address *target, uint32_t by)
{
    uint8_t args[4];
    for (int i = 0; i < 4; i++)
        args[i] = (uint8_t)(by >> (8 * i));
    return call_for_u64(ctx, target, "increment", args, sizeof args);
}

/* read(target: AccountId) -> u64 */
static uint64_t read(fat_ctx *ctx, const fat_address *target)
{
    return call_for_u64(ctx, target, "get", NULL, 0);
}

/* fail() — always reverts, with SCALE String revert data, so call_fail has something to call. */
static fat_status fail(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    static const char reason[] = "fail always reverts";
    uint8_t out[1 + sizeof reason - 1];
    (void)input, (void)input_len;
    out[0] = (uint8_t)((sizeof reason - 1) << 2);
    memcpy(out + 1, reason, sizeof reason - 1);
    fat_output(ctx, out, sizeof out);
    return FAT_REVERT;
}

/* call_fail(target: AccountId) -> i32 — the status host->call returned for the target's `fail`:
 * FAT_ERR_CALLEE_REVERTED from a contract that has it, another status from one that has not.
 * The buffer is large enough for fail's revert data, so the status is never BUFFER_TOO_SMALL. */
static int32_t call_fail(fat_ctx *ctx, const fat_address *target)
{
    uint8_t out[256];
    size_t len = sizeof out;
    return call_message(ctx, target, "fail", NULL, 0, out, &len);
}

/* call_raw(target: AccountId, input: Vec<u8>) -> Result<Vec<u8>, i32>
 * Forwards `input` (selector + SCALE args) unchanged and answers Ok(callee output) or Err(status).
 * A failed callee does not fail this call: its writes are rolled back by the host, and the status
 * comes back as data for the client to inspect. */
static fat_status call_raw(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    fat_address target;
    size_t forward_len;
    if (input_len < sizeof target.bytes)
        return FAT_ERR_DECODE;
    memcpy(target.bytes, input, sizeof target.bytes);
    size_t header = decode_compact(input + sizeof target.bytes, input_len - sizeof target.bytes,
                                   &forward_len);
    if (header == 0 || input_len - sizeof target.bytes - header != forward_len)
        return FAT_ERR_DECODE;
    const uint8_t *forward = input + sizeof target.bytes + header;

    /* Most outputs fit on the stack. A larger one makes host->call answer BUFFER_TOO_SMALL after
     * the call ran, and last_output then hands it over in a buffer of the announced size. */
    uint8_t small[1024];
    uint8_t *output = small;
    size_t output_len = sizeof small;
    fat_status status = ctx->host->call(ctx, &target, forward, forward_len, small, &output_len);
    if (status == FAT_ERR_BUFFER_TOO_SMALL) {
        output = malloc(output_len ? output_len : 1);
        if (output == NULL)
            return FAT_ERR_VALUE_TOO_LARGE;
        status = ctx->host->last_output(ctx, output, &output_len);
    }

    fat_status result;
    if (status == FAT_OK && output_len <= UINT32_MAX) {
        uint8_t *encoded = malloc(1 + 5 + output_len);
        if (encoded == NULL) {
            result = FAT_ERR_VALUE_TOO_LARGE;
        } else {
            encoded[0] = 0x00; /* Ok */
            size_t n = 1 + encode_compact(encoded + 1, (uint32_t)output_len);
            if (output_len > 0)
                memcpy(encoded + n, output, output_len);
            result = fat_output(ctx, encoded, n + output_len);
            free(encoded);
        }
    } else {
        int32_t code = status == FAT_OK ? FAT_ERR_VALUE_TOO_LARGE : status;
        uint8_t encoded[5] = {0x01}; /* Err */
        for (int i = 0; i < 4; i++)
            encoded[1 + i] = (uint8_t)((uint32_t)code >> (8 * i));
        result = fat_output(ctx, encoded, sizeof encoded);
    }
    if (output != small)
        free(output);
    return result;
}

FAT_CONTRACT("caller", "1.0.0",
    FAT_COMMAND    (forward_increment, "forward_increment(target: AccountId, by: u32) -> u64"),
    FAT_QUERY      (read,              "read(target: AccountId) -> u64"),
    FAT_COMMAND    (call_fail,         "call_fail(target: AccountId) -> i32"),
    FAT_RAW_COMMAND(fail,              "fail()"),
    FAT_RAW_COMMAND(call_raw,          "call_raw(target: AccountId, input: Vec<u8>) -> Result<Vec<u8>, i32>"));
