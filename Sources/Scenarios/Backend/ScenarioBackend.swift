import Foundation
import ObjectModel
import YAML

/// What the scenario runner needs from a stack (local or kind). A backend opens one isolated ``ScenarioSession``
/// per scenario, so scenarios can run in parallel.
///
/// Implementations: the local backend (issue 5) and the kind backend (issue 7). Tests use a recording double.
public protocol ScenarioBackend: Sendable {
    /// A short name for reports: `local`, `kind`.
    var name: String { get }

    /// Prepares an isolated world for one scenario: its namespaces, a fresh Git repository seeded from
    /// `setup.gitContent` on every branch of `setup.branches`, and the Flux/loadtester/alert receiver plumbing.
    ///
    /// Isolation is the backend's job: two sessions whose scenarios name the same namespace (`test`) must not see
    /// each other's objects, traffic, gates, alerts or webhook calls (separate stores, or namespaces and hosts
    /// mapped per session). Everything the session reports uses the scenario's own names.
    ///
    /// Addresses in the scenario's manifests that name parts of the stack are the backend's to resolve: the
    /// loadtester (`http://flagger-loadtester.test/…`, gates and rollback gate per canary), an AlertProvider's
    /// `address` (its alert receiver), a MetricTemplate's Prometheus `address`, a GitRepository's `url`.
    func openSession(_ setup: SessionSetup) async throws -> any ScenarioSession
}

/// Everything a backend needs to open a session.
public struct SessionSetup: Sendable {
    /// The scenario's name, unique in the run (use it to name per-session resources).
    public var scenario: String
    /// The namespaces the scenario uses (its `spec.namespace` first).
    public var namespaces: [String]
    /// The directory whose files become the first commit of the session's repository; nil without `spec.git`.
    public var gitContent: String?
    /// Branches created at that first commit; the first is the default branch.
    public var branches: [String]
    /// Flagger's durations (interval, metric windows, webhook timeouts, deadlines) run this much faster.
    public var timeScale: Double
    /// Where failure diagnostics go (``ScenarioSession/collectDiagnostics(into:)``).
    public var reportDirectory: String
    /// The scenario's clock: every `t` the session reports is `clock.now` at that moment (scenario time).
    public var clock: ScenarioClock
    /// Whether the scenario asserts on webhook calls (a backend may pay for recording them only then).
    public var observesWebhooks: Bool

    public init(
        scenario: String,
        namespaces: [String],
        gitContent: String?,
        branches: [String],
        timeScale: Double,
        reportDirectory: String,
        clock: ScenarioClock,
        observesWebhooks: Bool = false
    ) {
        self.observesWebhooks = observesWebhooks
        self.scenario = scenario
        self.namespaces = namespaces
        self.gitContent = gitContent
        self.branches = branches
        self.timeScale = timeScale
        self.reportDirectory = reportDirectory
        self.clock = clock
    }
}

/// One scenario's view of the stack. Every call may throw ``ScenarioBackendError`` with an actionable message;
/// the runner turns it into the step's failure. Calls should honour task cancellation (step timeouts cancel).
public protocol ScenarioSession: Sendable {
    // MARK: Cluster

    /// Creates or updates objects (`kubectl apply`); objects without a namespace go to `namespace`. A
    /// GitRepository applied here is pointed at the session's repository whatever its `url` says.
    func apply(_ manifests: [Node], namespace: String) async throws
    /// Deletes objects; an object that does not exist is not an error.
    func delete(_ objects: [ObjectReference]) async throws
    /// The object as the cluster has it now (status included), or nil when it does not exist.
    func object(_ reference: ObjectReference) async throws -> Node?

    // MARK: Git

    /// Applies `changes` on `branch` of the session's repository as one commit, and pushes.
    /// ``FileEditor`` performs the edits on file text, keeping everything else as written.
    func commit(branch: String, message: String, changes: [FileChange]) async throws
    /// The same commit; with `waitForFlux` false it only pushes and requests a reconcile, without waiting for Flux
    /// to apply it or failing when Flux cannot (the Kustomization's `Ready` condition says why).
    func commit(branch: String, message: String, changes: [FileChange], waitForFlux: Bool) async throws
    /// Merges `from` into `into` and pushes.
    func merge(from: String, into: String, message: String) async throws

    // MARK: Traffic

    /// Starts a named background load through the ingress (``LoadTrafficDriver`` does it with libcurl). It runs
    /// for `load.duration` (already scaled to real time) or until ``stopTraffic(_:)``.
    func startTraffic(_ load: TrafficLoad) async throws
    /// Stops a load; the samples stay available. Stopping a load that already ended is not an error.
    func stopTraffic(_ name: String) async throws
    /// Responses of every load so far, aggregated per second, status and version, each with its load's name.
    func trafficSamples() async -> [NamedTrafficSample]

    // MARK: Flagger

