/// A string matcher: exactly one of `exact`, `prefix`, `suffix`, `regex` is meant to be set.
public struct StringMatch: Codable, Sendable, Hashable {
    public var exact: String?
    public var prefix: String?
    public var suffix: String?
    public var regex: String?

    public init(exact: String? = nil, prefix: String? = nil, suffix: String? = nil, regex: String? = nil) {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self.regex = regex
    }
}
