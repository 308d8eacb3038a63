/*
 * fat_contract.h — the FatContract native contract ABI, version 1.1.
 *
 * A native contract is a shared object that exports one symbol, `fat_contract_entry`
 * (FAT_CONTRACT_ENTRY_SYMBOL). The host dlopen()s the object, calls the entry with the range of
 * ABI versions it speaks and its host function table, and receives the contract's descriptor:
 * its name, its messages and the functions that implement them.
 *
 * Rules that hold for every declaration below:
 *
 *  - Only <stdint.h>, <stddef.h> and <stdbool.h>. Fixed-width integers in every struct; no C enums
 *    inside structs; every struct that can grow starts with `struct_size`.
 *  - Status codes are `fat_status` (int32_t): 0 is success, negative values are errors. A code is
 *    never reused for another meaning. Each host function lists the statuses it can return.
 *  - OWNERSHIP is written on every type and function. "Borrowed" means valid only until the
 *    function it was passed to returns. Output buffers are always provided by the caller together
 *    with an in/out length: on FAT_ERR_BUFFER_TOO_SMALL the length is set to the size needed and
 *    nothing else changes.
 *  - No longjmp and no C++ exceptions may cross this boundary in either direction.
 *  - THREADING: the host calls a contract's message functions for queries from several threads at
 *    once, and for commands from one thread at a time (commands are totally ordered). A contract
 *    keeps its state in host storage, not in globals; globals it does keep must be thread-safe and
 *    must not influence command results (commands must be deterministic). A `fat_ctx` belongs to
 *    the thread that received it and only for the duration of that call.
 *
 * Compatibility policy (ABI/README.md): the major version changes only when an existing
 * declaration changes meaning; minor versions only append fields to the end of structs and add
 * status codes and constants. A contract checks FAT_HOST_HAS(host, field) before calling a field
 * introduced after 1.0.
 */
#ifndef FAT_CONTRACT_H
#define FAT_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks the entry symbol as exported with C linkage, from C and from C++. */
#ifdef __cplusplus
#define FAT_LINKAGE extern "C"
#else
#define FAT_LINKAGE
#endif
#if defined(_WIN32)
#define FAT_EXPORT FAT_LINKAGE __declspec(dllexport)
#else
#define FAT_EXPORT FAT_LINKAGE __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------------------------ */
/* Versions                                                                                    */
/* ------------------------------------------------------------------------------------------ */

#define FAT_ABI_VERSION_MAJOR 1
#define FAT_ABI_VERSION_MINOR 1

/** The one symbol a contract exports. */
#define FAT_CONTRACT_ENTRY_SYMBOL "fat_contract_entry"

/* ------------------------------------------------------------------------------------------ */
/* Status codes                                                                                */
/* ------------------------------------------------------------------------------------------ */

typedef int32_t fat_status;

#define FAT_OK                        0
/** Returned by a message function: the call failed on purpose; its writes are rolled back and its
 *  output (set with fat_host_api.set_output) is returned to the caller as revert data. */
#define FAT_REVERT                    1
#define FAT_ERR_NOT_FOUND            -1  /* the storage key, contract or message does not exist */
#define FAT_ERR_BUFFER_TOO_SMALL     -2  /* *len now holds the size needed */
#define FAT_ERR_INVALID_ARGUMENT     -3  /* NULL where a pointer is required, bad length, bad input */
#define FAT_ERR_VERSION_MISMATCH     -4  /* negotiation: no ABI version both sides speak */
#define FAT_ERR_DEPTH_EXCEEDED       -5  /* call: the cross-contract call depth limit was reached */
#define FAT_ERR_CALLEE_REVERTED      -6  /* call: the callee reverted; its output is revert data */
#define FAT_ERR_CALLEE_FAILED        -7  /* call: the callee failed (trapped, crashed, ran out of gas) */
#define FAT_ERR_NOT_ALLOWED          -8  /* the operation is not allowed in this kind of call */
#define FAT_ERR_UNSUPPORTED          -9  /* the host does not provide this operation */
#define FAT_ERR_DECODE              -10  /* the input could not be decoded */
#define FAT_ERR_CONTRACT_FAILED     -11  /* a contract-defined failure (returned by the contract) */
#define FAT_ERR_INIT_FAILED         -12  /* the contract's init hook refused to load */
#define FAT_ERR_VALUE_TOO_LARGE     -13  /* a key, value, event or output over the host's limits */
/* Since 1.1 (capabilities): */
#define FAT_ERR_TIMEOUT             -14  /* the operation ran past the call's deadline */
#define FAT_ERR_NETWORK             -15  /* a network failure: no connection, reset, bad response */
#define FAT_ERR_BAD_SIGNATURE       -16  /* verify: the signature does not match */

