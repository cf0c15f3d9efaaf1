import Foundation

#if canImport(Darwin)
    import Darwin
#endif

/// Cleans up after a run that died without stopping its children (`kill -9` of the harness): reads the pid files it
/// left, and stops each recorded process group whose leader still runs the recorded executable (a pid reused by an
/// unrelated process is left alone).
public enum StaleProcesses {
    /// Stops what the pid files in `pidDirectory` describe; returns a line per process it stopped.
    @discardableResult
    public static func clean(pidDirectory: String, grace: Duration = .seconds(3)) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: pidDirectory)) ?? []
        var stopped: [(pid: pid_t, line: String)] = []
        for file in files where file.hasSuffix(".pid") {
            let path = pidDirectory + "/" + file
            defer { try? FileManager.default.removeItem(atPath: path) }
            guard let pid = runningChild(path) else { continue }
            kill(-pid, SIGTERM)
            kill(pid, SIGTERM)
            stopped.append((pid, "\(file.dropLast(4)) (pid \(pid))"))
        }
        let deadline = ContinuousClock.now + grace
        while stopped.contains(where: { isAlive($0.pid) }), ContinuousClock.now < deadline {
            usleep(20_000)
        }
        for entry in stopped {
            kill(-entry.pid, SIGKILL)
            kill(entry.pid, SIGKILL)
        }
        return stopped.map(\.line)
    }

    /// What the pid files in `pidDirectory` describe that still runs, as `name (pid N)`; stops nothing.
    public static func alive(pidDirectory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: pidDirectory)) ?? []
        return files.filter { $0.hasSuffix(".pid") }.sorted().compactMap { file in
            guard let pid = runningChild(pidDirectory + "/" + file) else { return nil }
            return "\(file.dropLast(4)) (pid \(pid))"
        }
    }

    /// What a pid file records: the pid, the executable and the process's start time (lines 1-3; files written
    /// before the start time was recorded have two lines).
    struct Record {
        let pid: pid_t
        let executable: String?
        let startTime: String?

        /// Whether the recorded process still runs: alive, the same executable, started at the same time. Pids are
        /// reused (Linux wraps at 32768 by default, and threads take ids from the same space, so a busy machine goes
        /// round in minutes): a pid file left by a killed run can name somebody else's process by then.
        var isRunning: Bool {
            guard StaleProcesses.isAlive(pid) else { return false }
            if let executable, !StaleProcesses.runs(pid, executable) { return false }
            // Not recorded (an older file) or not readable: only the checks above apply.
            guard let startTime, let current = StaleProcesses.startTime(pid) else { return true }
            return current == startTime
        }
    }

    /// The pid of the child a pid file records, if that child still runs. Never pid 1: `kill(-1, …)` would signal
    /// every process this user may signal.
    private static func runningChild(_ path: String) -> pid_t? {
        guard let record = record(path), record.pid > 1, record.isRunning else { return nil }
        return record.pid
    }

    static func record(_ path: String) -> Record? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, let pid = pid_t(first), pid > 0 else { return nil }
        let executable = lines.count > 1 && !lines[1].isEmpty ? lines[1] : nil
        let startTime = lines.count > 2 && !lines[2].isEmpty ? lines[2] : nil
        return Record(pid: pid, executable: executable, startTime: startTime)
    }

    /// The contents of a pid file for `pid` (running `executable`, if given), with its start time.
    public static func recordText(_ pid: pid_t, executable: String?) -> String {
        "\(pid)\n\(executable ?? "")\n\(startTime(pid) ?? "")\n"
    }

    /// When `pid` started, as an opaque token (Linux: `/proc/<pid>/stat` field 22, clock ticks since boot; macOS:
    /// `kinfo_proc.p_starttime`), or `nil` when it cannot be read.
    public static func startTime(_ pid: pid_t) -> String? {
        #if canImport(Darwin)
            guard let info = processInfo(pid) else { return nil }
            let started = info.kp_proc.p_starttime
            return "\(started.tv_sec).\(started.tv_usec)"
        #else
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // Fields after the command (which may contain spaces and parentheses) start at field 3, the state.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 19 ? String(fields[19]) : nil
        #endif
    }

    #if canImport(Darwin)
        /// The kernel's record of `pid` (`sysctl` `KERN_PROC_PID`), or `nil` when it cannot be read.
        private static func processInfo(_ pid: pid_t) -> kinfo_proc? {
            var info = kinfo_proc()
            var size = MemoryLayout<kinfo_proc>.stride
            var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
            guard sysctl(&name, UInt32(name.count), &info, &size, nil, 0) == 0, size > 0 else { return nil }
            return info
        }
    #endif

    /// Whether `pid` is a process (not a thread of one) that exists and is not a zombie.
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if canImport(Darwin)
            guard let info = processInfo(pid) else { return true }
            return Int32(info.kp_proc.p_stat) != SZOMB
        #else
            // A thread id answers kill(2) and has a /proc entry too (not listed, but readable): only a thread-group
            // leader is a process.
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
            var state: Character?
            var group: pid_t?
            for line in status.split(separator: "\n") {
                if line.hasPrefix("State:") {
                    state = line.dropFirst("State:".count).trimmingCharacters(in: .whitespaces).first
                } else if line.hasPrefix("Tgid:") {
                    group = pid_t(line.dropFirst("Tgid:".count).trimmingCharacters(in: .whitespaces))
                }
            }
            if let group, group != pid { return false }
            return state != "Z" && state != "X"
        #endif
    }

    /// Whether `pid` runs `executable` (Linux: `/proc/<pid>/exe`, falling back to the command line; macOS:
    /// `proc_pidpath`).
    static func runs(_ pid: pid_t, _ executable: String) -> Bool {
        let expected = URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
        #if canImport(Darwin)
            var buffer = [CChar](repeating: 0, count: 4 * Int(MAXPATHLEN))
            guard proc_pidpath(pid, &buffer, UInt32(buffer.count)) > 0 else { return false }
            let resolved = URL(fileURLWithPath: String(cString: buffer)).resolvingSymlinksInPath().path
            return resolved == expected || resolved.hasPrefix(expected)
        #else
            let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"))
            if let resolved { return resolved == expected || resolved.hasPrefix(expected) }
            let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return cmdline.hasPrefix(executable)
        #endif
    }
}
