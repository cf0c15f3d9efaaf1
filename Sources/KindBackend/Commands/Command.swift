import Foundation

/// One invocation of a tool: what the plan prints and what a ``CommandRunner`` runs.
public struct Command: Sendable, Hashable, CustomStringConvertible {
    /// A tool name looked up on PATH (`kubectl`), or an absolute path.
    public var executable: String
    public var arguments: [String]
    /// Text written to standard input (manifests for `kubectl apply -f -`).
    public var input: String?
    /// Variables set on top of the inherited environment.
    public var environment: [String: String]

    public init(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:])
    {
        self.executable = executable
        self.arguments = arguments
        self.input = input
        self.environment = environment
    }

    /// The command as one shell line, quoted so it can be pasted (`kubectl wait --for=jsonpath='{.x}'=y`).
    public var description: String {
        let words = [executable] + arguments
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }
        let line = (env + words.map(Self.quote)).joined(separator: " ")
        return input == nil ? line : line + " <<EOF … EOF"
    }

    /// The whole argument list, executable first.
    public var words: [String] { [executable] + arguments }

    /// Single-quotes a word when the shell would otherwise split or expand it.
    public static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
