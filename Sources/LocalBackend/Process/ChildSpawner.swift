import Foundation
import ProcessGuard

/// Starts a child with `posix_spawn`: its own process group (so one signal reaches everything it forks), default
/// signal dispositions (the harness ignores SIGINT/SIGTERM to handle them itself, and ignored dispositions survive
/// `exec`), stdin from `/dev/null`, stdout and stderr appended to a log file. Each group is registered with the
/// ``ProcessGuard`` until its leader is reaped, so it dies with the harness even when the harness is killed.
///
/// The one way the local backend starts processes: daemons through ``ProcessSupervisor``, short commands (git,
/// `kubectl kustomize`, hey) through ``CommandRunner``. Chosen over swift-subprocess, which the kind backend's
/// `SubprocessRunner` uses for kind/kubectl/helm/flux, because a supervised daemon outlives any one call: the
/// supervisor restarts it, signals it for faults and stops it at the stack's end, and its output appends to one log
/// file across restarts. swift-subprocess 1.0 ties a child to the scope of a closure (the pid is known only inside
/// it) and has no pre-exec hook on Linux; a streamed command with a timeout is what it fits, and what the kind
/// backend runs. Both register their process groups with the ``ProcessGuard``.
enum ChildSpawner {
    static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        logPath: String,
        errorLogPath: String? = nil
    ) throws -> pid_t {
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else {
            throw LocalBackendError(.spawn, "cannot open log \(logPath): \(String(cString: strerror(errno)))")
        }
        defer { close(logFD) }
        let errorFD = errorLogPath.map { open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) } ?? logFD
        defer { if errorFD != logFD, errorFD >= 0 { close(errorFD) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, errorFD >= 0 ? errorFD : logFD, 2)
        // Nothing else of the harness leaks into the child: an inherited descriptor (a parent's exit-watch socket, a
        // listening socket) would outlive the harness in its children and keep whoever waits on it waiting.
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        #if canImport(Darwin)
            let flags =
                POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_CLOEXEC_DEFAULT
        #else
            let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw LocalBackendError(.spawn, "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        ProcessGuard.shared.register(pid)
        return pid
    }

    #if os(Linux)
        private typealias AddCloseFrom =
            @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

        /// glibc 2.34+ has `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does not show.
        private static let addCloseFrom: AddCloseFrom? = {
            guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
            return unsafeBitCast(symbol, to: AddCloseFrom.self)
        }()

        private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
            if let addCloseFrom {
                _ = addCloseFrom(&actions, 3)
                return
            }
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
    #else
        /// macOS: `POSIX_SPAWN_CLOEXEC_DEFAULT` (set with the other flags) closes everything but 0-2.
        private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {}
    #endif

    /// Blocks a dedicated thread in `waitpid` until `pid` ends, then reports how it ended. One thread per child keeps
    /// reaping independent of the async runtime (no child stays a zombie even while the actors are busy).
    static func reap(_ pid: pid_t, onExit: @escaping @Sendable (ExitStatus) -> Void) {
        let thread = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 {
                if errno != EINTR {
                    ProcessGuard.shared.unregister(pid)
                    onExit(.exited(-1))
                    return
                }
            }
            ProcessGuard.shared.unregister(pid)
            onExit(ExitStatus(waitStatus: status))
        }
        thread.name = "reap-\(pid)"
        thread.stackSize = 64 * 1024
        thread.start()
    }
}
