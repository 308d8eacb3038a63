/*
 * conformance_suite.h — the ABI conformance checks, written once in the common subset of C11 and
 * C++17 and included by conformance.c and conformance.cpp, so that the same checks prove the
 * header compiles, lays out and links identically in both languages.
 *
 * The suite loads nothing. It defines a small contract in this translation unit with FAT_CONTRACT,
 * calls its entry the way the host does, and runs its messages against a fake host table and a
 * fake context that keep storage in memory. Build with -rdynamic so the program can find its own
 * entry symbol by name, as dlsym finds it in a contract.
 */
#ifndef FAT_CONFORMANCE_SUITE_H
#define FAT_CONFORMANCE_SUITE_H

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "fat_capability.h"
#include "fat_contract.h"

/* --- reporting -------------------------------------------------------------------------------- */

static int checks_passed;
static int checks_failed;

static void check(bool ok, const char *what, const char *file, int line)
{
    if (ok) {
        checks_passed++;
    } else {
        checks_failed++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    }
}
#define CHECK(condition) check((condition), #condition, __FILE__, __LINE__)

/* Pointer-sized slot: every pointer and function pointer in the ABI has this size and alignment. */
#define SLOT sizeof(void (*)(void))

/* --- layout ------------------------------------------------------------------------------------ */

static void check_layout(void)
{
    CHECK(sizeof(fat_status) == 4);
    CHECK(sizeof(fat_address) == 32);
    CHECK(sizeof(void *) == SLOT);

    CHECK(offsetof(fat_ctx, host) == 0);
    CHECK(offsetof(fat_ctx, host_data) == SLOT);
    CHECK(sizeof(fat_ctx) == 2 * SLOT);

    /* The host table: an 8-byte header, then one slot per function in declaration order. A field
     * that moves is an ABI break; a field appended at the end is a minor version. */
    CHECK(offsetof(fat_host_api, struct_size) == 0);
    CHECK(offsetof(fat_host_api, version_major) == 4);
    CHECK(offsetof(fat_host_api, version_minor) == 6);
    {
        const size_t slots[] = {
            offsetof(fat_host_api, storage_get),      offsetof(fat_host_api, storage_set),
            offsetof(fat_host_api, storage_remove),   offsetof(fat_host_api, storage_contains),
            offsetof(fat_host_api, caller),           offsetof(fat_host_api, self_address),
            offsetof(fat_host_api, call_kind),        offsetof(fat_host_api, command_seq),
            offsetof(fat_host_api, command_timestamp_ms),
            offsetof(fat_host_api, set_output),       offsetof(fat_host_api, revert),
            offsetof(fat_host_api, emit_event),       offsetof(fat_host_api, log),
            offsetof(fat_host_api, call),             offsetof(fat_host_api, last_output),
            offsetof(fat_host_api, selector),         offsetof(fat_host_api, capability),
        };
        const size_t count = sizeof slots / sizeof slots[0];
        size_t i;
        bool in_sequence = true;
        for (i = 0; i < count; i++)
            if (slots[i] != 8 + i * SLOT) {
                fprintf(stderr, "host table slot %u is at offset %u\n", (unsigned)i, (unsigned)slots[i]);
                in_sequence = false;
            }
        CHECK(in_sequence);
        CHECK(count == 17);
        CHECK(sizeof(fat_host_api) == 8 + count * SLOT);
    }

    CHECK(offsetof(fat_message, name) == 0);
    CHECK(offsetof(fat_message, signature) == SLOT);
    CHECK(offsetof(fat_message, flags) == 2 * SLOT);
    CHECK(offsetof(fat_message, selector) == 2 * SLOT + 4);
    CHECK(offsetof(fat_message, function) == 2 * SLOT + 8);
    CHECK(offsetof(fat_message, doc) == 3 * SLOT + 8);
    CHECK(sizeof(fat_message) == 4 * SLOT + 8);

    CHECK(offsetof(fat_contract_descriptor, struct_size) == 0);
    CHECK(offsetof(fat_contract_descriptor, abi_major) == 4);
    CHECK(offsetof(fat_contract_descriptor, abi_minor) == 6);
    CHECK(offsetof(fat_contract_descriptor, name) == 8);
    CHECK(offsetof(fat_contract_descriptor, version) == 8 + SLOT);
    CHECK(offsetof(fat_contract_descriptor, messages) == 8 + 2 * SLOT);
    CHECK(offsetof(fat_contract_descriptor, message_count) == 8 + 3 * SLOT);
    CHECK(offsetof(fat_contract_descriptor, reserved) == 12 + 3 * SLOT);
    CHECK(offsetof(fat_contract_descriptor, init) == 16 + 3 * SLOT);
    CHECK(offsetof(fat_contract_descriptor, fini) == 16 + 4 * SLOT);
    CHECK(offsetof(fat_contract_descriptor, dispatch) == 16 + 5 * SLOT);
    CHECK(sizeof(fat_contract_descriptor) == 16 + 6 * SLOT);

    /* Twelve bytes of fixed-width fields, then `host` at the next pointer boundary. */
    CHECK(offsetof(fat_negotiation, struct_size) == 0);
    CHECK(offsetof(fat_negotiation, min_major) == 4);
    CHECK(offsetof(fat_negotiation, min_minor) == 6);
    CHECK(offsetof(fat_negotiation, max_major) == 8);
    CHECK(offsetof(fat_negotiation, max_minor) == 10);
    CHECK(offsetof(fat_negotiation, host) == (12 + SLOT - 1) / SLOT * SLOT);
    CHECK(sizeof(fat_negotiation) == offsetof(fat_negotiation, host) + SLOT);
}

