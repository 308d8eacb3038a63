/*
 * fat_capability.h — FatContract capability modules, module ABI version 1.0.
 *
 * A capability module is a shared object that extends the host with named functions. The host
 * dlopen()s it (`fat --plugin PATH`), negotiates a version exactly as it does with contracts, and
 * registers the module's functions. Contracts then reach them:
 *
 *  - native contracts through fat_host_api.capability(ctx, "<module name>", min_version), which
 *    returns a `fat_module_api` table (see fat_contract.h for the context);
 *  - ink! contracts through `call_chain_extension`, with func_id = (extension_id << 16) | function id,
 *    where `extension_id` is the one the module declares (0 is reserved for Phala's pink extension).
 *
 * Every function is marked FAT_FN_DETERMINISTIC or FAT_FN_QUERY_ONLY. The host refuses a query-only
 * function inside a command (FAT_ERR_NOT_ALLOWED, without calling it), because commands are replayed
 * and must give the same result every time. A deterministic function must depend on its input only.
 *
 * The rules of fat_contract.h hold here too: fixed-width integers, `struct_size` first in every
 * struct that can grow, ownership written on every declaration, no exceptions or longjmp across the
 * boundary. Module functions are called from several threads at once.
 */
#ifndef FAT_CAPABILITY_H
#define FAT_CAPABILITY_H

#include "fat_contract.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FAT_MODULE_ABI_VERSION_MAJOR 1
#define FAT_MODULE_ABI_VERSION_MINOR 0

/** The one symbol a module exports. */
#define FAT_MODULE_ENTRY_SYMBOL "fat_module_entry"

/** Function flags: exactly one of the two. */
#define FAT_FN_DETERMINISTIC 0x1u /* output depends on input only: allowed in commands and queries */
#define FAT_FN_QUERY_ONLY    0x2u /* may do I/O, read clocks or randomness: queries only */

/** One call of a module function.
 *  OWNERSHIP: host-owned, borrowed for the duration of the function call. */
typedef struct fat_module_call {
    uint32_t struct_size;
    uint32_t call_kind;            /* FAT_CALL_COMMAND, FAT_CALL_QUERY or FAT_CALL_DEPLOY */
    fat_address contract;          /* the contract making the call */
    /** Sets the function's output, replacing any earlier one. Returns FAT_OK or
     *  FAT_ERR_VALUE_TOO_LARGE. OWNERSHIP: data borrowed (copied by the host). */
    fat_status (*set_output)(struct fat_module_call *call, const uint8_t *data, size_t len);
    void *host_data;               /* the host's; do not touch */
} fat_module_call;

/** A module function. Called from several threads at once; must not keep `call` or `input`.
 *  @param call       the call (host-owned, borrowed): who calls, in what kind of call, and where
 *                    the output goes.
 *  @param input      the raw bytes the contract passed (for ink! contracts, the SCALE encoding of
 *                    the arguments); borrowed, any bytes: a module must refuse, not trust, them.
 *  @param input_len  their length.
 *  @return FAT_OK with the output set through call->set_output (empty otherwise); or a negative
 *          status the contract receives: FAT_ERR_DECODE (malformed input),
 *          FAT_ERR_INVALID_ARGUMENT, FAT_ERR_NOT_FOUND, FAT_ERR_VALUE_TOO_LARGE, ... */
typedef fat_status (*fat_module_fn)(fat_module_call *call, const uint8_t *input, size_t input_len);

/** One function of a module. `id` is unique within the module, 1..65535.
 *  OWNERSHIP: module-owned static data. */
typedef struct fat_module_function {
    const char *name;
    uint32_t id;
    uint32_t flags;                /* FAT_FN_DETERMINISTIC or FAT_FN_QUERY_ONLY */
    fat_module_fn function;
    const char *doc;               /* may be NULL */
} fat_module_function;

/** What a module is. The name is how native contracts ask for it (lowercase letters, digits, '.',
 *  '_' and '-'; must not start with "fat."). OWNERSHIP: module-owned static data. */
