import Foundation

/// The run's work directory (default `.rollout-e2e/`, mode 0700): configs, logs, pid files, git repositories,
/// timelines. A marker file proves a directory is ours before anything in it is deleted.
public struct WorkDirectory: Sendable {
    /// The absolute path.
    public let path: String

    static let markerName = ".rollout-e2e-workdir"
    static let harnessPIDName = "harness.pid"

    public init(path: String) {
        let absolute =
            path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    public var pids: String { path + "/pids" }
    public var logs: String { path + "/logs" }
    public var config: String { path + "/config" }
    public var git: String { path + "/git" }
    public var timelines: String { path + "/timelines" }
    public var scratch: String { path + "/tmp" }
    public var stateFile: String { path + "/state.json" }
    var harnessPIDFile: String { path + "/" + Self.harnessPIDName }

    /// The directory of one component (`nginx`, `prometheus`, …), created on demand.
    public func component(_ name: String) throws -> String {
        let directory = config + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The log file of a component.
    public func log(_ name: String) -> String { logs + "/" + name + ".log" }

    /// The pid of the live harness that owns this directory, if any.
    /// The file records the harness's pid and start time, so that a pid reused after a killed run is not taken for
    /// its owner.
    public var ownerPID: Int32? {
        guard let record = StaleProcesses.record(harnessPIDFile), record.isRunning else { return nil }
        return record.pid
    }

    /// Makes the directory ready for a new run owned by this process: refuses when another live harness owns it,
    /// stops the children of a dead one (their pid files) and removes what it left, then creates the layout.
    /// - Returns: lines describing what stale state was cleaned.
    @discardableResult
    public func claim() throws -> [String] {
        let fileManager = FileManager.default
        var cleaned: [String] = []
        if fileManager.fileExists(atPath: path) {
            if let owner = ownerPID, owner != getpid() {
                throw LocalBackendError(
                    .busy,
                    "\(path) is in use by a running harness (pid \(owner)); stop it with `rollout-e2e down`"
                )
            }
            let contents = (try? fileManager.contentsOfDirectory(atPath: path)) ?? []
            guard contents.isEmpty || contents.contains(Self.markerName) else {
                throw LocalBackendError(
                    .workDirectory,
                    "\(path) exists and is not a rollout-e2e work directory; choose another --work-dir"
                )
            }
            cleaned = StaleProcesses.clean(pidDirectory: pids).map { "stopped stale \($0)" }
            if !contents.isEmpty {
                do {
                    try fileManager.removeItem(atPath: path)
                } catch {
                    throw LocalBackendError(.workDirectory, "cannot remove the stale work directory \(path): \(error)")
                }
                cleaned.append("removed stale work directory \(path)")
            }
        }
        do {
            try fileManager.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
            for directory in [pids, logs, config, git, timelines, scratch] {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try Data().write(to: URL(fileURLWithPath: path + "/" + Self.markerName))
            try StaleProcesses.recordText(getpid(), executable: nil)
                .write(toFile: harnessPIDFile, atomically: true, encoding: .utf8)
        } catch {
            throw LocalBackendError(.workDirectory, "cannot create the work directory \(path): \(error)")
        }
        return cleaned
    }

    /// Stops whatever the pid files still name (children of a dead run) and removes the directory.
    @discardableResult
    public func cleanStale() -> [String] {
        let stopped = StaleProcesses.clean(pidDirectory: pids)
        try? FileManager.default.removeItem(atPath: path)
        return stopped
    }

    /// Gives up ownership (the directory stays for its logs).
    public func release() {
        try? FileManager.default.removeItem(atPath: harnessPIDFile)
    }
}
