import CanaryEngine
import CurlHTTP
import Foundation
import ObjectModel
import ServiceLifecycle

/// Flagger's role on the local backend: runs the canary engine for every Canary on its analysis interval
/// (time-scaled), feeding it real inputs (deployment readiness from the store, webhooks over libcurl, Prometheus
/// queries) and applying its actions — primary Deployment and Services, the canary Ingress and its annotations
/// (through the engine's NGINX router model), scaling, promotion with ConfigMap/Secret copies, events, alerts.
/// Status goes to the store and every tick to the timeline.
public actor CanaryController: ServiceLifecycle.Service {
    private struct Run {
        var engine: CanaryEngine
        var state = CanaryState()
        var generation: Int
        var events: [String] = []
        /// Tells this run's loop from that of a Canary deleted and created again under the same name.
        var id: Int
    }

    private let store: ObjectStore
    private let ingress: IngressController
    private let services: ServiceDirectory
    private let prometheus: PrometheusClient
    private let timeScale: Double
    /// Every Canary's timeline.
    public nonisolated let timeline: TimelineRecorder
    private let alertSender: AlertSender
    private var runs: [ObjectKey: Run] = [:]
    private var runIDs = 0
    /// Why ticking is held (a fault that takes "Flagger" down, a Prometheus warming up); empty while it ticks.
    private var holds: Set<Hold> = []

    /// A reason to hold the ticks; each is released on its own.
    public enum Hold: Sendable, Hashable {
        /// The scenario took "Flagger" down (`fault: {component: flagger, action: stop}`).
        case fault
        /// Prometheus was started again and has not scraped yet (``PrometheusServer/waitUntilScraping(timeout:)``).
        case prometheusWarmUp
    }
    private var calls: [WebhookCallRecord] = []

    public init(
        store: ObjectStore,
        ingress: IngressController,
        services: ServiceDirectory,
        prometheus: PrometheusClient,
        timeScale: Double,
        timeline: TimelineRecorder
    ) {
        self.store = store
        self.ingress = ingress
        self.services = services
        self.prometheus = prometheus
        self.timeScale = timeScale
        self.timeline = timeline
        self.alertSender = AlertSender(directory: services)
    }

    /// Runs every Canary's analysis loop until the stack's graceful shutdown: one loop per Canary in the store,
    /// started when it appears, ended when it is deleted, each ticking once per (scaled) analysis interval as
    /// Flagger's scheduler does.
    public func run() async throws {
        let changes = await store.changes()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for (key, id) in await self.reconcileRuns() { group.addTask { await self.loop(key, id: id) } }
                for await event in changes where event.key.kind == Canary.kind && event.change != .statusChanged {
                    for (key, id) in await self.reconcileRuns() { group.addTask { await self.loop(key, id: id) } }
                }
                group.cancelAll()
            }
        }
        runs = [:]
    }

    /// Stops ticking without forgetting any Canary's state; ``resume(_:)`` with the same hold goes on once no other
    /// hold remains. A tick under way finishes.
    public func pause(_ hold: Hold = .fault) { holds.insert(hold) }

    public func resume(_ hold: Hold = .fault) { holds.remove(hold) }

    /// Every webhook call the engine made, oldest first.
    public func webhookCalls() -> [WebhookCallRecord] { calls }

    /// The engine state of a Canary, if it runs.
    public func state(namespace: String, name: String) -> CanaryState? {
        runs[ObjectKey(kind: Canary.kind, namespace: namespace, name: name)]?.state
    }

    // MARK: Scheduling

    /// Matches the runs to the Canaries in the store; returns the runs that need a loop.
    private func reconcileRuns() async -> [(ObjectKey, Int)] {
        let canaries = await store.list(kind: Canary.kind)
        let live = Set(canaries.map(\.key))
        for key in runs.keys where !live.contains(key) { runs[key] = nil }
        var started: [(ObjectKey, Int)] = []
        for stored in canaries {
            guard let canary = stored.object as? Canary else { continue }
            if var run = runs[stored.key] {
                if run.generation != stored.generation {
                    run.engine = CanaryEngine(canary: canary)
                    run.generation = stored.generation
                    runs[stored.key] = run
                }
                continue
            }
            runIDs += 1
            runs[stored.key] = Run(engine: CanaryEngine(canary: canary), generation: stored.generation, id: runIDs)
            started.append((stored.key, runIDs))
        }
        return started
    }

    /// One Canary's loop; it ends when its run is gone (the Canary was deleted) or the controller stops.
    private func loop(_ key: ObjectKey, id: Int) async {
        while !Task.isCancelled, runs[key]?.id == id {
            await tick(key)
            guard let run = runs[key], run.id == id else { return }
            // Flagger ticks once per interval; while a Canary initializes we look again soon, so `up` reaches
            // Initialized as soon as the primary is ready (the states it goes through are the same).
            let interval = run.engine.intervalSeconds * timeScale
            let wait = run.state.phase == .initializing ? min(interval, 0.1) : interval
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }

    // MARK: One tick

    private var ticking: Set<ObjectKey> = []

    private func tick(_ key: ObjectKey) async {
        guard holds.isEmpty, !ticking.contains(key), let run = runs[key] else { return }
        ticking.insert(key)
        defer { ticking.remove(key) }
        guard let canary = await store.get(key)?.object as? Canary else { return }
        let namespace = canary.namespace
        let targetName = canary.spec.targetRef.name
        guard let target = await store.get(Deployment.self, namespace: namespace, name: targetName) else {
            await record(key, event: "\(canary.spec.targetRef.kind) \(targetName).\(namespace) not found")
            return
        }
        // After the primary workload exists, every tick: the primary's autoscaler, created when absent; an error
        // ends the tick with a warning event (scheduler.go:234-239).
        if canary.spec.autoscalerRef != nil, let error = await reconcilePrimaryScaler(canary, initial: true) {
            await initializePrimary(canary, target: target)
            await record(key, event: error)
            return
        }
        let primaryKey = ObjectKey(kind: Deployment.kind, namespace: namespace, name: "\(targetName)-primary")
        let now = await timeline.now()
        let analysis = canary.effectiveAnalysis
        var templates: [String: MetricTemplate] = [:]
        for template in await store.list(MetricTemplate.self) {
            templates["\(template.metadata.namespace ?? "default")/\(template.metadata.name)"] = template
        }
        var inputs = LiveTickInputs(
            revision: DeploymentController.templateHash(target.spec.template),
            trackedConfigs: await trackedConfigs(target),
            primaryReadiness: await readiness(
                primaryKey,
                deadline: canary.progressDeadlineSeconds,
                threshold: analysis?.effectivePrimaryReadyThreshold ?? 100,
                now: now
            ),
            canaryReadiness: await readiness(
                ObjectKey(kind: Deployment.kind, namespace: namespace, name: targetName),
                deadline: canary.progressDeadlineSeconds,
                threshold: analysis?.effectiveCanaryReadyThreshold ?? 100,
                now: now
            ),
            canary: canary,
            services: services,
            prometheus: prometheus,
            timeScale: timeScale,
            templates: templates
        )
        let outcome = await run.engine.advance(run.state, inputs: &inputs)
        var routingChanged = false
        var events: [String] = []
        for action in outcome.actions {
            switch action {
            case .initializePrimary:
                await initializePrimary(canary, target: target)
            case .reconcileRouter, .setRoutes:
                await applyCanaryIngress(canary, routes: outcome.state.routes)
                routingChanged = true
            case .scaleToZero:
                // Traffic leaves the canary before its pods go: ingress-nginx applies a weight change within the
                // tick (Lua, no reload) while the pods' endpoints are removed only as they terminate, so users see
                // no error there. Here the reload is awaited first, so no request is routed to a stopping replica.
                if routingChanged {
                    do {
                        try await ingress.sync()
                        routingChanged = false
                    } catch {
                        events.append("ingress reload failed: \(error)")
                    }
                }
                await scale(namespace: namespace, name: targetName, to: 0)
            case .scaleFromZero:
                let primaryReplicas = await store.get(
                    Deployment.self,
                    namespace: namespace,
                    name: "\(targetName)-primary"
                )?
                .spec.replicas
                let current = await store.get(Deployment.self, namespace: namespace, name: targetName)?.spec.replicas
                // ScaleFromZero (deployment_controller.go:166-211): the target's own count; else, without an
                // autoscaler, the primary's; with an HPA its minReplicas when above 1; else 1.
                var fallback = max(primaryReplicas ?? 1, 1)
                if let scaler = canary.spec.autoscalerRef {
                    let minimum = await store.get(
                        HorizontalPodAutoscaler.self,
                        namespace: namespace,
                        name: scaler.name
                    )?.spec.minReplicas
                    fallback = max(minimum ?? 1, 1)
                }
                let replicas = (current ?? 0) > 0 ? current ?? 1 : fallback
                await scale(namespace: namespace, name: targetName, to: replicas)
            case .promote:
                await promote(canary, namespace: namespace, targetName: targetName)
            case .event(let event):
                events.append(event.message)
            case .alert(let alert):
                await sendAlert(alert, canary: canary)
            case .callWebhook, .queryMetric:
                break
            }
        }
        if routingChanged {
            do {
                try await ingress.sync()
            } catch {
                events.append("ingress reload failed: \(error)")
            }
        }
        // At promotion the primary's autoscaler takes the HPA's current spec: on the Promoting tick that routes all
        // traffic back to the primary (scheduler.go:381-386), or with the promotion of a skipped analysis (:809-812).
        if canary.spec.autoscalerRef != nil {
            let promotionShift =
                run.state.phase == .promoting
                && (outcome.state.phase != .promoting
                    || outcome.actions.contains { if case .setRoutes = $0 { true } else { false } })
            let skippedPromotion =
                outcome.state.phase == .succeeded
                && outcome.actions.contains { if case .promote = $0 { true } else { false } }
            if promotionShift || skippedPromotion, let error = await reconcilePrimaryScaler(canary, initial: false) {
                events.append(error)
            }
        }
        let callTime = await timeline.now()
        for call in inputs.calls {
            calls.append(
                WebhookCallRecord(
                    t: callTime,
                    name: call.name,
                    type: call.type,
                    canary: canary.name,
                    namespace: namespace,
                    phase: call.phase,
                    status: call.status
                )
            )
        }
        guard var current = runs[key] else { return }
        let transitioned = current.state.phase != outcome.state.phase
        current.state = outcome.state
        current.events += events
        runs[key] = current
        let routerWeight = run.engine.routerWeight(of: outcome.state)
        let t = await timeline.now()
        let previous = await store.status(CanaryStatusRecord.self, of: key)
        await store.setStatus(
            key,
            CanaryStatusRecord(
                state: outcome.state,
                routerWeight: routerWeight,
                lastTransitionTime: transitioned ? t : previous?.lastTransitionTime ?? t,
                events: current.events
            )
        )
        let observation = CanaryObservation(
            t: t,
            phase: outcome.state.phase.rawValue,
            canaryWeight: outcome.state.canaryWeight,
            routerWeight: routerWeight,
            failedChecks: outcome.state.failedChecks,
            iterations: outcome.state.iterations
        )
        if events.isEmpty {
            await timeline.record(namespace: namespace, name: canary.name, .canary(observation))
        }
        for event in events {
            var withEvent = observation
            withEvent.event = event
            await timeline.record(namespace: namespace, name: canary.name, .canary(withEvent))
        }
    }

    private func record(_ key: ObjectKey, event: String) async {
        guard var run = runs[key] else { return }
        if run.events.last != event { run.events.append(event) }
        runs[key] = run
    }

    // MARK: Inputs

    private func readiness(_ key: ObjectKey, deadline: Int, threshold: Int, now: Double) async -> DeploymentReadiness {
        guard let stored = await store.get(key), let deployment = stored.object as? Deployment else {
            return .notReady("deployment \(key.name).\(key.namespace) not found")
        }
        guard let status = stored.status as? DeploymentStatus else {
            return .notReady(
                "waiting for rollout to finish: observed deployment generation less than desired generation"
            )
        }
        let snapshot = DeploymentSnapshot(
            name: key.name,
            generation: stored.generation,
            observedGeneration: status.observedGeneration,
            specReplicas: deployment.spec.replicas,
            replicas: status.replicas,
            updatedReplicas: status.updatedReplicas,
            availableReplicas: status.availableReplicas,
            hasProgressingCondition: status.condition("Progressing") != nil,
            progressingReason: status.condition("Progressing")?.reason,
            minimumReplicasUnavailableSince: minimumReplicasUnavailableSince(status, now: now)
        )
        return snapshot.readiness(progressDeadlineSeconds: deadline, readyThreshold: threshold, now: now)
    }

    /// When `Available` turned False with reason MinimumReplicasUnavailable, on the timeline's (scenario-time) clock,
    /// which `now` is on: Flagger fails a Deployment that stays so for its progress deadline (deployment_ready.go).
    private func minimumReplicasUnavailableSince(_ status: DeploymentStatus, now: Double) -> Double? {
        guard let available = status.condition("Available"), available.status == "False",
            available.reason == "MinimumReplicasUnavailable", let since = available.lastUpdateTime
        else { return nil }
        return now - max(0, Date().timeIntervalSince1970 - since) / timeScale
    }

    /// A checksum of the ConfigMaps and Secrets the target uses, nil when it uses none (Flagger's tracked configs).
    private func trackedConfigs(_ target: Deployment) async -> String? {
        let references = PrimaryObjects.configReferences(of: target.spec.template)
        guard !references.isEmpty else { return nil }
        let namespace = target.metadata.namespace ?? "default"
        var text = ""
        for reference in references {
            let stored = await store.get(ObjectKey(kind: reference.kind, namespace: namespace, name: reference.name))
            if let map = stored?.object as? ConfigMap {
                text +=
                    "cm/\(reference.name):"
                    + (map.data ?? [:]).sorted { $0.key < $1.key }.map { "\($0)=\($1)" }
                    .joined(separator: ",")
            } else if let secret = stored?.object as? Secret {
                text +=
                    "secret/\(reference.name):"
                    + (secret.data ?? [:]).merging(secret.stringData ?? [:]) { $1 }
                    .sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: ",")
            }
            text += ";"
        }
        return DeploymentController.stableHash(text)
    }

    // MARK: Actions

    private var manager: String { "Flagger" }

    private func initializePrimary(_ canary: Canary, target: Deployment) async {
        let namespace = canary.namespace
        let primaryName = "\(target.metadata.name)-primary"
        if await store.get(Deployment.self, namespace: namespace, name: primaryName) == nil {
            await copyConfigs(of: target)
            let replicas = (target.spec.replicas ?? 1) > 0 ? target.spec.replicas : 1
            await store.apply(PrimaryObjects.primary(of: target, replicas: replicas), manager: manager)
        }
        for service in PrimaryObjects.services(for: canary, target: target) {
            await store.apply(service, manager: manager)
        }
    }

    /// Flagger's `ReconcilePrimaryScaler` for an HPA (flagger v1.44.0 pkg/canary/hpa_reconciler.go:36-146):
    /// `<hpa>-primary`, aimed at `<target>-primary`, with the HPA's min and max (`primaryScalerReplicas` overriding
    /// them), metrics and behavior, and the HPA's labels without the `toolkit.fluxcd.io` ones (`filterMetadata`).
    /// `initial` only creates it when absent; otherwise a primary HPA that differs is updated, and its labels and
    /// annotations become the HPA's that carry an `--include-label-prefix` — none by default, so they are emptied
    /// (`updateObjectMeta`, a quirk kept here). Scalers other than an HPA (KEDA) are not modelled. Returns the error
    /// Flagger records as a warning, nil on success.
    private func reconcilePrimaryScaler(_ canary: Canary, initial: Bool) async -> String? {
        guard let reference = canary.spec.autoscalerRef, reference.kind == HorizontalPodAutoscaler.kind else {
            return nil
        }
        let namespace = canary.namespace
        guard let autoscaler = await store.get(HorizontalPodAutoscaler.self, namespace: namespace, name: reference.name)
        else {
            return "HorizontalPodAutoscaler \(reference.name).\(namespace) get query error: "
                + "horizontalpodautoscalers.autoscaling \"\(reference.name)\" not found"
        }
        var spec = autoscaler.spec
        spec.scaleTargetRef.name = "\(canary.spec.targetRef.name)-primary"
        if let minimum = reference.primaryScalerReplicas?.minReplicas { spec.minReplicas = minimum }
        if let maximum = reference.primaryScalerReplicas?.maxReplicas { spec.maxReplicas = maximum }
        let primaryName = "\(reference.name)-primary"
        guard var primary = await store.get(HorizontalPodAutoscaler.self, namespace: namespace, name: primaryName)
        else {
            var created = autoscaler
            created.metadata = ObjectMeta(
                name: primaryName,
                namespace: namespace,
                labels: autoscaler.metadata.labels?.filter { !$0.key.contains("toolkit.fluxcd.io") }
            )
            created.spec = spec
            created.status = nil
            await store.apply(created, manager: manager)
            return nil
        }
        guard !initial else { return nil }
        // hasHPAChanged: the primary's labels and annotations are compared with the HPA's own.
        let changed =
            primary.spec.metrics != spec.metrics || primary.spec.behavior != spec.behavior
            || (primary.metadata.labels ?? [:]) != (autoscaler.metadata.labels ?? [:])
            || (primary.metadata.annotations ?? [:]) != (autoscaler.metadata.annotations ?? [:])
            || (primary.spec.minReplicas ?? 0) != (spec.minReplicas ?? 0)
            || primary.spec.maxReplicas != spec.maxReplicas
        guard changed else { return nil }
        primary.spec.minReplicas = spec.minReplicas
        primary.spec.maxReplicas = spec.maxReplicas
        primary.spec.metrics = spec.metrics
        primary.spec.behavior = spec.behavior
        primary.metadata.labels = [:]
        primary.metadata.annotations = [:]
        await store.apply(primary, manager: manager)
        return nil
    }

    private func applyCanaryIngress(_ canary: Canary, routes: NginxRoutes) async {
        guard let ingressName = canary.spec.ingressRef?.name,
            let original = await store.get(Ingress.self, namespace: canary.namespace, name: ingressName)
        else { return }
        await store.apply(original.canaryIngress(for: canary, routes: routes), manager: manager)
    }

    private func scale(namespace: String, name: String, to replicas: Int) async {
        await store.update(Deployment.self, namespace: namespace, name: name) { $0.spec.replicas = replicas }
    }

    private func promote(_ canary: Canary, namespace: String, targetName: String) async {
        guard let target = await store.get(Deployment.self, namespace: namespace, name: targetName) else { return }
        await copyConfigs(of: target)
        let existing = await store.get(Deployment.self, namespace: namespace, name: "\(targetName)-primary")
        var replicas = existing?.spec.replicas
        if canary.spec.autoscalerRef == nil, let targetReplicas = target.spec.replicas, targetReplicas > 0 {
            replicas = targetReplicas
        }
        await store.apply(PrimaryObjects.primary(of: target, replicas: replicas), manager: manager)
    }

    private func copyConfigs(of target: Deployment) async {
        let namespace = target.metadata.namespace ?? "default"
        for reference in PrimaryObjects.configReferences(of: target.spec.template) {
            let stored = await store.get(ObjectKey(kind: reference.kind, namespace: namespace, name: reference.name))
            if var map = stored?.object as? ConfigMap {
                map.metadata = ObjectMeta(
                    name: "\(reference.name)-primary",
                    namespace: namespace,
                    labels: map.metadata.labels
                )
                await store.apply(map, manager: manager)
            } else if var secret = stored?.object as? Secret {
                secret.metadata = ObjectMeta(
                    name: "\(reference.name)-primary",
                    namespace: namespace,
                    labels: secret.metadata.labels
                )
                await store.apply(secret, manager: manager)
            }
        }
    }

    private func sendAlert(_ alert: CanaryAlertMessage, canary: Canary) async {
        guard let names = alert.recipients else { return }
        let entries = (canary.effectiveAnalysis?.alerts ?? []).filter { names.contains($0.name) }
        var providers: [AlertProvider] = []
        for entry in entries {
            let namespace = entry.providerRef.namespace ?? canary.namespace
            if let provider = await store.get(AlertProvider.self, namespace: namespace, name: entry.providerRef.name) {
                providers.append(provider)
            }
        }
        var secrets: [String: [String: String]] = [:]
        for secret in await store.list(Secret.self) {
            var values = (secret.data ?? [:]).compactMapValues {
                Data(base64Encoded: $0).map { String(decoding: $0, as: UTF8.self) }
            }
            values.merge(secret.stringData ?? [:]) { $1 }
            secrets["\(secret.metadata.namespace ?? "default")/\(secret.metadata.name)"] = values
        }
        // Flagger posts alerts inside the tick (a 5 s timeout each, failures only logged).
        await alertSender.send(alert, canary: canary, providers: providers, secrets: secrets)
    }
}