/* ------------------------------------------------------------------------------------------ */
/* Basic types                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/** A 32-byte account or contract address (the SCALE AccountId).
 *  OWNERSHIP: a plain value. */
typedef struct fat_address {
    uint8_t bytes[32];
} fat_address;

/** Kind of the current call, from fat_host_api.call_kind. */
#define FAT_CALL_COMMAND  1u  /* ordered, durable, deterministic: no I/O, no wall clock */
#define FAT_CALL_QUERY    2u  /* off the log: writes are discarded, capabilities may do I/O */
#define FAT_CALL_DEPLOY   3u  /* the constructor of a command that deploys this contract */

/** Log levels for fat_host_api.log. */
#define FAT_LOG_ERROR 1u
#define FAT_LOG_WARN  2u
#define FAT_LOG_INFO  3u
#define FAT_LOG_DEBUG 4u

struct fat_host_api;

/** The context of one call into a contract.
 *  OWNERSHIP: host-owned; borrowed by the contract for the duration of the call that received it.
 *  The contract reads `host` and passes the context back unchanged; `host_data` is the host's. */
typedef struct fat_ctx {
    const struct fat_host_api *host;
    void *host_data;
} fat_ctx;

/* ------------------------------------------------------------------------------------------ */
/* Host function table                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** The functions the host offers to contracts. Append-only: fields are only ever added at the end
 *  (SQLite's sqlite3_api_routines discipline); `struct_size` says how many this host has.
 *  Every field of version 1.0 is non-NULL in every host.
 *  OWNERSHIP: host-owned and immutable; valid from negotiation until the contract is unloaded.
 *  THREADING: every function may be called from any thread that holds a live fat_ctx, with that
 *  fat_ctx. */
