/// How a Deployment looks to Flagger's readiness check (`isDeploymentReady`, spec/flagger.md §2.7).
public enum DeploymentReadiness: Sendable, Hashable {
    case ready
    /// Still rolling out; the tick waits (retriable). The reason follows "… not ready: ".
    case notReady(String)
    /// `Progressing` reports `ProgressDeadlineExceeded`: a non-retriable failure.
    case progressDeadlineExceeded
    /// Non-retriable for another reason (Available=False for longer than `progressDeadlineSeconds`).
    case stalled(String)

    /// The reason Flagger prints when the canary is rolling out one replica.
    public static let rollingOut = DeploymentReadiness.notReady(
        "waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available"
    )
}
