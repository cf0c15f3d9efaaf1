/// A leaf of the YAML tree: the exact text as written (after unquoting and folding), how it was written,
/// an explicit tag if any (`tag:yaml.org,2002:str` for `!!str`), and where it starts.
public struct Scalar: Sendable, Hashable {
    public var value: String
    public var style: ScalarStyle
    /// The explicit tag in its long form (`!!int` → `tag:yaml.org,2002:int`); `nil` when none was written.
    public var tag: String?
    public var mark: Mark

    public init(value: String, style: ScalarStyle = .plain, tag: String? = nil, mark: Mark = Mark(line: 1, column: 1)) {
        self.value = value
        self.style = style
        self.tag = tag
        self.mark = mark
    }

    /// The value under the YAML 1.2 core schema: quoted and block scalars are strings, plain ones may be
    /// null, booleans or numbers, and an explicit `!!str`/`!!int`/`!!float`/`!!bool`/`!!null` tag wins.
    public var resolved: ResolvedScalar { ResolvedScalar.resolve(self) }
}
