/*
 * ethereum — a capability module that signs Ethereum transactions and messages, so that a
 * contract holding a key (from fat.crypto derive_key with FAT_SIG_ECDSA, or pink's
 * derive key functions) can act on an Ethereum chain. Signing is RFC 6979 deterministic, so every
 * function is deterministic and allowed in commands.
 *
 * Chain extension id 2 (ink!: func_id = 0x0002_00NN). Arguments and results are SCALE; amounts are
 * u128, addresses [u8; 20], `to` is Option<[u8; 20]> (None deploys a contract):
 *   1 address(secret: [u8; 32]) -> [u8; 20]
 *   2 sign_legacy(secret, chain_id: u64, nonce: u64, gas_price: u128, gas_limit: u64,
 *                 to: Option<[u8; 20]>, value: u128, data: Vec<u8>) -> Vec<u8>
 *       an EIP-155 signed transaction, RLP-encoded, ready for eth_sendRawTransaction
 *   3 sign_eip1559(secret, chain_id: u64, nonce: u64, max_priority_fee_per_gas: u128,
 *                  max_fee_per_gas: u128, gas_limit: u64, to: Option<[u8; 20]>, value: u128,
 *                  data: Vec<u8>) -> Vec<u8>
 *       an EIP-1559 (type 2) signed transaction with an empty access list
 *   4 personal_sign(secret, message: Vec<u8>) -> [u8; 65]
 *       an EIP-191 signature r ‖ s ‖ v (v = 27 or 28) of "\x19Ethereum Signed Message:\n" + len + message
 * A secret that is not a valid secp256k1 key gives FAT_ERR_INVALID_ARGUMENT; malformed SCALE input
 * gives FAT_ERR_DECODE.
 */
#include <stdio.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "fat_capability.h"
#include "fat_scale.h"

static secp256k1_context *context;

/* --- Keccak-256 (the original Keccak padding, as Ethereum uses) ----------------------------- */

static const uint64_t round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
static const int rotations[25] = { 0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14 };

static uint64_t rol(uint64_t x, int n) { return n ? (x << n) | (x >> (64 - n)) : x; }

static void keccak_f(uint64_t a[25])
{
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], b[25];
        for (int x = 0; x < 5; x++)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) {
            uint64_t d = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5)
                a[y + x] ^= d;
        }
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rol(a[x + 5 * y], rotations[x + 5 * y]);
        for (int y = 0; y < 25; y += 5)
            for (int x = 0; x < 5; x++)
                a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        a[0] ^= round_constants[round];
    }
}

static void keccak256(const uint8_t *data, size_t len, uint8_t out[32])
{
    enum { RATE = 136 };
    uint64_t a[25] = { 0 };
    uint8_t block[RATE];
    for (;;) {
        size_t n = len < RATE ? len : RATE;
        memset(block, 0, RATE);
        memcpy(block, data, n);
        if (n < RATE) { /* the last block, padded */
            block[n] ^= 0x01;
            block[RATE - 1] ^= 0x80;
        }
        for (int i = 0; i < RATE / 8; i++) {
            uint64_t lane = 0;
            for (int j = 7; j >= 0; j--)
                lane = (lane << 8) | block[8 * i + j];
            a[i] ^= lane;
        }
        keccak_f(a);
        if (n < RATE)
            break;
        data += n;
        len -= n;
    }
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
}

/* --- RLP ------------------------------------------------------------------------------------- */

static void rlp_length(fat_scale_writer *w, size_t len, uint8_t offset)
{
    if (len < 56) {
        fat_scale_write_u8(w, (uint8_t)(offset + len));
        return;
    }
    uint8_t bytes[8];
    int n = 0;
    for (size_t v = len; v; v >>= 8)
        bytes[n++] = (uint8_t)v;
    fat_scale_write_u8(w, (uint8_t)(offset + 55 + n));
    while (n--)
        fat_scale_write_u8(w, bytes[n]);
}

static void rlp_bytes(fat_scale_writer *w, const uint8_t *data, size_t len)
{
    if (len == 1 && data[0] < 0x80) {
        fat_scale_write_u8(w, data[0]);
        return;
    }
    rlp_length(w, len, 0x80);
    fat_scale_write_raw(w, data, len);
}

/* An unsigned integer of `len` big-endian bytes, without leading zeros (zero is the empty string). */
static void rlp_uint_be(fat_scale_writer *w, const uint8_t *be, size_t len)
{
    while (len > 0 && be[0] == 0) {
        be++;
        len--;
    }
    rlp_bytes(w, be, len);
}

/* A little-endian integer of `len` bytes (a SCALE u64 or u128). */
static void rlp_uint_le(fat_scale_writer *w, const uint8_t *le, size_t len)
{
    uint8_t be[16];
    for (size_t i = 0; i < len; i++)
        be[i] = le[len - 1 - i];
    rlp_uint_be(w, be, len);
}

