import Foundation

/// The top-level work directory (`--work-dir`, default `.rollout-e2e/`), shared by every command: `up`'s stack in
/// `stack/`, each scenario of `run` in `sessions/<scenario>/`, reports in `reports/`, the kind backend's files in
/// `kind/`. Each stack lives in a ``WorkDirectory`` of its own, so one command never mistakes what another left for
/// a foreign directory, and `down` and `status` see all of them.
public struct WorkArea: Sendable {
    /// The absolute path.
    public let path: String

    public init(path: String) {
        self.path = WorkDirectory(path: path).path
    }

    /// Where `rollout-e2e up` runs its stack.
    public var stack: WorkDirectory { WorkDirectory(path: path + "/stack") }

    /// Where `rollout-e2e run` runs the scenario `name`.
    public func session(_ name: String) -> WorkDirectory { WorkDirectory(path: path + "/sessions/" + name) }

    /// One stack directory and what is known about it.
    public struct Entry: Sendable {
        /// `stack` for `up`'s, `session <scenario>` for a run's.
        public var label: String
        public var directory: WorkDirectory
    }

    /// Every stack directory that exists: `up`'s, then the sessions by name. A work directory written by an older
    /// version (the stack at the top level) is included as `stack (old layout)`.
    public var entries: [Entry] {
        let fileManager = FileManager.default
        var entries: [Entry] = []
        if fileManager.fileExists(atPath: path + "/" + WorkDirectory.markerName) {
            entries.append(Entry(label: "stack (old layout)", directory: WorkDirectory(path: path)))
        }
        if fileManager.fileExists(atPath: stack.path) { entries.append(Entry(label: "stack", directory: stack)) }
        let names = (try? fileManager.contentsOfDirectory(atPath: path + "/sessions")) ?? []
        for name in names.sorted()
        where fileManager.fileExists(atPath: session(name).path + "/" + WorkDirectory.markerName) {
            entries.append(Entry(label: "session \(name)", directory: session(name)))
        }
        return entries
    }
}

/// Whether a stack directory's harness and children still run.
public enum StackLiveness: Sendable, Equatable {
    /// Its harness runs (pid).
    case running(harness: Int32)
    /// Its harness is gone but processes it started still run (`rollout-e2e down` stops them).
    case stale(leftovers: [String])
    /// Nothing of it runs.
    case stopped
}

extension WorkDirectory {
    /// Whether this directory's harness, or children it left, still run.
    public var liveness: StackLiveness {
        if let owner = ownerPID { return .running(harness: owner) }
        let leftovers = StaleProcesses.alive(pidDirectory: pids)
        return leftovers.isEmpty ? .stopped : .stale(leftovers: leftovers)
    }
}
