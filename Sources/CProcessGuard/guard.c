// The process guard (see CProcessGuard.h). Written in C because it runs in a child forked from a multithreaded
// process without exec: only async-signal-safe calls (read, kill, nanosleep, close, dup2, sigaction, _exit) and no
// allocation are allowed there, which Swift cannot promise.
//
// Why a guard rather than PR_SET_PDEATHSIG set in each child: the death signal fires when the *thread* that forked
// the child exits (prctl(2)), and Swift's concurrency pool retires idle threads, so nginx would die at random; it
// reaches only the direct child, not nginx's workers or anything a child forks; and macOS has no equivalent. The
// guard kills whole process groups, on Linux and macOS alike, whatever ended the harness (SIGKILL, SIGHUP, a crash).
//
// The fork execs the harness's own executable again under the name `rollout-guard <harness pid>`, and the
// constructor below turns that process into the guard before any Swift code runs. A plain fork would carry the
// harness's command line, so `pkill -9 -f 'rollout-e2e run'` (a common way to stop a run, and what some CI
// timeouts do) would kill the guard with the harness and leave nginx, prometheus, redis-server and podinfo behind.
// When the exec fails (no /proc, say) the fork becomes the guard as before.

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE  // pipe2
#endif

#include "CProcessGuard.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

/// The guard's argv[0] and the variable carrying its grace period: both must be present for a process to become the
/// guard, so neither a user's environment nor an odd argv[0] alone can turn the harness into one.
#define ROLLOUT_GUARD_NAME "rollout-guard"
#define ROLLOUT_GUARD_GRACE_VARIABLE "ROLLOUT_E2E_GUARD_GRACE_MS"

#define ROLLOUT_GUARD_MAX_GROUPS 4096

static pid_t guard_groups[ROLLOUT_GUARD_MAX_GROUPS];
static int guard_group_count = 0;

static void guard_add(pid_t group) {
    for (int i = 0; i < guard_group_count; i++) {
        if (guard_groups[i] == group) return;
    }
    if (guard_group_count < ROLLOUT_GUARD_MAX_GROUPS) guard_groups[guard_group_count++] = group;
}

static void guard_remove(pid_t group) {
    for (int i = 0; i < guard_group_count; i++) {
        if (guard_groups[i] == group) {
            guard_groups[i] = guard_groups[--guard_group_count];
            return;
        }
    }
}

static void guard_sleep_ms(long ms) {
    struct timespec delay = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&delay, &delay) == -1 && errno == EINTR) {
    }
}

static int guard_any_alive(void) {
    for (int i = 0; i < guard_group_count; i++) {
        if (kill(-guard_groups[i], 0) == 0) return 1;
    }
    return 0;
}

/// Stops every registered group: SIGTERM, up to `grace_ms` for them to go, then SIGKILL.
static void guard_stop_all(int grace_ms) {
    for (int i = 0; i < guard_group_count; i++) kill(-guard_groups[i], SIGTERM);
    for (int waited = 0; waited < grace_ms && guard_any_alive(); waited += 50) guard_sleep_ms(50);
    for (int i = 0; i < guard_group_count; i++) kill(-guard_groups[i], SIGKILL);
}

static void guard_main(int input, int grace_ms) {
    // Signals meant for the harness (Ctrl-C, a closed terminal, `pkill rollout-e2e`, which matches this copy's
    // command line too) must not stop the guard before it has done its job; it ends when the harness is gone.
    struct sigaction ignore;
    ignore.sa_handler = SIG_IGN;
    ignore.sa_flags = 0;
    sigemptyset(&ignore.sa_mask);
    int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2};
    for (unsigned i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) sigaction(ignored[i], &ignore, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
#if defined(__linux__)
    prctl(PR_SET_NAME, "rollout-guard", 0, 0, 0);
#endif
    // Hold nothing of the harness: a listening socket or an output pipe kept open here would keep a port bound or
    // a reader (make, a CI log) waiting after the harness ended.
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    if (input != 3) {
        dup2(input, 3);
        input = 3;
    }
    struct rlimit limit;
    long highest = 65536;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && (long)limit.rlim_cur < highest) {
        highest = (long)limit.rlim_cur;
    }
    for (long fd = 4; fd < highest; fd++) close((int)fd);

    char buffer[512];
    long number = 0;
    int sign = 0;
    for (;;) {
        ssize_t count = read(input, buffer, sizeof(buffer));
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;  // The harness is gone: its write end closed with it.
        for (ssize_t i = 0; i < count; i++) {
            char c = buffer[i];
            if (c == '+' || c == '-') {
                sign = c == '+' ? 1 : -1;
                number = 0;
            } else if (c >= '0' && c <= '9') {
                number = number * 10 + (c - '0');
            } else if (c == '\n') {
                if (number > 1 && sign == 1) guard_add((pid_t)number);
                if (number > 1 && sign == -1) guard_remove((pid_t)number);
                sign = 0;
                number = 0;
            }
        }
    }
    guard_stop_all(grace_ms);
    _exit(0);
}

/// Runs before `main` in every process that links this file: in the re-executed guard it never returns.
__attribute__((constructor)) static void rollout_guard_entry(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 1 || argv == NULL || argv[0] == NULL || strcmp(argv[0], ROLLOUT_GUARD_NAME) != 0) return;
    const char *grace = getenv(ROLLOUT_GUARD_GRACE_VARIABLE);
    if (grace == NULL) return;
    guard_main(3, atoi(grace));
}

int rollout_guard_start(pid_t *guard_pid, int grace_ms) {
    // Everything the child needs is prepared here: between fork and exec only async-signal-safe calls are allowed.
    char executable[4096];
    int can_exec = 0;
#if defined(__linux__)
    strcpy(executable, "/proc/self/exe");
    can_exec = access(executable, X_OK) == 0;
#elif defined(__APPLE__)
    uint32_t size = sizeof(executable);
    can_exec = _NSGetExecutablePath(executable, &size) == 0;
#endif
    char harness[32];
    snprintf(harness, sizeof(harness), "%d", (int)getpid());
    char variable[64];
    snprintf(variable, sizeof(variable), "%s=%d", ROLLOUT_GUARD_GRACE_VARIABLE, grace_ms);
    char *arguments[] = {ROLLOUT_GUARD_NAME, harness, NULL};
    char *environment[] = {variable, NULL};

    int fds[2];
    // Close-on-exec from the start: a child spawned by another thread in between must not inherit the write end, or
    // the guard would wait for that child instead of the harness.
#if defined(__linux__)
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        close(fds[1]);
        if (can_exec) {
            // The read end becomes fd 3 of the new image (dup2 clears close-on-exec; when it already is 3, clear it).
            int input = fds[0];
            if (input == 3) {
                fcntl(3, F_SETFD, 0);
            } else if (dup2(input, 3) == 3) {
                close(input);
                input = 3;
            }
            if (input == 3) execve(executable, arguments, environment);
            fds[0] = input;
        }
        guard_main(fds[0], grace_ms);
    }
    close(fds[0]);
    // A write after the guard died must fail with EPIPE, not kill the harness.
    signal(SIGPIPE, SIG_IGN);
    *guard_pid = pid;
    return fds[1];
}
