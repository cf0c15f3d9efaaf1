import Synchronization

/// The process-wide switches podinfo keeps as package globals: liveness, readiness and fault-injection mode.
public final class ServerState: Sendable {
    private let healthyFlag: Atomic<Bool>
    private let readyFlag: Atomic<Bool>
    private let faultInjectionFlag = Atomic<Bool>(false)

    public init(healthy: Bool, ready: Bool) {
        healthyFlag = Atomic(healthy)
        readyFlag = Atomic(ready)
    }

    public var healthy: Bool {
        get { healthyFlag.load(ordering: .relaxed) }
        set { healthyFlag.store(newValue, ordering: .relaxed) }
    }

    public var ready: Bool {
        get { readyFlag.load(ordering: .relaxed) }
        set { readyFlag.store(newValue, ordering: .relaxed) }
    }

    public var faultInjection: Bool {
        get { faultInjectionFlag.load(ordering: .relaxed) }
        set { faultInjectionFlag.store(newValue, ordering: .relaxed) }
    }
}
