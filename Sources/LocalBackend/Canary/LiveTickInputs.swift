import CanaryEngine
import CurlHTTP
import Foundation
import ObjectModel

/// The canary engine's view of the real stack for one tick: readiness from the store (read when the tick starts),
/// webhook calls over libcurl and metric queries against the local Prometheus, made when the engine asks, in
/// Flagger's order, awaited inside the tick as Flagger's calls are synchronous inside its tick. Durations (webhook
/// timeouts, metric windows) are time-scaled.
struct LiveTickInputs: TickInputs {
    /// One webhook call made during the tick, for the controller's record.
    struct Call: Sendable {
        var name: String
        var type: String
        var phase: String
        var status: Int
    }

    var revision: String
    var trackedConfigs: String?
    var primaryReadiness: DeploymentReadiness
    var canaryReadiness: DeploymentReadiness
    let canary: Canary
    let services: ServiceDirectory
    let prometheus: PrometheusClient
    let timeScale: Double
    /// MetricTemplates by `namespace/name`.
    let templates: [String: MetricTemplate]
    /// Every webhook call of this tick, in order.
    private(set) var calls: [Call] = []

    init(
        revision: String,
        trackedConfigs: String?,
        primaryReadiness: DeploymentReadiness,
        canaryReadiness: DeploymentReadiness,
        canary: Canary,
        services: ServiceDirectory,
        prometheus: PrometheusClient,
        timeScale: Double,
        templates: [String: MetricTemplate]
    ) {
        self.revision = revision
        self.trackedConfigs = trackedConfigs
        self.primaryReadiness = primaryReadiness
        self.canaryReadiness = canaryReadiness
        self.canary = canary
        self.services = services
        self.prometheus = prometheus
        self.timeScale = timeScale
        self.templates = templates
    }

    /// Flagger's payload checksum: a hash of the tracked configs and the last applied spec.
    var checksum: String { DeploymentController.stableHash((trackedConfigs ?? "") + "/" + revision) }

    mutating func callWebhook(
        _ webhook: CanaryWebhook,
        type: CanaryWebhookType,
        phase: CanaryPhase
    ) async -> WebhookResult {
        let payload = CanaryWebhookPayload(
            name: canary.name,
            namespace: canary.namespace,
            phase: phase.rawValue,
            checksum: checksum,
            metadata: webhook.metadata
        )
        let retries = max(0, webhook.retries ?? 0)
        let response = await post(payload, to: webhook, retries: retries)
        calls.append(
            Call(name: webhook.name, type: type.rawValue, phase: phase.rawValue, status: response?.status ?? 0)
        )
        guard let response else { return .timeout(url: webhook.url, retries: retries) }
        return .response(status: response.status, body: response.text, url: webhook.url, retries: retries)
    }

    /// `CallEventWebhook`: the event in the payload's metadata; Flagger only logs the answer, and so do we (in the
    /// tick's call record).
    mutating func callEventWebhook(_ webhook: CanaryWebhook, event: CanaryEvent, phase: CanaryPhase) async {
        let payload = CanaryWebhookPayload.event(
            name: canary.name,
            namespace: canary.namespace,
            phase: phase.rawValue,
            checksum: checksum,
            hookMetadata: webhook.metadata,
            message: event.message,
            type: event.kind.rawValue,
            timestamp: Date()
        )
        let response = await post(payload, to: webhook, retries: max(0, webhook.retries ?? 0))
        calls.append(Call(name: webhook.name, type: "event", phase: phase.rawValue, status: response?.status ?? 0))
    }

    /// One call with go-retryablehttp's policy: retries on no answer, 429 and 5xx except 501, backing off 1 s
    /// doubling (time-scaled); `nil` when no answer came.
    private func post(_ payload: CanaryWebhookPayload, to webhook: CanaryWebhook, retries: Int) async -> HTTPResponse? {
        let url = services.resolve(url: webhook.url, defaultNamespace: canary.namespace)
        let timeout = Self.timeout(webhook.timeoutSeconds, timeScale: timeScale)
        let body = payload.json
        var attempt = 0
        while true {
            let response = try? await HTTPClient.shared.post(url, json: body, timeout: timeout)
            let retriable = response.map { $0.status == 429 || ($0.status >= 500 && $0.status != 501) } ?? true
            if !retriable || attempt >= retries || Task.isCancelled { return response }
            let backoff = Duration.milliseconds(Int(1000 * pow(2, Double(attempt)) * timeScale))
            try? await Task.sleep(for: backoff)
            attempt += 1
        }
    }

    mutating func queryMetric(_ metric: CanaryMetric, kind: MetricCheckKind) async -> MetricResult? {
        let query: String
        switch kind {
        case .requestSuccessRate, .requestDuration:
            guard
                let builtin = MetricQueries.nginx(
                    metric: metric.name,
                    namespace: canary.namespace,
                    ingress: canary.ingressName,
                    interval: scaled(metric.effectiveInterval)
                )
            else { return .error("no builtin query for \(metric.name)") }
            query = builtin
        case .inlineQuery:
            query = metric.query ?? ""
        case .template:
            guard let reference = metric.templateRef else { return .error("metric \(metric.name) has no templateRef") }
            let key = "\(reference.namespace ?? canary.namespace)/\(reference.name)"
            guard let template = templates[key] else {
                return .error("MetricTemplate \(key) not found")
            }
            var scaledMetric = metric
            if let interval = metric.interval { scaledMetric.interval = scaled(interval) }
            do {
                query = try MetricQueries.render(template.spec.query, canary: canary, metric: scaledMetric)
            } catch {
                return .error("\(error)")
            }
        }
        do {
            return .value(try await prometheus.value(query))
        } catch let error as PrometheusClient.QueryError {
            return error.noValues ? .noValues : .error(error.description)
        } catch {
            return .error("\(error)")
        }
    }

    /// A webhook's per-attempt timeout: Flagger's, shortened by the time scale, but never below one second (or the
    /// hook's own timeout when that is shorter). What a hook takes to answer is mostly fixed latency — a request
    /// through the harness's HTTP client and the in-process loadtester, tens of milliseconds, hundreds on a busy
    /// machine — which does not shrink with the clock: a 5 s timeout at 0.02 (100 ms) failed hooks that answer in
    /// milliseconds at full speed, a failed check Flagger would not count.
    static func timeout(_ seconds: Double, timeScale: Double) -> Duration {
        let floor = min(seconds, 1)
        return .milliseconds(Int((max(seconds * timeScale, floor) * 1000).rounded()))
    }

    /// A Go duration shortened by the time scale, written so Prometheus reads it (`1m` at 0.1 → `6s`).
    func scaled(_ text: String) -> String {
        guard let duration = try? ManifestDuration(parsing: text), duration.seconds > 0 else { return text }
        let milliseconds = Int((duration.seconds * timeScale * 1000).rounded())
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(max(milliseconds, 1))ms"
    }
}
