import YAML

/// Where an object came from, so validation can point at the offending field's line and column.
public struct ValidationContext: Sendable {
    public let file: String
    /// The object's whole document.
    public let node: Node

    public init(file: String, node: Node) {
        self.file = file
        self.node = node
    }

    /// An error at `path` (keys, or sequence indices as numbers), or at the nearest ancestor that exists when the
    /// field itself is absent ("missing" errors point at the mapping that lacks the key).
    public func error(_ path: [String], _ message: String) -> Diagnostic {
        Diagnostic(file: file, mark: mark(at: path), severity: .error, message: message)
    }

    public func warning(_ path: [String], _ message: String) -> Diagnostic {
        Diagnostic(file: file, mark: mark(at: path), severity: .warning, message: message)
    }

    private func mark(at path: [String]) -> Mark {
        var prefix = path
        while !prefix.isEmpty {
            if let found = node.find(prefix) { return found.mark }
            prefix.removeLast()
        }
        return node.mark
    }
}
