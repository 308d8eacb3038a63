/*
 * fat_scale.h — a small SCALE reader and writer for capability modules written in C.
 *
 * Module functions receive their arguments SCALE-encoded (what an ink! contract passes through
 * call_chain_extension, and what a native contract passes through fat_module_api.call) and answer
 * in SCALE. A reader never reads past its buffer: a failed read sets `failed` and every later read
 * fails too, so a function checks once at the end.
 */
#ifndef FAT_SCALE_H
#define FAT_SCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fat_scale_reader {
    const uint8_t *data;
    size_t len;
    size_t pos;
    bool failed;
} fat_scale_reader;

fat_scale_reader fat_scale_reader_init(const uint8_t *data, size_t len);
/** A compact integer that fits in 64 bits. */
uint64_t fat_scale_read_compact(fat_scale_reader *r);
uint8_t fat_scale_read_u8(fat_scale_reader *r);
uint64_t fat_scale_read_u64(fat_scale_reader *r);
/** `n` raw bytes, borrowed from the input (NULL on failure). */
const uint8_t *fat_scale_read_fixed(fat_scale_reader *r, size_t n);
/** A Vec<u8> or String: compact length, then the bytes (borrowed). */
const uint8_t *fat_scale_read_vec(fat_scale_reader *r, size_t *len);
/** True when everything was read without failure and nothing is left over. */
bool fat_scale_reader_done(const fat_scale_reader *r);

/** A growing output buffer. OWNERSHIP: the writer owns `data`; free it with fat_scale_writer_free. */
typedef struct fat_scale_writer {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool failed;
} fat_scale_writer;

void fat_scale_write_raw(fat_scale_writer *w, const void *data, size_t len);
void fat_scale_write_u8(fat_scale_writer *w, uint8_t value);
void fat_scale_write_compact(fat_scale_writer *w, uint64_t value);
/** A Vec<u8> or String. */
void fat_scale_write_vec(fat_scale_writer *w, const void *data, size_t len);
void fat_scale_writer_free(fat_scale_writer *w);

#endif /* FAT_SCALE_H */
