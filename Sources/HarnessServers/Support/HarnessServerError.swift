/// A server of the harness's own (alert receiver, webhook recorder, any `LocalHTTPServer`) could not start, or no
/// port was free for it.
public struct HarnessServerError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
