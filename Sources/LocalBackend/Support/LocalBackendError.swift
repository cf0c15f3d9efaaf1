/// A failure of the local backend, with a code to match on and a message that says what to do.
public struct LocalBackendError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String { case missingBinary, busy, workDirectory, spawn, startup, command, input }
        fileprivate var backing: Backing
        /// A binary the stack needs (nginx, prometheus, …) is not installed; the message has the install command.
        public static let missingBinary = Code(backing: .missingBinary)
        /// Another live run owns the work directory.
        public static let busy = Code(backing: .busy)
        /// The work directory cannot be created, claimed or cleaned.
        public static let workDirectory = Code(backing: .workDirectory)
        /// A child process could not be started.
        public static let spawn = Code(backing: .spawn)
        /// A component did not become ready in time.
        public static let startup = Code(backing: .startup)
        /// A helper command (git, kubectl kustomize) failed.
        public static let command = Code(backing: .command)
        /// A manifest or request was invalid.
        public static let input = Code(backing: .input)
        public var description: String { backing.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
