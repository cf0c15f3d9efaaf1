/// One entry of a YAML mapping, kept in source order.
public struct Pair: Sendable, Hashable {
    public var key: Node
    public var value: Node

    public init(key: Node, value: Node) {
        self.key = key
        self.value = value
    }
}
