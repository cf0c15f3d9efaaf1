/// The parts of a Deployment's spec and status Flagger's readiness check reads, so a backend can turn its
/// Deployment into a ``DeploymentReadiness`` exactly as `isDeploymentReady` does (canary/deployment_ready.go,
/// spec/flagger.md §2.7). Times are seconds on any clock shared with `now`.
public struct DeploymentSnapshot: Sendable, Hashable {
    public var name: String
    public var generation: Int
    public var observedGeneration: Int
    /// `spec.replicas` (`nil` when unset).
    public var specReplicas: Int?
    /// `status.replicas`, `status.updatedReplicas`, `status.availableReplicas`.
    public var replicas: Int
    public var updatedReplicas: Int
    public var availableReplicas: Int
    /// Whether the `Progressing` condition exists, and its reason (`ProgressDeadlineExceeded` fails at once).
    public var hasProgressingCondition: Bool
    public var progressingReason: String?
    /// The `Available` condition when it is `False` with reason `MinimumReplicasUnavailable`: its lastUpdateTime.
    public var minimumReplicasUnavailableSince: Double?

    public init(
        name: String,
        generation: Int = 1,
        observedGeneration: Int = 1,
        specReplicas: Int? = 1,
        replicas: Int,
        updatedReplicas: Int,
        availableReplicas: Int,
        hasProgressingCondition: Bool = true,
        progressingReason: String? = nil,
        minimumReplicasUnavailableSince: Double? = nil
    ) {
        self.name = name
        self.generation = generation
        self.observedGeneration = observedGeneration
        self.specReplicas = specReplicas
        self.replicas = replicas
        self.updatedReplicas = updatedReplicas
        self.availableReplicas = availableReplicas
        self.hasProgressingCondition = hasProgressingCondition
        self.progressingReason = progressingReason
        self.minimumReplicasUnavailableSince = minimumReplicasUnavailableSince
    }

    /// `isDeploymentReady(deployment, deadline, readyThreshold)`.
    public func readiness(progressDeadlineSeconds: Int, readyThreshold: Int, now: Double) -> DeploymentReadiness {
        guard generation <= observedGeneration else {
            return .notReady(
                "waiting for rollout to finish: observed deployment generation less than desired generation"
            )
        }
        var retriable = true
        if hasProgressingCondition, let since = minimumReplicasUnavailableSince {
            // `!from.Add(delta).Before(now)`: stuck once the deadline has passed.
            retriable = !(since + Double(progressDeadlineSeconds) < now)
        }
        // int32(float32(updatedReplicas) * readyThreshold/100)
        let threshold = Int(Float(updatedReplicas) * (Float(readyThreshold) / 100))
        let reason: String
        if hasProgressingCondition && progressingReason == "ProgressDeadlineExceeded" {
            return .progressDeadlineExceeded
        } else if let specReplicas, updatedReplicas < specReplicas {
            reason =
                "waiting for rollout to finish: \(updatedReplicas) out of \(specReplicas) new replicas "
                + "have been updated"
        } else if replicas > updatedReplicas {
            reason = "waiting for rollout to finish: \(replicas - updatedReplicas) old replicas are pending termination"
        } else if availableReplicas < threshold {
            reason =
                "waiting for rollout to finish: \(availableReplicas) of \(threshold) "
                + "(readyThreshold \(readyThreshold)%) updated replicas are available"
        } else {
            return .ready
        }
        return retriable ? .notReady(reason) : .stalled(reason)
    }
}
