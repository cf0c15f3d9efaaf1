import HTTPTypes
import Hummingbird

/// The `--port-metrics` server: `/metrics` and an always-200 `/healthz` (text `OK`), nothing instrumented.
struct MetricsPortResponder: HTTPResponder {
    typealias Context = PodinfoRequestContext
    let metrics: PodinfoMetrics

    func respond(to request: Request, context: Context) async throws -> Response {
        switch request.uri.path {
        case "/metrics":
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Reply.bytes(metrics.exposition(), headers: headers, status: 200).response
        case "/healthz":
            var headers = HTTPFields()
            headers[.contentType] = Reply.textContentType
            return Reply.bytes(Array("OK".utf8), headers: headers, status: 200).response
        default:
            return Reply.text("404 page not found", status: 404).response
        }
    }
}