/* The capability tables (ABI 1.1) and the module ABI (fat_capability.h 1.0). */
static void check_capability_layout(void)
{
    CHECK(FAT_ABI_VERSION_MAJOR == 1 && FAT_ABI_VERSION_MINOR >= 1);
    CHECK(FAT_ERR_TIMEOUT == -14 && FAT_ERR_NETWORK == -15 && FAT_ERR_BAD_SIGNATURE == -16);

    CHECK(offsetof(fat_http_request, struct_size) == 0);
    CHECK(offsetof(fat_http_request, timeout_ms) == 4);
    CHECK(offsetof(fat_http_request, method) == 8);
    CHECK(offsetof(fat_http_request, body_len) == 8 + 7 * SLOT);
    CHECK(sizeof(fat_http_header) == 4 * SLOT);
    CHECK(offsetof(fat_http_api, request) == 8);
    CHECK(offsetof(fat_http_api, response_header) == 8 + SLOT);
    CHECK(offsetof(fat_crypto_api, hash) == 8);
    CHECK(offsetof(fat_crypto_api, random) == 8 + 5 * SLOT);
    CHECK(FAT_SIG_ED25519 == 0 && FAT_SIG_SR25519 == 1 && FAT_SIG_ECDSA == 2);

    CHECK(offsetof(fat_module_call, call_kind) == 4);
    CHECK(offsetof(fat_module_call, contract) == 8);
    CHECK(offsetof(fat_module_call, set_output) == 40);
    CHECK(offsetof(fat_module_function, id) == SLOT);
    CHECK(offsetof(fat_module_function, flags) == SLOT + 4);
    CHECK(offsetof(fat_module_function, function) == SLOT + 8);
    CHECK(offsetof(fat_module_descriptor, name) == 8);
    CHECK(offsetof(fat_module_descriptor, extension_id) == 8 + 2 * SLOT);
    CHECK(offsetof(fat_module_descriptor, functions) == 8 + 3 * SLOT);
    CHECK(offsetof(fat_module_descriptor, fini) == 8 + 6 * SLOT);
    CHECK(offsetof(fat_module_api, host_data) == 8);
    CHECK(offsetof(fat_module_api, call) == 8 + SLOT);
    CHECK(sizeof(fat_module_negotiation) == 12);
    CHECK((FAT_FN_DETERMINISTIC & FAT_FN_QUERY_ONLY) == 0);
}

/* --- a fake host ------------------------------------------------------------------------------- */

#define FAKE_ENTRIES 8
#define FAKE_BYTES 64

/* Everything a call can observe or change, reached through fat_ctx.host_data. */
typedef struct fake_state {
    struct {
        bool used;
        uint8_t key[FAKE_BYTES], value[FAKE_BYTES];
        size_t key_len, value_len;
    } entries[FAKE_ENTRIES];
    uint8_t output[FAKE_BYTES];
    size_t output_len;
    bool reverted;
    int events;
} fake_state;

static fake_state *state_of(fat_ctx *ctx) { return (fake_state *)ctx->host_data; }

static int fake_find(fake_state *s, const uint8_t *key, size_t key_len)
{
    int i;
    for (i = 0; i < FAKE_ENTRIES; i++)
        if (s->entries[i].used && s->entries[i].key_len == key_len
            && memcmp(s->entries[i].key, key, key_len) == 0)
            return i;
    return -1;
}

