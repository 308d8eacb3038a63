#ifndef FAT_CCURL_SHIM_H
#define FAT_CCURL_SHIM_H

#include <curl/curl.h>

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot
// call; these typed wrappers pass each kind of argument the way libcurl expects it.

static inline CURLcode fat_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fat_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// libcurl copies the string (except for CURLOPT_POSTFIELDS, which callers do not use).
static inline CURLcode fat_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For pointer and slist options; libcurl keeps the pointer, so it must outlive the transfer.
static inline CURLcode fat_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fat_curl_easy_setopt_write_function(CURL *handle, CURLoption option,
                                                           curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode fat_curl_easy_setopt_opensocket_function(CURL *handle,
                                                                curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

/// A progress callback: libcurl calls it about once a second even while no data moves, and a
/// non-zero answer aborts the transfer (how a long-running stream is stopped from outside).
static inline CURLcode fat_curl_easy_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode fat_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fat_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fat_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode fat_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The socket address in an opensocket callback; it may be a sockaddr_in6, longer than the
/// `struct sockaddr` field Swift would copy, so callers read it through this pointer.
static inline const struct sockaddr *fat_curl_sockaddr_address(const struct curl_sockaddr *address) {
    return &address->addr;
}

#endif
