#include "fat_scale.h"

#include <stdlib.h>
#include <string.h>

fat_scale_reader fat_scale_reader_init(const uint8_t *data, size_t len)
{
    fat_scale_reader r = { data, len, 0, data == NULL && len > 0 };
    return r;
}

const uint8_t *fat_scale_read_fixed(fat_scale_reader *r, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = true;
        return NULL;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += n;
    return p;
}

uint8_t fat_scale_read_u8(fat_scale_reader *r)
{
    const uint8_t *p = fat_scale_read_fixed(r, 1);
    return p ? p[0] : 0;
}

uint64_t fat_scale_read_u64(fat_scale_reader *r)
{
    const uint8_t *p = fat_scale_read_fixed(r, 8);
    uint64_t value = 0;
    if (p)
        for (int i = 7; i >= 0; i--)
            value = (value << 8) | p[i];
    return value;
}

uint64_t fat_scale_read_compact(fat_scale_reader *r)
{
    const uint8_t *first = fat_scale_read_fixed(r, 1);
    if (!first)
        return 0;
    switch (first[0] & 3) {
    case 0:
        return first[0] >> 2;
    case 1: {
        const uint8_t *p = fat_scale_read_fixed(r, 1);
        return p ? ((uint64_t)first[0] | (uint64_t)p[0] << 8) >> 2 : 0;
    }
    case 2: {
        const uint8_t *p = fat_scale_read_fixed(r, 3);
        return p ? ((uint64_t)first[0] | (uint64_t)p[0] << 8 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 24) >> 2 : 0;
    }
    default: {
        size_t n = (size_t)(first[0] >> 2) + 4;
        const uint8_t *p = fat_scale_read_fixed(r, n);
        if (!p)
            return 0;
        if (n > 8) {
            for (size_t i = 8; i < n; i++)
                if (p[i] != 0) {
                    r->failed = true; /* larger than 64 bits */
                    return 0;
                }
            n = 8;
        }
        uint64_t value = 0;
        for (size_t i = n; i-- > 0;)
            value = (value << 8) | p[i];
        return value;
    }
    }
}

const uint8_t *fat_scale_read_vec(fat_scale_reader *r, size_t *len)
{
    uint64_t n = fat_scale_read_compact(r);
    if (r->failed || n > r->len - r->pos) {
        r->failed = true;
        *len = 0;
        return NULL;
    }
    *len = (size_t)n;
    return fat_scale_read_fixed(r, (size_t)n);
}

bool fat_scale_reader_done(const fat_scale_reader *r)
{
    return !r->failed && r->pos == r->len;
}

void fat_scale_write_raw(fat_scale_writer *w, const void *data, size_t len)
{
    if (w->failed || len == 0)
        return;
    if (len > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : 64;
        while (cap - w->len < len) {
            if (cap > SIZE_MAX / 2) {
                w->failed = true;
                return;
            }
            cap *= 2;
        }
        uint8_t *grown = realloc(w->data, cap);
        if (!grown) {
            w->failed = true;
            return;
        }
        w->data = grown;
        w->cap = cap;
    }
    memcpy(w->data + w->len, data, len);
    w->len += len;
}

void fat_scale_write_u8(fat_scale_writer *w, uint8_t value)
{
    fat_scale_write_raw(w, &value, 1);
}

void fat_scale_write_compact(fat_scale_writer *w, uint64_t value)
{
    uint8_t bytes[9];
    size_t n;
    if (value < 1u << 6) {
        bytes[0] = (uint8_t)(value << 2);
        n = 1;
    } else if (value < 1u << 14) {
        uint16_t v = (uint16_t)(value << 2 | 1);
        bytes[0] = (uint8_t)v;
        bytes[1] = (uint8_t)(v >> 8);
        n = 2;
    } else if (value < 1u << 30) {
        uint32_t v = (uint32_t)(value << 2 | 2);
        for (int i = 0; i < 4; i++)
            bytes[i] = (uint8_t)(v >> (8 * i));
        n = 4;
    } else {
        size_t len = 8;
        while (len > 4 && (value >> (8 * (len - 1))) == 0)
            len--;
        bytes[0] = (uint8_t)(((len - 4) << 2) | 3);
        for (size_t i = 0; i < len; i++)
            bytes[1 + i] = (uint8_t)(value >> (8 * i));
        n = 1 + len;
    }
    fat_scale_write_raw(w, bytes, n);
}

void fat_scale_write_vec(fat_scale_writer *w, const void *data, size_t len)
{
    fat_scale_write_compact(w, len);
    fat_scale_write_raw(w, data, len);
}

void fat_scale_writer_free(fat_scale_writer *w)
{
    free(w->data);
    w->data = NULL;
    w->len = w->cap = 0;
}
