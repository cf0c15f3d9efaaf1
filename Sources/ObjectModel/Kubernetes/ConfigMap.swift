/// `v1 ConfigMap`.
public struct ConfigMap: KubernetesObject, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "ConfigMap"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var data: [String: String]?
    public var binaryData: [String: String]?
    public var immutable: Bool?

    public init(metadata: ObjectMeta, data: [String: String]? = nil) {
        self.metadata = metadata
        self.data = data
    }
}

/// `v1 Secret`. `data` is base64 as in the API; `stringData` plain.
public struct Secret: KubernetesObject, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Secret"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String: String]?
    public var stringData: [String: String]?
    public var immutable: Bool?

    public init(metadata: ObjectMeta, stringData: [String: String]? = nil) {
        self.metadata = metadata
        self.stringData = stringData
    }
}
