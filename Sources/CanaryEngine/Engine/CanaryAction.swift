import ObjectModel

/// Something the tick asks the world to do. The engine performs no I/O: the driver applies these in order.
public enum CanaryAction: Sendable, Hashable {
    /// Create (or keep) `<target>-primary` and the ClusterIP services; done on initialization ticks.
    case initializePrimary
    /// Create `<ingress>-canary` with `canary: "true"`, `canary-weight: "0"` when it does not exist yet.
    case reconcileRouter
    /// `meshRouter.SetRoutes(primary, canary)`; the NGINX annotations that result are in the new state's routes.
    case setRoutes(primary: Int, canary: Int)
    /// Scale the target (canary) deployment to zero.
    case scaleToZero
    /// Scale the target up (`ScaleFromZero`, spec/flagger.md §2.5).
    case scaleFromZero
    /// Copy the target's pod template to the primary (`Promote`).
    case promote
    /// A webhook call the engine made through ``TickInputs/callWebhook(_:type:phase:)``, in call order.
    case callWebhook(name: String, type: CanaryWebhookType, phase: CanaryPhase)
    /// A metric query the engine made through ``TickInputs/queryMetric(_:kind:)``.
    case queryMetric(name: String, kind: MetricCheckKind)
    /// A Kubernetes event on the Canary (and a call to each `event` webhook).
    case event(CanaryEvent)
    /// An alert to the canary's alert providers.
    case alert(CanaryAlertMessage)
}
