/// A Flux `Ready` (or other) condition.
public struct FluxCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var reason: String
    public var message: String
}

/// A GitRepository's status: the revision fetched (`main@sha1:<sha>`) and whether that worked.
public struct GitRepositoryStatus: ObjectStatus, Hashable {
    public var observedGeneration: Int
    public var artifactRevision: String?
    public var conditions: [FluxCondition]

    public var isReady: Bool { conditions.first { $0.type == "Ready" }?.status == "True" }
}

/// A Kustomization's status: the revision last applied, what it applied, and whether that worked.
public struct KustomizationStatus: ObjectStatus, Hashable {
    public var observedGeneration: Int
    public var lastAppliedRevision: String?
    public var lastAttemptedRevision: String?
    public var conditions: [FluxCondition]
    /// `Kind/namespace/name` of every object applied.
    public var inventory: [String]

    public var isReady: Bool { conditions.first { $0.type == "Ready" }?.status == "True" }
}
