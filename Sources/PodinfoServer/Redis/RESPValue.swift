/// A Redis reply (RESP2).
public enum RESPValue: Sendable, Equatable {
    case simple(String)
    /// An error reply (`-ERR …`), as text. ``RedisClient`` throws a top-level one as ``RedisError``; inside an array
    /// it stays a value, as Redis sends it (e.g. one failed command of an `EXEC`).
    case error(String)
    case integer(Int)
    /// nil is the null bulk string (`$-1`).
    case bulk([UInt8]?)
    /// nil is the null array (`*-1`).
    case array([RESPValue]?)
}
