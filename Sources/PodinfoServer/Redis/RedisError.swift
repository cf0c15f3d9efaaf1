/// A Redis error reply or a connection failure.
public struct RedisError: Error, CustomStringConvertible {
    public var description: String
    /// True for a connection that ended (closed by Redis, reset) rather than for an error reply or a timeout: a command
    /// that failed this way on a reused connection is worth one retry on a fresh one.
    var connectionLost = false

    public init(_ description: String) { self.description = description }

    /// Redis closed the connection (`EOF`, as redigo says), or it broke, before the reply came.
    static func connectionLost(_ description: String) -> RedisError {
        var error = RedisError(description)
        error.connectionLost = true
        return error
    }
}
