import CurlHTTP
import Foundation
import ObjectModel
import Scenarios
import Synchronization

/// Sits between Flagger and the real flagger-loadtester on the kind backend, for scenarios that assert on webhook
/// calls: the session's artifact points a Canary's loadtester webhooks at
/// `<recorder>/hook/<type>/<name>/<original path>` (``ScenarioArtifact``); the recorder forwards each call to the
/// loadtester (through a port-forward to its Service), answers Flagger with the loadtester's status and body, and
/// keeps the call.
public final class WebhookRecorder: Sendable {
    /// The calls, shared with the server's handler.
    private final class Log: Sendable {
        let calls = Mutex<[WebhookCall]>([])
    }

    private let server: LocalHTTPServer
    private let log: Log
    /// `http://<host>:<port>` as the cluster reaches it.
    public var url: String { server.url }

    private init(server: LocalHTTPServer, log: Log) {
        self.server = server
        self.log = log
    }

    /// Listens on `host`:`port`; forwards to `loadtester` (`http://127.0.0.1:<port-forward>`).
    public static func start(host: String, port: Int, loadtester: String, clock: ScenarioClock) async throws
        -> WebhookRecorder
    {
        let log = Log()
        let server = try await LocalHTTPServer(name: "webhook-recorder", port: port, host: host) { request in
            guard request.method == "POST", let hook = Hook(path: request.path) else {
                return .init(status: 404, body: "not a recorded webhook: \(request.method) \(request.path)")
            }
            let answer: LocalHTTPServer.Response
            do {
                let response = try await HTTPClient.shared.post(
                    loadtester + hook.forwardPath + (request.query.isEmpty ? "" : "?" + request.query),
                    json: request.text,
                    timeout: .seconds(60)
                )
                answer = .init(status: response.status, body: String(decoding: response.body, as: UTF8.self))
            } catch {
                answer = .init(status: 502, body: "the loadtester did not answer: \(error)")
            }
            let payload = CanaryWebhookPayload.decode(request.body)
            let call = WebhookCall(
                t: clock.now,
                name: hook.name,
                type: hook.type,
                canary: payload?.name ?? "",
                namespace: payload?.namespace ?? "",
                phase: payload?.phase ?? "",
                status: answer.status
            )
            log.calls.withLock { $0.append(call) }
            return answer
        }
        return WebhookRecorder(server: server, log: log)
    }

    /// The calls so far, oldest first.
    public var recorded: [WebhookCall] { log.calls.withLock { $0 } }

    public func stop() async { await server.stop() }

    /// `/hook/<type>/<name>/<path…>`, as ``ScenarioArtifact/recordedURL(_:name:type:recorder:)`` writes it.
    struct Hook: Equatable {
        var type: String
        var name: String
        /// The loadtester path (`/gate/check`, `/`).
        var forwardPath: String

        init?(path: String) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard parts.count >= 3, parts.first == "hook" else { return nil }
            let values = Array(parts.dropFirst())
            type = values[0].removingPercentEncoding ?? String(values[0])
            name = values[1].removingPercentEncoding ?? String(values[1])
            forwardPath = "/" + values.dropFirst(2).joined(separator: "/")
        }
    }
}
