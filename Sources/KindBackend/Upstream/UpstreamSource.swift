/// Where an upstream rule is written: repository, version, file and lines, as read at the pinned version.
public struct UpstreamSource: Sendable, Hashable, CustomStringConvertible {
    public var repository: String
    public var version: String
    public var path: String
    public var lines: String

    public init(_ repository: String, _ version: String, _ path: String, lines: String) {
        self.repository = repository
        self.version = version
        self.path = path
        self.lines = lines
    }

    /// `kubernetes/kubectl@v0.35.1 pkg/cmd/apply/apply.go:L1-L2`.
    public var description: String { "\(repository)@\(version) \(path):\(lines)" }
}

/// Something the pinned upstream would do to what the harness emits: refuse a command, or undo or delete what
/// the harness relies on.
public struct UpstreamFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Effect: String, Sendable {
        /// The tool refuses the command (it exits non-zero).
        case refused
        /// A controller reverts the change at its next reconcile.
        case undone
        /// A controller deletes something the stack needs.
        case deleted
    }

    public var effect: Effect
    /// The rule's name (``KubectlNamespaceRule/name``, …).
    public var rule: String
    /// The command the finding is about, as printed.
    public var command: String
    /// What happens, in the upstream tool's words where it has some.
    public var message: String
    public var source: UpstreamSource

    public var description: String {
        "\(effect.rawValue) [\(rule)] \(message)\n  command: \(command)\n  upstream: \(source)"
    }
}
