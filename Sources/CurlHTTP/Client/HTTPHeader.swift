/// One HTTP header field as sent or received. Names compare case-sensitively here; lookups on
/// ``HTTPResponse`` are case-insensitive.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
