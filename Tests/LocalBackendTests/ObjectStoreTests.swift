import ObjectModel
import Testing

@testable import LocalBackend

/// The store's generation and change-feed semantics, as controllers rely on them.
@Suite struct ObjectStoreTests {
    private func configMap(_ value: String, label: String = "a") -> ConfigMap {
        var map = ConfigMap(metadata: ObjectMeta(name: "settings", namespace: "test"), data: ["k": value])
        map.metadata.labels = ["l": label]
        return map
    }

    @Test func generationMovesOnlyWhenTheSpecChanges() async {
        let store = ObjectStore()
        #expect(await store.apply(configMap("1")).generation == 1)
        #expect(await store.apply(configMap("1")).generation == 1)
        #expect(await store.apply(configMap("1", label: "b")).generation == 1)
        #expect(await store.apply(configMap("2")).generation == 2)
    }

    @Test func theChangeFeedReportsWhatChanged() async {
        let store = ObjectStore()
        let feed = await store.changes()
        await store.apply(configMap("1"))
        await store.apply(configMap("1"))
        await store.apply(configMap("2"))
        let key = ObjectKey(kind: "ConfigMap", namespace: "test", name: "settings")
        await store.setStatus(key, PodStatus(phase: "Running", ready: true, restartCount: 0))
        await store.delete(key)
        await store.closeFeeds()
        var changes: [ObjectEvent.Change] = []
        for await event in feed { changes.append(event.change) }
        #expect(changes == [.added, .specChanged, .statusChanged, .deleted])
    }

    @Test func namespacedKindsDefaultTheirNamespaceAndClusterKindsHaveNone() async {
        let store = ObjectStore()
        let map = await store.apply(ConfigMap(metadata: ObjectMeta(name: "x"), data: [:]))
        #expect(map.key.namespace == "default")
        let namespace = await store.apply(Namespace(name: "test"))
        #expect(namespace.key.namespace == "")
    }
}
