/* Compiles the ABI header once as part of the package, so that a header that does not build is a
 * build error of the host, not of the first contract that includes it. */
#include "fat_contract.h"

_Static_assert(sizeof(fat_address) == 32, "fat_address is 32 bytes");
_Static_assert(sizeof(fat_status) == 4, "fat_status is 32 bits");
