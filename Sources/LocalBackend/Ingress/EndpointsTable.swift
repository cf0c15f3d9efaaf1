import ObjectModel

/// The ready endpoints (127.0.0.1 ports) of every Service: pods in the Service's namespace whose labels match its
/// selector and that are ready, plus in-process servers registered under a Service name (the loadtester).
public enum EndpointsTable {
    /// Endpoints by `namespace/name`.
    public static func compute(
        services: [Service],
        pods: [(pod: Pod, status: PodStatus?)],
        builtin: [String: [Int]]
    ) -> [String: [Int]] {
        var table: [String: [Int]] = builtin.filter { !$0.key.hasPrefix("*/") }
        for service in services {
            let namespace = service.metadata.namespace ?? "default"
            let key = "\(namespace)/\(service.metadata.name)"
            if builtin[key] != nil { continue }
            guard let selector = service.spec.selector, !selector.isEmpty else {
                table[key] = table[key] ?? []
                continue
            }
            let ready = pods.filter { entry in
                entry.pod.metadata.namespace == namespace && entry.status?.ready == true
                    && selector.allSatisfy { entry.pod.metadata.labels?[$0.key] == $0.value }
            }
            table[key] = ready.map(\.pod.spec.port).sorted()
        }
        return table
    }
}
