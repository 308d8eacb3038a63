#include "fat_contract.h"
