/* The capability modules' functions under libFuzzer, with AddressSanitizer and
 * UndefinedBehaviorSanitizer: the first byte picks the module (json, ethereum), the second one of
 * its functions, the rest is the SCALE input the host would pass. Built by scripts/fuzz.sh, each
 * module compiled on its own with its entry symbol renamed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fat_capability.h"

fat_status json_module_entry(const fat_module_negotiation *, const fat_module_descriptor **);
fat_status ethereum_module_entry(const fat_module_negotiation *, const fat_module_descriptor **);

static size_t output_length;

static fat_status set_output(fat_module_call *call, const uint8_t *data, size_t len)
{
    (void)call;
    if (len > 0 && data == NULL) abort();
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return FAT_ERR_VALUE_TOO_LARGE;
    if (len) memcpy(copy, data, len); /* reads every byte: ASan checks they are the module's */
    output_length = len;
    free(copy);
    return FAT_OK;
}

static const fat_module_descriptor *load(fat_module_entry_fn entry)
{
    fat_module_negotiation offer = { sizeof offer, 1, 0, 1, 0 };
    const fat_module_descriptor *descriptor = NULL;
    if (entry(&offer, &descriptor) != FAT_OK || descriptor == NULL) abort();
    if (descriptor->init && descriptor->init() != FAT_OK) abort();
    return descriptor;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fat_module_descriptor *modules[2];
    if (!modules[0]) {
        modules[0] = load(json_module_entry);
        modules[1] = load(ethereum_module_entry);
    }
    if (size < 2) return 0;
    const fat_module_descriptor *module = modules[data[0] % 2];
    const fat_module_function *function = &module->functions[data[1] % module->function_count];
    fat_module_call call;
    memset(&call, 0, sizeof call);
    call.struct_size = sizeof call;
    call.call_kind = FAT_CALL_QUERY;
    call.set_output = set_output;
    /* A copy of exactly the input, so a read past it is caught. */
    size_t len = size - 2;
    uint8_t *input = malloc(len ? len : 1);
    if (!input) return 0;
    memcpy(input, data + 2, len);
    (void)function->function(&call, input, len);
    free(input);
    return 0;
}