typedef struct fat_host_api {
    uint32_t struct_size;
    uint16_t version_major;
    uint16_t version_minor;

    /* --- storage: the contract's own sealed key/value store ------------------------------- */

    /** Reads the value stored under `key` into `out`.
     *  @param ctx      the context of the current call.
     *  @param key      the key's bytes (borrowed; any bytes, up to the host's key limit).
     *  @param key_len  its length.
     *  @param out      where the value is copied (owned by the contract; may be NULL when
     *                  *out_len is 0, to ask for the length only).
     *  @param out_len  in: the capacity of `out`; out: the value's length, also when it did not fit.
     *  @return FAT_OK (copied); FAT_ERR_BUFFER_TOO_SMALL (nothing copied, *out_len says how much
     *          is needed); FAT_ERR_NOT_FOUND (no value, *out_len untouched);
     *          FAT_ERR_INVALID_ARGUMENT (NULL key with a non-zero length, NULL out_len). */
    fat_status (*storage_get)(fat_ctx *ctx, const uint8_t *key, size_t key_len,
                              uint8_t *out, size_t *out_len);
    /** Stores `value` under `key` (an empty value is a value, not a removal).
     *  Returns FAT_OK, FAT_ERR_INVALID_ARGUMENT, FAT_ERR_VALUE_TOO_LARGE. OWNERSHIP: borrowed. */
    fat_status (*storage_set)(fat_ctx *ctx, const uint8_t *key, size_t key_len,
                              const uint8_t *value, size_t value_len);
    /** Removes `key`. Returns FAT_OK (also when it was absent), FAT_ERR_INVALID_ARGUMENT. */
    fat_status (*storage_remove)(fat_ctx *ctx, const uint8_t *key, size_t key_len);
    /** Whether `key` holds a value, without copying it.
     *  @param value_len  out: the value's length when there is one; may be NULL.
     *  @return FAT_OK (a value, possibly empty), FAT_ERR_NOT_FOUND, FAT_ERR_INVALID_ARGUMENT. */
    fat_status (*storage_contains)(fat_ctx *ctx, const uint8_t *key, size_t key_len,
                                   size_t *value_len);

    /* --- who and when ---------------------------------------------------------------------- */

    /** The immediate caller: the signing account for a top-level call, the calling contract for a
     *  cross-contract call.
     *  @param out  the caller's address (owned by the contract).
     *  @return FAT_OK; FAT_ERR_NOT_FOUND for an unsigned query (no caller: *out untouched). */
    fat_status (*caller)(fat_ctx *ctx, fat_address *out);
    /** The address of the contract being executed. Returns FAT_OK. */
    fat_status (*self_address)(fat_ctx *ctx, fat_address *out);
    /** FAT_CALL_COMMAND, FAT_CALL_QUERY or FAT_CALL_DEPLOY. */
    uint32_t (*call_kind)(fat_ctx *ctx);
    /** Sequence number of the command being applied; in a query, of the last applied command. */
    uint64_t (*command_seq)(fat_ctx *ctx);
    /** Timestamp (ms since the Unix epoch) recorded in the log for that command. Deterministic. */
    uint64_t (*command_timestamp_ms)(fat_ctx *ctx);

    /* --- results and side effects ------------------------------------------------------------ */

    /** Sets the call's output bytes (the SCALE-encoded return value, or revert data), replacing
     *  any earlier output. Returns FAT_OK, FAT_ERR_VALUE_TOO_LARGE. OWNERSHIP: data borrowed. */
    fat_status (*set_output)(fat_ctx *ctx, const uint8_t *data, size_t len);
    /** Marks the call as reverted: its writes and events are rolled back when it returns, and the
     *  output is revert data: what set_output gave, or else the SCALE String `message`. For typed
     *  message functions, which cannot return FAT_REVERT. The function still returns normally.
     *  @param message      a reason (borrowed, need not be NUL-terminated); may be NULL.
     *  @param message_len  its length in bytes.
     *  @return FAT_OK. */
    fat_status (*revert)(fat_ctx *ctx, const char *message, size_t message_len);
    /** Emits an event, kept in the command's receipt; events of a reverted call are dropped.
     *  @param topics       `topic_count` 32-byte topics back to back (borrowed); may be NULL when
     *                      topic_count is 0.
     *  @param topic_count  the number of topics.
     *  @param data         the event's SCALE bytes (borrowed).
     *  @param data_len     their length.
     *  @return FAT_OK, FAT_ERR_INVALID_ARGUMENT (NULL with a non-zero count or length),
     *          FAT_ERR_VALUE_TOO_LARGE (over the host's event limits). */
    fat_status (*emit_event)(fat_ctx *ctx, const uint8_t *topics, size_t topic_count,
                             const uint8_t *data, size_t data_len);
    /** Writes a line to the host's log, tagged with the contract's address; in a command the line
     *  is also kept in the receipt. Never fails. OWNERSHIP: borrowed, need not be NUL-terminated. */
    void (*log)(fat_ctx *ctx, uint32_t level, const char *message, size_t message_len);

    /* --- other contracts ----------------------------------------------------------------------- */

    /** Calls `callee` (native or ink!) through the host's dispatcher, in the same kind of call (a
     *  query stays a query). The callee's writes join this call's on success and are rolled back
     *  on revert or failure. Whatever the status, the callee has run at most once: never call
     *  again to fetch an output that did not fit; use last_output.
     *  @param callee   the contract to call (borrowed).
     *  @param input    4-byte selector + SCALE arguments (borrowed).
     *  @param out      where the callee's output is copied when it fits (owned by the contract);
     *                  may be NULL when *out_len is 0.
     *  @param out_len  in: the capacity of `out`; out: the output's length. May be NULL: nothing
     *                  is copied (last_output still has it).
     *  @return FAT_OK; FAT_ERR_BUFFER_TOO_SMALL (the callee succeeded, its output did not fit);
     *          FAT_ERR_CALLEE_REVERTED (out holds the revert data if it fit);
     *          FAT_ERR_CALLEE_FAILED (trap, crash, out of gas: no output);
     *          FAT_ERR_NOT_FOUND (no contract at `callee`); FAT_ERR_DEPTH_EXCEEDED;
     *          FAT_ERR_INVALID_ARGUMENT (NULL callee, NULL input with a non-zero length). */
    fat_status (*call)(fat_ctx *ctx, const fat_address *callee, const uint8_t *input,
                       size_t input_len, uint8_t *out, size_t *out_len);
    /** Copies the output of the last `call` (or capability call) made with this context.
     *  @param out      where it is copied (owned by the contract).
     *  @param out_len  in: the capacity of `out`; out: the output's length.
     *  @return FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_NOT_FOUND (no call was made yet). */
    fat_status (*last_output)(fat_ctx *ctx, uint8_t *out, size_t *out_len);
    /** The 4-byte selector of a message name (first 4 bytes of BLAKE2b-256 of the name, as ink!).
     *  Returns FAT_OK, FAT_ERR_INVALID_ARGUMENT. */
    fat_status (*selector)(const char *name, size_t name_len, uint8_t out[4]);

    /* --- capabilities ------------------------------------------------------------------------ */

    /** Looks up a capability table by name. (1.0 hosts always returned NULL.)
     *  @param name         NUL-terminated, borrowed: FAT_CAP_HTTP (a fat_http_api), FAT_CAP_CRYPTO
     *                      (a fat_crypto_api), or a loaded module's name (a fat_module_api, see
     *                      fat_capability.h).
     *  @param min_version  the oldest table version the contract can use.
     *  @return the table, cast to its type by the caller: host-owned, immutable, valid until the
     *          contract is unloaded; NULL when there is no such capability or it is older. */
    const void *(*capability)(fat_ctx *ctx, const char *name, uint32_t min_version);
} fat_host_api;

