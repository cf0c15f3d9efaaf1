import Foundation

/// Live processes whose command line names `directory` or that run inside it (podinfo replicas), as
/// "`pid` `command line`". Zombies (an empty command line) do not count. The process guard (named `rollout-guard`;
/// it carries the harness's command line only when it could not re-execute itself) is left out when `includingGuard`
/// is false: it exits by itself once its work is done.
public func processes(under directory: String, includingGuard: Bool = true) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.compactMap { pid -> String? in
        guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
            !data.isEmpty
        else {
            return nil
        }
        if !includingGuard,
            let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            name.hasPrefix("rollout-guard")
        {
            return nil
        }
        let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
        return command.contains(directory) || cwd.hasPrefix(directory) ? "\(pid) \(command)" : nil
    }
}

/// The process guards of the harness `harness` while they run: `rollout-guard <harness pid>` (a zombie has an empty
/// command line and does not count).
public func processGuards(of harness: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } == ["rollout-guard", "\(harness)"]
    }
}