static void rlp_u64(fat_scale_writer *w, uint64_t value)
{
    uint8_t le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(value >> (8 * i));
    rlp_uint_le(w, le, 8);
}

/* Wraps the items written to `items` in a list header, appended to `out`. */
static void rlp_list(fat_scale_writer *out, const fat_scale_writer *items)
{
    rlp_length(out, items->len, 0xc0);
    fat_scale_write_raw(out, items->data, items->len);
    if (items->failed)
        out->failed = true;
}

/* --- signing --------------------------------------------------------------------------------- */

static bool sign_hash(const uint8_t secret[32], const uint8_t hash[32], uint8_t rs[64], int *recovery_id)
{
    secp256k1_ecdsa_recoverable_signature signature;
    if (!secp256k1_ecdsa_sign_recoverable(context, &signature, hash, secret, NULL, NULL))
        return false;
    return secp256k1_ecdsa_recoverable_signature_serialize_compact(context, rs, recovery_id, &signature) == 1;
}

static fat_status answer(fat_module_call *call, fat_scale_writer *w)
{
    fat_status status = w->failed ? FAT_ERR_VALUE_TOO_LARGE : call->set_output(call, w->data, w->len);
    fat_scale_writer_free(w);
    return status;
}

static fat_status address(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    const uint8_t *secret = fat_scale_read_fixed(&r, 32);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;
    secp256k1_pubkey key;
    if (!secp256k1_ec_pubkey_create(context, &key, secret))
        return FAT_ERR_INVALID_ARGUMENT;
    uint8_t uncompressed[65], hash[32];
    size_t len = sizeof uncompressed;
    secp256k1_ec_pubkey_serialize(context, uncompressed, &len, &key, SECP256K1_EC_UNCOMPRESSED);
    keccak256(uncompressed + 1, 64, hash);
    return call->set_output(call, hash + 12, 20);
}

/* The fields both transaction kinds share, read from the input. */
typedef struct transaction {
    const uint8_t *secret;
    uint64_t chain_id, nonce, gas_limit;
    const uint8_t *gas_price, *max_priority_fee; /* u128 LE */
    const uint8_t *to;                           /* NULL: contract creation */
    const uint8_t *value;
    const uint8_t *data;
    size_t data_len;
} transaction;

static void read_tail(fat_scale_reader *r, transaction *tx)
{
    tx->gas_limit = fat_scale_read_u64(r);
    uint8_t has_to = fat_scale_read_u8(r);
    if (has_to > 1)
        r->failed = true;
    tx->to = has_to == 1 ? fat_scale_read_fixed(r, 20) : NULL;
    tx->value = fat_scale_read_fixed(r, 16);
    tx->data = fat_scale_read_vec(r, &tx->data_len);
}

static void write_tail(fat_scale_writer *items, const transaction *tx)
{
    rlp_u64(items, tx->gas_limit);
    rlp_bytes(items, tx->to, tx->to ? 20 : 0);
    rlp_uint_le(items, tx->value, 16);
    rlp_bytes(items, tx->data, tx->data_len);
}

static fat_status sign_legacy(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    transaction tx = { 0 };
    tx.secret = fat_scale_read_fixed(&r, 32);
    tx.chain_id = fat_scale_read_u64(&r);
    tx.nonce = fat_scale_read_u64(&r);
    tx.gas_price = fat_scale_read_fixed(&r, 16);
    read_tail(&r, &tx);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;

    /* EIP-155: sign rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]). */
    fat_scale_writer items = { 0 }, unsigned_tx = { 0 };
    rlp_u64(&items, tx.nonce);
    rlp_uint_le(&items, tx.gas_price, 16);
    write_tail(&items, &tx);
    size_t common = items.len;
    rlp_u64(&items, tx.chain_id);
    rlp_bytes(&items, NULL, 0);
    rlp_bytes(&items, NULL, 0);
    rlp_list(&unsigned_tx, &items);
    uint8_t hash[32], rs[64];
    int recovery_id;
    keccak256(unsigned_tx.data, unsigned_tx.len, hash);
    fat_scale_writer_free(&unsigned_tx);
    if (items.failed || !sign_hash(tx.secret, hash, rs, &recovery_id)) {
        fat_scale_writer_free(&items);
        return items.failed ? FAT_ERR_VALUE_TOO_LARGE : FAT_ERR_INVALID_ARGUMENT;
    }
    /* The signed form replaces (chainId, 0, 0) with (v, r, s), v = chainId * 2 + 35 + recovery id. */
    items.len = common;
    rlp_u64(&items, tx.chain_id * 2 + 35 + (uint64_t)recovery_id);
    rlp_uint_be(&items, rs, 32);
    rlp_uint_be(&items, rs + 32, 32);
    fat_scale_writer signed_tx = { 0 }, out = { 0 };
    rlp_list(&signed_tx, &items);
    fat_scale_writer_free(&items);
    fat_scale_write_vec(&out, signed_tx.data, signed_tx.len);
    fat_scale_writer_free(&signed_tx);
    return answer(call, &out);
}

