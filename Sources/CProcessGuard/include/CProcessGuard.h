#ifndef C_PROCESS_GUARD_H
#define C_PROCESS_GUARD_H

#include <sys/types.h>

/// Starts the process guard: the harness's executable run again as `rollout-guard <harness pid>` (so that killing
/// processes by the harness's command line spares it), in its own session, that waits for the harness to go away
/// and then stops every process group the harness registered with it. Returns the write end of the pipe the
/// harness registers groups through ("+<pgid>\n", "-<pgid>\n"; close-on-exec), or -1 with errno set.
/// `guard_pid` receives the guard's pid. `grace_ms` is how long the groups get between SIGTERM and SIGKILL.
int rollout_guard_start(pid_t *guard_pid, int grace_ms);

#endif
