/// A component of the local stack a fault can hit.
public enum StackComponent: String, Sendable, CaseIterable {
    case nginx, prometheus, redis
    /// The canary controller (Flagger's role).
    case flagger
    /// The GitOps controller (Flux's role).
    case flux
    case loadtester
    case alertReceiver = "alert-receiver"
}

/// What a fault does to a component or replica.
public enum StackFault: String, Sendable, CaseIterable {
    /// Graceful stop (SIGTERM); a replica's container restarts, as the kubelet would.
    case stop
    /// SIGKILL; a replica restarts, a component stays down until `start`.
    case kill
    case start
    case restart
}