static int fake_free_entry(fake_state *s)
{
    int i;
    for (i = 0; i < FAKE_ENTRIES; i++)
        if (!s->entries[i].used)
            return i;
    return -1;
}

static fat_status fake_storage_get(fat_ctx *ctx, const uint8_t *key, size_t key_len, uint8_t *out,
                                   size_t *out_len)
{
    fake_state *s = state_of(ctx);
    int i = fake_find(s, key, key_len);
    if (i < 0)
        return FAT_ERR_NOT_FOUND;
    if (*out_len < s->entries[i].value_len) {
        *out_len = s->entries[i].value_len;
        return FAT_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(out, s->entries[i].value, s->entries[i].value_len);
    *out_len = s->entries[i].value_len;
    return FAT_OK;
}

static fat_status fake_storage_set(fat_ctx *ctx, const uint8_t *key, size_t key_len,
                                   const uint8_t *value, size_t value_len)
{
    fake_state *s = state_of(ctx);
    int i = fake_find(s, key, key_len);
    if (key_len > FAKE_BYTES || value_len > FAKE_BYTES)
        return FAT_ERR_VALUE_TOO_LARGE;
    if (i < 0)
        i = fake_free_entry(s);
    if (i < 0)
        return FAT_ERR_VALUE_TOO_LARGE;
    s->entries[i].used = true;
    memcpy(s->entries[i].key, key, key_len);
    s->entries[i].key_len = key_len;
    memcpy(s->entries[i].value, value, value_len);
    s->entries[i].value_len = value_len;
    return FAT_OK;
}

static fat_status fake_storage_remove(fat_ctx *ctx, const uint8_t *key, size_t key_len)
{
    fake_state *s = state_of(ctx);
    int i = fake_find(s, key, key_len);
    if (i >= 0)
        s->entries[i].used = false;
    return FAT_OK;
}

static fat_status fake_storage_contains(fat_ctx *ctx, const uint8_t *key, size_t key_len,
                                        size_t *value_len)
{
    fake_state *s = state_of(ctx);
    int i = fake_find(s, key, key_len);
    if (i < 0)
        return FAT_ERR_NOT_FOUND;
    if (value_len != NULL)
        *value_len = s->entries[i].value_len;
    return FAT_OK;
}

static fat_status fake_address(fat_ctx *ctx, fat_address *out)
{
    (void)ctx;
    memset(out->bytes, 0xAB, sizeof out->bytes);
    return FAT_OK;
}

static uint32_t fake_call_kind(fat_ctx *ctx) { (void)ctx; return FAT_CALL_COMMAND; }
static uint64_t fake_command_seq(fat_ctx *ctx) { (void)ctx; return 7; }
static uint64_t fake_timestamp(fat_ctx *ctx) { (void)ctx; return 1700000000000ull; }

static fat_status fake_set_output(fat_ctx *ctx, const uint8_t *data, size_t len)
{
    fake_state *s = state_of(ctx);
    if (len > sizeof s->output)
        return FAT_ERR_VALUE_TOO_LARGE;
    if (len > 0)
        memcpy(s->output, data, len);
    s->output_len = len;
    return FAT_OK;
}

static fat_status fake_revert(fat_ctx *ctx, const char *message, size_t len)
{
    (void)message, (void)len;
    state_of(ctx)->reverted = true;
    return FAT_OK;
}

static fat_status fake_emit_event(fat_ctx *ctx, const uint8_t *topics, size_t topic_count,
                                  const uint8_t *data, size_t data_len)
{
    (void)topics, (void)topic_count, (void)data, (void)data_len;
    state_of(ctx)->events++;
    return FAT_OK;
}

static void fake_log(fat_ctx *ctx, uint32_t level, const char *message, size_t len)
{
    (void)ctx, (void)level, (void)message, (void)len;
}

static fat_status fake_call(fat_ctx *ctx, const fat_address *callee, const uint8_t *input,
                            size_t input_len, uint8_t *out, size_t *out_len)
{
    (void)ctx, (void)callee, (void)input, (void)input_len, (void)out, (void)out_len;
    return FAT_ERR_NOT_FOUND;
}

static fat_status fake_last_output(fat_ctx *ctx, uint8_t *out, size_t *out_len)
{
    (void)ctx, (void)out, (void)out_len;
    return FAT_ERR_NOT_FOUND;
}

/* Not BLAKE2b: the suite checks the ABI, not the hash, and only needs a deterministic answer. */
static fat_status fake_selector(const char *name, size_t name_len, uint8_t out[4])
{
    size_t i;
    memset(out, 0, 4);
    for (i = 0; i < name_len; i++)
        out[i % 4] ^= (uint8_t)name[i];
    return FAT_OK;
}

static const void *fake_capability(fat_ctx *ctx, const char *name, uint32_t min_version)
{
    (void)ctx, (void)name, (void)min_version;
    return NULL; /* nothing granted */
}

/* Built field by field: C++17 has no designated initialisers. */
static fat_host_api make_fake_host(void)
{
    fat_host_api host;
    memset(&host, 0, sizeof host);
    host.struct_size = (uint32_t)sizeof host;
    host.version_major = FAT_ABI_VERSION_MAJOR;
    host.version_minor = FAT_ABI_VERSION_MINOR;
    host.storage_get = fake_storage_get;
    host.storage_set = fake_storage_set;
    host.storage_remove = fake_storage_remove;
    host.storage_contains = fake_storage_contains;
    host.caller = fake_address;
    host.self_address = fake_address;
    host.call_kind = fake_call_kind;
    host.command_seq = fake_command_seq;
    host.command_timestamp_ms = fake_timestamp;
    host.set_output = fake_set_output;
    host.revert = fake_revert;
    host.emit_event = fake_emit_event;
    host.log = fake_log;
    host.call = fake_call;
    host.last_output = fake_last_output;
    host.selector = fake_selector;
    host.capability = fake_capability;
    return host;
}

/* --- a contract in this translation unit ------------------------------------------------------- */

static uint64_t load_n(fat_ctx *ctx)
{
    uint8_t b[8];
    size_t len = sizeof b;
    uint64_t n = 0;
    int i;
    if (fat_get(ctx, "n", 1, b, &len) != FAT_OK || len != 8)
        return 0;
    for (i = 7; i >= 0; i--)
        n = (n << 8) | b[i];
    return n;
}

static void store_n(fat_ctx *ctx, uint64_t n)
{
    uint8_t b[8];
    int i;
    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(n >> (8 * i));
    fat_set(ctx, "n", 1, b, sizeof b);
}

static void create(fat_ctx *ctx, uint64_t start) { store_n(ctx, start); }
static uint64_t get(fat_ctx *ctx) { return load_n(ctx); }

static uint64_t add(fat_ctx *ctx, uint32_t by)
{
    uint64_t n = load_n(ctx);
    if (n > UINT64_MAX - by) {
        fat_revert(ctx, "overflow", 8);
        return n;
    }
    store_n(ctx, n + by);
    return n + by;
}

static fat_status echo(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    return fat_output(ctx, input, input_len);
}

static fat_status refuse(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    static const uint8_t reason[] = {3 << 2, 'n', 'o', '!'}; /* SCALE String "no!" */
    (void)input, (void)input_len;
    fat_output(ctx, reason, sizeof reason);
    return FAT_REVERT;
}

/* FAT_CONTRACT ends in a prototype, so the use takes a terminating semicolon. */
FAT_CONTRACT("conformance", "1.0.0",
    FAT_CONSTRUCTOR(create, "create(start: u64)"),
    FAT_QUERY      (get,    "get() -> u64"),
    FAT_COMMAND    (add,    "add(by: u32) -> u64"),
    FAT_RAW_QUERY  (echo,   "echo(data: Vec<u8>) -> Vec<u8>"),
    FAT_RAW_COMMAND(refuse, "refuse()"));

/* --- negotiation ------------------------------------------------------------------------------- */

static fat_negotiation make_offer(const fat_host_api *host, uint16_t min_major, uint16_t min_minor,
                                  uint16_t max_major, uint16_t max_minor)
{
    fat_negotiation offer;
    memset(&offer, 0, sizeof offer);
    offer.struct_size = (uint32_t)sizeof offer;
    offer.min_major = min_major;
    offer.min_minor = min_minor;
    offer.max_major = max_major;
    offer.max_minor = max_minor;
    offer.host = host;
    return offer;
}

/* A sentinel that no descriptor can be at, to prove a refusing entry leaves *out alone. */
static const fat_contract_descriptor untouched_sentinel = FAT_DESCRIPTOR("sentinel", "0", fat_contract_messages_);

static const fat_contract_descriptor *check_negotiation(const fat_host_api *host)
{
    const fat_contract_descriptor *out = NULL;
    fat_negotiation offer = make_offer(host, 1, 0, FAT_ABI_VERSION_MAJOR, FAT_ABI_VERSION_MINOR);

    /* (a) an offer that includes our major */
    CHECK(fat_contract_entry(&offer, &out) == FAT_OK);
    CHECK(out == &fat_contract_descriptor_);
    offer = make_offer(host, 0, 5, 3, 0);
    CHECK(fat_contract_entry(&offer, &out) == FAT_OK);
    {   /* a newer host's longer negotiation struct is accepted: fields are only appended */
        struct { fat_negotiation offer; uint64_t appended; } longer;
        longer.offer = make_offer(host, 1, 0, 1, 9);
        longer.offer.struct_size = (uint32_t)sizeof longer;
        longer.appended = 0;
        CHECK(fat_contract_entry(&longer.offer, &out) == FAT_OK);
    }

    /* (b) offers that exclude our major: refused with a status, *out unchanged */
    out = &untouched_sentinel;
    offer = make_offer(host, 2, 0, 2, 7);
    CHECK(fat_contract_entry(&offer, &out) == FAT_ERR_VERSION_MISMATCH);
    CHECK(out == &untouched_sentinel);
    offer = make_offer(host, 0, 0, 0, 9);
    CHECK(fat_contract_entry(&offer, &out) == FAT_ERR_VERSION_MISMATCH);
    CHECK(out == &untouched_sentinel);

    /* (c) NULL arguments */
    offer = make_offer(host, 1, 0, 1, 0);
    CHECK(fat_contract_entry(&offer, NULL) == FAT_ERR_INVALID_ARGUMENT);
    CHECK(fat_contract_entry(NULL, &out) == FAT_ERR_INVALID_ARGUMENT);
    CHECK(out == &untouched_sentinel);

    /* (d) a negotiation struct smaller than 1.0's */
    offer.struct_size = (uint32_t)sizeof offer - 1;
    CHECK(fat_contract_entry(&offer, &out) == FAT_ERR_INVALID_ARGUMENT);
    offer.struct_size = 0;
    CHECK(fat_contract_entry(&offer, &out) == FAT_ERR_INVALID_ARGUMENT);
    CHECK(out == &untouched_sentinel);

    /* The symbol the host looks up is this very function, with C linkage and default visibility. */
    {
        void *self = dlopen(NULL, RTLD_NOW);
        void *symbol = self != NULL ? dlsym(self, FAT_CONTRACT_ENTRY_SYMBOL) : NULL;
        fat_contract_entry_fn found = NULL;
        fat_contract_entry_fn expected = fat_contract_entry;
        memcpy(&found, &symbol, sizeof found); /* POSIX: data and function pointers convert */
        CHECK(symbol != NULL && found == expected);
        if (symbol == NULL)
            fprintf(stderr, "dlsym(\"%s\") found nothing: link with -rdynamic\n", FAT_CONTRACT_ENTRY_SYMBOL);
    }

    out = NULL;
    offer = make_offer(host, 1, 0, 1, 0);
    fat_contract_entry(&offer, &out);
    return out;
}

/* --- the descriptor and its messages ----------------------------------------------------------- */

static const fat_message *find_message(const fat_contract_descriptor *d, const char *name)
{
    uint32_t i;
    for (i = 0; i < d->message_count; i++)
        if (strcmp(d->messages[i].name, name) == 0)
            return &d->messages[i];
    return NULL;
}

static void check_descriptor(const fat_contract_descriptor *d)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t i;
    CHECK(d->struct_size == sizeof(fat_contract_descriptor));
    CHECK(d->abi_major == FAT_ABI_VERSION_MAJOR && d->abi_minor == FAT_ABI_VERSION_MINOR);
    CHECK(strcmp(d->name, "conformance") == 0 && strcmp(d->version, "1.0.0") == 0);
    CHECK(d->message_count == 5 && d->reserved == 0);
    CHECK(d->init == NULL && d->fini == NULL && d->dispatch == NULL);
    for (i = 0; i < d->message_count; i++)
        CHECK(memcmp(d->messages[i].selector, zero, 4) == 0 && d->messages[i].doc == NULL);

    CHECK(find_message(d, "create")->flags == (FAT_MSG_TYPED | FAT_MSG_MUTATES | FAT_MSG_CONSTRUCTOR));
    CHECK(find_message(d, "get")->flags == FAT_MSG_TYPED);
    CHECK(find_message(d, "add")->flags == (FAT_MSG_TYPED | FAT_MSG_MUTATES));
    CHECK(find_message(d, "echo")->flags == 0u);
    CHECK(find_message(d, "refuse")->flags == FAT_MSG_MUTATES);
    CHECK(strcmp(find_message(d, "add")->signature, "add(by: u32) -> u64") == 0);
}

