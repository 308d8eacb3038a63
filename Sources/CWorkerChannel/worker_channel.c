#define _GNU_SOURCE
#include "fat_worker_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FAT_TURN_MASK 1u
#define FAT_TURN_SLEEPING 2u

static void set_limit(int resource, uint64_t value) {
    if (value == 0) return;
    struct rlimit limit = {(rlim_t)value, (rlim_t)value};
    (void)setrlimit(resource, &limit);
}

int fat_worker_spawn(const char *path, char *const argv[], char *const envp[], int code_fd, int channel_fd,
                     const fat_worker_limits *limits) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return -errno;
    if (pid > 0) return (int)pid;

    /* The child: async-signal-safe calls only, until exec. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(126);
    (void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    /* Move the two descriptors above the targets first, so that neither dup2 overwrites the other. */
    int code = fcntl(code_fd, F_DUPFD, 16);
    int channel = fcntl(channel_fd, F_DUPFD, 16);
    if (code < 0 || channel < 0) _exit(126);
    if (dup2(code, FAT_WORKER_CODE_FD) < 0 || dup2(channel, FAT_WORKER_CHANNEL_FD) < 0) _exit(126);
    (void)syscall(SYS_close_range, FAT_WORKER_CHANNEL_FD + 1, ~0u, 0);
    /* Standard output belongs to the host (fat serve --json prints there): a contract's prints
     * go to standard error, and it reads nothing. */
    (void)dup2(STDERR_FILENO, STDOUT_FILENO);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0 && null_fd != STDIN_FILENO) {
        (void)dup2(null_fd, STDIN_FILENO);
        (void)close(null_fd);
    }
    sigset_t none;
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    struct rlimit no_core = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &no_core);
    if (limits != NULL) {
        set_limit(RLIMIT_AS, limits->address_space_bytes);
        set_limit(RLIMIT_NOFILE, limits->open_files);
        set_limit(RLIMIT_CPU, limits->cpu_seconds);
    }
    execve(path, argv, envp);
    _exit(127);
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

int fat_turn_wait(uint32_t *word, uint32_t mine, uint32_t spins, int64_t timeout_ns) {
    for (uint32_t i = 0; i < spins; i++) {
        if ((__atomic_load_n(word, __ATOMIC_ACQUIRE) & FAT_TURN_MASK) == mine) return 1;
        cpu_relax();
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        uint32_t current = __atomic_load_n(word, __ATOMIC_ACQUIRE);
        if ((current & FAT_TURN_MASK) == mine) return 1;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t elapsed = (int64_t)(now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec);
        if (elapsed >= timeout_ns) return 0;
        int64_t left = timeout_ns - elapsed;
        struct timespec wait = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
        uint32_t sleeping = current | FAT_TURN_SLEEPING;
        if (!(current & FAT_TURN_SLEEPING)
            && !__atomic_compare_exchange_n(word, &current, sleeping, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            continue; /* the turn changed under us: look again */
        /* Not FUTEX_PRIVATE: the word lives in memory shared with another process. */
        (void)syscall(SYS_futex, word, FUTEX_WAIT, sleeping, &wait, NULL, 0);
    }
}

void fat_turn_give(uint32_t *word, uint32_t theirs) {
    uint32_t previous = __atomic_exchange_n(word, theirs & FAT_TURN_MASK, __ATOMIC_ACQ_REL);
    if (previous & FAT_TURN_SLEEPING) (void)syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

uint32_t fat_turn_load(uint32_t *word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE) & FAT_TURN_MASK; }

void fat_turn_init(uint32_t *word, uint32_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }
