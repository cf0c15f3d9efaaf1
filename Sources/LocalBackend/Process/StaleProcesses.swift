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
            guard let (pid, executable) = record(path) else { continue }
            guard isAlive(pid), executable.map({ runs(pid, $0) }) ?? true else { continue }
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
            guard let (pid, executable) = record(pidDirectory + "/" + file), isAlive(pid),
                executable.map({ runs(pid, $0) }) ?? true
            else { return nil }
            return "\(file.dropLast(4)) (pid \(pid))"
        }
    }

    /// The pid and executable a pid file records.
    private static func record(_ path: String) -> (pid_t, String?)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard let first = lines.first, let pid = pid_t(first), pid > 1 else { return nil }
        return (pid, lines.count > 1 ? lines[1] : nil)
    }

    /// Whether `pid` exists and is not a zombie.
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if canImport(Darwin)
            var info = kinfo_proc()
            var size = MemoryLayout<kinfo_proc>.stride
            var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
            guard sysctl(&name, UInt32(name.count), &info, &size, nil, 0) == 0, size > 0 else { return true }
            return Int32(info.kp_proc.p_stat) != SZOMB
        #else
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return true }
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
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
