/// One problem found in an input file, rendered the way compilers do: `file:line:col: error: message`.
///
/// Every layer that reads user files (YAML syntax, decoding, object validation, scenarios) reports
/// through this type so `rollout-e2e validate` can print them all the same way.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is; only errors make `validate` exit 2.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var file: String
    public var mark: Mark
    public var severity: Severity
    public var message: String

    public init(file: String, mark: Mark, severity: Severity = .error, message: String) {
        self.file = file
        self.mark = mark
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(file):\(mark.line):\(mark.column): \(severity.rawValue): \(message)" }
}

/// Several diagnostics thrown together (for example every unknown key of a document).
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var items: [Diagnostic]

    public init(_ items: [Diagnostic]) { self.items = items }

    public var description: String { items.map(\.description).joined(separator: "\n") }
}
