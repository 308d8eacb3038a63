/*
 * oracle — a native contract that answers queries with a value fetched over HTTP.
 *
 * `fetch(url, pointer)` GETs a JSON document through the host's "fat.http" capability and returns
 * the value at a JSON pointer (RFC 6901), extracted by the "json" capability module
 * (Plugins/json), so the contract carries no JSON parser. `record` is the same request sent as a
 * command: commands are replayed and may not depend on the network, so the host refuses the
 * request without doing any I/O and the contract answers with that error, storing nothing.
 *
 * Both answer Result<String, String>; an Err names the cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_capability.h"
#include "fat_contract.h"
#include "fat_scale.h"

static fat_status answer_text(fat_ctx *ctx, uint8_t tag, const char *text, size_t len)
{
    fat_scale_writer w = { 0 };
    fat_scale_write_u8(&w, tag);
    fat_scale_write_vec(&w, text, len);
    fat_status status = w.failed ? FAT_ERR_VALUE_TOO_LARGE : fat_output(ctx, w.data, w.len);
    fat_scale_writer_free(&w);
    return status;
}

static fat_status fail(fat_ctx *ctx, const char *reason)
{
    return answer_text(ctx, 1, reason, strlen(reason));
}

/* Calls `call`-style host functions under the in/out length convention, growing the buffer once
 * through last_output when the first did not fit. *out is malloc'd; the caller frees it. */
static fat_status fetch_body(fat_ctx *ctx, const fat_http_api *http, const fat_http_request *request,
                             uint16_t *status_code, uint8_t **out, size_t *len)
{
    *len = 4096;
    *out = malloc(*len);
    if (!*out)
        return FAT_ERR_VALUE_TOO_LARGE;
    fat_status status = http->request(ctx, request, status_code, *out, len);
    if (status == FAT_ERR_BUFFER_TOO_SMALL) {
        uint8_t *bigger = realloc(*out, *len);
        if (!bigger)
            return FAT_ERR_VALUE_TOO_LARGE;
        *out = bigger;
        status = ctx->host->last_output(ctx, *out, len);
    }
    return status;
}

static const char *http_error(fat_ctx *ctx, fat_status status)
{
    switch (status) {
    case FAT_ERR_NOT_ALLOWED:
        return ctx->host->call_kind(ctx) == FAT_CALL_QUERY
            ? "the host refused the request (a host outside the allow-list, or a private address)"
            : "HTTP requests are not allowed in a command: commands are replayed; send this as a query";
    case FAT_ERR_TIMEOUT: return "the request timed out";
    case FAT_ERR_NETWORK: return "network error";
    case FAT_ERR_VALUE_TOO_LARGE: return "the response is larger than the host allows";
    case FAT_ERR_INVALID_ARGUMENT: return "invalid URL";
    default: return "the request failed";
    }
}

static fat_status fetch(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    size_t url_len, pointer_len;
    const uint8_t *url = fat_scale_read_vec(&r, &url_len);
    const uint8_t *pointer = fat_scale_read_vec(&r, &pointer_len);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;
    if (!FAT_HOST_HAS(ctx->host, capability))
        return fail(ctx, "this host has no capabilities (ABI 1.0)");
    const fat_http_api *http = ctx->host->capability(ctx, FAT_CAP_HTTP, FAT_CAP_HTTP_VERSION);
    const fat_module_api *json = ctx->host->capability(ctx, "json", 1);
    if (!http)
        return fail(ctx, "this host offers no HTTP capability");
    if (!json)
        return fail(ctx, "the json capability module is not loaded (start the host with --plugin for Plugins/json)");

    fat_http_header accept = { "Accept", 6, "application/json", 16 };
    fat_http_request request = { sizeof request, 0, "GET", 3, (const char *)url, url_len, &accept, 1, NULL, 0 };
    uint16_t status_code = 0;
    uint8_t *body = NULL;
    size_t body_len = 0;
    fat_status status = fetch_body(ctx, http, &request, &status_code, &body, &body_len);
    if (status != FAT_OK) {
        free(body);
        return fail(ctx, http_error(ctx, status));
    }
    if (status_code < 200 || status_code > 299) {
        free(body);
        char reason[40];
        snprintf(reason, sizeof reason, "the server answered HTTP %u", (unsigned)status_code);
        return fail(ctx, reason);
    }

    /* json.get(document: Vec<u8>, pointer: String) -> Option<String> */
    fat_scale_writer args = { 0 };
    fat_scale_write_vec(&args, body, body_len);
    fat_scale_write_vec(&args, pointer, pointer_len);
    free(body);
    uint32_t get_id;
    if (args.failed || json->function_id(json, "get", 3, &get_id) != FAT_OK) {
        fat_scale_writer_free(&args);
        return fail(ctx, "the json module has no get function");
    }
    uint8_t small[256];
    size_t out_len = sizeof small;
    status = json->call(json, ctx, get_id, args.data, args.len, small, &out_len);
    fat_scale_writer_free(&args);
    uint8_t *value = small;
    if (status == FAT_ERR_BUFFER_TOO_SMALL) {
        value = malloc(out_len);
        if (!value)
            return FAT_ERR_VALUE_TOO_LARGE;
        status = ctx->host->last_output(ctx, value, &out_len);
    }
    if (status != FAT_OK || out_len == 0 || value[0] == 0) {
        if (value != small)
            free(value);
        return fail(ctx, status == FAT_ERR_INVALID_ARGUMENT ? "the response is not valid JSON, or the pointer is malformed"
                                                            : "the document has no value at that pointer");
    }
    /* Option<String>::Some(s) and Result<String, _>::Ok(s) differ only in the tag: 1 → 0. */
    value[0] = 0;
    status = fat_output(ctx, value, out_len);
    if (value != small)
        free(value);
    return status;
}

static fat_status new(fat_ctx *ctx, const uint8_t *input, size_t input_len)
{
    (void)ctx;
    (void)input;
    return input_len == 0 ? FAT_OK : FAT_ERR_DECODE;
}

FAT_CONTRACT("oracle", "1.0.0",
    FAT_RAW_CONSTRUCTOR(new, "new()"),
    FAT_RAW_QUERY(fetch, "fetch(url: String, pointer: String) -> Result<String, String>"),
    { "record", "record(url: String, pointer: String) -> Result<String, String>", FAT_MSG_MUTATES, {0, 0, 0, 0},
      (void (*)(void))fetch, "fetch sent as a command: refused by the host, since commands may not use the network" });
