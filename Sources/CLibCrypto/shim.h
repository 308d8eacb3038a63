#ifndef FAT_CLIBCRYPTO_SHIM_H
#define FAT_CLIBCRYPTO_SHIM_H

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>

// Macros and function-like macros Swift cannot import, exposed as functions.

/// EVP_CTRL_GCM_GET_TAG / EVP_CTRL_GCM_SET_TAG are macros; wrap the controls the AEAD code uses.
static inline int fat_evp_gcm_get_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag);
}

static inline int fat_evp_gcm_set_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, tag);
}

static inline int fat_evp_pkey_ed25519(void) {
    return EVP_PKEY_ED25519;
}

#endif
