/// A webhook call's outcome as `CallWebhook` sees it (spec/flagger.md §4.1).
public enum WebhookResult: Sendable, Hashable {
    /// The hook answered with this status; ≤ 202 is success.
    case success(status: Int)
    /// The error `CallWebhook` returned: the response body for a status > 202, or the client error.
    case failure(String)

    public var succeeded: Bool {
        if case .success = self { return true }
        return false
    }

    /// The outcome of a response, following Flagger's client: go-retryablehttp retries 429 and 5xx (but 501) and
    /// gives up with its own message (the body is lost); other statuses > 202 return the body as the error.
    public static func response(status: Int, body: String, url: String, retries: Int) -> WebhookResult {
        if status <= 202 { return .success(status: status) }
        if status == 429 || (status >= 500 && status != 501) {
            return .failure("POST \(url) giving up after \(max(retries, 0) + 1) attempt(s)")
        }
        return .failure(body)
    }

    /// No answer within the hook's timeout on any attempt.
    public static func timeout(url: String, retries: Int) -> WebhookResult {
        .failure(
            "POST \(url) giving up after \(max(retries, 0) + 1) attempt(s): Post \"\(url)\": context deadline exceeded"
        )
    }
}
