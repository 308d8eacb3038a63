/*
 * json — a capability module that reads values out of JSON documents, so that contracts need not
 * carry a JSON parser (an ink! contract fetching a price over HTTP gets a number back, not text to
 * parse in Wasm). Every function is deterministic and allowed in commands.
 *
 * Chain extension id 1 (ink!: func_id = 0x0001_00NN). Arguments and results are SCALE:
 *   1 get(document: Vec<u8>, pointer: String) -> Option<String>
 *       The value at an RFC 6901 JSON pointer ("" is the whole document, "/a/0/b" a path): a string
 *       is returned unescaped, any other value as its JSON text.
 *   2 get_decimal(document: Vec<u8>, pointer: String, decimals: u8) -> Option<i128>
 *       A number (or a string holding one) as a fixed-point integer with `decimals` decimal
 *       places, digits beyond them truncated toward zero: "123.4567" with 2 → 12345. None when the
 *       value is absent or not a number; FAT_ERR_VALUE_TOO_LARGE when it does not fit in i128.
 *   3 is_valid(document: Vec<u8>) -> bool
 * A document that is not valid JSON (RFC 8259) gives FAT_ERR_INVALID_ARGUMENT from 1 and 2;
 * malformed SCALE input gives FAT_ERR_DECODE.
 */
#include <stdlib.h>
#include <string.h>

#include "fat_capability.h"
#include "fat_scale.h"

#define MAX_DEPTH 128

/* --- scanning (validating) -------------------------------------------------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* `p` at the opening quote; returns the position after the closing quote, or NULL. */
static const char *scan_string(const char *p, const char *end)
{
    if (p >= end || *p != '"')
        return NULL;
    for (p++; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            if (++p >= end)
                return NULL;
            if (*p == 'u') {
                if (end - p < 5)
                    return NULL;
                for (int i = 1; i <= 4; i++)
                    if (hex_value(p[i]) < 0)
                        return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
    }
    return NULL;
}

static const char *scan_digits(const char *p, const char *end)
{
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > start ? p : NULL;
}

static const char *scan_number(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p = scan_digits(p, end)))
        return NULL;
    if (p < end && *p == '.' && !(p = scan_digits(p + 1, end)))
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = scan_digits(p, end)))
            return NULL;
    }
    return p;
}

