/// A change in the store, delivered to every subscriber.
public struct ObjectEvent: Sendable, Hashable {
    /// What changed about the object.
    public enum Change: Sendable, Hashable {
        case added, specChanged, metadataChanged, statusChanged, deleted
    }

    public var key: ObjectKey
    public var change: Change
}
