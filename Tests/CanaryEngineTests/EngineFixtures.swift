import CanaryEngine
import ObjectModel
import Testing
import YAML

/// Canaries and replay helpers shared by the engine tests.
enum EngineFixtures {
    /// A Canary for `podinfo.test` on NGINX with `analysis` (YAML, indented under `analysis:`) and extra spec lines.
    static func canaryYAML(
        analysis: String,
        targetKind: String = "Deployment",
        spec: String = ""
    ) -> String {
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: test
        spec:
          provider: nginx
          targetRef:
            apiVersion: \(targetKind == "Service" ? "v1" : "apps/v1")
            kind: \(targetKind)
            name: podinfo
          ingressRef:
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            name: podinfo
          progressDeadlineSeconds: 60
          service:
            port: 80
            targetPort: http
        \(spec)
          analysis:
        \(analysis.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    /// The e2e test-canary analysis (spec/flagger.md §7): interval 15s, threshold 5, step 20, max 40.
    static let e2eAnalysis = """
        interval: 15s
        threshold: 5
        maxWeight: 40
        stepWeight: 20
        metrics:
          - name: request-success-rate
            thresholdRange: {min: 1}
            interval: 30s
          - name: latency
            templateRef: {name: latency, namespace: ingress-nginx}
            thresholdRange: {max: 0.5}
            interval: 30s
            templateVariables: {path: root}
        webhooks:
          - name: load-test
            url: http://flagger-loadtester.test/
            timeout: 5s
            metadata: {type: cmd, cmd: "hey -z 2m -q 10 -c 2 http://ingress-nginx-controller.ingress-nginx"}
        """

    /// A weight-based analysis with `threshold`, `stepWeight`, `maxWeight` and a success-rate metric.
    static func weights(threshold: Int, step: Int, max: Int, extra: String = "") -> String {
        """
        interval: 15s
        threshold: \(threshold)
        maxWeight: \(max)
        stepWeight: \(step)
        metrics:
          - name: request-success-rate
            thresholdRange: {min: 1}
            interval: 30s
        \(extra)
        """
    }

    /// Loads a Canary; with `expectValid` the manifest must have no validation errors.
    static func canary(_ yaml: String, expectValid: Bool = true) throws -> Canary {
        let loaded = ManifestLoader.load(yaml, file: "canary.yaml")
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        if expectValid { #expect(errors.isEmpty, "\(errors)") }
        return try #require(loaded.objects.compactMap { $0.object as? Canary }.first)
    }

    /// Replays `ticks` (the `ticks:` list, YAML) through the engine.
    static func replay(
        _ canaryYAML: String,
        _ ticks: String,
        explain: Bool = false
    ) async throws -> [AnalyzeReplay.Record] {
        let canary = try canary(canaryYAML)
        let script = try TickScript.parse("ticks:\n" + ticks, file: "ticks.yaml", canary: canary)
        return await AnalyzeReplay(canary: canary).run(script, explain: explain)
    }

    /// `Phase w R fc it` per tick, the columns of spec/flagger.md §8.
    static func rows(_ records: [AnalyzeReplay.Record]) -> [String] {
        records.map { "\($0.phase.rawValue) \($0.canaryWeight) \($0.routerWeight) \($0.failedChecks) \($0.iterations)" }
    }
}

/// A table row: a named case with a canary, its ticks, the expected rows and events that must appear per tick.
struct ReplayCase: CustomTestStringConvertible, Sendable {
    var name: String
    var canary: String
    var ticks: String
    /// `Phase w R fc it`, one per tick.
    var rows: [String]
    /// (tick, event text) pairs that must appear in that tick's events.
    var events: [(Int, String)] = []
    /// (tick, text) pairs that must not appear in that tick's events.
    var absentEvents: [(Int, String)] = []

    var testDescription: String { name }
}
