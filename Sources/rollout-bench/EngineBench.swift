import CanaryEngine
import ObjectModel

/// `make bench` section "canary engine": replays 100,000 ticks of a canary with three metrics (two builtin, one
/// template) through the engine, with a new revision every 12 ticks so full runs (analysis, promotion, finalising)
/// and a failing metric every 7th tick are part of the mix. Target: under 1 s.
func runEngineBench() async throws {
    let canary = Canary(
        metadata: ObjectMeta(name: "podinfo", namespace: "test"),
        spec: CanarySpec(
            provider: "nginx",
            targetRef: CanaryTargetReference(apiVersion: "apps/v1", kind: "Deployment", name: "podinfo"),
            ingressRef: CanaryTargetReference(apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "podinfo"),
            analysis: CanaryAnalysis(
                interval: "15s",
                threshold: 5,
                maxWeight: 50,
                stepWeight: 10,
                metrics: [
                    CanaryMetric(name: "request-success-rate", thresholdRange: .init(min: 99)),
                    CanaryMetric(name: "request-duration", thresholdRange: .init(max: 500)),
                    CanaryMetric(
                        name: "latency",
                        thresholdRange: .init(max: 0.5),
                        templateRef: .init(name: "latency", namespace: "ingress-nginx")
                    ),
                ],
                webhooks: [CanaryWebhook(name: "load-test", url: "http://flagger-loadtester.test/")]
            )
        )
    )
    let engine = CanaryEngine(canary: canary)
    let tickCount = 100_000
    let healthy: [String: MetricResult] = [
        "request-success-rate": .value(99.9), "request-duration": .value(120), "latency": .value(0.2),
    ]
    let failing: [String: MetricResult] = [
        "request-success-rate": .value(97.5), "request-duration": .value(120), "latency": .value(0.2),
    ]
    var state = CanaryState()
    var events = 0
    var phases: [CanaryPhase: Int] = [:]
    let clock = ContinuousClock()
    let elapsed = await clock.measure {
        for tick in 0..<tickCount {
            var inputs = FixedTickInputs(
                revision: "v\(tick / 12)",
                metrics: tick % 7 == 3 ? failing : healthy
            )
            let outcome = await engine.advance(state, inputs: &inputs)
            state = outcome.state
            events += outcome.actions.count
            phases[state.phase, default: 0] += 1
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let perTick = seconds / Double(tickCount) * 1e6
    print("   \(tickCount) ticks, 3 metrics: \(format(seconds)) s (\(format(perTick)) µs/tick, target < 1 s)")
    let summary = phases.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
    print("   \(events) actions; ticks ending in: \(summary.joined(separator: ", "))")
    if seconds >= 1 { print("   SLOWER THAN THE 1 s TARGET") }
}

/// Three decimals without Foundation.
private func format(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
