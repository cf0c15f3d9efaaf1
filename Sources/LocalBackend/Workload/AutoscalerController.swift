import ObjectModel
import ServiceLifecycle

/// The HorizontalPodAutoscaler controller of kube-controller-manager, for a cluster without a metrics API: it keeps
/// each HPA's target Deployment within `[minReplicas, maxReplicas]` and never scales on metrics (a Kind cluster without
/// metrics-server does the same: its HPAs report `FailedGetResourceMetric` and leave the count alone).
///
/// The rules are `reconcileAutoscaler` in kubernetes/kubernetes `pkg/controller/podautoscaler/horizontal.go`:
/// - `scale.Spec.Replicas == 0 && minReplicas != 0`: scaling is disabled (`ScalingDisabled`), so the canary Flagger
///   scaled to zero stays at zero;
/// - `currentReplicas > MaxReplicas`: scale to `MaxReplicas` ("Current number of replicas above Spec.MaxReplicas");
/// - `currentReplicas < minReplicas` (`minReplicas` defaults to 1): scale to it ("… below Spec.MinReplicas");
/// - otherwise the metrics decide; here there are none, so nothing changes.
///
/// Each HPA is reconciled once per sync period (`--horizontal-pod-autoscaler-sync-period`, 15 s, time-scaled): the
/// controller's work queue adds every key, also on an HPA's creation or update, with that fixed delay
/// (`NewDefaultHPARateLimiter(resyncPeriod)`, a key already waiting is not added again), so a new HPA is first
/// reconciled one period after it appears, and a change to an HPA takes effect at its next sync, not at once. Flagger's
/// primary therefore starts with one replica and reaches the HPA's minReplicas a period after its HPA is made.
public actor AutoscalerController: ServiceLifecycle.Service {
    /// kube-controller-manager's default `--horizontal-pod-autoscaler-sync-period`.
    static let syncPeriodSeconds = 15.0

    private let store: ObjectStore
    private let syncPeriod: Duration
    private let wake = ReconcileSignal()
    /// When each HPA is next reconciled: one sync period after it appeared, then once per period.
    private var due: [ObjectKey: ContinuousClock.Instant] = [:]

    public init(store: ObjectStore, timeScale: Double) {
        self.store = store
        self.syncPeriod = .milliseconds(max(20, Int(Self.syncPeriodSeconds * timeScale * 1000)))
    }

    public func run() async throws {
        let changes = await store.changes()
        let wake = wake
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in changes where event.key.kind == HorizontalPodAutoscaler.kind {
                        if event.change == .added || event.change == .deleted { wake.signal() }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        await self.syncDue()
                        await wake.wait(atMost: await self.untilNextDue())
                    }
                }
            }
        }
    }

    private func untilNextDue() -> Duration {
        let now = ContinuousClock.now
        guard let earliest = due.values.min() else { return syncPeriod }
        return max(.milliseconds(1), now.duration(to: earliest))
    }

    /// Reconciles the HPAs that are due; a new HPA is first due one sync period from now.
    func syncDue() async {
        let now = ContinuousClock.now
        let live = await store.list(kind: HorizontalPodAutoscaler.kind)
        due = due.filter { key, _ in live.contains { $0.key == key } }
        for stored in live {
            guard let when = due[stored.key] else {
                due[stored.key] = now + syncPeriod
                continue
            }
            guard when <= now, let autoscaler = stored.object as? HorizontalPodAutoscaler else { continue }
            due[stored.key] = now + syncPeriod
            await reconcile(autoscaler, namespace: stored.key.namespace)
        }
    }

    private func reconcile(_ autoscaler: HorizontalPodAutoscaler, namespace: String) async {
        let target = autoscaler.spec.scaleTargetRef
        guard target.kind == Deployment.kind,
            let deployment = await store.get(Deployment.self, namespace: namespace, name: target.name),
            let desired = Self.desiredReplicas(current: deployment.spec.replicas ?? 1, spec: autoscaler.spec)
        else { return }
        await store.update(Deployment.self, namespace: namespace, name: target.name) { $0.spec.replicas = desired }
    }

    /// The count the HPA sets on a target at `current` replicas, or nil when it leaves it (see the type's rules).
    static func desiredReplicas(current: Int, spec: HPASpec) -> Int? {
        let minimum = spec.minReplicas ?? 1
        if current == 0 && minimum != 0 { return nil }
        if current > spec.maxReplicas { return spec.maxReplicas }
        if current < minimum { return minimum }
        return nil
    }
}
