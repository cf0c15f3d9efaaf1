import ObjectModel

/// How the runner runs scenarios.
public struct RunnerOptions: Sendable {
    /// Scenarios run at once.
    public var parallel: Int
    /// Every duration in a scenario (sleeps, traffic durations, timeouts) and Flagger's are multiplied by this.
    public var timeScale: Double
    /// Where reports and failure diagnostics go.
    public var reportDirectory: String
    /// Added to every scaled timeout: process start-up and polling do not shrink with the time scale.
    public var timeoutSlack: Duration
    /// How often waits and the progress line poll the backend.
    public var pollInterval: Duration
    /// A `wait` step's timeout when it gives none (scenario time).
    public var defaultWaitTimeout: ManifestDuration
    /// Any other step's timeout when it gives none (scenario time).
    public var defaultStepTimeout: ManifestDuration
    /// Real time each `catch`/`finally` step gets after the scenario's own timeout expired.
    public var cleanupTimeout: Duration
    /// How the backend aggregates traffic samples, in real time (``LoadTrafficDriver``: one second). Traffic
    /// assertions judge a sample only when its whole bucket lies in one router weight.
    public var trafficBucket: Duration

    public init(
        parallel: Int = 4,
        timeScale: Double = 1,
        reportDirectory: String = ".rollout-e2e/reports",
        timeoutSlack: Duration = .seconds(10),
        pollInterval: Duration = .milliseconds(250),
        defaultWaitTimeout: ManifestDuration = ManifestDuration(seconds: 300),
        defaultStepTimeout: ManifestDuration = ManifestDuration(seconds: 120),
        cleanupTimeout: Duration = .seconds(30),
        trafficBucket: Duration = .seconds(1)
    ) {
        self.parallel = parallel
        self.timeScale = timeScale
        self.reportDirectory = reportDirectory
        self.timeoutSlack = timeoutSlack
        self.pollInterval = pollInterval
        self.defaultWaitTimeout = defaultWaitTimeout
        self.defaultStepTimeout = defaultStepTimeout
        self.cleanupTimeout = cleanupTimeout
        self.trafficBucket = trafficBucket
    }

    /// A scenario duration in real time.
    public func scaled(_ duration: ManifestDuration) -> Duration {
        .milliseconds(Int64((duration.seconds * timeScale * 1000).rounded()))
    }

    /// A scenario timeout in real time: scaled, plus the slack.
    public func scaledTimeout(_ duration: ManifestDuration) -> Duration {
        scaled(duration) + timeoutSlack
    }
}