typedef struct fat_module_descriptor {
    uint32_t struct_size;
    uint16_t abi_major;            /* must equal the major the host offered */
    uint16_t abi_minor;
    const char *name;
    const char *version;
    uint16_t extension_id;         /* the ink! chain extension id, 1..65535 (0 is pink's) */
    uint16_t reserved;
    const fat_module_function *functions;
    uint32_t function_count;
    /** Optional: called once after negotiation; non-zero refuses the load. */
    fat_status (*init)(void);
    /** Optional: called once before the object is unloaded. (A host may keep a module loaded until
     *  the process exits and never call it; keep nothing here that must run.) */
    void (*fini)(void);
} fat_module_descriptor;

/** What the host offers at load. OWNERSHIP: host-owned, borrowed for the entry call. */
typedef struct fat_module_negotiation {
    uint32_t struct_size;
    uint16_t min_major;
    uint16_t min_minor;
    uint16_t max_major;
    uint16_t max_minor;
} fat_module_negotiation;

/** The entry point, exported as FAT_MODULE_ENTRY_SYMBOL, with the contract entry's rules.
 *  @param offer  the module ABI versions the host speaks (host-owned, borrowed for the call).
 *  @param out    out: the module's descriptor (module-owned static data) on FAT_OK.
 *  @return FAT_OK when [min_major, max_major] contains the module's major;
 *          FAT_ERR_VERSION_MISMATCH otherwise (*out untouched); FAT_ERR_INVALID_ARGUMENT for a
 *          NULL or too-short offer. Never crashes. */
typedef fat_status (*fat_module_entry_fn)(const fat_module_negotiation *offer,
                                          const fat_module_descriptor **out);

/** The table a native contract receives from fat_host_api.capability(ctx, "<module>", 1); the
 *  contract passes the table back as `module`. OWNERSHIP: host-owned, valid until the contract is
 *  unloaded. */
typedef struct fat_module_api {
    uint32_t struct_size;
    uint32_t version;              /* 1 */
    const void *host_data;         /* the host's; do not touch */
    /** Calls a function of this module once.
     *  @param module       this table.
     *  @param ctx          the calling contract's context.
     *  @param function_id  the function's id (see function_id below).
     *  @param input        the function's input (borrowed).
     *  @param out          where the output is copied when it fits (owned by the contract).
     *  @param out_len      in: the capacity of `out`; out: the output's length (fetch a larger
     *                      output with fat_host_api.last_output; do not call again).
     *  @return FAT_OK, FAT_ERR_BUFFER_TOO_SMALL, FAT_ERR_NOT_FOUND (no such function),
     *          FAT_ERR_NOT_ALLOWED (a query-only function in a command, not called), or the
     *          function's own negative status. */
    fat_status (*call)(const struct fat_module_api *module, fat_ctx *ctx, uint32_t function_id,
                       const uint8_t *input, size_t input_len, uint8_t *out, size_t *out_len);
    /** The id of the function called `name`. Returns FAT_OK or FAT_ERR_NOT_FOUND. */
    fat_status (*function_id)(const struct fat_module_api *module, const char *name, size_t name_len,
                              uint32_t *out);
} fat_module_api;

/** Defines the module entry symbol for a module built against this header. */
#define FAT_DEFINE_MODULE(descriptor)                                                            \
    FAT_EXPORT fat_status fat_module_entry(const fat_module_negotiation *offer,                  \
                                           const fat_module_descriptor **out)                    \
    {                                                                                            \
        if (offer == NULL || out == NULL || offer->struct_size < sizeof(fat_module_negotiation)) \
            return FAT_ERR_INVALID_ARGUMENT;                                                     \
        if (offer->min_major > FAT_MODULE_ABI_VERSION_MAJOR                                      \
            || offer->max_major < FAT_MODULE_ABI_VERSION_MAJOR)                                  \
            return FAT_ERR_VERSION_MISMATCH;                                                     \
        *out = &(descriptor);                                                                    \
        return FAT_OK;                                                                           \
    }                                                                                            \
    FAT_EXPORT fat_status fat_module_entry(const fat_module_negotiation *offer,                  \
                                           const fat_module_descriptor **out)

#ifdef __cplusplus
}
#endif

#endif /* FAT_CAPABILITY_H */
