/// What the supervisor starts: one long-running child with its log and restart policy.
public struct ProcessSpec: Sendable {
    /// Unique within a supervisor; also the pid file's name (`<name>.pid`).
    public var name: String
    public var executable: String
    public var arguments: [String]
    /// The complete environment of the child (nothing is inherited implicitly).
    public var environment: [String: String]
    public var logPath: String
    /// Restart the child when it exits without being asked to (a Kubernetes container's `restartPolicy: Always`).
    public var restartOnExit: Bool
    /// How long a stop waits after SIGTERM before SIGKILL.
    public var gracePeriod: Duration

    public init(
        name: String,
        executable: String,
        arguments: [String],
        environment: [String: String],
        logPath: String,
        restartOnExit: Bool = false,
        gracePeriod: Duration = .seconds(5)
    ) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logPath = logPath
        self.restartOnExit = restartOnExit
        self.gracePeriod = gracePeriod
    }
}
