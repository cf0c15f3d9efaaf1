import CanaryEngine
import CurlHTTP
import Foundation
import ObjectModel

/// The canary engine's view of the real stack for one tick: readiness from the store (read when the tick starts),
/// webhook calls over libcurl and metric queries against the local Prometheus, made when the engine asks, in
/// Flagger's order. Durations (webhook timeouts, metric windows) are time-scaled.
struct LiveTickInputs: TickInputs {
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
    /// Where each webhook call is noted (the tick runs on another thread).
    var callLog: WebhookCallLog?

    /// Flagger's payload checksum: a hash of the tracked configs and the last applied spec.
    var checksum: String { DeploymentController.stableHash((trackedConfigs ?? "") + "/" + revision) }

    mutating func callWebhook(_ webhook: CanaryWebhook, type: CanaryWebhookType, phase: CanaryPhase) -> WebhookResult {
        var payload: [String: Any] = [
            "name": canary.name, "namespace": canary.namespace, "phase": phase.rawValue, "checksum": checksum,
        ]
        if let metadata = webhook.metadata { payload["metadata"] = metadata }
        let body = String(
            decoding: (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data(),
            as: UTF8.self
        )
        let url = services.resolve(url: webhook.url, defaultNamespace: canary.namespace)
        let timeout = Duration.milliseconds(max(200, Int(webhook.timeoutSeconds * timeScale * 1000)))
        let retries = max(0, webhook.retries ?? 0)
        var attempt = 0
        while true {
            let response = BlockingBridge.wait { () -> HTTPResponse? in
                try? await HTTPClient.shared.post(url, json: body, timeout: timeout)
            }
            let retriable = response.map { $0.status == 429 || ($0.status >= 500 && $0.status != 501) } ?? true
            if !retriable || attempt >= retries {
                callLog?.note(
                    name: webhook.name,
                    type: type.rawValue,
                    phase: phase.rawValue,
                    status: response?.status ?? 0
                )
                guard let response else { return .timeout(url: webhook.url, retries: retries) }
                return .response(status: response.status, body: response.text, url: webhook.url, retries: retries)
            }
            // go-retryablehttp's back-off: 1 s doubling, time-scaled.
            let backoff = Duration.milliseconds(Int(1000 * pow(2, Double(attempt)) * timeScale))
            BlockingBridge.wait { try? await Task.sleep(for: backoff) }
            attempt += 1
        }
    }

    mutating func queryMetric(_ metric: CanaryMetric, kind: MetricCheckKind) -> MetricResult? {
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
        let prometheus = prometheus
        return BlockingBridge.wait { () -> MetricResult in
            do {
                return .value(try await prometheus.value(query))
            } catch let error as PrometheusClient.QueryError {
                return error.noValues ? .noValues : .error(error.description)
            } catch {
                return .error("\(error)")
            }
        }
    }

    /// A Go duration shortened by the time scale, written so Prometheus reads it (`1m` at 0.1 → `6s`).
    func scaled(_ text: String) -> String {
        guard let duration = try? ManifestDuration(parsing: text), duration.seconds > 0 else { return text }
        let milliseconds = Int((duration.seconds * timeScale * 1000).rounded())
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(max(milliseconds, 1))ms"
    }
}