/** True when the host table `api` is large enough to hold `field` (use before calling a field that
 *  was added after 1.0). */
#define FAT_HOST_HAS(api, field) \
    ((api) != NULL && (size_t)(api)->struct_size >= offsetof(fat_host_api, field) + sizeof((api)->field))

/* ------------------------------------------------------------------------------------------ */
/* Built-in capabilities (since 1.1), from fat_host_api.capability                           */
/* ------------------------------------------------------------------------------------------ */

/** Name and version of the HTTP capability. */
#define FAT_CAP_HTTP "fat.http"
#define FAT_CAP_HTTP_VERSION 1u

/** A request or response header. OWNERSHIP: borrowed; strings need not be NUL-terminated. */
typedef struct fat_http_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} fat_http_header;

/** One HTTP request. OWNERSHIP: everything borrowed for the duration of the call. */
typedef struct fat_http_request {
    uint32_t struct_size;
    uint32_t timeout_ms;            /* 0: until the call's deadline; never past it */
    const char *method;             /* GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS */
    size_t method_len;
    const char *url;                /* http:// or https:// */
    size_t url_len;
    const fat_http_header *headers; /* may be NULL when header_count is 0 */
    size_t header_count;
    const uint8_t *body;            /* may be NULL when body_len is 0 */
    size_t body_len;
} fat_http_request;

