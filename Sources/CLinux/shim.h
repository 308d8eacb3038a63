// Linux system calls the C library declares only under _GNU_SOURCE, wrapped for Swift.
#ifndef FAT_CLINUX_SHIM_H
#define FAT_CLINUX_SHIM_H

#include <sys/syscall.h>
#include <unistd.h>

/// An anonymous, close-on-exec memory file (memfd_create(2) with MFD_CLOEXEC): -1 and errno on failure.
static inline int fat_memfd_create(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1U /* MFD_CLOEXEC */);
}

#endif
