import Foundation

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
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n").map(String.init)
            guard let first = lines.first, let pid = pid_t(first), pid > 1 else { continue }
            let executable = lines.count > 1 ? lines[1] : nil
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

    /// Whether `pid` exists and is not a zombie.
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Whether `pid` runs `executable` (by `/proc/<pid>/exe`, falling back to the command line).
    static func runs(_ pid: pid_t, _ executable: String) -> Bool {
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"))
        let expected = URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
        if let resolved { return resolved == expected || resolved.hasPrefix(expected) }
        let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
        return cmdline.hasPrefix(executable)
    }
}