    /// Opens or closes a loadtester gate of a canary.
    func setGate(canary: String, namespace: String, type: GateAction.GateType, open: Bool) async throws
    /// Every status change of the canary since the session opened (the canary part of DESIGN.md §5's timeline),
    /// oldest first; the last entry is the current status. Empty until the canary exists.
    func canaryTimeline(canary: String, namespace: String) async throws -> [CanaryObservation]
    /// Alerts the session's alert receiver got, oldest first.
    func alerts() async -> [ObservedAlert]
    /// Why this session cannot receive alerts (nil when it can); an `alerts` assertion then fails with it.
    var alertsUnavailable: String? { get }
    /// Webhook calls the loadtester (and other receivers) got, oldest first.
    func webhookCalls() async -> [WebhookCall]
    /// Why this backend cannot see webhook calls (nil when ``webhookCalls()`` is a full record). A `webhooks`
    /// assertion then fails with this reason instead of judging an empty list.
    var webhookCallsUnavailable: String? { get }

    // MARK: Faults

    func fault(_ fault: FaultAction, namespace: String) async throws

    // MARK: Lifecycle

    /// Writes what helps explain a failure into `directory`: each canary's status and events, controller and
    /// component logs. Returns the files written (relative to `directory`).
    func collectDiagnostics(into directory: String) async -> [String]
    /// Stops the session's loads and releases what it holds (objects, repository, ports).
    func close() async
}

extension ScenarioSession {
    public var alertsUnavailable: String? { nil }
    public var webhookCallsUnavailable: String? { nil }

    /// A backend that always waits for Flux commits as ``commit(branch:message:changes:)`` does.
    public func commit(branch: String, message: String, changes: [FileChange], waitForFlux: Bool) async throws {
        try await commit(branch: branch, message: message, changes: changes)
    }
}

/// A failure in the backend, with a message that says what was being done.
public struct ScenarioBackendError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A traffic step resolved for a backend: durations in real time, host decided.
public struct TrafficLoad: Sendable, Hashable {
    public var name: String
    public var method: String
    public var path: String
    public var host: String
    public var headers: [String: String]
    public var rate: Double?
    public var concurrency: Int?
    /// Real-time duration; nil runs until stopped.
    public var duration: Duration?

    public init(
        name: String,
        method: String = "GET",
        path: String,
        host: String,
        headers: [String: String] = [:],
        rate: Double? = nil,
        concurrency: Int? = nil,
        duration: Duration? = nil
    ) {
        self.name = name
        self.method = method
        self.path = path
        self.host = host
        self.headers = headers
        self.rate = rate
        self.concurrency = concurrency
        self.duration = duration
    }
}

/// A traffic sample with the name of the load it came from.
public struct NamedTrafficSample: Sendable, Hashable {
    public var run: String
    public var sample: TrafficSample

    public init(run: String, sample: TrafficSample) {
        self.run = run
        self.sample = sample
    }
}

/// One alert as the receiver got it (Slack-compatible payload, decoded).
public struct ObservedAlert: Sendable, Hashable {
    /// Seconds since the scenario started.
    public var t: Double
    /// The AlertProvider's type: slack, msteams, discord, rocket, gchat.
    public var provider: String
    public var channel: String?
    /// `attachments[0].author_name`: `<canary>.<namespace>`.
    public var author: String
    /// `attachments[0].text`.
    public var text: String
    /// Slack's `attachments[0].color`: `good`, or `danger` for errors.
    public var color: String
    /// `attachments[0].fields` as title → value.
    public var fields: [String: String]

    public init(
        t: Double,
        provider: String = "slack",
        channel: String? = nil,
        author: String,
        text: String,
        color: String,
        fields: [String: String] = [:]
    ) {
        self.t = t
        self.provider = provider
        self.channel = channel
        self.author = author
        self.text = text
        self.color = color
        self.fields = fields
    }
}

/// One webhook call Flagger made.
public struct WebhookCall: Sendable, Hashable {
    public var t: Double
    /// The webhook's `name` in the Canary.
    public var name: String
    /// The webhook's type (`confirm-promotion`, `rollout`…).
    public var type: String
    public var canary: String
    public var namespace: String
    /// The canary phase in the payload.
    public var phase: String
    /// The status the receiver answered.
    public var status: Int

    public init(t: Double, name: String, type: String, canary: String, namespace: String, phase: String, status: Int) {
        self.t = t
        self.name = name
        self.type = type
        self.canary = canary
        self.namespace = namespace
        self.phase = phase
        self.status = status
    }
}

/// The scenario's clock, in scenario time: real seconds since the start divided by the time scale. Every `t` of a
/// timeline is scenario time, so a run at `--time-scale 0.05` reads like a run at full speed (and like the kind
/// backend's) — a 1m analysis interval is 60 apart in the timeline either way.
public struct ScenarioClock: Sendable {
    public let start: ContinuousClock.Instant
    /// Real seconds per scenario second (`--time-scale`).
    public let timeScale: Double

    public init(start: ContinuousClock.Instant = .now, timeScale: Double = 1) {
        self.start = start
        self.timeScale = timeScale
    }

    /// Scenario seconds since the start: the `t` to record now.
    public var now: Double { scenarioSeconds(real: realSeconds) }

    /// Real seconds since the start.
    public var realSeconds: Double { Self.seconds(start.duration(to: .now)) }

    /// Real seconds as scenario seconds.
    public func scenarioSeconds(real: Double) -> Double { real / timeScale }

    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
