/*
 * conformance.c — the ABI conformance suite compiled as C11.
 *
 *   cc -std=c11 -pedantic -Wall -Wextra -Werror -I ABI/include ABI/conformance/conformance.c \
 *      -rdynamic -o conformance && ./conformance
 *
 * Prints "C: N passed, 0 failed" and exits 0, or names each failed check and exits 1.
 */
#include "conformance_suite.h"

/* The same facts the suite checks at run time, refused at compile time where C11 can express them:
 * a contract built against a header that drifted does not even compile. */
_Static_assert(sizeof(fat_address) == 32, "AccountId is 32 raw bytes");
_Static_assert(sizeof(fat_status) == 4, "statuses are int32_t");
_Static_assert(offsetof(fat_host_api, storage_get) == 8, "host functions start after the 8-byte header");
_Static_assert(offsetof(fat_contract_descriptor, name) == 8, "descriptor header is 8 bytes");

int main(void)
{
    return run_conformance_suite("C");
}