static fat_status sign_eip1559(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    transaction tx = { 0 };
    tx.secret = fat_scale_read_fixed(&r, 32);
    tx.chain_id = fat_scale_read_u64(&r);
    tx.nonce = fat_scale_read_u64(&r);
    tx.max_priority_fee = fat_scale_read_fixed(&r, 16);
    tx.gas_price = fat_scale_read_fixed(&r, 16); /* max fee per gas */
    read_tail(&r, &tx);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;

    /* Sign 0x02 ‖ rlp([chainId, nonce, maxPriorityFee, maxFee, gas, to, value, data, accessList]). */
    fat_scale_writer items = { 0 }, payload = { 0 };
    rlp_u64(&items, tx.chain_id);
    rlp_u64(&items, tx.nonce);
    rlp_uint_le(&items, tx.max_priority_fee, 16);
    rlp_uint_le(&items, tx.gas_price, 16);
    write_tail(&items, &tx);
    fat_scale_write_u8(&items, 0xc0); /* empty access list */
    size_t common = items.len;
    fat_scale_write_u8(&payload, 0x02);
    rlp_list(&payload, &items);
    uint8_t hash[32], rs[64];
    int recovery_id;
    keccak256(payload.data, payload.len, hash);
    fat_scale_writer_free(&payload);
    if (items.failed || !sign_hash(tx.secret, hash, rs, &recovery_id)) {
        fat_scale_writer_free(&items);
        return items.failed ? FAT_ERR_VALUE_TOO_LARGE : FAT_ERR_INVALID_ARGUMENT;
    }
    items.len = common;
    rlp_u64(&items, (uint64_t)recovery_id);
    rlp_uint_be(&items, rs, 32);
    rlp_uint_be(&items, rs + 32, 32);
    fat_scale_writer signed_tx = { 0 }, out = { 0 };
    fat_scale_write_u8(&signed_tx, 0x02);
    rlp_list(&signed_tx, &items);
    fat_scale_writer_free(&items);
    fat_scale_write_vec(&out, signed_tx.data, signed_tx.len);
    fat_scale_writer_free(&signed_tx);
    return answer(call, &out);
}

static fat_status personal_sign(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    const uint8_t *secret = fat_scale_read_fixed(&r, 32);
    size_t message_len;
    const uint8_t *message = fat_scale_read_vec(&r, &message_len);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;
    char prefix[64];
    int prefix_len = snprintf(prefix, sizeof prefix, "\x19" "Ethereum Signed Message:\n%zu", message_len);
    fat_scale_writer text = { 0 };
    fat_scale_write_raw(&text, prefix, (size_t)prefix_len);
    fat_scale_write_raw(&text, message, message_len);
    uint8_t hash[32], signature[65];
    int recovery_id;
    keccak256(text.data ? text.data : (const uint8_t *)"", text.len, hash);
    bool failed = text.failed;
    fat_scale_writer_free(&text);
    if (failed)
        return FAT_ERR_VALUE_TOO_LARGE;
    if (!sign_hash(secret, hash, signature, &recovery_id))
        return FAT_ERR_INVALID_ARGUMENT;
    signature[64] = (uint8_t)(27 + recovery_id);
    return call->set_output(call, signature, sizeof signature);
}

static fat_status module_init(void)
{
    context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    return context ? FAT_OK : FAT_ERR_INIT_FAILED;
}

static void module_fini(void)
{
    secp256k1_context_destroy(context);
    context = NULL;
}

static const fat_module_function functions[] = {
    { "address", 1, FAT_FN_DETERMINISTIC, address, "address(secret: [u8; 32]) -> [u8; 20]" },
    { "sign_legacy", 2, FAT_FN_DETERMINISTIC, sign_legacy,
      "sign_legacy(secret: [u8; 32], chain_id: u64, nonce: u64, gas_price: u128, gas_limit: u64, to: Option<[u8; 20]>, value: u128, data: Vec<u8>) -> Vec<u8>" },
    { "sign_eip1559", 3, FAT_FN_DETERMINISTIC, sign_eip1559,
      "sign_eip1559(secret: [u8; 32], chain_id: u64, nonce: u64, max_priority_fee_per_gas: u128, max_fee_per_gas: u128, gas_limit: u64, to: Option<[u8; 20]>, value: u128, data: Vec<u8>) -> Vec<u8>" },
    { "personal_sign", 4, FAT_FN_DETERMINISTIC, personal_sign, "personal_sign(secret: [u8; 32], message: Vec<u8>) -> [u8; 65]" },
};

static const fat_module_descriptor descriptor = {
    sizeof(fat_module_descriptor), FAT_MODULE_ABI_VERSION_MAJOR, FAT_MODULE_ABI_VERSION_MINOR,
    "ethereum", "1.0.0", 2, 0, functions, sizeof functions / sizeof functions[0], module_init, module_fini,
};

FAT_DEFINE_MODULE(descriptor);