/* Calls the messages as the host would: typed functions cast back to their signature, byte-level
 * ones as fat_message_fn, all with a context whose host_data is the fake state. */
static void check_messages(const fat_contract_descriptor *d, const fat_host_api *host)
{
    static fake_state state; /* static: too large to be worth putting on the stack */
    fat_ctx ctx;
    uint8_t stored[8];
    size_t stored_len = sizeof stored;
    static const uint8_t input[] = {2 << 2, 0xCA, 0xFE}; /* SCALE Vec<u8> [0xCA, 0xFE] */

    memset(&state, 0, sizeof state);
    ctx.host = host;
    ctx.host_data = &state;

    ((void (*)(fat_ctx *, uint64_t))find_message(d, "create")->function)(&ctx, 40);
    CHECK(((uint64_t (*)(fat_ctx *))find_message(d, "get")->function)(&ctx) == 40);
    CHECK(((uint64_t (*)(fat_ctx *, uint32_t))find_message(d, "add")->function)(&ctx, 2) == 42);
    CHECK(fat_get(&ctx, "n", 1, stored, &stored_len) == FAT_OK && stored_len == 8
          && stored[0] == 42 && stored[7] == 0); /* little-endian, as SCALE */
    CHECK(!state.reverted);

    store_n(&ctx, UINT64_MAX);
    ((uint64_t (*)(fat_ctx *, uint32_t))find_message(d, "add")->function)(&ctx, 1);
    CHECK(state.reverted && load_n(&ctx) == UINT64_MAX);

    CHECK(((fat_message_fn)find_message(d, "echo")->function)(&ctx, input, sizeof input) == FAT_OK);
    CHECK(state.output_len == sizeof input && memcmp(state.output, input, sizeof input) == 0);
    CHECK(((fat_message_fn)find_message(d, "refuse")->function)(&ctx, NULL, 0) == FAT_REVERT);
    CHECK(state.output_len == 4 && state.output[0] == (3 << 2));

    stored_len = 2; /* BUFFER_TOO_SMALL reports the size needed */
    CHECK(fat_get(&ctx, "n", 1, stored, &stored_len) == FAT_ERR_BUFFER_TOO_SMALL && stored_len == 8);
}

