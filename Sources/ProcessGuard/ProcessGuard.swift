import CProcessGuard
import Foundation
import Synchronization

/// Makes sure no child outlives the harness, however the harness ends (`kill -9`, a closed terminal, a crash).
///
/// Every child is started in its own process group and registered here; a guard process (a fork of the harness, in
/// its own session, see `Sources/CProcessGuard/guard.c` for why not `PR_SET_PDEATHSIG`) holds the other end of a
/// pipe. When the harness is gone the pipe closes and the guard stops every group still registered: SIGTERM, then
/// SIGKILL after ``grace``. A clean stop unregisters each group as its leader is reaped, so the guard then has
/// nothing to do and exits.
public final class ProcessGuard: Sendable {
    /// The guard for this process, started on first use.
    public static let shared = ProcessGuard()

    /// How long the guard gives the groups between SIGTERM and SIGKILL (well within the 6 s users may wait).
    public static let grace: Duration = .milliseconds(2500)

    private let channel: Mutex<Int32>
    /// The guard's pid, or `nil` when it could not be started (the harness then runs unguarded and says so once).
    public let guardPID: Int32?

    private init() {
        var pid: pid_t = 0
        let milliseconds = Int32(Self.grace / .milliseconds(1))
        let fd = rollout_guard_start(&pid, milliseconds)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            FileHandle.standardError.write(
                Data("warning: cannot start the process guard (\(reason)); a killed harness may leave children\n".utf8)
            )
            guardPID = nil
        } else {
            guardPID = pid
        }
        channel = Mutex(fd)
    }

    /// Starts watching the process group `group`.
    public func register(_ group: pid_t) { send("+\(group)\n") }

    /// Stops watching `group` (its leader was reaped).
    public func unregister(_ group: pid_t) { send("-\(group)\n") }

    private func send(_ line: String) {
        channel.withLock { fd in
            guard fd >= 0 else { return }
            let bytes = Array(line.utf8)
            // One line is far below PIPE_BUF, so the write is atomic; EINTR is the only retry.
            while bytes.withUnsafeBytes({ Foundation.write(fd, $0.baseAddress, $0.count) }) < 0 {
                if errno != EINTR {
                    close(fd)
                    fd = -1
                    return
                }
            }
        }
    }
}
