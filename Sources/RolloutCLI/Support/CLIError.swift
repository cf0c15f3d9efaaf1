/// An error the CLI reports with a specific exit status (DESIGN.md §4): 1 a scenario failed, 2 bad input or usage,
/// 3 the environment lacks something — the message then says how to install it.
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var exitCode: Int32
    public var message: String

    public init(exitCode: Int32, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public static func badInput(_ message: String) -> CLIError { CLIError(exitCode: 2, message) }
    public static func environment(_ message: String) -> CLIError { CLIError(exitCode: 3, message) }
    public static func failed(_ message: String) -> CLIError { CLIError(exitCode: 1, message) }

    public var description: String { message }
}
