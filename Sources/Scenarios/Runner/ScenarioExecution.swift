import Foundation
import ObjectModel
import YAML

/// Runs one scenario's steps against a session: timeouts, catch/finally, a poller for the progress line and
/// `traffic … until`, and the final recording of everything assertions and reports read.
actor ScenarioExecution {
    let loaded: LoadedScenario
    let session: any ScenarioSession
    let options: RunnerOptions
    let progress: ProgressReporter
    let clock: ScenarioClock
    private var results: [StepResult] = []
    private var current = ProgressReporter.State()
    /// Loads to stop when their canary reaches a decision: name → (canary key, start time).
    private var untilWatchers: [String: (canary: CanaryKey, since: Double)] = [:]
    private var latest: [CanaryKey: CanaryObservation] = [:]

    /// A canary by name and namespace.
    struct CanaryKey: Hashable, Sendable {
        var name: String
        var namespace: String
        var label: String { ScenarioObservations.key(canary: name, namespace: namespace) }
    }

    init(
        loaded: LoadedScenario,
        session: any ScenarioSession,
        options: RunnerOptions,
        progress: ProgressReporter,
        clock: ScenarioClock
    ) {
        self.loaded = loaded
        self.session = session
        self.options = options
        self.progress = progress
        self.clock = clock
    }

    private var spec: ScenarioSpec { loaded.scenario.spec }

    // MARK: Running

    /// Runs steps, then `catch` if one failed, then `finally`; returns every step's result.
    func run() async -> [StepResult] {
        let poller = Task { [weak self] in
            while !Task.isCancelled {
                await self?.poll()
                try? await Task.sleep(for: self?.options.pollInterval ?? .milliseconds(250))
            }
        }
        defer { poller.cancel() }
        let limit = options.scaledTimeout(spec.effectiveTimeout)
        var failed = false
        var expired = false
        do {
            try await withDeadline(limit) { [self] in
                let ok = await runList(spec.steps, list: "steps", stopOnFailure: true)
                if !ok { throw StepFailure(message: "") }
            }
        } catch is DeadlineExceeded {
            failed = true
            expired = true
            // The cancelled step (and the skipped rest) may already be recorded; say why they stopped.
            let expired = "the scenario's timeout (\(spec.effectiveTimeout), \(limit.shortDescription) real) expired"
            if let index = results.firstIndex(where: { $0.list == "steps" && $0.status != .passed }) {
                results[index].status = .timedOut
                results[index].message = expired + " during this step"
            } else {
                results.append(
                    StepResult(
                        list: "steps",
                        index: 0,
                        name: "scenario",
                        status: .timedOut,
                        duration: 0,
                        message: expired
                    )
                )
            }
            let recorded = Set(results.filter { $0.list == "steps" }.map(\.index))
            for index in spec.steps.indices where !recorded.contains(index) {
                results.append(
                    StepResult(
                        list: "steps",
                        index: index,
                        name: spec.steps[index].displayName,
                        status: .skipped,
                        duration: 0
                    )
                )
            }
        } catch {
            failed = true
        }
        // After the scenario's own timeout, cleanup still runs, each step capped so a stuck stack cannot hang the run.
        let cap = expired ? options.cleanupTimeout : nil
        if failed, let catchSteps = spec.catch {
            _ = await runList(catchSteps, list: "catch", stopOnFailure: false, cap: cap)
        }
        if let finallySteps = spec.finally {
            _ = await runList(finallySteps, list: "finally", stopOnFailure: false, cap: cap)
        }
        return results
    }

    /// Runs a list of steps; after a failure the rest are skipped when `stopOnFailure`. Returns whether all passed.
    private func runList(_ steps: [Step], list: String, stopOnFailure: Bool, cap: Duration? = nil) async -> Bool {
        var allPassed = true
        for (index, step) in steps.enumerated() {
            if !allPassed && stopOnFailure {
                results.append(
                    StepResult(list: list, index: index, name: step.displayName, status: .skipped, duration: 0)
                )
                continue
            }
            current.step = (list == "steps" ? "" : "\(list): ") + step.displayName
            current.stepIndex = index
            current.stepCount = steps.count
            await progress.update(loaded.name, current)
            let result = await runStep(step, list: list, index: index, cap: cap)
            results.append(result)
            if result.status != .passed { allPassed = false }
            // A wait that just saw the canary decide also ends its `until` loads, before the next step reads traffic.
            await poll()
        }
        return allPassed
    }

    private func runStep(_ step: Step, list: String, index: Int, cap: Duration?) async -> StepResult {
        let started = ContinuousClock.Instant.now
        let timeout = cap.map { min($0, stepTimeout(step)) } ?? stepTimeout(step)
        var status = StepResult.Status.passed
        var message = ""
        var assertions: [AssertionResult] = []
        do {
            assertions = try await withDeadline(timeout) { [self] in
                try await perform(step.action, timeout: timeout, retry: step.timeout != nil)
            }
            if let failure = assertions.first(where: { !$0.passed }) {
                status = .failed
                message = "\(failure.name): \(failure.message)"
            }
        } catch let failure as StepFailure {
            status = .failed
            message = failure.message
            assertions = failure.assertions
        } catch is DeadlineExceeded {
            status = .timedOut
            message =
                "timed out after \(timeout.shortDescription) (\(step.timeout.map { "timeout \($0)" } ?? "default timeout"))"
        } catch is CancellationError {
            status = .timedOut
            message = "cancelled: the scenario's timeout expired"
        } catch {
            status = .failed
            message = "\(error)"
        }
        return StepResult(
            list: list,
            index: index,
            name: step.displayName,
            status: status,
            duration: (ContinuousClock.Instant.now - started).seconds,
            message: message,
            assertions: assertions
        )
    }

    private func stepTimeout(_ step: Step) -> Duration {
        if let timeout = step.timeout { return options.scaledTimeout(timeout) }
        switch step.action {
        case .wait: return options.scaledTimeout(options.defaultWaitTimeout)
        case .sleep(let duration):
            return options.scaledTimeout(duration) + options.scaledTimeout(options.defaultStepTimeout)
        default: return options.scaledTimeout(options.defaultStepTimeout)
        }
    }

    // MARK: Actions

    /// Performs one action; assertion results for `assert`, empty otherwise. Throws ``StepFailure`` with a message.
    /// `retry`: an `assert` with its own timeout is re-evaluated until it passes (Chainsaw's rule), not just once.
    private func perform(_ action: StepAction, timeout: Duration, retry: Bool) async throws -> [AssertionResult] {
        if try await loaded.performOnCluster(action, session: session) { return [] }
        switch action {
        case .commit, .merge, .apply, .delete, .gate, .fault:
            break
        case .traffic(.start(let start)):
            try await startTraffic(start)
        case .traffic(.stop(let name)):
            untilWatchers[name] = nil
            try await session.stopTraffic(name)
        case .sleep(let duration):
            try await Task.sleep(for: options.scaled(duration))
        case .wait(let wait):
            try await self.wait(wait, deadline: .now + timeout - .milliseconds(500))
        case .assert(let assert):
            let deadline = ContinuousClock.Instant.now + timeout - .milliseconds(50)
            // Alerts in flight are waited for within the first half of the step's time at most.
            let alertDeadline = ContinuousClock.Instant.now + min(Self.alertGrace, timeout / 2)
            var results = try await evaluate(assert, alertDeadline: alertDeadline)
            while retry && results.contains(where: { !$0.passed }) && ContinuousClock.Instant.now < deadline {
                try await Task.sleep(for: options.pollInterval)
                results = try await evaluate(assert, alertDeadline: alertDeadline)
            }
            return results
        }
        return []
    }

    private func startTraffic(_ start: TrafficStart) async throws {
        guard let host = start.host ?? loaded.content.ingressHosts.first else {
            throw StepFailure(
                message: "traffic \(start.name): no host given and no Ingress host in the scenario's manifests"
            )
        }
        let load = TrafficLoad(
            name: start.name,
            method: start.method,
            path: start.path,
            host: host,
            headers: start.headers,
            rate: start.rate,
            concurrency: start.concurrency,
            duration: start.duration.map(options.scaled)
        )
        if let until = start.until {
            untilWatchers[start.name] = (
                CanaryKey(name: until.canary, namespace: until.namespace ?? spec.namespace), clock.now
            )
        }
        try await session.startTraffic(load)
    }

    // MARK: Waiting

    private func wait(_ wait: WaitAction, deadline: ContinuousClock.Instant) async throws {
        var last = "nothing observed yet"
        while true {
            let (satisfied, observed) = try await check(wait)
            last = observed
            if satisfied { return }
            if ContinuousClock.Instant.now >= deadline {
                throw StepFailure(
                    message: "timed out waiting for \(wait.summary)\(await fluxProblems()); last observed: \(last)"
                )
            }
            // Never sleep past the deadline: the step's own deadline would cut the wait before it says what it saw.
            try await Task.sleep(for: min(options.pollInterval, max(.zero, deadline - .now)))
        }
    }

    /// The scenario's Flux objects that are not Ready, with Flux's reason and message — often why a canary never
    /// moved (a commit Flux could not build) — as a suffix for a wait's timeout message; empty when all are Ready.
    private func fluxProblems() async -> String {
        var problems: [String] = []
        for reference in loaded.fluxObjects {
            guard let object = try? await session.object(reference),
                let ready = object.find(["status", "conditions"])?.items?.first(where: {
                    $0["type"]?.scalarValue == "Ready"
                }),
                ready["status"]?.scalarValue != "True"
            else { continue }
            let reason = ready["reason"]?.scalarValue.map { " (\($0))" } ?? ""
            let message = ready["message"]?.scalarValue.map { ": \($0)" } ?? ""
            problems.append(
                "\(reference.kind) \(reference.namespace ?? "")/\(reference.name) is not Ready\(reason)\(message)"
            )
        }
        return problems.isEmpty ? "" : "; Flux: " + problems.joined(separator: "; ")
    }

    /// Whether the wait's condition holds, and what was observed (for the timeout message).
    private func check(_ wait: WaitAction) async throws -> (Bool, String) {
        let namespace = wait.namespace ?? spec.namespace
        if let canary = wait.canary {
            let timeline = try await session.canaryTimeline(canary: canary, namespace: namespace)
            guard let status = timeline.last else { return (false, "canary \(canary).\(namespace) does not exist yet") }
            var ok = true
            if let phases = wait.phase?.values, !phases.contains(status.phase) { ok = false }
            if let weight = wait.canaryWeight, status.canaryWeight < weight { ok = false }
            if let checks = wait.failedChecks, status.failedChecks < checks { ok = false }
            if let iterations = wait.iterations, status.iterations < iterations { ok = false }
            let state =
                "phase \(status.phase), canaryWeight \(status.canaryWeight), failedChecks \(status.failedChecks), "
                + "iterations \(status.iterations)"
            return (ok, state + "; timeline: " + TimelineFacts.compact(timeline))
        }
        if let reference = wait.object, let match = wait.match {
            let target = ObjectReference(
                kind: reference.kind,
                name: reference.name,
                namespace: reference.namespace ?? namespace
            )
            guard let object = try await session.object(target) else { return (false, "\(target) does not exist") }
            let differences = PartialMatch.mismatches(expected: match, actual: object)
            return (differences.isEmpty, differences.joined(separator: "; "))
        }
        if let condition = wait.condition {
            let target = ObjectReference(
                kind: condition.kind,
                name: condition.name,
                namespace: condition.namespace ?? namespace
            )
            guard let object = try await session.object(target) else { return (false, "\(target) does not exist") }
            let conditions = object.find(["status", "conditions"])?.items ?? []
            let entry = conditions.first { $0["type"]?.scalarValue == condition.type }
            let status = entry?["status"]?.scalarValue
            let reason = entry?["message"]?.scalarValue ?? entry?["reason"]?.scalarValue ?? ""
            return (status == (condition.status ?? "True"), "\(condition.type)=\(status ?? "(absent)") \(reason)")
        }
        return (false, "nothing to wait for")
    }

    // MARK: Assertions

    /// How long an alert assertion waits for alerts still on their way (real time; at most half the step's time).
    static let alertGrace: Duration = .seconds(5)

    private func evaluate(_ assert: AssertAction, alertDeadline: ContinuousClock.Instant) async throws
        -> [AssertionResult]
    {
        var results: [AssertionResult] = []
        if let timeline = assert.timeline {
            let key = CanaryKey(name: timeline.canary, namespace: timeline.namespace ?? spec.namespace)
            let observed = try await session.canaryTimeline(canary: key.name, namespace: key.namespace)
            results += TimelineAssertions.evaluate(timeline, timeline: observed, label: key.label)
        }
        if let object = assert.object {
            let namespace = object.namespace ?? spec.namespace
            let found = try await session.object(
                ObjectReference(kind: object.kind, name: object.name, namespace: namespace)
            )
            results.append(EventAssertions.evaluate(object, object: found, namespace: namespace))
        }
        if let traffic = assert.traffic {
            var timeline: [CanaryObservation] = []
            var label = "(no canary)"
            if let canary = traffic.canary {
                let key = CanaryKey(name: canary, namespace: traffic.namespace ?? spec.namespace)
                timeline = try await session.canaryTimeline(canary: key.name, namespace: key.namespace)
                label = key.label
            }
            results += TrafficAssertions.evaluate(
                traffic,
                samples: await session.trafficSamples(),
                timeline: timeline,
                label: label,
                bucketSeconds: options.trafficBucket.seconds / options.timeScale
            )
        }
        if assert.alerts != nil, let reason = session.alertsUnavailable {
            results.append(AssertionResult(name: "alerts", passed: false, message: reason))
        } else if let alerts = assert.alerts {
            let author = alerts.canary.map {
                ScenarioObservations.key(canary: $0, namespace: alerts.namespace ?? spec.namespace)
            }
            // Alerts travel asynchronously (Flagger posts after writing the status the scenario waited for), so a
            // failing alert assertion is re-read for a few seconds before it counts.
            var outcome = EventAssertions.evaluate(alerts, alerts: await session.alerts(), author: author)
            while outcome.contains(where: { !$0.passed }), ContinuousClock.now < alertDeadline {
                try await Task.sleep(for: .milliseconds(200))
                outcome = EventAssertions.evaluate(alerts, alerts: await session.alerts(), author: author)
            }
            results += outcome
        }
        if let webhooks = assert.webhooks {
            if let reason = session.webhookCallsUnavailable {
                results.append(AssertionResult(name: "webhooks", passed: false, message: reason))
            } else {
                let namespace = webhooks.namespace ?? spec.namespace
                var events: [String] = []
                if let canary = webhooks.canary,
                    (webhooks.called ?? []).contains(where: { $0.onceForEachEvent == true })
                {
                    events = try await session.canaryTimeline(canary: canary, namespace: namespace).compactMap(\.event)
                }
                results += EventAssertions.evaluate(
                    webhooks,
                    calls: await session.webhookCalls(),
                    canary: webhooks.canary,
                    namespace: namespace,
                    events: events
                )
            }
        }
        return results
    }

    // MARK: Observation

    /// The canaries the scenario talks about (by its steps), or the ones its content defines, in its namespace.
    func canaries() -> [CanaryKey] {
        var keys: [CanaryKey] = []
        func add(_ name: String?, _ namespace: String?) {
            guard let name else { return }
            let key = CanaryKey(name: name, namespace: namespace ?? spec.namespace)
            if !keys.contains(key) { keys.append(key) }
        }
        for step in spec.steps + (spec.catch ?? []) + (spec.finally ?? []) {
            switch step.action {
            case .wait(let wait): add(wait.canary, wait.namespace)
            case .gate(let gate): add(gate.canary, gate.namespace)
            case .traffic(.start(let start)): add(start.until?.canary, start.until?.namespace)
            case .assert(let assert):
                add(assert.timeline?.canary, assert.timeline?.namespace)
                add(assert.traffic?.canary, assert.traffic?.namespace)
                add(assert.alerts?.canary, assert.alerts?.namespace)
                add(assert.webhooks?.canary, assert.webhooks?.namespace)
            default: break
            }
        }
        if keys.isEmpty { for name in loaded.content.canaries.sorted() { add(name, nil) } }
        return keys
    }

    /// One poll: refresh the progress line and stop `until` loads whose canary reached a decision.
    func poll() async {
        let keys = canaries()
        for (index, key) in keys.enumerated() {
            guard let timeline = try? await session.canaryTimeline(canary: key.name, namespace: key.namespace) else {
                continue
            }
            if let last = timeline.last {
                latest[key] = last
                if index == 0 {
                    current.phase = last.phase
                    current.canaryWeight = last.canaryWeight
                    current.failedChecks = last.failedChecks
                }
            }
            for (name, watcher) in untilWatchers where watcher.canary == key {
                if Self.finished(timeline, since: watcher.since) {
                    untilWatchers[name] = nil
                    try? await session.stopTraffic(name)
                }
            }
        }
        await progress.update(loaded.name, current)
    }

    /// Whether the canary, active at or after `since`, then reached Succeeded or Failed.
    static func finished(_ timeline: [CanaryObservation], since: Double) -> Bool {
        let start = TimelineFacts.index(at: since, in: timeline) ?? 0
        var active = false
        for observation in timeline[start...] {
            if ["Waiting", "Progressing", "WaitingPromotion", "Promoting", "Finalising"].contains(observation.phase) {
                active = true
            } else if active && TimelineFacts.isDecided(observation.phase) {
                return true
            }
        }
        return false
    }

    /// Everything recorded, for the final assertions' record and the reports.
    func observations() async -> ScenarioObservations {
        var timelines: [String: [CanaryObservation]] = [:]
        for key in canaries() {
            timelines[key.label] = (try? await session.canaryTimeline(canary: key.name, namespace: key.namespace)) ?? []
        }
        return ScenarioObservations(
            canaries: timelines,
            traffic: await session.trafficSamples(),
            alerts: await session.alerts(),
            webhooks: await session.webhookCalls(),
            timeScale: options.timeScale
        )
    }
}