/** The "fat.http" table. HTTP is for queries only: in a command every function returns
 *  FAT_ERR_NOT_ALLOWED and does no I/O, so that a replayed command gives the same result.
 *  The host's policy applies: an allow-list of hosts, no private or loopback addresses unless the
 *  host allows them, a response size cap (2 MiB by default), a header count cap, and redirects
 *  followed only within the same rules. Why a request was refused is written to the call's log.
 *  OWNERSHIP: host-owned, valid until the contract is unloaded. */
typedef struct fat_http_api {
    uint32_t struct_size;
    uint32_t version;
    /** Performs `request` once.
     *  @param request      the request (borrowed for the call).
     *  @param status_code  out: the HTTP status, when a response came.
     *  @param body_out     where the response body is copied when it fits (owned by the contract).
     *  @param body_len     in: the capacity of `body_out`; out: the body's length (fetch a larger
     *                      body with fat_host_api.last_output; do not repeat the request).
     *  @return FAT_OK (whatever the HTTP status); FAT_ERR_BUFFER_TOO_SMALL (a response came, its
     *          body did not fit); FAT_ERR_NOT_ALLOWED (in a command; a host outside the allow-list;
     *          a private address); FAT_ERR_INVALID_ARGUMENT (bad URL, scheme, method or header);
     *          FAT_ERR_TIMEOUT; FAT_ERR_VALUE_TOO_LARGE (the response is over a cap);
     *          FAT_ERR_NETWORK. */
    fat_status (*request)(fat_ctx *ctx, const fat_http_request *request, uint16_t *status_code,
                          uint8_t *body_out, size_t *body_len);
    /** Copies a header of the last response made with this context.
     *  @param name     the header's name, case-insensitive (borrowed).
     *  @param out      where its value is copied (owned by the contract; not NUL-terminated).
     *  @param out_len  in: the capacity of `out`; out: the value's length.
     *  @return FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_NOT_FOUND (no such header, or no response). */
    fat_status (*response_header)(fat_ctx *ctx, const char *name, size_t name_len,
                                  char *out, size_t *out_len);
} fat_http_api;

/** Name and version of the cryptography capability. */
#define FAT_CAP_CRYPTO "fat.crypto"
#define FAT_CAP_CRYPTO_VERSION 1u

/** Signature schemes (the order of Phala pink's SigType). */
#define FAT_SIG_ED25519 0u  /* secret: 32-byte seed; public: 32 bytes; signature: 64 bytes */
#define FAT_SIG_SR25519 1u  /* secret: 64 bytes (schnorrkel) or 32-byte seed; public: 32; sig: 64 */
#define FAT_SIG_ECDSA   2u  /* secp256k1; secret: 32 bytes; public: 33 (compressed); sig: 65 (r,s,v)
                               over BLAKE2b-256 of the message, as Substrate signs */

/** Hash algorithms. */
#define FAT_HASH_SHA256      1u
#define FAT_HASH_BLAKE2B_256 2u
#define FAT_HASH_BLAKE2B_128 3u
#define FAT_HASH_KECCAK_256  4u

/** The "fat.crypto" table. Every function is deterministic and allowed in commands, except that
 *  `random` gives true randomness in a query and bytes derived from the command in a command.
 *  OWNERSHIP: host-owned, valid until the contract is unloaded. */