/* --- FAT_HOST_HAS ------------------------------------------------------------------------------ */

static void check_host_has(const fat_host_api *full)
{
    fat_host_api older = *full;
    const fat_host_api *absent = NULL;

    CHECK(FAT_HOST_HAS(full, storage_get));
    CHECK(FAT_HOST_HAS(full, capability));
    CHECK(!FAT_HOST_HAS(absent, storage_get));

    /* A host whose table ends just before `call`, as an older minor version's would. */
    older.struct_size = (uint32_t)offsetof(fat_host_api, call);
    CHECK(FAT_HOST_HAS(&older, log));
    CHECK(!FAT_HOST_HAS(&older, call));
    CHECK(!FAT_HOST_HAS(&older, capability));
    older.struct_size = (uint32_t)(offsetof(fat_host_api, call) + sizeof older.call - 1);
    CHECK(!FAT_HOST_HAS(&older, call)); /* a partial slot is not a field */
    older.struct_size = (uint32_t)(offsetof(fat_host_api, call) + sizeof older.call);
    CHECK(FAT_HOST_HAS(&older, call));
    older.struct_size = 8; /* header only */
    CHECK(!FAT_HOST_HAS(&older, storage_get));
}

/* --- running ----------------------------------------------------------------------------------- */

/* Runs every check; returns the process exit status. */
static int run_conformance_suite(const char *language)
{
    fat_host_api host = make_fake_host();
    const fat_contract_descriptor *descriptor;

    check_layout();
    check_capability_layout();
    descriptor = check_negotiation(&host);
    CHECK(descriptor != NULL);
    if (descriptor != NULL) {
        check_descriptor(descriptor);
        check_messages(descriptor, &host);
    }
    check_host_has(&host);

    printf("%s: %d passed, %d failed\n", language, checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

#endif /* FAT_CONFORMANCE_SUITE_H */
