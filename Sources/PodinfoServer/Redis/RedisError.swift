/// A Redis error reply or a connection failure.
public struct RedisError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