typedef struct fat_crypto_api {
    uint32_t struct_size;
    uint32_t version;
    /** Hashes `data`.
     *  @param algorithm  one of FAT_HASH_*.
     *  @param out        where the digest is written (owned by the contract).
     *  @param out_len    in: the capacity of `out`; out: the digest's length (32 or 16).
     *  @return FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_INVALID_ARGUMENT (unknown algorithm). */
    fat_status (*hash)(uint32_t algorithm, const uint8_t *data, size_t len, uint8_t *out, size_t *out_len);
    /** A secret key owned by this contract: derived from the host's sealing secret, the contract's
     *  address and `salt`; the same inputs give the same key, in commands and queries alike.
     *  @param sig_type    one of FAT_SIG_*.
     *  @param salt        any bytes (borrowed); different salts give unrelated keys.
     *  @param secret_out  where the secret is written (owned by the contract; keep it in memory,
     *                     never in an output or an event).
     *  @param secret_len  in: the capacity; out: the secret's length (32 or 64, see FAT_SIG_*).
     *  @return FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_INVALID_ARGUMENT (unknown scheme). */
    fat_status (*derive_key)(fat_ctx *ctx, uint32_t sig_type, const uint8_t *salt, size_t salt_len,
                             uint8_t *secret_out, size_t *secret_len);
    /** The public key of `secret`. Returns FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_INVALID_ARGUMENT. */
    fat_status (*public_key)(uint32_t sig_type, const uint8_t *secret, size_t secret_len,
                             uint8_t *out, size_t *out_len);
    /** Signs `message`. sr25519 signing is randomised in a query and derived from the command in
     *  a command, so that a replay signs alike.
     *  @param secret   a secret of `sig_type` (borrowed; see FAT_SIG_* for the lengths).
     *  @param out      where the signature is written (owned by the contract).
     *  @param out_len  in: the capacity; out: the signature's length (64, or 65 for ECDSA).
     *  @return FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_INVALID_ARGUMENT (bad secret, scheme). */
    fat_status (*sign)(fat_ctx *ctx, uint32_t sig_type, const uint8_t *secret, size_t secret_len,
                       const uint8_t *message, size_t message_len, uint8_t *out, size_t *out_len);
    /** Verifies a signature over `message`. Everything is borrowed.
     *  @return FAT_OK (valid), FAT_ERR_BAD_SIGNATURE (well-formed but not valid),
     *          FAT_ERR_INVALID_ARGUMENT (malformed key or signature length, unknown scheme). */
    fat_status (*verify)(uint32_t sig_type, const uint8_t *public_key, size_t public_key_len,
                         const uint8_t *message, size_t message_len,
                         const uint8_t *signature, size_t signature_len);
    /** Fills `out` with `len` random bytes (see above). Returns FAT_OK, FAT_ERR_INVALID_ARGUMENT. */
    fat_status (*random)(fat_ctx *ctx, uint8_t *out, size_t len);
} fat_crypto_api;

/* ------------------------------------------------------------------------------------------ */
/* Contract descriptor                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** Message flags. */
#define FAT_MSG_MUTATES      0x1u  /* writes state: meant to be sent as a command */
#define FAT_MSG_CONSTRUCTOR  0x2u  /* a constructor, run once when the contract is deployed */
#define FAT_MSG_PAYABLE      0x4u  /* accepts value */
#define FAT_MSG_DEFAULT      0x8u  /* the default constructor or message */
#define FAT_MSG_TYPED        0x10u /* `function` is a typed C function called per `signature` */

/** A byte-level message function.
 *  @param ctx        the call's context (borrowed for the call; do not keep it).
 *  @param input      the SCALE-encoded arguments, the selector already stripped (borrowed).
 *  @param input_len  their length.
 *  @return FAT_OK (the output is what set_output gave, empty otherwise); FAT_REVERT (the call's
 *          writes and events are rolled back, the output is revert data); a negative status (a
 *          failure: rolled back, and the caller sees FAT_ERR_CALLEE_FAILED or a failed command). */
typedef fat_status (*fat_message_fn)(fat_ctx *ctx, const uint8_t *input, size_t input_len);

