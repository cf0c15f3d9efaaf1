import Foundation
import ObjectModel
import YAML

/// The local backend's API server: objects by kind/namespace/name with generation and status, and a change feed the
/// controllers watch. Applying the same spec twice is a no-op (no generation bump, no event).
public actor ObjectStore {
    private var objects: [ObjectKey: StoredObject] = [:]
    private var subscribers: [UUID: AsyncStream<ObjectEvent>.Continuation] = [:]
    private var nextResourceVersion = 1

    public init() {}

    // MARK: Writes

    /// Creates or updates an object. A typed object wins over `node` for the spec; `node` is kept as written.
    /// Namespaced kinds without a namespace land in `defaultNamespace`.
    @discardableResult
    public func apply(
        _ object: any KubernetesObject,
        node: Node? = nil,
        defaultNamespace: String = "default",
        manager: String? = nil
    ) -> StoredObject {
        var object = object
        let kind = type(of: object).kind
        let namespace = Self.namespace(kind: kind, object.metadata.namespace, default: defaultNamespace)
        if !namespace.isEmpty { object.metadata.namespace = namespace }
        let key = ObjectKey(kind: kind, namespace: namespace, name: object.metadata.name)
        let fingerprint = Self.fingerprint(object)
        let apiVersion = Self.apiVersion(of: object)
        return store(
            key,
            apiVersion: apiVersion,
            object: object,
            node: node,
            fingerprint: fingerprint,
            manager: manager
        )
    }

    /// Applies a manifest document as loaded by ``ManifestLoader`` (typed when its kind is known, else as written).
    @discardableResult
    public func apply(
        _ loaded: LoadedObject,
        namespaceOverride: String? = nil,
        defaultNamespace: String = "default",
        manager: String? = nil
    ) -> StoredObject {
        if var object = loaded.object {
            if let namespaceOverride, !ObjectKey.clusterScopedKinds.contains(loaded.kind) {
                object.metadata.namespace = namespaceOverride
            }
            return apply(object, node: loaded.node, defaultNamespace: defaultNamespace, manager: manager)
        }
        let namespace = Self.namespace(
            kind: loaded.kind,
            namespaceOverride ?? loaded.namespace,
            default: defaultNamespace
        )
        let key = ObjectKey(kind: loaded.kind, namespace: namespace, name: loaded.name)
        let spec = loaded.node.pairs?.filter { !["metadata", "status"].contains($0.key.scalarValue ?? "") }
        let fingerprint = spec.map { Node.mapping($0, mark: loaded.node.mark).json } ?? ""
        return store(
            key,
            apiVersion: loaded.apiVersion,
            object: nil,
            node: loaded.node,
            fingerprint: fingerprint,
            manager: manager
        )
    }

    /// Changes a typed object in place (metadata or spec), as a controller's update would.
    @discardableResult
    public func update<T: KubernetesObject>(
        _ type: T.Type,
        namespace: String,
        name: String,
        _ change: (inout T) -> Void
    ) -> StoredObject? {
        let key = ObjectKey(kind: T.kind, namespace: namespace, name: name)
        guard let existing = objects[key], var object = existing.object as? T else { return nil }
        change(&object)
        return apply(object, node: existing.node, defaultNamespace: namespace, manager: existing.manager)
    }

    /// Replaces the status a controller keeps for `key`.
    public func setStatus(_ key: ObjectKey, _ status: any ObjectStatus) {
        guard var stored = objects[key] else { return }
        stored.status = status
        stored.resourceVersion = takeResourceVersion()
        objects[key] = stored
        publish(ObjectEvent(key: key, change: .statusChanged))
    }

    /// Deletes an object; returns whether it existed.
    @discardableResult
    public func delete(_ key: ObjectKey) -> Bool {
        guard objects.removeValue(forKey: key) != nil else { return false }
        publish(ObjectEvent(key: key, change: .deleted))
        return true
    }

    // MARK: Reads

    public func get(_ key: ObjectKey) -> StoredObject? { objects[key] }

    /// The typed object `namespace/name` of `T`'s kind.
    public func get<T: KubernetesObject>(_ type: T.Type, namespace: String, name: String) -> T? {
        objects[ObjectKey(kind: T.kind, namespace: namespace, name: name)]?.object as? T
    }

    /// The status a controller wrote, as `S`.
    public func status<S: ObjectStatus>(_ type: S.Type, of key: ObjectKey) -> S? { objects[key]?.status as? S }

    /// Every object of `kind` (in `namespace` when given), sorted by key.
    public func list(kind: String, namespace: String? = nil) -> [StoredObject] {
        objects.values
            .filter { $0.key.kind == kind && (namespace == nil || $0.key.namespace == namespace) }
            .sorted { $0.key < $1.key }
    }

    /// Every typed object of `T`'s kind.
    public func list<T: KubernetesObject>(_ type: T.Type, namespace: String? = nil) -> [T] {
        list(kind: T.kind, namespace: namespace).compactMap { $0.object as? T }
    }

    /// Everything, sorted by key.
    public var all: [StoredObject] { objects.values.sorted { $0.key < $1.key } }

    // MARK: Change feed

    /// A stream of every change from now on. It ends when the subscriber stops iterating.
    public func changes() -> AsyncStream<ObjectEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ObjectEvent.self, bufferingPolicy: .unbounded)
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    /// Ends every change stream (controllers watching them finish).
    public func closeFeeds() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    // MARK: Internals

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    private func store(
        _ key: ObjectKey,
        apiVersion: String,
        object: (any KubernetesObject)?,
        node: Node?,
        fingerprint: String,
        manager: String?
    ) -> StoredObject {
        if var existing = objects[key] {
            let specChanged = existing.specFingerprint != fingerprint
            let metadataChanged = !specChanged && Self.metadataDiffers(existing.object, object)
            guard specChanged || metadataChanged || existing.manager != manager else { return existing }
            existing.object = object
            existing.node = node
            existing.apiVersion = apiVersion
            existing.manager = manager
            existing.resourceVersion = takeResourceVersion()
            if specChanged {
                existing.generation += 1
                existing.specFingerprint = fingerprint
            }
            objects[key] = existing
            publish(ObjectEvent(key: key, change: specChanged ? .specChanged : .metadataChanged))
            return existing
        }
        let stored = StoredObject(
            key: key,
            apiVersion: apiVersion,
            object: object,
            node: node,
            generation: 1,
            resourceVersion: takeResourceVersion(),
            status: nil,
            manager: manager,
            createdAt: .now,
            specFingerprint: fingerprint
        )
        objects[key] = stored
        publish(ObjectEvent(key: key, change: .added))
        return stored
    }

    private func takeResourceVersion() -> Int {
        defer { nextResourceVersion += 1 }
        return nextResourceVersion
    }

    private func publish(_ event: ObjectEvent) {
        for continuation in subscribers.values { continuation.yield(event) }
    }

    static func namespace(kind: String, _ namespace: String?, default fallback: String) -> String {
        if ObjectKey.clusterScopedKinds.contains(kind) { return "" }
        guard let namespace, !namespace.isEmpty else { return fallback }
        return namespace
    }

    private static func apiVersion(of object: any KubernetesObject) -> String {
        let mirror = Mirror(reflecting: object)
        return mirror.children.first { $0.label == "apiVersion" }?.value as? String ?? type(of: object).apiVersion
    }

    private static func metadataDiffers(_ old: (any KubernetesObject)?, _ new: (any KubernetesObject)?) -> Bool {
        guard let old, let new else { return old != nil || new != nil }
        return old.metadata.labels != new.metadata.labels || old.metadata.annotations != new.metadata.annotations
    }

    /// The spec part of an object (everything but metadata and status) as canonical JSON.
    static func fingerprint(_ object: any KubernetesObject) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(object),
            var dictionary = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return UUID().uuidString }
        dictionary["metadata"] = nil
        dictionary["status"] = nil
        guard let canonical = try? JSONSerialization.data(withJSONObject: dictionary, options: [.sortedKeys]) else {
            return UUID().uuidString
        }
        return String(decoding: canonical, as: UTF8.self)
    }
}
