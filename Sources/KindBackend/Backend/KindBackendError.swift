/// A kind-backend failure with a message a user can act on.
public struct KindBackendError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure, so the CLI can pick its exit status (DESIGN.md §4).
    public enum Code: Sendable, Equatable {
        /// A required CLI is not on PATH (exit 3).
        case missingTools
        /// Docker is installed but its daemon cannot be reached (exit 3).
        case dockerUnavailable
        /// `kind-config/` is missing or malformed (exit 2).
        case invalidConfig
        /// A command exited non-zero after its retries (exit 1).
        case commandFailed
        /// A command or wait did not finish in time (exit 1).
        case timedOut
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the environment lacks something (exit 3), rather than something failing in it.
    public var isEnvironment: Bool { code == .missingTools || code == .dockerUnavailable }

    public var description: String { message }
}
