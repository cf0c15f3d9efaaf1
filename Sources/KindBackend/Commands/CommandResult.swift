/// How a command finished.
public struct CommandResult: Sendable, Hashable {
    /// The exit status; a process killed by a signal reports 128 + the signal, as shells do.
    public var status: Int32
    public var output: String
    public var errorOutput: String

    public init(status: Int32 = 0, output: String = "", errorOutput: String = "") {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
    }

    public var succeeded: Bool { status == 0 }

    /// The last lines of both streams, for error messages.
    public func tail(lines: Int = 12) -> String {
        let text = [output, errorOutput].filter { !$0.isEmpty }.joined(separator: "\n")
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
