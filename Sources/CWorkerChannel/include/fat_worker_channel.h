/*
 * The two halves of a native contract's worker process that Swift cannot write safely: starting
 * the process (fork and exec with its limits set in between) and waiting on a word of memory the
 * host and the worker share (atomics and futexes across processes).
 *
 * THREADING: every function may be called from any thread. `fat_worker_spawn` forks: the child
 * runs only async-signal-safe calls before exec.
 */
#ifndef FAT_WORKER_CHANNEL_H
#define FAT_WORKER_CHANNEL_H

#include <stdint.h>

/** The file descriptor numbers a worker finds its contract's code and its channel under. */
#define FAT_WORKER_CODE_FD 3
#define FAT_WORKER_CHANNEL_FD 4

/** The limits a worker process runs under; 0 leaves a limit as the host's. */
typedef struct fat_worker_limits {
    uint64_t address_space_bytes;  /* RLIMIT_AS */
    uint64_t open_files;           /* RLIMIT_NOFILE */
    uint64_t cpu_seconds;          /* RLIMIT_CPU: a last resort behind the host's deadlines */
} fat_worker_limits;

/** Starts `path` with `argv` and `envp` (NULL-terminated) as a worker: `code_fd` and `channel_fd` become
 *  FAT_WORKER_CODE_FD and FAT_WORKER_CHANNEL_FD, every other descriptor is closed (standard input
 *  reads /dev/null, standard output goes to standard error), the limits are
 *  set, no core is dumped, no new privileges can be gained, and the worker is killed when the
 *  calling thread's process dies (PR_SET_PDEATHSIG: call from a thread that lives as long as the
 *  process). Returns the child's pid, or -errno when fork fails. A failed exec ends the child with
 *  status 127. */
int fat_worker_spawn(const char *path, char *const argv[], char *const envp[], int code_fd, int channel_fd,
                     const fat_worker_limits *limits);

/** The word the two sides take turns on. Bit 0 says whose turn it is; bit 1 that the side
 *  waiting for its turn is asleep in the kernel and must be woken. */
#define FAT_TURN_HOST 0u
#define FAT_TURN_WORKER 1u

/** Waits until the turn in `*word` is `mine`: spins `spins` times, then sleeps, for at most
 *  `timeout_ns` nanoseconds in all. Returns 1 when it is `mine`, 0 on timeout. */
int fat_turn_wait(uint32_t *word, uint32_t mine, uint32_t spins, int64_t timeout_ns);

/** Gives the turn to `theirs` and wakes the other side if it sleeps. */
void fat_turn_give(uint32_t *word, uint32_t theirs);

/** The current turn, read with acquire ordering. */
uint32_t fat_turn_load(uint32_t *word);

/** Sets `*word` without waking anyone (initialisation). */
void fat_turn_init(uint32_t *word, uint32_t value);

#endif
