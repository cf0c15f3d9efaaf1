import Foundation

/// Live processes whose command line names `directory` or that run inside it (podinfo replicas), as
/// "`pid` `command line`". Zombies (an empty command line) do not count. The process guard, a fork of the harness
/// that carries its command line, is left out when `includingGuard` is false: it exits by itself once its work is
/// done.
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