/** One message or constructor.
 *
 *  `signature` describes arguments and result in Rust/SCALE type syntax, for example
 *  "increment(by: u32) -> u64" or "transfer(to: AccountId, value: u128) -> bool". Types: bool,
 *  u8..u128, i8..i128, String, AccountId, Vec<T>, [T; N], (A, B), Option<T>, Result<T, E>.
 *
 *  Without FAT_MSG_TYPED, `function` is a fat_message_fn. With FAT_MSG_TYPED it is a plain C
 *  function `R name(fat_ctx *ctx, A1 a1, ...)` that the host calls through libffi after decoding
 *  the arguments: integers and bool map to the C integer types of the same width, AccountId to
 *  `const fat_address *`, String and Vec<u8> to two arguments `const uint8_t *, size_t` (borrowed).
 *  A typed function returns void, bool or an integer of at most 64 bits, and reverts with
 *  fat_host_api.revert.
 *
 *  `selector` is the 4-byte selector; all zero means "derive it from the name" (BLAKE2b-256 of
 *  the name, first 4 bytes), which is ink!'s rule.
 *  OWNERSHIP: contract-owned static data, valid until the contract is unloaded. */
typedef struct fat_message {
    const char *name;
    const char *signature;
    uint32_t flags;
    uint8_t selector[4];
    void (*function)(void);
    const char *doc; /* may be NULL */
} fat_message;

/** What a contract is. OWNERSHIP: contract-owned static data, valid until unloaded. */
typedef struct fat_contract_descriptor {
    uint32_t struct_size;
    uint16_t abi_major;        /* must equal the major the host offered */
    uint16_t abi_minor;        /* the minor of the header the contract was built with; may exceed
                                  the host's max_minor: the contract then checks FAT_HOST_HAS */
    const char *name;
    const char *version;
    const fat_message *messages;
    uint32_t message_count;
    uint32_t reserved;
    /** Optional: called once after negotiation, before any message; non-zero refuses the load. */
    fat_status (*init)(const struct fat_host_api *host);
    /** Optional: called once before the object is unloaded. */
    void (*fini)(void);
    /** Optional: a byte-level fallback receiving 4-byte selector + SCALE args for every message
     *  not in `messages` (cross-contract calls with computed selectors land here too). */
    fat_status (*dispatch)(fat_ctx *ctx, const uint8_t *input, size_t input_len);
} fat_contract_descriptor;

/** What the host offers at load. OWNERSHIP: host-owned, borrowed for the entry call; `host`
 *  stays valid until the contract is unloaded. */
typedef struct fat_negotiation {
    uint32_t struct_size;
    uint16_t min_major;
    uint16_t min_minor;
    uint16_t max_major;
    uint16_t max_minor;
    const fat_host_api *host;
} fat_negotiation;

/** The entry point, exported as FAT_CONTRACT_ENTRY_SYMBOL. Must not crash on any offer. Called
 *  once per load, from one thread.
 *  @param offer  the versions and table the host offers (host-owned, borrowed for the call;
 *                offer->host outlives it, see fat_negotiation).
 *  @param out    out: the contract's descriptor (contract-owned static data) on FAT_OK.
 *  @return FAT_OK when [min_major, max_major] contains the contract's major;
 *          FAT_ERR_VERSION_MISMATCH otherwise (*out untouched);
 *          FAT_ERR_INVALID_ARGUMENT for a NULL or too-short offer. */
typedef fat_status (*fat_contract_entry_fn)(const fat_negotiation *offer,
                                            const fat_contract_descriptor **out);

/* ------------------------------------------------------------------------------------------ */
/* Helpers for contract authors                                                                */
/* ------------------------------------------------------------------------------------------ */

static inline fat_status fat_get(fat_ctx *c, const char *key, size_t key_len, void *out, size_t *out_len)
{ return c->host->storage_get(c, (const uint8_t *)key, key_len, (uint8_t *)out, out_len); }
static inline fat_status fat_set(fat_ctx *c, const char *key, size_t key_len, const void *value, size_t len)
{ return c->host->storage_set(c, (const uint8_t *)key, key_len, (const uint8_t *)value, len); }
static inline fat_status fat_output(fat_ctx *c, const void *data, size_t len)
{ return c->host->set_output(c, (const uint8_t *)data, len); }
static inline fat_status fat_revert(fat_ctx *c, const char *message, size_t len)
{ return c->host->revert(c, message, len); }
static inline void fat_log(fat_ctx *c, uint32_t level, const char *message, size_t len)
{ c->host->log(c, level, message, len); }