static const char *scan_literal(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* `p` at the first byte of a value (no leading whitespace); returns the position after it. */
static const char *scan_value(const char *p, const char *end, int depth)
{
    if (p >= end || depth > MAX_DEPTH)
        return NULL;
    switch (*p) {
    case '"':
        return scan_string(p, end);
    case 't':
        return scan_literal(p, end, "true");
    case 'f':
        return scan_literal(p, end, "false");
    case 'n':
        return scan_literal(p, end, "null");
    case '{':
    case '[': {
        char close = *p == '{' ? '}' : ']';
        bool object = *p == '{';
        p = skip_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (object) {
                if (!(p = scan_string(p, end)))
                    return NULL;
                p = skip_ws(p, end);
                if (p >= end || *p != ':')
                    return NULL;
                p = skip_ws(p + 1, end);
            }
            if (!(p = scan_value(p, end, depth + 1)))
                return NULL;
            p = skip_ws(p, end);
            if (p < end && *p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            return p < end && *p == close ? p + 1 : NULL;
        }
    }
    default:
        return scan_number(p, end);
    }
}

static bool is_valid(const char *doc, size_t len)
{
    const char *end = doc + len;
    const char *p = scan_value(skip_ws(doc, end), end, 0);
    return p != NULL && skip_ws(p, end) == end;
}

/* --- strings ---------------------------------------------------------------------------------- */

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t read_hex4(const char *p)
{
    return (uint32_t)(hex_value(p[0]) << 12 | hex_value(p[1]) << 8 | hex_value(p[2]) << 4 | hex_value(p[3]));
}

/* Decodes the (already validated) string at `p` into a new buffer; *len is its length. A lone
 * surrogate becomes U+FFFD. Returns NULL when out of memory. */
static char *decode_string(const char *p, const char *end, size_t *len)
{
    const char *close = scan_string(p, end);
    char *out = malloc((size_t)(close - p) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (p++; p < close - 1; p++) {
        if (*p != '\\') {
            out[n++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            uint32_t cp = read_hex4(p + 1);
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && close - 1 - p > 6 && p[1] == '\\' && p[2] == 'u') {
                uint32_t low = read_hex4(p + 3);
                if (low >= 0xDC00 && low < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    p += 6;
                }
            }
            if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xFFFD;
            n += put_utf8(out + n, cp);
            break;
        }
        default: out[n++] = *p; break; /* \" \\ \/ */
        }
    }
    *len = n;
    return out;
}

/* --- JSON pointer ----------------------------------------------------------------------------- */

/* Compares a decoded key with a pointer token, where "~1" means '/' and "~0" means '~'. */
static bool token_equals(const char *token, size_t token_len, const char *key, size_t key_len)
{
    size_t i = 0, j = 0;
    while (i < token_len && j < key_len) {
        char c = token[i++];
        if (c == '~' && i < token_len && (token[i] == '0' || token[i] == '1'))
            c = token[i++] == '0' ? '~' : '/';
        if (c != key[j++])
            return false;
    }
    return i == token_len && j == key_len;
}

/* Finds the value at `pointer` in the valid document value starting at `p`. Returns its start and
 * sets *value_end, or returns NULL when there is no such value. *bad_pointer is set when the pointer
 * is not an RFC 6901 pointer. */
static const char *resolve(const char *p, const char *end, const char *pointer, size_t pointer_len,
                           const char **value_end, bool *bad_pointer)
{
    p = skip_ws(p, end);
    if (pointer_len == 0) {
        *value_end = scan_value(p, end, 0);
        return p;
    }
    if (pointer[0] != '/') {
        *bad_pointer = true;
        return NULL;
    }
    const char *token = pointer + 1;
    const char *slash = memchr(token, '/', pointer_len - 1);
    size_t token_len = slash ? (size_t)(slash - token) : pointer_len - 1;
    const char *rest = token + token_len;
    size_t rest_len = pointer_len - 1 - token_len;

    if (*p == '{') {
        p = skip_ws(p + 1, end);
        while (p < end && *p == '"') {
            size_t key_len;
            char *key = decode_string(p, end, &key_len);
            if (!key)
                return NULL;
            bool match = token_equals(token, token_len, key, key_len);
            free(key);
            p = skip_ws(skip_ws(scan_string(p, end), end) + 1, end); /* past ':' */
            if (match)
                return resolve(p, end, rest, rest_len, value_end, bad_pointer);
            p = skip_ws(scan_value(p, end, 0), end);
            if (*p == ',')
                p = skip_ws(p + 1, end);
        }
        return NULL;
    }
    if (*p == '[') {
        if (token_len == 0 || token_len > 9 || (token_len > 1 && token[0] == '0'))
            return NULL;
        size_t index = 0;
        for (size_t i = 0; i < token_len; i++) {
            if (token[i] < '0' || token[i] > '9')
                return NULL;
            index = index * 10 + (size_t)(token[i] - '0');
        }
        p = skip_ws(p + 1, end);
        for (size_t i = 0; p < end && *p != ']'; i++) {
            if (i == index)
                return resolve(p, end, rest, rest_len, value_end, bad_pointer);
            p = skip_ws(scan_value(p, end, 0), end);
            if (*p == ',')
                p = skip_ws(p + 1, end);
        }
        return NULL;
    }
    return NULL;
}

/* --- numbers ---------------------------------------------------------------------------------- */

__extension__ typedef __int128 i128;
#define I128_MAX ((i128)(((unsigned __int128)1 << 127) - 1))

/* Parses a JSON number in [p, end) as a fixed-point integer with `decimals` places, truncating.
 * Returns FAT_OK, FAT_ERR_NOT_FOUND (not a number) or FAT_ERR_VALUE_TOO_LARGE. */
static fat_status parse_decimal(const char *p, const char *end, unsigned decimals, i128 *out)
{
    if (scan_number(p, end) != end)
        return FAT_ERR_NOT_FOUND;
    bool negative = *p == '-';
    if (negative)
        p++;
    const char *digits_start = p;
    const char *e = p;
    while (e < end && *e != 'e' && *e != 'E')
        e++;
    long exponent = 0;
    if (e < end) {
        const char *q = e + 1;
        bool exp_negative = *q == '-';
        if (*q == '+' || *q == '-')
            q++;
        for (; q < end; q++) {
            if (exponent < 100000)
                exponent = exponent * 10 + (*q - '0');
        }
        if (exp_negative)
            exponent = -exponent;
    }
    /* Digits of the mantissa, and where the decimal point falls among them. */
    long fraction_digits = 0;
    bool in_fraction = false;
    long shift; /* the power of ten applied to the mantissa's digits */
    for (const char *q = digits_start; q < e; q++) {
        if (*q == '.')
            in_fraction = true;
        else if (in_fraction)
            fraction_digits++;
    }
    shift = exponent - fraction_digits + (long)decimals;
    i128 value = 0;
    long kept = 0, total = 0;
    for (const char *q = digits_start; q < e; q++)
        if (*q != '.')
            total++;
    long keep = shift >= 0 ? total : total + shift; /* digits that survive truncation */
    for (const char *q = digits_start; q < e && kept < keep; q++) {
        if (*q == '.')
            continue;
        int d = *q - '0';
        if (value > (I128_MAX - d) / 10)
            return FAT_ERR_VALUE_TOO_LARGE;
        value = value * 10 + d;
        kept++;
    }
    for (long i = 0; shift > 0 && i < shift; i++) {
        if (value == 0)
            break;
        if (value > I128_MAX / 10)
            return FAT_ERR_VALUE_TOO_LARGE;
        value *= 10;
    }
    *out = negative ? -value : value;
    return FAT_OK;
}

/* --- functions -------------------------------------------------------------------------------- */

static fat_status answer(fat_module_call *call, fat_scale_writer *w)
{
    fat_status status = w->failed ? FAT_ERR_VALUE_TOO_LARGE : call->set_output(call, w->data, w->len);
    fat_scale_writer_free(w);
    return status;
}

/* Reads (document, pointer) and finds the value. Returns FAT_OK with *start set (NULL: absent). */
static fat_status find(fat_scale_reader *r, const char **start, const char **end_out)
{
    size_t doc_len, pointer_len;
    const char *doc = (const char *)fat_scale_read_vec(r, &doc_len);
    const char *pointer = (const char *)fat_scale_read_vec(r, &pointer_len);
    if (r->failed)
        return FAT_ERR_DECODE;
    if (!is_valid(doc, doc_len))
        return FAT_ERR_INVALID_ARGUMENT;
    bool bad_pointer = false;
    *start = resolve(doc, doc + doc_len, pointer, pointer_len, end_out, &bad_pointer);
    return bad_pointer ? FAT_ERR_INVALID_ARGUMENT : FAT_OK;
}

static fat_status get(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    const char *start, *end;
    fat_status status = find(&r, &start, &end);
    if (status != FAT_OK)
        return status;
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;
    fat_scale_writer w = { 0 };
    if (!start) {
        fat_scale_write_u8(&w, 0);
    } else if (*start == '"') {
        size_t len;
        char *text = decode_string(start, end, &len);
        if (!text)
            return FAT_ERR_VALUE_TOO_LARGE;
        fat_scale_write_u8(&w, 1);
        fat_scale_write_vec(&w, text, len);
        free(text);
    } else {
        fat_scale_write_u8(&w, 1);
        fat_scale_write_vec(&w, start, (size_t)(end - start));
    }
    return answer(call, &w);
}

static fat_status get_decimal(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    const char *start, *end;
    fat_status status = find(&r, &start, &end);
    if (status != FAT_OK)
        return status;
    uint8_t decimals = fat_scale_read_u8(&r);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;
    if (decimals > 38)
        return FAT_ERR_INVALID_ARGUMENT;
    if (start && *start == '"') { /* a number written as a string, as many price APIs do */
        start++;
        end--;
    }
    i128 value = 0;
    status = start ? parse_decimal(start, end, decimals, &value) : FAT_ERR_NOT_FOUND;
    if (status == FAT_ERR_VALUE_TOO_LARGE)
        return status;
    fat_scale_writer w = { 0 };
    if (status == FAT_ERR_NOT_FOUND) {
        fat_scale_write_u8(&w, 0);
    } else {
        uint8_t bytes[17] = { 1 };
        unsigned __int128 bits = (unsigned __int128)value;
        for (int i = 0; i < 16; i++)
            bytes[1 + i] = (uint8_t)(bits >> (8 * i));
        fat_scale_write_raw(&w, bytes, sizeof bytes);
    }
    return answer(call, &w);
}

static fat_status valid(fat_module_call *call, const uint8_t *input, size_t input_len)
{
    fat_scale_reader r = fat_scale_reader_init(input, input_len);
    size_t doc_len;
    const char *doc = (const char *)fat_scale_read_vec(&r, &doc_len);
    if (!fat_scale_reader_done(&r))
        return FAT_ERR_DECODE;
    uint8_t result = is_valid(doc, doc_len) ? 1 : 0;
    return call->set_output(call, &result, 1);
}

static const fat_module_function functions[] = {
    { "get", 1, FAT_FN_DETERMINISTIC, get, "get(document: Vec<u8>, pointer: String) -> Option<String>" },
    { "get_decimal", 2, FAT_FN_DETERMINISTIC, get_decimal,
      "get_decimal(document: Vec<u8>, pointer: String, decimals: u8) -> Option<i128>" },
    { "is_valid", 3, FAT_FN_DETERMINISTIC, valid, "is_valid(document: Vec<u8>) -> bool" },
};

static const fat_module_descriptor descriptor = {
    sizeof(fat_module_descriptor), FAT_MODULE_ABI_VERSION_MAJOR, FAT_MODULE_ABI_VERSION_MINOR,
    "json", "1.0.0", 1, 0, functions, sizeof functions / sizeof functions[0], NULL, NULL,
};

FAT_DEFINE_MODULE(descriptor);
