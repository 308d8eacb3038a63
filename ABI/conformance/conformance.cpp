/*
 * conformance.cpp — the ABI conformance suite compiled as C++17.
 *
 *   c++ -std=c++17 -pedantic -Wall -Wextra -Werror -I ABI/include ABI/conformance/conformance.cpp \
 *       -rdynamic -o conformance-cpp && ./conformance-cpp
 *
 * The point is that a contract can be written in C++: the header compiles, its structs have the
 * same layout as in C, and FAT_CONTRACT defines an entry with C linkage (the suite finds it with
 * dlsym under its unmangled name).
 */
#include <type_traits>

#include "conformance_suite.h"

// Every ABI struct must stay a plain C struct in C++: standard layout, trivially copyable.
template <typename T>
constexpr bool is_plain_c_struct = std::is_standard_layout<T>::value && std::is_trivially_copyable<T>::value;
static_assert(is_plain_c_struct<fat_address>, "fat_address");
static_assert(is_plain_c_struct<fat_ctx>, "fat_ctx");
static_assert(is_plain_c_struct<fat_host_api>, "fat_host_api");
static_assert(is_plain_c_struct<fat_message>, "fat_message");
static_assert(is_plain_c_struct<fat_contract_descriptor>, "fat_contract_descriptor");
static_assert(is_plain_c_struct<fat_negotiation>, "fat_negotiation");
static_assert(std::is_same<decltype(&fat_contract_entry), fat_contract_entry_fn>::value,
              "FAT_CONTRACT's entry has the fat_contract_entry_fn type");

int main()
{
    return run_conformance_suite("C++");
}