/** Defines the entry symbol for a contract built against this header. Accepts any offer whose
 *  range includes this header's major version; `descriptor` is a fat_contract_descriptor.
 *  Ends with a prototype, so the use is written with a terminating `;` like a declaration. */
#define FAT_DEFINE_ENTRY(descriptor)                                                            \
    FAT_EXPORT fat_status fat_contract_entry(const fat_negotiation *offer,                      \
                                             const fat_contract_descriptor **out)               \
    {                                                                                           \
        if (offer == NULL || out == NULL || offer->struct_size < sizeof(fat_negotiation))       \
            return FAT_ERR_INVALID_ARGUMENT;                                                    \
        if (offer->min_major > FAT_ABI_VERSION_MAJOR || offer->max_major < FAT_ABI_VERSION_MAJOR) \
            return FAT_ERR_VERSION_MISMATCH;                                                    \
        *out = &(descriptor);                                                                   \
        return FAT_OK;                                                                          \
    }                                                                                           \
    FAT_EXPORT fat_status fat_contract_entry(const fat_negotiation *offer,                      \
                                             const fat_contract_descriptor **out)

/** Initializer for a descriptor from a static array of fat_message. */
#define FAT_DESCRIPTOR(name_, version_, messages_)                                               \
    { sizeof(fat_contract_descriptor), FAT_ABI_VERSION_MAJOR, FAT_ABI_VERSION_MINOR, (name_),    \
      (version_), (messages_), (uint32_t)(sizeof(messages_) / sizeof((messages_)[0])), 0u,       \
      NULL, NULL, NULL }

/** Table rows: a typed query, a typed command, a typed constructor, and byte-level variants. */
#define FAT_QUERY(fn, sig)       { #fn, (sig), FAT_MSG_TYPED, {0, 0, 0, 0}, (void (*)(void))(fn), NULL }
#define FAT_COMMAND(fn, sig)     { #fn, (sig), FAT_MSG_TYPED | FAT_MSG_MUTATES, {0, 0, 0, 0}, (void (*)(void))(fn), NULL }
#define FAT_CONSTRUCTOR(fn, sig) { #fn, (sig), FAT_MSG_TYPED | FAT_MSG_MUTATES | FAT_MSG_CONSTRUCTOR, {0, 0, 0, 0}, (void (*)(void))(fn), NULL }
#define FAT_RAW_QUERY(fn, sig)   { #fn, (sig), 0u, {0, 0, 0, 0}, (void (*)(void))(fn), NULL }
#define FAT_RAW_COMMAND(fn, sig) { #fn, (sig), FAT_MSG_MUTATES, {0, 0, 0, 0}, (void (*)(void))(fn), NULL }
#define FAT_RAW_CONSTRUCTOR(fn, sig) { #fn, (sig), FAT_MSG_MUTATES | FAT_MSG_CONSTRUCTOR, {0, 0, 0, 0}, (void (*)(void))(fn), NULL }

/** The whole contract in one line: FAT_CONTRACT("counter", "1.0.0", FAT_QUERY(get, "get() -> u64"), ...) */
#define FAT_CONTRACT(name_, version_, ...)                                                       \
    static const fat_message fat_contract_messages_[] = { __VA_ARGS__ };                         \
    static const fat_contract_descriptor fat_contract_descriptor_ =                              \
        FAT_DESCRIPTOR(name_, version_, fat_contract_messages_);                                 \
    FAT_DEFINE_ENTRY(fat_contract_descriptor_)

#ifdef __cplusplus
}
#endif

#endif /* FAT_CONTRACT_H */
